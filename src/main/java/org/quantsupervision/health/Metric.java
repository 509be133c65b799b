package org.quantsupervision.health;

/**
 * A measured value behind a check, for Nagios perfdata and Prometheus.
 *
 * @param unit Nagios UOM: "B", "s", "%", or "" for a count
 * @param warning the warning threshold, or NaN for none
 * @param critical the critical threshold, or NaN for none
 */
public record Metric(String label, double value, String unit, double warning, double critical) {

    public static Metric of(String label, double value, String unit) {
        return new Metric(label, value, unit, Double.NaN, Double.NaN);
    }

    /** A value as Nagios and Prometheus read it: whole numbers without a point, others with up to 3 decimals. */
    static String format(double v) {
        return org.quantsupervision.metrics.Exposition.value(v);
    }
}
