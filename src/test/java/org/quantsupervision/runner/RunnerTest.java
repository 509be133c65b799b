package org.quantsupervision.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantsupervision.config.ConfigException;
import org.quantsupervision.config.StrategyConfig;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.control.ProcessIdentity;
import org.quantsupervision.control.Signal;
import org.quantsupervision.notify.Notifier;

/**
 * The runner against real processes: a sample strategy (a shell script) that keeps its own
 * instance registry with flock(1), so that a second live copy is recorded by the strategy
 * itself, not inferred by the test.
 */
class RunnerTest {
    private static final StrategyName NAME = new StrategyName("sample");

    @TempDir
    Path dir;

    private Path registry;
    private final List<Process> spawned = new ArrayList<>();
    private final ByteArrayOutputStream runnerLog = new ByteArrayOutputStream();

    @BeforeEach
    void sampleStrategy() throws IOException {
        registry = Files.createDirectories(dir.resolve("registry"));
        Path script = dir.resolve("strategy.sh");
        Files.writeString(script, """
                #!/bin/sh
                # A sample strategy: one instance at a time, or it says so in $REGISTRY/duplicates.
                exec 9>>"$REGISTRY/lock"
                if ! flock -w 2 9; then echo "$$" >>"$REGISTRY/duplicates"; exit 3; fi
                echo "$$" >>"$REGISTRY/starts"
                echo "sample strategy $$ up"
                while :; do
                    [ -z "$HEARTBEAT" ] || touch "$HEARTBEAT"
                    sleep 0.1
                done
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    }

    @AfterEach
    void killSpawned() {
        for (Process p : spawned) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        // Whatever is left of a sample strategy in this test's directory.
        ProcessHandle.allProcesses().filter(p -> commandLine(p.pid()).contains(dir.toString()))
                .forEach(ProcessHandle::destroyForcibly);
    }

    private StrategyConfig config(String... extra) throws ConfigException {
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "STRATEGY_COMMAND", "/bin/sh " + dir.resolve("strategy.sh"),
                "STRATEGY_DIRECTORY", dir.toString(),
                "REGISTRY", registry.toString(),
                "START_GRACE", "200ms",
                "STOP_TIMEOUT", "2s"));
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return StrategyConfig.from(NAME, dir.resolve("env.conf"), env);
    }

    private RunnerPaths paths() {
        return RunnerPaths.of(NAME, dir.resolve("run"), dir.resolve("lib"), dir.resolve("log"));
    }

    /**
     * A runner on its own thread (not the common pool, which has one worker on 2 cores); its
     * result completes when run() returns.
     */
    private record Running(Runner runner, CompletableFuture<Boolean> result) {
    }

    private Running start(StrategyConfig config) {
        return start(config, new NoNotifier());
    }

    private Running start(StrategyConfig config, Notifier notifier) {
        Runner runner = new Runner(config, paths(), notifier, Map.of("PATH", "/usr/bin:/bin"),
                new PrintStream(runnerLog, true, StandardCharsets.UTF_8));
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        Thread.ofPlatform().name("runner").start(() -> {
            try {
                result.complete(runner.run());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return new Running(runner, result);
    }

    private List<String> lines(String file) throws IOException {
        Path p = registry.resolve(file);
        return Files.exists(p) ? Files.readAllLines(p) : List.of();
    }

    /**
     * Pids of live sample strategies: processes running this test's script that lead their own
     * process group, as every strategy the runner starts does. (A shell's fork before it execs
     * sleep shows the same command line for a moment, in the strategy's group: not a copy.)
     */
    private List<Long> liveStrategies() {
        String script = dir.resolve("strategy.sh").toString();
        return ProcessHandle.allProcesses().filter(p -> commandLine(p.pid()).contains(script))
                .filter(p -> groupLeaderNotZombie(p.pid()))
                .map(ProcessHandle::pid).toList();
    }

    private static boolean groupLeaderNotZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return !f[0].equals("Z") && Long.parseLong(f[2]) == pid; // state, ppid, pgrp
        } catch (IOException e) {
            return false;
        }
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout + " waiting for: " + what + diagnostics());
            }
            Thread.sleep(2);
        }
    }

    /** What the runners said and which strategies live, for a failure message. */
    private String diagnostics() {
        StringBuilder b = new StringBuilder("\nlive strategies: " + liveStrategies());
        for (long pid : liveStrategies()) {
            b.append("\n  ").append(pid).append(' ').append(ProcessIdentity.of(pid).flatMap(ProcessIdentity::state)
                    .orElse('?')).append(" ppid ").append(ProcessIdentity.of(pid).flatMap(ProcessIdentity::parentPid)
                    .orElse(0L)).append(' ').append(commandLine(pid));
        }
        b.append("\nin-process runner: ").append(runnerLog.toString(StandardCharsets.UTF_8));
        for (int i = 0; i < spawned.size(); i++) {
            try {
                b.append("\nrunner ").append(i).append(": ").append(output(i));
            } catch (IOException e) {
                b.append("\nrunner ").append(i).append(": ").append(e);
            }
        }
        return b.toString();
    }

    @Test
    void everyKillIsFollowedByExactlyOneRestartAndNeverTwoCopies() throws Exception {
        Running r = start(config("RESTART_RESET_AFTER", "1ms", "GIVE_UP_AFTER", "100000"));
        await("first start", Duration.ofSeconds(10), () -> lines0("starts") == 1);
        int kills = Integer.getInteger("runner.test.kills", 1000);
        for (int i = 1; i <= kills; i++) {
            long pid = Long.parseLong(lines("starts").getLast());
            ProcessIdentity.of(pid).orElseThrow().signal(Signal.KILL);
            int expected = i + 1;
            await("restart #" + i, Duration.ofSeconds(10), () -> lines0("starts") >= expected);
            assertEquals(expected, lines("starts").size(), "one restart per kill");
            List<Long> live = liveStrategies();
            assertTrue(live.size() <= 1, "never two live copies, after kill #" + i + diagnostics());
        }
        assertEquals(List.of(), lines("duplicates"), "the strategy never found another live copy");
        r.runner().requestStop("test");
        assertTrue(r.result().get(10, TimeUnit.SECONDS));
        assertEquals(List.of(), liveStrategies(), "stop leaves nothing behind");
        StatusSnapshot s = StatusSnapshot.readFrom(paths().statusFile()).orElseThrow();
        assertEquals(RunnerState.STOPPED, s.state());
        assertEquals(kills, s.restarts());
        assertEquals(9, s.lastExitSignal());
    }

    @Test
    void aStrategyEndedByTheStopsOwnSigtermBeforeTheRunnerHearsOfTheStopIsNotStartedAgain() throws Exception {
        // systemctl stop|restart (KillMode=control-group) signals the runner and the strategy
        // together; here the strategy's exit is certain to reach the runner first.
        for (int round = 1; round <= 5; round++) {
            Running r = start(config("GIVE_UP_AFTER", "100000"));
            int before = lines0("starts");
            await("start of round " + round, Duration.ofSeconds(10), () -> lines0("starts") == before + 1);
            long pid = Long.parseLong(lines("starts").getLast());
            ProcessIdentity.of(pid).orElseThrow().signal(Signal.TERM);
            // Reaped: its exit is in the runner's queue (or being handled) before the stop request.
            await("the strategy's exit", Duration.ofSeconds(10), () -> ProcessIdentity.of(pid).isEmpty());
            Thread.sleep(20);
            r.runner().requestStop("stop of round " + round);
            assertTrue(r.result().get(10, TimeUnit.SECONDS));
            assertEquals(before + 1, lines("starts").size(), "no start during the stop, round " + round + diagnostics());
            assertEquals(List.of(), liveStrategies());
            assertEquals(RunnerState.STOPPED, StatusSnapshot.readFrom(paths().statusFile()).orElseThrow().state());
        }
    }

    @Test
    void aStrategyThatCatchesTheStopsSigtermAndExitsCleanlyIsNotStartedAgainEither() throws Exception {
        // Trading code flattens its positions on SIGTERM and exits 0: no death by signal to go by.
        Files.writeString(dir.resolve("strategy.sh"), """
                trap 'echo flattened; exit 0' TERM
                echo "$$" >>"$REGISTRY/starts"
                while :; do sleep 0.1; done
                """);
        Running r = start(config("GIVE_UP_AFTER", "100000"));
        await("start", Duration.ofSeconds(10), () -> lines0("starts") == 1);
        long pid = Long.parseLong(lines("starts").getLast());
        ProcessIdentity.of(pid).orElseThrow().signal(Signal.TERM);
        await("the strategy's exit", Duration.ofSeconds(10), () -> ProcessIdentity.of(pid).isEmpty());
        Thread.sleep(20);
        r.runner().requestStop("stop");
        assertTrue(r.result().get(10, TimeUnit.SECONDS));
        assertEquals(1, lines("starts").size(), "no start during the stop" + diagnostics());
    }

    @Test
    void aStopRequestedBeforeTheStrategyStartsNeverStartsIt() throws Exception {
        Runner runner = new Runner(config(), paths(), new NoNotifier(), Map.of("PATH", "/usr/bin:/bin"),
                new PrintStream(runnerLog, true, StandardCharsets.UTF_8));
        runner.requestStop("SIGTERM during start-up");
        assertTrue(runner.run());
        assertEquals(0, lines0("starts"), "the strategy never logged in" + diagnostics());
        assertEquals(RunnerState.STOPPED, StatusSnapshot.readFrom(paths().statusFile()).orElseThrow().state());
    }

    private int lines0(String file) {
        try {
            return lines(file).size();
        } catch (IOException e) {
            return 0;
        }
    }

    @Test
    void aCrashLoopBacksOffThenGivesUpAndRecordsTheEvent() throws Exception {
        Files.writeString(dir.resolve("strategy.sh"), "echo \"$$\" >>\"$REGISTRY/starts\"; echo boom >&2; exit 7\n");
        long started = System.nanoTime();
        Running r = start(config("RESTART_DELAY_INITIAL", "20ms", "RESTART_DELAY_MAX", "80ms", "GIVE_UP_AFTER", "6",
                "GIVE_UP_WINDOW", "1min"));
        assertFalse(r.result().get(20, TimeUnit.SECONDS), "run() reports the give-up");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertEquals(6, lines("starts").size(), "six starts, then no more");
        // 0 + 20 + 40 + 80 + 80 ms of back-off between the six starts.
        assertTrue(took.toMillis() >= 220, "backed off: " + took);
        String events = Files.readString(dir.resolve("lib/sample/events.jsonl"));
        assertTrue(events.contains("\"event\":\"gave-up\"") && events.contains("6 crashes within 60 s, last status 7"),
                events);
        assertEquals(RunnerState.FATAL, StatusSnapshot.readFrom(paths().statusFile()).orElseThrow().state());
        assertTrue(Files.readString(dir.resolve("log/sample/strategy.log")).contains("boom"),
                "the crashing strategy's last line is in its log");
    }

    @Test
    void aStrategyThatCannotEvenBeExecutedIsACrashLikeAnyOther() throws Exception {
        // Regression: a failed exec left no child while the tick looked at its uptime (NullPointerException).
        Running r = start(config("STRATEGY_DIRECTORY", dir.resolve("no-such-directory").toString(),
                "RESTART_DELAY_INITIAL", "20ms", "RESTART_DELAY_MAX", "40ms", "GIVE_UP_AFTER", "4",
                "GIVE_UP_WINDOW", "1min"));
        assertFalse(r.result().get(20, TimeUnit.SECONDS), "run() reports the give-up instead of failing");
        assertEquals(RunnerState.FATAL, StatusSnapshot.readFrom(paths().statusFile()).orElseThrow().state());
        assertTrue(runnerLog.toString(StandardCharsets.UTF_8).contains("cannot start /bin/sh"), runnerLog.toString());
    }

    @Test
    void aStoppedStrategyIsReplacedWithinTheHeartbeatLimit() throws Exception {
        Running r = start(config("HEARTBEAT_MAX_AGE", "1s"));
        await("first start", Duration.ofSeconds(10), () -> lines0("starts") == 1);
        long pid = Long.parseLong(lines("starts").getFirst());
        long stoppedAt = System.nanoTime();
        ProcessIdentity.of(pid).orElseThrow().signal(Signal.STOP);
        await("replacement", Duration.ofSeconds(5), () -> lines0("starts") == 2);
        Duration took = Duration.ofNanos(System.nanoTime() - stoppedAt);
        assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "replaced within limit + 1 s: " + took);
        assertFalse(ProcessIdentity.of(pid).map(ProcessIdentity::isAlive).orElse(false), "the hung copy is gone");
        assertEquals(List.of(), lines("duplicates"));
        r.runner().requestStop("test");
        assertTrue(r.result().get(10, TimeUnit.SECONDS));
    }

    @Test
    void aRestartRequestFromTheHealthCheckerReplacesTheStrategyOnceWithoutTwoCopies() throws Exception {
        Running r = start(config());
        await("first start", Duration.ofSeconds(10), () -> lines0("starts") == 1);
        long pid = Long.parseLong(lines("starts").getFirst());
        RestartRequest.make(paths().restartRequest(), "api failed");
        await("replacement", Duration.ofSeconds(5), () -> lines0("starts") == 2);
        assertFalse(ProcessIdentity.of(pid).map(ProcessIdentity::isAlive).orElse(false), "the old copy is gone");
        assertFalse(Files.exists(paths().restartRequest()), "the request was taken");
        Thread.sleep(500);
        assertEquals(2, lines0("starts"), "one request, one replacement");
        assertEquals(List.of(), lines("duplicates"));
        assertTrue(runnerLog.toString(StandardCharsets.UTF_8).contains("(api failed)"), runnerLog.toString());
        r.runner().requestStop("test");
        assertTrue(r.result().get(10, TimeUnit.SECONDS));
    }

    @Test
    void aStaleHeartbeatFileIsAHang() throws Exception {
        Path heartbeat = dir.resolve("heartbeat");
        Files.writeString(dir.resolve("strategy.sh"), """
                echo "$$" >>"$REGISTRY/starts"
                # Beats for a second, then trades on silently (a wedged event loop).
                for i in 1 2 3 4 5 6 7 8 9 10; do touch "$HEARTBEAT"; sleep 0.1; done
                exec sleep 1000
                """);
        Running r = start(config("HEARTBEAT_FILE", heartbeat.toString(), "HEARTBEAT", heartbeat.toString(),
                "HEARTBEAT_MAX_AGE", "1s"));
        await("first start", Duration.ofSeconds(10), () -> lines0("starts") == 1);
        await("replacement after the heartbeat went stale", Duration.ofSeconds(5), () -> lines0("starts") == 2);
        assertTrue(new String(runnerLog.toByteArray(), StandardCharsets.UTF_8).contains("stale heartbeat"));
        r.runner().requestStop("test");
        assertTrue(r.result().get(10, TimeUnit.SECONDS));
    }

    // --- runners in their own JVMs, as systemd and supervisord start them -------------------

    private Process runnerProcess(List<String> prefix) throws IOException {
        return runnerProcess(prefix, "");
    }

    /** A runner in a JVM of its own, as `quant-supervision run sample`, with EXTRA lines in its env.conf. */
    private Process runnerProcess(List<String> prefix, String extra) throws IOException {
        Path conf = Files.createDirectories(dir.resolve("etc/sample")).resolve("env.conf");
        Files.writeString(conf, "STRATEGY_COMMAND=/bin/sh " + dir.resolve("strategy.sh") + "\nREGISTRY=" + registry
                + "\nSTRATEGY_DIRECTORY=" + dir + "\nSTART_GRACE=200ms\nSTOP_TIMEOUT=2s\n" + extra);
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=org.quantsupervision", "-p", System.getProperty("jdk.module.path"),
                "-m", "org.quantsupervision/org.quantsupervision.cli.Main", "run", "sample",
                "--config-dir", dir.resolve("etc").toString(), "--runtime-dir", dir.resolve("run").toString(),
                "--state-dir", dir.resolve("lib").toString(), "--health-dir", dir.resolve("health").toString(), "--log-dir", dir.resolve("log").toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("runner-" + spawned.size() + ".out").toFile()).start();
        spawned.add(p);
        return p;
    }

    private String output(int runner) throws IOException {
        return Files.readString(dir.resolve("runner-" + runner + ".out"));
    }

    @Test
    void aSecondRunnerForTheSameStrategyIsRefused() throws Exception {
        Process first = runnerProcess(List.of());
        await("first runner's strategy", Duration.ofSeconds(20), () -> lines0("starts") == 1);
        Process second = runnerProcess(List.of());
        assertTrue(second.waitFor(20, TimeUnit.SECONDS));
        assertEquals(75, second.exitValue());
        assertTrue(output(1).startsWith("quant-supervision: run: strategy sample already runs under runner pid "
                + first.pid()), output(1));
        assertEquals(1, lines("starts").size());
        assertTrue(first.isAlive());
    }

    @Test
    void aRunnerThatGaveUpExitsWithTheStatusNoManagerRestarts() throws Exception {
        Files.writeString(dir.resolve("strategy.sh"), "echo \"$$\" >>\"$REGISTRY/starts\"; exit 1\n");
        Process runner = runnerProcess(List.of(), "GIVE_UP_AFTER=3\nRESTART_DELAY_INITIAL=10ms\n");
        assertTrue(runner.waitFor(30, TimeUnit.SECONDS));
        // RestartPreventExitStatus= of the unit and exitcodes= of the supervisord program name it.
        assertEquals(RunnerState.EXIT_GAVE_UP, runner.exitValue(), output(0));
        assertEquals(69, RunnerState.EXIT_GAVE_UP, "systemd/quant-strategy@.service and the supervisord template say 69");
        assertTrue(output(0).contains("gave up: ") && output(0).contains(" crashes within "), output(0));
    }

    @Test
    void aSecondRunnerIsRefusedEvenAfterTheStrategysAccountDeletedRunnerLock() throws Exception {
        Process first = runnerProcess(List.of());
        await("first runner's strategy", Duration.ofSeconds(20), () -> lines0("starts") == 1);
        Files.delete(dir.resolve("run/sample/runner.lock")); // any process of the account may do this
        Process second = runnerProcess(List.of());
        assertTrue(second.waitFor(20, TimeUnit.SECONDS));
        assertEquals(75, second.exitValue(), output(1));
        assertEquals(1, lines("starts").size(), "the second runner started no copy" + diagnostics());
        assertTrue(first.isAlive(), "and did not end the live runner's strategy");
        assertEquals(1, liveStrategies().size());
    }

    @Test
    void aRunnerKilledWithSigkillTakesItsStrategyWithIt() throws Exception {
        Process first = runnerProcess(List.of());
        await("first runner's strategy", Duration.ofSeconds(20), () -> lines0("starts") == 1);
        long strategy = Long.parseLong(lines("starts").getFirst());
        first.destroyForcibly().waitFor();
        // The parent-death signal (setpriv --pdeathsig TERM): no runner, no strategy.
        await("the strategy ends with its runner", Duration.ofSeconds(2),
                () -> !ProcessIdentity.of(strategy).map(ProcessIdentity::isAlive).orElse(false));
    }

    @Test
    void aRunnerKilledWithSigkillLeavesWhatIgnoresSigtermToTheNextRunner() throws Exception {
        Files.writeString(dir.resolve("strategy.sh"), "trap '' TERM\n" + Files.readString(dir.resolve("strategy.sh")));
        Process first = runnerProcess(List.of());
        await("first runner's strategy", Duration.ofSeconds(20), () -> lines0("starts") == 1);
        long orphan = Long.parseLong(lines("starts").getFirst());
        first.destroyForcibly().waitFor();
        Thread.sleep(300);
        assertTrue(ProcessIdentity.of(orphan).map(ProcessIdentity::isAlive).orElse(false),
                "a strategy that ignores the parent-death SIGTERM outlives its runner");
        runnerProcess(List.of());
        await("the next runner's strategy", Duration.ofSeconds(20), () -> lines0("starts") == 2);
        assertFalse(ProcessIdentity.of(orphan).map(ProcessIdentity::isAlive).orElse(false), "orphan ended");
        assertEquals(List.of(), lines("duplicates"));
        Thread.sleep(300);
        assertEquals(1, liveStrategies().size());
        assertTrue(output(1).matches("(?s).*ending strategy pid \\[[0-9, ]*\\b" + orphan
                + "\\b[0-9, ]*\\] left behind by a previous runner.*"), output(1));
    }

    /**
     * A strategy that detaches a worker into a session of its own (setsid, as Python's
     * start_new_session=True does); each new copy records any earlier worker still alive when
     * it starts, so the strategy itself tells whether one outlived its parent.
     */
    private void detachingStrategy() throws IOException {
        Files.writeString(dir.resolve("strategy.sh"), """
                #!/bin/sh
                for w in $(cat "$REGISTRY/workers" 2>/dev/null); do
                    # alive and not a zombie (a killed worker waits for its new parent to reap it)
                    state=$(sed 's/.*) //' "/proc/$w/stat" 2>/dev/null | cut -c1)
                    if [ -n "$state" ] && [ "$state" != Z ]; then echo "$w" >>"$REGISTRY/survivors"; fi
                done
                echo "$$" >>"$REGISTRY/starts"
                setsid sh -c 'echo "$$" >>"$REGISTRY/workers"; exec sleep 1000' </dev/null >/dev/null 2>&1 &
                while :; do sleep 0.1; done
                """);
    }

    @Test
    void whatAStrategyDetachedIsKilledBeforeTheNextCopyStartsAndAtTheStop() throws Exception {
        detachingStrategy();
        Running r = start(config("RESTART_RESET_AFTER", "1ms", "GIVE_UP_AFTER", "100000"));
        int kills = 20;
        for (int i = 1; i <= kills; i++) {
            int started = i;
            await("start #" + i + " and its worker", Duration.ofSeconds(10),
                    () -> lines0("starts") == started && lines0("workers") == started);
            ProcessIdentity.of(Long.parseLong(lines("starts").getLast())).orElseThrow().signal(Signal.KILL);
        }
        await("the last start", Duration.ofSeconds(10), () -> lines0("starts") == kills + 1 && lines0("workers") == kills + 1);
        assertEquals(List.of(), lines("survivors"), "no worker outlived its strategy" + diagnostics());
        r.runner().requestStop("test");
        assertTrue(r.result().get(10, TimeUnit.SECONDS));
        for (String worker : lines("workers")) {
            assertFalse(ProcessIdentity.of(Long.parseLong(worker)).map(ProcessIdentity::isAlive).orElse(false),
                    "the stop ended worker " + worker);
        }
        assertTrue(runnerLog.toString(StandardCharsets.UTF_8).contains(" left behind by strategy pid "),
                runnerLog.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aRunnerOrphanedByItsSupervisorIsTakenOverInOrder() throws Exception {
        // The runner's parent (standing in for supervisord) exits: the runner lives on, orphaned.
        runnerProcess(List.of("/bin/sh", "-c", "\"$@\" & sleep 2", "sh"));
        await("orphan-to-be's strategy", Duration.ofSeconds(20), () -> lines0("starts") == 1
                && StatusSnapshot.readFrom(paths().statusFile()).isPresent());
        long firstRunner = StatusSnapshot.readFrom(paths().statusFile()).orElseThrow().runnerPid();
        await("its parent exits", Duration.ofSeconds(10),
                () -> ProcessIdentity.of(firstRunner).flatMap(ProcessIdentity::parentPid).map(pp -> pp == 1
                        || pp != spawned.getFirst().pid()).orElse(false) && !spawned.getFirst().isAlive());
        Process second = runnerProcess(List.of());
        await("the new runner's strategy", Duration.ofSeconds(20), () -> lines0("starts") == 2);
        await("the orphaned runner exits", Duration.ofSeconds(10),
                () -> ProcessHandle.of(firstRunner).map(h -> !h.isAlive()).orElse(true));
        assertTrue(second.isAlive());
        assertEquals(List.of(), lines("duplicates"));
        Thread.sleep(300);
        assertEquals(1, liveStrategies().size());
        assertTrue(output(1).contains("was orphaned"), output(1));
        assertNotEquals(firstRunner, StatusSnapshot.readFrom(paths().statusFile()).orElseThrow().runnerPid());
    }

    @Test
    void aStrategyThatSpeaksSdNotifyIsHeardThroughTheProxy() throws Exception {
        Files.writeString(dir.resolve("strategy.py"), """
                import os, socket, time
                s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                address = os.environ["NOTIFY_SOCKET"]
                open(os.environ["REGISTRY"] + "/starts", "a").write("%d\\n" % os.getpid())
                s.sendto(b"READY=1\\nSTATUS=warming up", address)
                for i in range(10):
                    s.sendto(b"WATCHDOG=1", address)
                    time.sleep(0.1)
                time.sleep(1000)  # alive, but no more pings: hung
                """);
        RecordingNotifier notifier = new RecordingNotifier();
        Running r = start(config("STRATEGY_COMMAND", "/usr/bin/python3 " + dir.resolve("strategy.py"),
                "START_GRACE", "60s", "HEARTBEAT_MAX_AGE", "1s"), notifier);
        await("READY=1 passed on long before START_GRACE (60 s)", Duration.ofSeconds(10),
                () -> notifier.messages().stream().anyMatch(m -> m.startsWith("READY=1")));
        await("a status line with the strategy's own STATUS", Duration.ofSeconds(5),
                () -> notifier.messages().stream().anyMatch(m -> m.contains("warming up")));
        await("the strategy that stopped pinging is replaced", Duration.ofSeconds(10), () -> lines0("starts") == 2);
        r.runner().requestStop("test");
        assertTrue(r.result().get(10, TimeUnit.SECONDS));
        assertFalse(Files.exists(dir.resolve("run/sample/notify.sock")), "the proxy socket is removed on exit");
    }

    @Test
    void whileAStrategyThatIgnoresSigtermIsReplacedTheRunnerGoesOnPettingTheWatchdogThenKillsIt() throws Exception {
        Files.writeString(dir.resolve("strategy.sh"), "trap '' TERM\n" + Files.readString(dir.resolve("strategy.sh")));
        RecordingNotifier notifier = new RecordingNotifier(Duration.ofMillis(200));
        Running r = start(config("STOP_TIMEOUT", "2s"), notifier);
        await("first start", Duration.ofSeconds(10), () -> lines0("starts") == 1
                && StatusSnapshot.readFrom(paths().statusFile()).map(st -> st.state() == RunnerState.RUNNING).orElse(false));
        RestartRequest.make(paths().restartRequest(), "api failed");
        await("STOPPING", Duration.ofSeconds(5),
                () -> StatusSnapshot.readFrom(paths().statusFile()).map(st -> st.state() == RunnerState.STOPPING).orElse(false));
        long pets = notifier.messages().stream().filter("WATCHDOG=1"::equals).count();
        Thread.sleep(1200);
        assertEquals(1, lines0("starts"), "SIGTERM is ignored: no new copy before SIGKILL");
        assertTrue(notifier.messages().stream().filter("WATCHDOG=1"::equals).count() >= pets + 4,
                "the watchdog was petted while the strategy was being stopped: " + notifier.messages());
        await("SIGKILL at STOP_TIMEOUT, then the replacement", Duration.ofSeconds(5), () -> lines0("starts") == 2);
        assertEquals(List.of(), lines("duplicates"));
        assertTrue(runnerLog.toString(StandardCharsets.UTF_8).contains("did not exit within STOP_TIMEOUT"), runnerLog.toString());
        r.runner().requestStop("test");
        assertTrue(r.result().get(10, TimeUnit.SECONDS));
    }

    @Test
    void everyStateNamesTheStatesItMayBeEnteredFrom() {
        assertTrue(RunnerState.STARTING.allowedFrom(RunnerState.STOPPED), "the first start");
        assertTrue(RunnerState.STARTING.allowedFrom(RunnerState.STOPPING), "after a replacement");
        assertFalse(RunnerState.STARTING.allowedFrom(RunnerState.FATAL), "a give-up is final");
        assertFalse(RunnerState.RUNNING.allowedFrom(RunnerState.BACKOFF));
        assertFalse(RunnerState.STOPPED.allowedFrom(RunnerState.RUNNING), "a stop always goes through STOPPING");
        assertFalse(RunnerState.STOPPING.allowedFrom(RunnerState.FATAL));
        for (RunnerState s : RunnerState.values()) {
            assertFalse(s.allowedFrom(RunnerState.FATAL), "nothing leaves FATAL but the runner's exit: " + s);
        }
    }

    /** Keeps what the runner tells the service manager. */
    private static final class RecordingNotifier implements Notifier {
        private final List<String> messages = java.util.Collections.synchronizedList(new ArrayList<>());
        private final Optional<Duration> watchdog;

        RecordingNotifier() {
            this(null);
        }

        RecordingNotifier(Duration watchdog) {
            this.watchdog = Optional.ofNullable(watchdog);
        }

        List<String> messages() {
            synchronized (messages) {
                return List.copyOf(messages);
            }
        }

        @Override
        public Optional<Duration> watchdogInterval() {
            return watchdog;
        }

        @Override
        public void send(String message) {
            messages.add(message);
        }
    }

    /** No service manager in tests: the runner's notifications go nowhere. */
    private static final class NoNotifier implements Notifier {
        @Override
        public Optional<Duration> watchdogInterval() {
            return Optional.empty();
        }

        @Override
        public void send(String message) {
        }
    }
}
