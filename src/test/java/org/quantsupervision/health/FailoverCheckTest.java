package org.quantsupervision.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.quantsupervision.clock.Moment;
import org.quantsupervision.config.ConfigException;
import org.quantsupervision.config.HealthConfig;
import org.quantsupervision.config.StrategyConfig;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.manager.Manager;
import org.quantsupervision.process.ProcessIdentity;
import org.quantsupervision.record.FailoverRole;
import org.quantsupervision.record.RunnerPaths;
import org.quantsupervision.record.RunnerRecord;
import org.quantsupervision.record.RunnerState;

/** The failover check, from this host's runner.json: no leader for > TTL, no live standby, all well. */
class FailoverCheckTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private static final Path FILE = Path.of("/etc/strategies/mr/env.conf");
    private static final StrategyName NAME = new StrategyName("mr");

    private static CheckResult check(RunnerState state, FailoverRole role) throws ConfigException {
        Map<String, String> env = Map.of("FAILOVER", "yes", "FAILOVER_ETCD_ENDPOINTS", "http://10.0.0.1:2379",
                "FAILOVER_HOST", "a");
        StrategyConfig strategy = StrategyConfig.from(NAME, FILE, env);
        HealthConfig config = HealthConfig.from(strategy, FILE, Path.of("/nonexistent/log"), Path.of("/nonexistent/lib"));
        RunnerPaths paths = RunnerPaths.of(NAME, Path.of("/nonexistent/run"), Path.of("/nonexistent/lib"),
                Path.of("/nonexistent/log"));
        // alive: this very process stands for the runner
        ProcessIdentity me = ProcessIdentity.of(ProcessHandle.current().pid()).orElseThrow();
        RunnerRecord r = new RunnerRecord("mr", state, me.pid(), me.startTime(), 1, 0, 0, Moment.NEVER, 0, 0, null, null,
                0, T0.toEpochMilli(), Manager.NONE, Optional.of(role));
        return new FailoverCheck().run(new CheckContext(strategy, config, paths, Optional.of(r),
                new Moment(T0, 1_000_000, "boot")));
    }

    private static long ago(Duration d) {
        return T0.minus(d).toEpochMilli();
    }

    @Test
    void noLeaderForLongerThanTheTtlIsCritical() throws ConfigException {
        CheckResult r = check(RunnerState.STANDBY, new FailoverRole("standby", 0, "-", ago(Duration.ofSeconds(25)), 1));
        assertEquals(Status.CRITICAL, r.status(), r.message());
        assertTrue(r.message().startsWith("no host leads mr for 25 s (FAILOVER_TTL 10 s): nothing trades it"), r.message());
        CheckResult young = check(RunnerState.STANDBY, new FailoverRole("standby", 0, "-", ago(Duration.ofSeconds(4)), 1));
        assertEquals(Status.WARNING, young.status(), young.message());
    }

    @Test
    void aLeaderWithoutAnyStandbyIsAWarning() throws ConfigException {
        CheckResult r = check(RunnerState.RUNNING, new FailoverRole("leader", 42, "a", ago(Duration.ofHours(1)), 0));
        assertEquals(Status.WARNING, r.status(), r.message());
        assertTrue(r.message().contains("no other host stands by"), r.message());
    }

    @Test
    void aLeaderWithAStandbyAndAStandbyWithALeaderAreOk() throws ConfigException {
        CheckResult leader = check(RunnerState.RUNNING, new FailoverRole("leader", 42, "a", ago(Duration.ofHours(1)), 1));
        assertEquals(Status.OK, leader.status(), leader.message());
        assertEquals("this host leads (epoch 42), 1 other host campaigning", leader.message());
        CheckResult standby = check(RunnerState.STANDBY, new FailoverRole("standby", 42, "b", ago(Duration.ofHours(1)), 1));
        assertEquals(Status.OK, standby.status(), standby.message());
        assertTrue(standby.message().startsWith("standing by; b leads (epoch 42)"), standby.message());
    }
}
