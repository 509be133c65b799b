package org.quantsupervision.health;

import java.time.Duration;

/** Spans in messages: "850ms", "42s", "3m12s", "2h05m". */
final class Spans {
    private Spans() {
    }

    static String human(Duration d) {
        long ms = Math.max(0, d.toMillis());
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 10_000) {
            return ms / 1000 + "." + (ms % 1000) / 100 + "s"; // 1.3s: near a 1 s limit, whole seconds would hide it
        }
        long s = ms / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format("%02ds", s % 60);
        }
        return (s / 3600) + "h" + String.format("%02dm", (s % 3600) / 60);
    }
}
