package org.quantsupervision.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.etcd.EtcdCluster;
import org.quantsupervision.process.ProcessIdentity;
import org.quantsupervision.record.RunnerPaths;
import org.quantsupervision.record.RunnerRecord;
import org.quantsupervision.record.RunnerState;
import org.quantsupervision.runner.MonitorProcess;

/**
 * Failover mode with the real runners (the monitor, its campaigner and fence guard) of two
 * "hosts" (FAILOVER_HOST a and b, each with directories of its own) against a real etcd on
 * loopback, with the fast profile (TTL 3 s). The sample strategy keeps a registry shared by both:
 * a start that finds the other host's copy still holding the lock writes "overlap".
 */
@Tag("etcd")
class FailoverRunnerTest {
    private static final StrategyName NAME = new StrategyName("sample");
    private static final Duration TTL = Duration.ofSeconds(3);
    /** The runner's start (its prepare's JVM and the campaigner's) on a loaded machine. */
    private static final Duration START = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Path registry;
    private EtcdCluster etcd;
    private final Map<String, MonitorProcess> runners = new LinkedHashMap<>();

    @BeforeEach
    void cluster() throws Exception {
        registry = Files.createDirectories(dir.resolve("registry"));
        Path script = dir.resolve("strategy.sh");
        Files.writeString(script, """
                #!/bin/sh
                log() { echo "$(date +%s%N) $FAILOVER_HOST $$ $*" >>"$REGISTRY/log"; }
                exec 9>>"$REGISTRY/lock"
                if ! flock -n 9; then log overlap; flock 9; fi
                log start "$QUANT_SUPERVISION_EPOCH"
                trap 'log stop; exit 0' TERM
                while :; do sleep 0.02; done
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        etcd = EtcdCluster.start(Files.createDirectories(dir.resolve("etcd")), 1, Optional.empty());
    }

    @AfterEach
    void stop() throws Exception {
        try {
            for (MonitorProcess r : runners.values()) {
                r.close();
            }
        } finally {
            ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(dir.toString()))
                    .forEach(ProcessHandle::destroyForcibly);
            etcd.close();
        }
    }

    private MonitorProcess start(String host) throws IOException {
        Map<String, String> env = new LinkedHashMap<>(Map.of(
                "STRATEGY_COMMAND", "/bin/sh " + dir.resolve("strategy.sh"),
                "STRATEGY_DIRECTORY", dir.toString(),
                "REGISTRY", registry.toString(),
                "START_GRACE", "200ms",
                "STOP_TIMEOUT", "2s",
                "FAILOVER", "yes",
                "FAILOVER_ETCD_ENDPOINTS", String.join(" ", etcd.endpoints().stream().map(URI::toString).toList()),
                "FAILOVER_HOST", host));
        env.putAll(Map.of("FAILOVER_TTL", "3s", "FAILOVER_RENEW", "500ms", "FAILOVER_ETCD_TIMEOUT", "500ms",
                "FAILOVER_FENCE_TIMEOUT", "500ms", "FAILOVER_ETCD_PREFIX", "/test/"));
        StringBuilder text = new StringBuilder();
        env.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Path home = dir.resolve(host);
        Path conf = Files.createDirectories(home.resolve("etc/sample")).resolve("env.conf");
        Files.writeString(conf, text);
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        MonitorProcess r = MonitorProcess.start(NAME, home);
        runners.put(host, r);
        return r;
    }

    private Optional<RunnerRecord> record(String host) {
        Path home = dir.resolve(host);
        return RunnerRecord.readFrom(RunnerPaths.of(NAME, home.resolve("run"), home.resolve("lib"), home.resolve("log"))
                .statusFile());
    }

    private boolean in(String host, RunnerState state) {
        return record(host).map(r -> r.state() == state).orElse(false);
    }

    private boolean leads(String host) {
        return record(host).map(r -> r.state() == RunnerState.RUNNING && r.failover().map(f -> f.isLeader())
                .orElse(false)).orElse(false);
    }

    /** The registry's lines: "NANOS HOST PID WHAT [EPOCH]". */
    private List<String[]> log() throws IOException {
        Path p = registry.resolve("log");
        List<String[]> out = new ArrayList<>();
        if (Files.exists(p)) {
            for (String line : Files.readAllLines(p)) {
                out.add(line.split(" "));
            }
        }
        return out;
    }

    private List<String[]> starts(String host) throws IOException {
        return log().stream().filter(l -> l[1].equals(host) && l[3].equals("start")).toList();
    }

    private void noOverlap() throws IOException {
        for (String[] l : log()) {
            if (l[3].equals("overlap")) {
                fail("two copies at once: " + String.join(" ", l) + diagnostics());
            }
        }
    }

    private void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout + " waiting for: " + what + diagnostics());
            }
            Thread.sleep(5);
        }
    }

    private String diagnostics() {
        StringBuilder b = new StringBuilder();
        try {
            b.append("\nregistry:\n").append(Files.exists(registry.resolve("log"))
                    ? Files.readString(registry.resolve("log")) : "(empty)");
        } catch (IOException e) {
            b.append(e);
        }
        runners.forEach((h, r) -> b.append("\nrunner ").append(h).append(" ").append(record(h)).append(":\n")
                .append(r.outputText()));
        return b.toString();
    }

    private static void signal(long pid, String sig) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    @Test
    void oneHostRunsTheStrategyTheOtherStandsByAndTakesOverWhenTheLeaderDies() throws Exception {
        start("a");
        await("a leads", START, () -> leads("a"));
        start("b");
        await("b stands by, a leading", START, () -> in("b", RunnerState.STANDBY)
                && record("b").flatMap(RunnerRecord::failover).map(f -> f.leader().equals("a")).orElse(false));
        RunnerRecord a = record("a").orElseThrow();
        long epoch = a.failover().orElseThrow().epoch();
        assertTrue(epoch > 0, "an epoch: " + a);
        assertEquals(epoch, record("b").orElseThrow().failover().orElseThrow().epoch());
        assertEquals("a", record("b").orElseThrow().failover().orElseThrow().leader());
        assertEquals(Long.toString(epoch), starts("a").get(0)[4], "the strategy's QUANT_SUPERVISION_EPOCH");

        // kill -9 of the leader's runner: its strategy ends with it, b starts after the lease, not before
        long killed = System.nanoTime();
        runners.get("a").kill();
        await("b takes over", TTL.plus(Duration.ofSeconds(5)), () -> leads("b"));
        long took = System.nanoTime() - killed;
        System.out.println("takeover after kill -9 of the leader's runner: " + took / 1_000_000 + " ms");
        assertTrue(took < TTL.plusSeconds(2).toNanos(), "takeover took " + took / 1_000_000 + " ms" + diagnostics());
        // not sooner than the lease could lapse (its last renewal at most RENEW before the kill): a
        // dead runner's campaigner must not give the key up while the strategy may still be dying
        assertTrue(took > TTL.minusMillis(600).toNanos(), "the key was given up " + took / 1_000_000
                + " ms after the kill, before its lease could lapse" + diagnostics());
        long epochB = record("b").orElseThrow().failover().orElseThrow().epoch();
        assertTrue(epochB > epoch, "a new term has a larger epoch: " + epochB + " after " + epoch);
        await("b's strategy started", Duration.ofSeconds(5), () -> {
            try {
                return !starts("b").isEmpty();
            } catch (IOException e) {
                return false;
            }
        });
        noOverlap();
    }

    @Test
    void aFrozenLeaderIsFencedBeforeItsLeaseLapsesAndStandsByWhenThawed() throws Exception {
        start("a");
        await("a leads", START, () -> leads("a"));
        start("b");
        await("b stands by", START, () -> in("b", RunnerState.STANDBY));
        RunnerRecord a = record("a").orElseThrow();
        long monitor = a.runnerPid();
        long strategy = a.childPid();
        signal(monitor, "STOP");
        signal(strategy, "STOP");
        await("b takes over", TTL.plus(Duration.ofSeconds(5)), () -> leads("b"));
        // the fence guard killed a's strategy while its monitor was stopped
        char state = ProcessIdentity.of(strategy).flatMap(ProcessIdentity::state).orElse('Z');
        assertEquals('Z', state, "a's strategy was still alive when b took over" + diagnostics());
        signal(monitor, "CONT");
        signal(strategy, "CONT");
        await("a stands by", Duration.ofSeconds(10), () -> in("a", RunnerState.STANDBY));
        Thread.sleep(TTL.toMillis());
        assertEquals(1, starts("a").size(), "a never ran its strategy again" + diagnostics());
        assertTrue(leads("b"), diagnostics());
        noOverlap();
    }

    @Test
    void aStoppedLeaderHandsOverAtOnce() throws Exception {
        start("a");
        await("a leads", START, () -> leads("a"));
        start("b");
        await("b stands by", START, () -> in("b", RunnerState.STANDBY));
        long stopped = System.nanoTime();
        runners.get("a").stop();
        await("b takes over", TTL, () -> leads("b"));
        long took = System.nanoTime() - stopped;
        assertTrue(took < Duration.ofSeconds(2).toNanos(), "a stop gives the key up: " + took / 1_000_000 + " ms");
        noOverlap();
    }
}
