package org.quantsupervision.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantsupervision.clock.SteppedClock;
import org.quantsupervision.config.ConfigException;
import org.quantsupervision.config.HealthConfig;
import org.quantsupervision.config.StrategyConfig;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.record.RunnerPaths;

/**
 * STATE_FILE's age across wall-clock steps and reboots. Each checker run is a process of its own,
 * as under cron: what one run knows of the one before comes through health.json only (the
 * resident checker's rounds too: it keeps only settings between them). The strategy stamps the
 * file with the host's wall clock, stepped or not.
 */
class FreshnessCheckTest {
    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(30);
    private final SteppedClock clock = new SteppedClock(T0, Duration.ofDays(2), "boot-a");

    @TempDir
    Path dir;
    private Path stateFile;
    private Path healthDir;
    private StrategyConfig strategy;
    private HealthConfig config;
    private RunnerPaths paths;

    @BeforeEach
    void setUp() throws ConfigException {
        stateFile = dir.resolve("state.json");
        healthDir = dir.resolve("health");
        Path env = dir.resolve("env.conf");
        strategy = StrategyConfig.from(new StrategyName("mr"), env,
                Map.of("STATE_FILE", stateFile.toString(), "DATA_MAX_AGE", "60s"));
        config = HealthConfig.from(strategy, env, dir.resolve("log"), dir.resolve("lib"));
        paths = RunnerPaths.of(new StrategyName("mr"), dir.resolve("run"), dir.resolve("lib"), dir.resolve("log"));
    }

    @Test
    void aFileTouchedEveryFewSecondsStaysFreshAcrossAForwardStep() throws Exception {
        touchFor(INTERVAL);
        assertOk(run(), 0);
        touchFor(INTERVAL);
        assertOk(run(), 0);
        // Touched, then the clock jumps an hour ahead before the strategy writes again: by the wall
        // clock the file is an hour old at the next run.
        clock.advance(Duration.ofSeconds(5));
        touch();
        clock.stepWall(Duration.ofHours(1));
        clock.advance(Duration.ofSeconds(2));
        CheckResult changed = run();
        assertOk(changed, 30); // changed since the run 7 s ago: at most 7 s old
        // Not touched between two runs either: the age grows by the monotonic clock only.
        clock.advance(Duration.ofSeconds(10));
        CheckResult unchanged = run();
        assertOk(unchanged, 30);
        // At most 7 s old when first seen, so 17 s now (really 12: the bound is the time since the previous run).
        assertEquals(17.0, age(unchanged), unchanged.message());
        for (int i = 0; i < 5; i++) {
            touchFor(INTERVAL);
            assertOk(run(), 5);
        }
    }

    @Test
    void aFileThatStoppedChangingGoesStaleOnTimeAcrossABackwardStep() throws Exception {
        touchFor(INTERVAL);
        assertOk(run(), 5);
        clock.stepWall(Duration.ofHours(-1)); // by the wall clock the mtime is now an hour ahead
        clock.advance(INTERVAL);
        assertOk(run(), 35);
        clock.advance(INTERVAL);
        CheckResult atLimit = run();
        assertEquals(Status.OK, atLimit.status(), atLimit.message());
        clock.advance(INTERVAL);
        CheckResult stale = run();
        assertEquals(Status.CRITICAL, stale.status(), "90 s without a change: " + stale.message());
        assertEquals(90.0, age(stale));
    }

    @Test
    void aFileFirstSeenAfterABackwardStepIsJudgedFreshForAtMostTheLimit() throws Exception {
        touch(); // stamped half an hour ago, then not again
        Files.setLastModifiedTime(stateFile, FileTime.from(clock.now().wall().minus(Duration.ofMinutes(30))));
        clock.stepWall(Duration.ofHours(-1));
        CheckResult first = run(); // no health.json: the wall clock is all there is, and it says "in the future"
        assertEquals(0.0, age(first), "never below 0: " + first.message());
        clock.advance(INTERVAL);
        assertEquals(Status.OK, run().status());
        clock.advance(INTERVAL);
        assertEquals(Status.OK, run().status());
        clock.advance(INTERVAL);
        assertEquals(Status.CRITICAL, run().status(), "unchanged for 90 s since it was first seen");
    }

    @Test
    void anotherBootFallsBackToTheWallClock() throws Exception {
        touch();
        assertOk(run(), 0);
        clock.reboot("boot-b", Duration.ofMinutes(10), Duration.ofSeconds(20));
        CheckResult after = run();
        assertEquals(Status.CRITICAL, after.status(), after.message());
        assertEquals(620.0, age(after), "the old boot's monotonic clock means nothing: 10 min 20 s by the wall clock");
        assertEquals("boot-b", sighting().firstSeen().bootId());
        touch();
        clock.advance(Duration.ofSeconds(1));
        assertOk(run(), 1);
    }

    @Test
    void aHealthFileOf010IsAFirstSightingByTheWallClock() throws Exception {
        Files.createDirectories(healthDir);
        Files.writeString(healthDir.resolve("health.json"), "{\"version\":1,\"child_pid\":100,\"child_start_time\":700,"
                + "\"last_restart\":0,\"checks\":{\"freshness\":{\"status\":\"OK\",\"consecutive\":0,\"changes\":[]}}}\n");
        touch();
        clock.advance(Duration.ofSeconds(40));
        CheckResult first = run();
        assertOk(first, 40);
        assertEquals(40.0, age(first));
        assertEquals("boot-a", sighting().checked().bootId(), "the sighting is recorded from then on");
    }

    @Test
    void aFileThatIsGoneIsCriticalAndItsSightingForgotten() throws Exception {
        touch();
        run();
        Files.delete(stateFile);
        clock.advance(INTERVAL);
        CheckResult gone = run();
        assertEquals(Status.CRITICAL, gone.status());
        assertEquals(null, sighting());
    }

    /** The strategy writes its file every 5 s for D. */
    private void touchFor(Duration d) throws IOException {
        for (long s = 0; s < d.toSeconds(); s += 5) {
            clock.advance(Duration.ofSeconds(5));
            touch();
        }
    }

    private void touch() throws IOException {
        if (!Files.exists(stateFile)) {
            Files.writeString(stateFile, "{}");
        }
        Files.setLastModifiedTime(stateFile, FileTime.from(clock.now().wall()));
    }

    /** One checker run: read health.json, run the check at the clock's now, write health.json. */
    private CheckResult run() throws IOException {
        try (HealthStateFile file = HealthStateFile.lock(healthDir, Duration.ofSeconds(1))) {
            HealthState state = file.read();
            CheckResult result = new FreshnessCheck(state).run(new CheckContext(strategy, config, paths,
                    Optional.empty(), clock.now()));
            file.write(state);
            return result;
        }
    }

    /** The sighting the next run will start from. */
    private StateFileSighting sighting() throws IOException {
        try (HealthStateFile file = HealthStateFile.lock(healthDir, Duration.ofSeconds(1))) {
            return file.read().stateFile;
        }
    }

    private static void assertOk(CheckResult r, double maxAgeSeconds) {
        assertEquals(Status.OK, r.status(), r.message());
        assertTrue(age(r) <= maxAgeSeconds, "at most " + maxAgeSeconds + " s old: " + r.message());
    }

    private static double age(CheckResult r) {
        return r.metrics().getFirst().value();
    }
}
