package org.quantsupervision.health;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One strategy's result of one run: every check's result, the overall status, and what was
 * done about it. CONSECUTIVE holds each check's count of CRITICAL runs in a row.
 */
public record StrategyReport(String strategy, Instant time, Status status, List<CheckResult> results,
        Map<String, Integer> consecutive, List<String> actions, List<String> notes, long restarts) {

    /** A strategy whose configuration could not be read: UNKNOWN, with the one-line error. */
    static StrategyReport unreadable(String strategy, Instant time, String error) {
        return new StrategyReport(strategy, time, Status.UNKNOWN,
                List.of(CheckResult.of("config", Status.UNKNOWN, error)), Map.of(), List.of(), List.of(), -1);
    }
}
