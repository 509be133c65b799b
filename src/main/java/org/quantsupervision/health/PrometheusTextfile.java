package org.quantsupervision.health;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code --prometheus-dir DIR}: a file per strategy for node_exporter's textfile collector,
 * DIR/quant-supervision-NAME.prom, written under a name the collector ignores and then renamed,
 * so a scrape never sees half a file.
 */
public final class PrometheusTextfile {
    private PrometheusTextfile() {
    }

    public static Path write(Path dir, StrategyReport r) throws IOException {
        Path file = dir.resolve("quant-supervision-" + r.strategy() + ".prom");
        Path tmp = dir.resolve(".quant-supervision-" + r.strategy() + ".prom.tmp");
        Files.writeString(tmp, format(r), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    static String format(StrategyReport r) {
        String s = "strategy=\"" + escape(r.strategy()) + "\"";
        StringBuilder out = new StringBuilder();
        header(out, "quant_supervision_health_status", "Worst check status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.");
        out.append("quant_supervision_health_status{").append(s).append("} ").append(r.status().code()).append('\n');
        header(out, "quant_supervision_check_status", "Status of one check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.");
        for (CheckResult c : r.results()) {
            out.append("quant_supervision_check_status{").append(s).append(",check=\"").append(escape(c.name()))
                    .append("\"} ").append(c.status().code()).append('\n');
        }
        header(out, "quant_supervision_check_maintenance", "1 while a failure of one check is expected in a maintenance "
                + "window (its status is then 0).");
        for (CheckResult c : r.results()) {
            out.append("quant_supervision_check_maintenance{").append(s).append(",check=\"").append(escape(c.name()))
                    .append("\"} ").append(c.maintenance() ? 1 : 0).append('\n');
        }
        header(out, "quant_supervision_check_consecutive_failures", "CRITICAL runs in a row of one check.");
        for (CheckResult c : r.results()) {
            out.append("quant_supervision_check_consecutive_failures{").append(s).append(",check=\"")
                    .append(escape(c.name())).append("\"} ").append(r.consecutive().getOrDefault(c.name(), 0)).append('\n');
        }
        for (CheckResult c : r.results()) {
            for (Metric m : c.metrics()) {
                String name = "quant_supervision_" + m.label().replace('-', '_') + suffix(m.unit());
                header(out, name, "Measured by the " + c.name() + " check.");
                double value = m.unit().equals("%") ? m.value() / 100 : m.value();
                out.append(name).append('{').append(s).append("} ").append(Metric.format(value)).append('\n');
            }
        }
        header(out, "quant_supervision_health_last_run_timestamp_seconds", "When this file was written.");
        out.append("quant_supervision_health_last_run_timestamp_seconds{").append(s).append("} ")
                .append(Metric.format(r.time().toEpochMilli() / 1000.0)).append('\n');
        return out.toString();
    }

    private static String suffix(String unit) {
        return switch (unit) {
            case "B" -> "_bytes";
            case "s" -> "_seconds";
            case "%" -> "_ratio";
            default -> "";
        };
    }

    private static void header(StringBuilder out, String name, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

}
