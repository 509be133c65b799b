package org.quantsupervision.health;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.quantsupervision.metrics.Exposition;

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
        Exposition e = new Exposition();
        String s = r.strategy();
        HealthMetrics.write(e, s, r.status(), r.results().stream().map(c -> new HealthMetrics.CheckSample(c.name(),
                c.status(), r.consecutive().getOrDefault(c.name(), 0), null)).toList());
        for (CheckResult c : r.results()) {
            e.gauge("quant_supervision_check_maintenance", "1 while a failure of one check is expected in a maintenance "
                    + "window (its status is then 0).", c.maintenance() ? 1 : 0, "strategy", s, "check", c.name());
        }
        for (CheckResult c : r.results()) {
            for (Metric m : c.metrics()) {
                double value = m.unit().equals("%") ? m.value() / 100 : m.value();
                e.gauge("quant_supervision_" + m.label().replace('-', '_') + suffix(m.unit()),
                        "Measured by the " + c.name() + " check.", value, "strategy", s);
            }
        }
        e.gauge("quant_supervision_health_last_run_timestamp_seconds", "When this file was written.",
                r.time().toEpochMilli() / 1000.0, "strategy", s);
        return e.text();
    }

    private static String suffix(String unit) {
        return switch (unit) {
            case "B" -> "_bytes";
            case "s" -> "_seconds";
            case "%" -> "_ratio";
            default -> "";
        };
    }
}
