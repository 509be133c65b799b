package org.quantsupervision.health;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

import org.quantsupervision.runner.UntrustedFile;

/**
 * Is the strategy's data fresh? The age of its STATE_FILE, which it rewrites as market data
 * arrives; judged only while the market is open (MARKET_DAYS/HOURS/TIMEZONE/HOLIDAYS): after
 * the close a quiet feed is expected, and the check says so instead of failing every night.
 */
final class FreshnessCheck implements Check {
    static final String NAME = "freshness";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CheckResult run(CheckContext c) {
        Path file = c.config().stateFile().orElseThrow();
        Duration limit = c.config().dataMaxAge();
        Duration age;
        try {
            // Not through a symlink, and only a regular file: a link to a file something else keeps
            // fresh (a device, /proc) would hide a stalled feed.
            age = Duration.between(UntrustedFile.attributes(file).lastModifiedTime().toInstant(), c.now());
        } catch (NoSuchFileException e) {
            age = null;
        } catch (IOException e) {
            return CheckResult.of(NAME, Status.UNKNOWN, "cannot read STATE_FILE " + file + ": " + e.getMessage());
        }
        if (!c.config().market().isOpen(c.now())) {
            return CheckResult.of(NAME, Status.OK, "market closed (idle)"
                    + (age == null ? "" : "; state file " + Spans.human(age) + " old"));
        }
        if (age == null) {
            return CheckResult.of(NAME, Status.CRITICAL, "STATE_FILE " + file + " does not exist (market open)");
        }
        Metric metric = new Metric("data_age", Math.max(0, age.toMillis()) / 1000.0, "s", Double.NaN,
                limit.toMillis() / 1000.0);
        if (age.compareTo(limit) > 0) {
            return CheckResult.of(NAME, Status.CRITICAL, "data stale: state file " + Spans.human(age)
                    + " old (limit " + Spans.human(limit) + ")", metric);
        }
        return CheckResult.of(NAME, Status.OK, "state file " + Spans.human(age) + " old (limit "
                + Spans.human(limit) + ")", metric);
    }
}
