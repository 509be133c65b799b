package org.quantsupervision.health;

import java.util.List;

/**
 * What one check found: its status, one line for people, the values behind it, and how long
 * the check took (microseconds; 0 until the run has timed it).
 *
 * <p>MAINTENANCE: a failure that a maintenance window expects ({@link Maintenance}). Its status
 * is then OK and its message starts with "MAINTENANCE: " and says what failed; it is shown as
 * MAINTENANCE and {@link Escalation} neither counts it nor alerts nor restarts on it. It is not a
 * fifth {@link Status}: the status is also a Nagios exit code, a Prometheus gauge and what
 * health.json and {@code status} read, and each of those knows four values only; for all of them
 * an expected failure is what OK means (nothing to do), and the message says the rest.
 */
public record CheckResult(String name, Status status, String message, List<Metric> metrics, long micros,
        boolean maintenance) {
    /** How an expected failure's message starts. */
    static final String MAINTENANCE = "MAINTENANCE: ";

    public static CheckResult of(String name, Status status, String message, Metric... metrics) {
        return new CheckResult(name, status, message, List.of(metrics), 0, false);
    }

    /** The value of the metric LABEL, or OTHERWISE if there is none. */
    double metric(String label, double otherwise) {
        return metrics.stream().filter(m -> m.label().equals(label)).mapToDouble(Metric::value).findFirst()
                .orElse(otherwise);
    }

    CheckResult took(long nanos) {
        return new CheckResult(name, status, message, metrics, nanos / 1000, maintenance);
    }

    /** This failure, expected in a maintenance window: OK, shown as MAINTENANCE, saying what failed. */
    CheckResult expected() {
        return new CheckResult(name, Status.OK, MAINTENANCE + status + ": " + message, metrics, micros, true);
    }

    /** The status as people read it: MAINTENANCE for an expected failure, else the status. */
    public String shown() {
        return maintenance ? MAINTENANCE.substring(0, MAINTENANCE.length() - 2) : status.name();
    }

    /** The message after {@link #shown()}: without the leading "MAINTENANCE: " of an expected failure. */
    String afterShown() {
        return maintenance ? message.substring(MAINTENANCE.length()) : message;
    }
}
