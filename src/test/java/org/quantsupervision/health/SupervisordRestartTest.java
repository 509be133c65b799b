package org.quantsupervision.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantsupervision.alert.AlertSender;
import org.quantsupervision.config.HostAlerts;
import org.quantsupervision.manager.SupervisorRpc;
import org.quantsupervision.process.ProcessIdentity;
import org.quantsupervision.record.RunnerRecord;
import org.quantsupervision.record.RunnerState;
import org.quantsupervision.runner.Installation;

/**
 * The restart action under a real supervisord (the Debian package's), running the real runner:
 * the health checker asks the runner, through its restart-request file, to replace its strategy,
 * once, then holds back for the cooldown. supervisord's socket is not used (it stays root's).
 * Tagged: a newcomer's {@code mvn package} runs without the supervisor package; tests/run, which
 * .ci/run gives it, runs this too.
 */
@Tag("supervisord")
class SupervisordRestartTest {
    private static final String PROGRAM = "quant-strategy-mean-reversion";

    @TempDir
    Path dir;
    private Process supervisord;

    @AfterEach
    void stop() throws Exception {
        if (supervisord != null) {
            supervisord.destroy(); // SIGTERM: supervisord stops its programs, the runner its strategy
            if (!supervisord.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                supervisord.descendants().forEach(ProcessHandle::destroyForcibly);
                supervisord.destroyForcibly();
            }
        }
    }

    @Test
    void aFailingCheckRestartsTheRunnerThroughSupervisordOnceThenWaitsForTheCooldown() throws Exception {
        Files.writeString(dir.resolve("strategy.sh"), """
                while :; do printf '{"drift": 9}\\n' >"$STATE_FILE.tmp"; mv "$STATE_FILE.tmp" "$STATE_FILE"; sleep 0.2; done
                """);
        Path conf = Files.createDirectories(dir.resolve("etc/mean-reversion")).resolve("env.conf");
        Files.writeString(conf, "STRATEGY_COMMAND=/bin/sh " + dir.resolve("strategy.sh") + "\nSTRATEGY_DIRECTORY=" + dir
                + "\nSTATE_FILE=" + dir.resolve("state.json") + "\nSTART_GRACE=100ms\nSTOP_TIMEOUT=2s\n"
                + "RULE_DRIFT=/drift > 5\nHEALTH_RESTART_ON=rule-drift\nHEALTH_FAILURES=2\nHEALTH_GRACE=0s\n"
                + "HEALTH_RESTART_COOLDOWN=10min\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        Path socket = dir.resolve("supervisor.sock");
        String runner = String.join(" ", Installation.launcher().toString(), "run", "mean-reversion",
                "--config-dir", dir.resolve("etc").toString(), "--runtime-dir", dir.resolve("run").toString(),
                "--state-dir", dir.resolve("lib").toString(), "--log-dir", dir.resolve("log").toString());
        Files.writeString(dir.resolve("supervisord.conf"), """
                [unix_http_server]
                file=%1$s
                chmod=0700
                [supervisord]
                logfile=%2$s/supervisord.log
                pidfile=%2$s/supervisord.pid
                childlogdir=%2$s
                nodaemon=true
                [rpcinterface:supervisor]
                supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
                [program:%3$s]
                command=%4$s
                startsecs=1
                stopasgroup=true
                killasgroup=true
                stopwaitsecs=10
                redirect_stderr=true
                stdout_logfile=%2$s/runner.log
                """.formatted(socket, dir, PROGRAM, runner));
        ProcessBuilder builder = new ProcessBuilder("supervisord", "-c", dir.resolve("supervisord.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("supervisord.out").toFile());
        builder.environment().putAll(Installation.environment()); // for the launcher, which supervisord's programs inherit
        supervisord = builder.start();

        Path status = dir.resolve("run/mean-reversion/runner.json");
        RunnerRecord first = await("the runner, started by supervisord, is RUNNING", () -> RunnerRecord
                .readFrom(status).filter(s -> s.state() == RunnerState.RUNNING));
        assertEquals("supervisord", first.manager().kind(), "the runner recorded its manager");
        assertEquals("unix://" + socket, first.manager().supervisorUrl());
        assertEquals(PROGRAM + ":" + PROGRAM, first.manager().supervisorProcess());
        SupervisorRpc rpc = new SupervisorRpc(socket, Duration.ofSeconds(5));
        await("supervisord says RUNNING (after startsecs)", () -> state(rpc).filter("RUNNING"::equals));

        StrategyHealth health = new StrategyHealth(dir.resolve("etc"), dir.resolve("run"), dir.resolve("lib"),
                dir.resolve("log"), dir.resolve("health"), System.getProperty("user.name"), HostAlerts.NONE, "host1", () -> AlertSender.client(Duration.ofSeconds(1)),
                true);
        StrategyReport one = health.check(new org.quantsupervision.config.StrategyName("mean-reversion"));
        assertTrue(one.actions().stream().noneMatch(a -> a.startsWith("restarted")), one.actions().toString());
        StrategyReport two = health.check(new org.quantsupervision.config.StrategyName("mean-reversion"));
        assertTrue(two.actions().contains("asked runner pid " + first.runnerPid() + " to replace its strategy "
                + "(rule-drift failed)"), two.actions().toString());

        RunnerRecord second = await("a new strategy from the same runner", () -> RunnerRecord.readFrom(status)
                .filter(s -> s.childPid() != first.childPid() && s.state() == RunnerState.RUNNING));
        assertEquals(first.runnerPid(), second.runnerPid(), "the runner replaced its strategy itself");
        assertTrue(new ProcessIdentity(second.childPid(), second.childStartTime()).isAlive());
        assertFalse(new ProcessIdentity(first.childPid(), first.childStartTime()).isAlive(), "one copy");
        assertEquals("RUNNING", state(rpc).orElseThrow(), "supervisord saw no restart of its program");

        for (int run = 0; run < 3; run++) {
            StrategyReport held = health.check(new org.quantsupervision.config.StrategyName("mean-reversion"));
            assertTrue(held.actions().stream().noneMatch(a -> a.startsWith("restarted")), held.actions().toString());
        }
        StrategyReport last = health.check(new org.quantsupervision.config.StrategyName("mean-reversion"));
        assertTrue(last.notes().stream().anyMatch(n -> n.contains("held back: HEALTH_RESTART_COOLDOWN")),
                last.notes().toString());
        assertEquals(second.childPid(), RunnerRecord.readFrom(status).orElseThrow().childPid(), "no second restart");
        assertTrue(Files.readString(dir.resolve("health/mean-reversion/events.jsonl")).contains("\"event\":\"restart\""));
    }

    private static Optional<String> state(SupervisorRpc rpc) {
        try {
            return Optional.of(rpc.processState(PROGRAM));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private <T> T await(String what, Supplier<Optional<T>> probe) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for: " + what + "\nsupervisord: " + Files.readString(dir.resolve("supervisord.out"))
                        + (Files.exists(dir.resolve("runner.log")) ? "\nrunner: " + Files.readString(dir.resolve("runner.log")) : ""));
            }
            Thread.sleep(50);
        }
    }
}
