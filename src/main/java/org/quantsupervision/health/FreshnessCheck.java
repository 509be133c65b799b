package org.quantsupervision.health;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.quantsupervision.record.UntrustedFile;

/**
 * Is the strategy's data fresh? The age of its STATE_FILE, which it rewrites as market data
 * arrives; judged only while the market is open (MARKET_SESSIONS or MARKET_DAYS/HOURS, with
 * MARKET_TIMEZONE and MARKET_HOLIDAYS: {@link org.quantsupervision.config.MarketHours}): after
 * the close a quiet feed is expected, and the check says so instead of failing every night.
 *
 * <p>The age is timed from the mtime's changes on the monotonic clock, across runs through
 * health.json, not read as the wall clock minus the mtime: see {@link StateFileSighting}. A look
 * without state (--no-act) has no earlier sighting and judges by the wall clock, as 0.1.0 did.
 */
final class FreshnessCheck implements Check {
    static final String NAME = "freshness";

    /**
     * Read for the last sighting and given the new one. Only this check touches its field, and it
     * runs on the run's own thread before the state is decided on and written.
     */
    private final HealthState state;

    FreshnessCheck(HealthState state) {
        this.state = state;
    }

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
            FileTime mtime = UntrustedFile.attributes(file).lastModifiedTime();
            long wallAge = c.now().toEpochMilli() - mtime.toMillis();
            state.stateFile = StateFileSighting.see(state.stateFile, file.toString(), mtime.to(TimeUnit.NANOSECONDS),
                    wallAge, c.at());
            age = state.stateFile.age();
        } catch (NoSuchFileException e) {
            state.stateFile = null; // gone: whatever appears there next is a first sighting
            age = null;
        } catch (IOException e) {
            // The sighting is kept: a passing error does not make the next run judge by the wall clock.
            return CheckResult.of(NAME, Status.UNKNOWN, "cannot read STATE_FILE " + file + ": " + e.getMessage());
        }
        if (!c.config().market().isOpen(c.now())) {
            return CheckResult.of(NAME, Status.OK, "market closed (idle)"
                    + (age == null ? "" : "; state file " + Spans.human(age) + " old"));
        }
        if (age == null) {
            return CheckResult.of(NAME, Status.CRITICAL, "STATE_FILE " + file + " does not exist (market open)");
        }
        Metric metric = new Metric("data_age", age.toMillis() / 1000.0, "s", Double.NaN, limit.toMillis() / 1000.0);
        if (age.compareTo(limit) > 0) {
            return CheckResult.of(NAME, Status.CRITICAL, "data stale: state file " + Spans.human(age)
                    + " old (limit " + Spans.human(limit) + ")", metric);
        }
        return CheckResult.of(NAME, Status.OK, "state file " + Spans.human(age) + " old (limit "
                + Spans.human(limit) + ")", metric);
    }
}
