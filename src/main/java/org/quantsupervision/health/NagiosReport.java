package org.quantsupervision.health;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code --format nagios}: the plugin convention (Nagios, Icinga, Zabbix's and Sensu's Nagios
 * compatibility): one status line, then perfdata after '|' as
 * {@code 'label'=value[UOM];warn;crit;min;max}. The exit code is the worst status.
 */
public final class NagiosReport {
    private NagiosReport() {
    }

    public static String format(List<StrategyReport> reports) {
        Status overall = reports.stream().map(StrategyReport::status).reduce(Status.OK, Status::worse);
        List<String> parts = new ArrayList<>();
        List<String> perf = new ArrayList<>();
        for (StrategyReport r : reports) {
            List<String> bad = new ArrayList<>();
            for (CheckResult c : r.results()) {
                if (c.status() != Status.OK || c.maintenance()) {
                    // OK (exit 0) for an expected failure, but said: "freshness MAINTENANCE: CRITICAL: ...".
                    bad.add(c.name() + " " + c.shown() + ": " + c.afterShown());
                }
                for (Metric m : c.metrics()) {
                    perf.add(perfdata(r.strategy() + " " + m.label(), m));
                }
            }
            parts.add(r.strategy() + (bad.isEmpty() ? " OK (" + r.results().size() + " checks)" : " " + String.join("; ", bad)));
        }
        // '|' separates perfdata: it must not appear in the text.
        String text = String.join("; ", parts).replace('|', '/').replace('\n', ' ');
        return "QUANT-SUPERVISION " + overall + " - " + text + (perf.isEmpty() ? "" : " | " + String.join(" ", perf)) + "\n";
    }

    static String perfdata(String label, Metric m) {
        String value = Metric.format(m.value());
        String min = m.unit().equals("%") || m.unit().equals("B") || m.unit().equals("s") || m.unit().isEmpty() ? "0" : "";
        String max = m.unit().equals("%") ? "100" : "";
        return "'" + label.replace("'", "''").replace('=', '_') + "'=" + value + m.unit() + ";" + threshold(m.warning())
                + ";" + threshold(m.critical()) + ";" + min + ";" + max;
    }

    private static String threshold(double t) {
        return Double.isNaN(t) ? "" : Metric.format(t);
    }

}
