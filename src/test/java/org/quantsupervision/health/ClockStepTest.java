package org.quantsupervision.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantsupervision.clock.Moment;
import org.quantsupervision.clock.SteppedClock;
import org.quantsupervision.config.ConfigException;
import org.quantsupervision.config.HealthConfig;
import org.quantsupervision.config.StrategyConfig;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.manager.Manager;
import org.quantsupervision.record.RunnerRecord;
import org.quantsupervision.record.RunnerState;

/**
 * Grace, cooldown and flap windows across wall-clock steps (NTP, date -s) and reboots. Each
 * checker run is a process of its own, as under cron: what one run knows of the one before comes
 * through health.json only (the resident checker's rounds too: it keeps only settings between them).
 */
class ClockStepTest {
    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
    private final SteppedClock clock = new SteppedClock(T0, Duration.ofDays(2), "boot-a");

    @TempDir
    Path dir;

    /** The state the last run wrote, as read back. */
    private HealthState state;

    private static HealthConfig config(String... pairs) throws ConfigException {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        Path file = Path.of("env.conf");
        return HealthConfig.from(StrategyConfig.from(new StrategyName("mr"), file, env), file, Path.of("/log"),
                Path.of("/lib"));
    }

    /** The runner's snapshot of strategy process PID, started at STARTED. */
    private static Optional<RunnerRecord> runner(long pid, Moment started) {
        return Optional.of(new RunnerRecord("mr", RunnerState.RUNNING, 10, 1, 1, pid, pid * 7, started, 0, 0, null,
                null, 0, started.wallMillis(), Manager.NONE, Optional.empty()));
    }

    /** Strategy process 100, running for hours: long out of its grace. */
    private Optional<RunnerRecord> startedHoursAgo() {
        Moment now = clock.now();
        return runner(100, new Moment(now.wall().minus(Duration.ofHours(5)), now.monotonicMillis()
                - Duration.ofHours(5).toMillis(), now.bootId()));
    }

    @Test
    void aForwardStepDoesNotEndTheGraceOfAHealthyStart() throws Exception {
        HealthConfig config = config("HEALTH_GRACE", "60s", "HEALTH_FAILURES", "1");
        Optional<RunnerRecord> runner = runner(100, clock.now());
        Escalation.Decision first = run(config, Status.CRITICAL, runner, Duration.ofSeconds(10));
        assertTrue(first.inGrace(), "10 s after the start");
        clock.stepWall(Duration.ofHours(1));
        Escalation.Decision second = run(config, Status.CRITICAL, runner, Duration.ofSeconds(10));
        assertTrue(second.inGrace(), "20 s after the start, whatever the wall clock says: " + second.notes());
        assertTrue(second.restartFor().isEmpty(), "not restarted while it starts up");
        assertEquals(0, state.checks.get("process").consecutive);
        Escalation.Decision after = run(config, Status.CRITICAL, runner, Duration.ofSeconds(45));
        assertFalse(after.inGrace(), "65 s after the start: the grace ended on time");
        assertEquals(Optional.of("process"), after.restartFor());
    }

    @Test
    void aBackwardStepNeitherStopsFailureCountingNorStretchesTheCooldown() throws Exception {
        HealthConfig config = config("HEALTH_GRACE", "60s", "HEALTH_FAILURES", "3", "HEALTH_RESTART_COOLDOWN", "5min");
        Optional<RunnerRecord> runner = startedHoursAgo();
        Escalation.Decision d = null;
        for (int i = 0; i < 3; i++) {
            d = run(config, Status.CRITICAL, runner, Duration.ofSeconds(30));
        }
        assertEquals(Optional.of("process"), d.restartFor(), "3 failures: restarted");
        Moment restarted = clock.now();
        runner = runner(200, restarted); // the new strategy process
        clock.stepWall(Duration.ofHours(-1));

        assertTrue(run(config, Status.CRITICAL, runner, Duration.ofSeconds(30)).inGrace(), "30 s after the restart");
        d = run(config, Status.CRITICAL, runner, Duration.ofSeconds(40));
        assertFalse(d.inGrace(), "70 s after the restart, an hour before it by the wall clock: " + d.notes());
        assertEquals(1, state.checks.get("process").consecutive, "failures counted again");

        long sinceRestart;
        do {
            d = run(config, Status.CRITICAL, runner, Duration.ofSeconds(30));
            sinceRestart = restarted.millisUntil(clock.now());
            if (sinceRestart < Duration.ofMinutes(5).toMillis()) {
                assertTrue(d.restartFor().isEmpty(), "within the cooldown, at " + sinceRestart + " ms");
            }
        } while (d.restartFor().isEmpty() && sinceRestart < Duration.ofMinutes(10).toMillis());
        assertEquals(Optional.of("process"), d.restartFor(), "restarted again after the cooldown, not an hour later");
        assertTrue(sinceRestart < Duration.ofMinutes(5).plusSeconds(30).toMillis(), "on time: " + sinceRestart + " ms");
    }

    @Test
    void whatWasRecordedBeforeARebootIsLongAgo() throws Exception {
        HealthConfig config = config("HEALTH_GRACE", "60s", "HEALTH_FAILURES", "1", "HEALTH_RESTART_COOLDOWN", "5min",
                "HEALTH_FLAP_CHANGES", "3");
        Optional<RunnerRecord> runner = runner(100, clock.now());
        run(config, Status.CRITICAL, runner, Duration.ofSeconds(10)); // in grace: a status change, not counted
        assertEquals(1, state.checks.get("process").changes.size());
        // Restarted just before the host went down: grace and cooldown would run for minutes more.
        try (HealthStateFile file = HealthStateFile.lock(dir, Duration.ofSeconds(1))) {
            HealthState s = file.read();
            s.restartAsked(clock.now());
            file.write(s);
        }
        // Up again 30 s later by the wall clock; runner.json is still the old boot's (a runtime
        // directory that is not a tmpfs), its strategy process recorded with the old boot id.
        clock.reboot("boot-b", Duration.ofSeconds(10), Duration.ofSeconds(20));
        Escalation.Decision d = run(config, Status.CRITICAL, runner, Duration.ZERO);
        assertFalse(d.inGrace(), "the grace of the old boot is over: " + d.notes());
        assertEquals(Optional.of("process"), d.restartFor(), "so is its cooldown");
        assertTrue(state.checks.get("process").changes.isEmpty(), "the old boot's status change is out of the flap window");
    }

    @Test
    void aForwardStepKeepsRecentStatusChangesInTheFlapWindow() throws Exception {
        HealthConfig config = config("HEALTH_GRACE", "0s", "HEALTH_FAILURES", "3", "HEALTH_FLAP_CHANGES", "4",
                "HEALTH_FLAP_WINDOW", "10min");
        Optional<RunnerRecord> runner = startedHoursAgo();
        run(config, Status.CRITICAL, runner, Duration.ofSeconds(30));
        run(config, Status.OK, runner, Duration.ofSeconds(30));
        clock.stepWall(Duration.ofHours(1));
        run(config, Status.CRITICAL, runner, Duration.ofSeconds(30));
        run(config, Status.OK, runner, Duration.ofSeconds(30));
        HealthState.Incident incident = state.checks.get("process").incident;
        assertNotNull(incident, "4 changes within 2 minutes: flapping, whatever the wall clock did");
        assertTrue(incident.flapping);
        assertEquals("boot-a", incident.opened.bootId(), "opened at a moment of this boot");
    }

    @Test
    void aBackwardStepDoesNotKeepOldStatusChangesForAnHour() throws Exception {
        HealthConfig config = config("HEALTH_GRACE", "0s", "HEALTH_FAILURES", "3", "HEALTH_FLAP_CHANGES", "4",
                "HEALTH_FLAP_WINDOW", "10min");
        Optional<RunnerRecord> runner = startedHoursAgo();
        run(config, Status.CRITICAL, runner, Duration.ofSeconds(30));
        run(config, Status.OK, runner, Duration.ofSeconds(30));
        run(config, Status.CRITICAL, runner, Duration.ofSeconds(30));
        clock.stepWall(Duration.ofHours(-1));
        run(config, Status.OK, runner, Duration.ofMinutes(11));
        assertEquals(1, state.checks.get("process").changes.size(), "only the change of this run is within 10 min");
        assertEquals(null, state.checks.get("process").incident, "3 changes in 10 min, then 1: never flapping");
    }

    @Test
    void aFileOf010IsMeasuredByTheWallClockAsBefore() throws Exception {
        HealthConfig config = config("HEALTH_GRACE", "60s", "HEALTH_FAILURES", "1");
        long restarted = clock.now().wallMillis() - 30_000;
        Files.writeString(dir.resolve("health.json"), "{\"version\":1,\"child_pid\":100,\"child_start_time\":700,"
                + "\"last_restart\":" + restarted + ",\"checks\":{\"process\":{\"status\":\"OK\",\"consecutive\":0,"
                + "\"changes\":[" + restarted + "]}}}\n");
        Optional<RunnerRecord> runner = runner(100, Moment.wallOnly(restarted - 3_600_000)); // runner.json of 0.1.0
        Escalation.Decision d = run(config, Status.CRITICAL, runner, Duration.ZERO);
        assertTrue(d.inGrace(), "30 s after the last restart by the wall clock: " + d.notes());
        assertTrue(d.restartFor().isEmpty());
        assertEquals(Moment.wallOnly(restarted), state.lastRestart, "kept as it was read");
    }

    /** Lets D pass, then one checker run: read health.json, decide, restart if asked, write it. */
    private Escalation.Decision run(HealthConfig config, Status process, Optional<RunnerRecord> runner, Duration d)
            throws IOException {
        clock.advance(d);
        Escalation.Decision decision;
        try (HealthStateFile file = HealthStateFile.lock(dir, Duration.ofSeconds(1))) {
            HealthState read = file.read();
            Moment now = clock.now();
            decision = new Escalation(config).decide(read, List.of(CheckResult.of("process", process,
                    process.name())), runner, now);
            file.write(read);
        }
        try (HealthStateFile file = HealthStateFile.lock(dir, Duration.ofSeconds(1))) {
            state = file.read(); // what the next run will start from
        }
        return decision;
    }
}
