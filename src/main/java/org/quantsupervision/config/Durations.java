package org.quantsupervision.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Time spans as env.conf writes them: "250ms", "10s", "2min", "1h"; a bare number is seconds (as in systemd). */
final class Durations {
    private static final Pattern SPAN = Pattern.compile("(\\d{1,9})\\s*(ms|s|sec|m|min|h)?");
    /**
     * The longest span accepted, far beyond any sensible timeout yet well inside what the runner's
     * arithmetic holds: it adds spans in nanoseconds to System.nanoTime(), and a long holds only
     * 292 years of those, so "999999999h" failed there with an overflow (exit 70, restarted by
     * systemd) instead of here as a bad setting.
     */
    static final Duration MAX = Duration.ofDays(3650);

    private Durations() {
    }

    static Duration parse(String text) {
        Matcher m = SPAN.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("is not a duration; expected e.g. 500ms, 10s, 2min, 1h");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s", "sec" -> Duration.ofSeconds(n);
            case "m", "min" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n); // 9 digits of hours fit in a Duration: no overflow here
        };
        if (d.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("is too large; at most " + MAX.toHours() + "h (10 years)");
        }
        return d;
    }
}
