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

    /**
     * The worst status of the checks of the strategy's present state, leaving out those that
     * report what happened since the last run (crashes, hook failures): a strategy just back
     * from a crash is healthy now, and its crash is still reported.
     */
    public Status statusNow() {
        return results.stream().filter(c -> !RunnerEventCheck.NAMES.contains(c.name())).map(CheckResult::status)
                .reduce(Status.OK, Status::worse);
    }

    /**
     * The overall status and every check that is not OK or is in MAINTENANCE, on one line:
     * "CRITICAL; process CRITICAL: ...".
     */
    public String summary() {
        StringBuilder s = new StringBuilder(status.name());
        for (CheckResult c : results) {
            if (c.status() != Status.OK || c.maintenance()) {
                s.append("; ").append(c.name()).append(' ').append(c.shown()).append(": ").append(c.afterShown());
            }
        }
        return s.toString();
    }

    /** A strategy whose configuration could not be read: UNKNOWN, with the one-line error. */
    static StrategyReport unreadable(String strategy, Instant time, String error) {
        return new StrategyReport(strategy, time, Status.UNKNOWN,
                List.of(CheckResult.of("config", Status.UNKNOWN, error)), Map.of(), List.of(), List.of(), -1);
    }
}
