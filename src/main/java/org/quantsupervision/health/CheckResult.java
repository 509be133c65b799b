package org.quantsupervision.health;

import java.util.List;

/** What one check found: its status, one line for people, and the values behind it. */
public record CheckResult(String name, Status status, String message, List<Metric> metrics) {

    public static CheckResult of(String name, Status status, String message, Metric... metrics) {
        return new CheckResult(name, status, message, List.of(metrics));
    }
}
