package org.quantsupervision.health;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.quantsupervision.config.HealthConfig;
import org.quantsupervision.schedule.WeeklySchedule;

/**
 * The venue's maintenance windows (MAINTENANCE): while one is on, a failure of a check in
 * MAINTENANCE_CHECKS (by default freshness and api: the feed and the API go quiet while the venue
 * is down) is expected. It is shown as MAINTENANCE ({@link CheckResult#expected}) and
 * {@link Escalation} neither counts it, nor alerts, nor restarts for it: a restart then would only
 * hurt. Other checks keep their full weight: a strategy that dies in a window is still CRITICAL.
 */
final class Maintenance {
    private Maintenance() {
    }

    /** RESULTS as they stand at NOW: the failures the window on at NOW (if any) expects, marked. */
    static List<CheckResult> expect(HealthConfig config, List<CheckResult> results, Instant now) {
        if (window(config, now).isEmpty()) {
            return results;
        }
        List<CheckResult> marked = new ArrayList<>(results.size());
        for (CheckResult r : results) {
            marked.add(r.status() != Status.OK && config.maintenanceChecks().contains(r.name()) ? r.expected() : r);
        }
        return marked;
    }

    /** The report's note while a window is on at NOW. */
    static Optional<String> note(HealthConfig config, Instant now) {
        return window(config, now).map(w -> "in a MAINTENANCE window (" + w + "): failures of "
                + String.join(" ", config.maintenanceChecks().stream().sorted().toList())
                + " are expected: shown as MAINTENANCE, not counted, no alert, no restart");
    }

    private static Optional<WeeklySchedule> window(HealthConfig config, Instant now) {
        return config.maintenance().filter(w -> w.contains(now));
    }
}
