package org.quantsupervision.health;

import java.util.List;

import org.quantsupervision.metrics.Exposition;

/**
 * The health checker's metric families, written once for both places that show them: the
 * textfile of a round ({@link PrometheusTextfile}, from the round's results) and {@code serve}'s
 * /metrics (from health.json, through the status package). Their names and labels are the same
 * in both, so a dashboard works with either.
 */
public final class HealthMetrics {
    private HealthMetrics() {
    }

    /**
     * One check's last result.
     *
     * @param incident whether an incident (an alert) is open for it; null where it is not known
     */
    public record CheckSample(String check, Status status, int consecutive, Boolean incident) {
    }

    public static void write(Exposition e, String strategy, Status worst, List<CheckSample> checks) {
        e.gauge("quant_supervision_health_status", "Worst check status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.",
                worst.code(), "strategy", strategy);
        for (CheckSample c : checks) {
            e.gauge("quant_supervision_check_status", "Status of one check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.",
                    c.status().code(), "strategy", strategy, "check", c.check());
        }
        for (CheckSample c : checks) {
            e.gauge("quant_supervision_check_consecutive_failures", "CRITICAL runs in a row of one check.",
                    c.consecutive(), "strategy", strategy, "check", c.check());
        }
        for (CheckSample c : checks) {
            if (c.incident() != null) {
                e.gauge("quant_supervision_check_incident_open", "1 while an incident (an alert) is open for one check.",
                        c.incident() ? 1 : 0, "strategy", strategy, "check", c.check());
            }
        }
    }

    /** health.json's view of the checks, for /metrics. */
    public static List<CheckSample> of(HealthSummary summary) {
        return summary.checks().entrySet().stream().map(c -> new CheckSample(c.getKey(), c.getValue().status(),
                c.getValue().consecutive(), c.getValue().incident())).toList();
    }
}
