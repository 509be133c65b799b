package org.quantsupervision.health;

import java.util.List;

/**
 * What one check found: its status, one line for people, the values behind it, and how long
 * the check took (microseconds; 0 until the run has timed it).
 */
public record CheckResult(String name, Status status, String message, List<Metric> metrics, long micros) {

    public static CheckResult of(String name, Status status, String message, Metric... metrics) {
        return new CheckResult(name, status, message, List.of(metrics), 0);
    }

    /** The value of the metric LABEL, or OTHERWISE if there is none. */
    double metric(String label, double otherwise) {
        return metrics.stream().filter(m -> m.label().equals(label)).mapToDouble(Metric::value).findFirst()
                .orElse(otherwise);
    }

    CheckResult took(long nanos) {
        return new CheckResult(name, status, message, metrics, nanos / 1000);
    }
}
