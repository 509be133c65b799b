package org.quantsupervision.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantsupervision.config.StrategyConfig;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.json.Json;
import org.quantsupervision.process.ProcessIdentity;
import org.quantsupervision.process.Signal;
import org.quantsupervision.record.RestartRequest;
import org.quantsupervision.record.RunnerPaths;
import org.quantsupervision.record.RunnerRecord;
import org.quantsupervision.record.RunnerState;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The runner (the monitor, with its prepare) against real processes: a sample strategy (a shell
 * script) that keeps its own instance registry with flock(1), so that a second live copy is
 * recorded by the strategy itself, not inferred by the test.
 */
class RunnerTest {
    private static final StrategyName NAME = new StrategyName("sample");
    /** Plenty for a runner's start (the JVM of its prepare) on a loaded machine. */
    private static final Duration START = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private Path registry;
    private final List<MonitorProcess> runners = new ArrayList<>();

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
    void stopRunners() throws Exception {
        try {
            for (MonitorProcess r : runners) {
                r.close();
            }
        } finally {
            // Whatever is left of a sample strategy in this test's directory.
            ProcessHandle.allProcesses().filter(p -> commandLine(p.pid()).contains(dir.toString()))
                    .forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** Writes etc/sample/env.conf: the sample strategy, with EXTRA keys and values on top. */
    private void configure(String... extra) throws IOException {
        Map<String, String> env = new LinkedHashMap<>(Map.of(
                "STRATEGY_COMMAND", "/bin/sh " + dir.resolve("strategy.sh"),
                "STRATEGY_DIRECTORY", dir.toString(),
                "REGISTRY", registry.toString(),
                "START_GRACE", "200ms",
                "STOP_TIMEOUT", "2s"));
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        StringBuilder text = new StringBuilder();
        env.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Path conf = Files.createDirectories(dir.resolve("etc/sample")).resolve("env.conf");
        Files.writeString(conf, text);
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
    }

    /** A runner of the sample strategy with EXTRA keys in its env.conf, started by hand. */
    private MonitorProcess start(String... extra) throws IOException {
        configure(extra);
        return started(MonitorProcess.start(NAME, dir));
    }

    private MonitorProcess started(MonitorProcess runner) {
        runners.add(runner);
        return runner;
    }

    private MonitorProcess.Launch launch(String... extra) throws IOException {
        configure(extra);
        return MonitorProcess.launch(NAME, dir);
    }

    private RunnerPaths paths() {
        return RunnerPaths.of(NAME, dir.resolve("run"), dir.resolve("lib"), dir.resolve("log"));
    }

    private List<String> lines(String file) throws IOException {
        Path p = registry.resolve(file);
        return Files.exists(p) ? Files.readAllLines(p) : List.of();
    }

    private int lines0(String file) {
        try {
            return lines(file).size();
        } catch (IOException e) {
            return 0;
        }
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

    private static boolean alive(long pid) {
        return ProcessIdentity.of(pid).map(ProcessIdentity::isAlive).orElse(false);
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
        for (int i = 0; i < runners.size(); i++) {
            b.append("\nrunner ").append(i).append(":\n").append(runners.get(i).outputText());
        }
        return b.toString();
    }

    private RunnerRecord snapshot() {
        return RunnerRecord.readFrom(paths().statusFile()).orElseThrow();
    }

    private boolean inState(RunnerState state) {
        return RunnerRecord.readFrom(paths().statusFile()).map(s -> s.state() == state).orElse(false);
    }

    /** The times the strategy's starts recorded (date +%s%N) in REGISTRY/FILE, in nanoseconds. */
    private List<Long> times(String file) throws IOException {
        return lines(file).stream().map(Long::parseLong).toList();
    }

    @Test
    void everyKillIsFollowedByExactlyOneRestartAndNeverTwoCopies() throws Exception {
        MonitorProcess r = start("RESTART_RESET_AFTER", "1ms", "GIVE_UP_AFTER", "100000");
        await("first start", START, () -> lines0("starts") == 1);
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
        assertEquals(0, r.stop(), r.outputText());
        assertEquals(List.of(), liveStrategies(), "stop leaves nothing behind");
        RunnerRecord s = snapshot();
        assertEquals(RunnerState.STOPPED, s.state());
        assertEquals(kills, s.restarts());
        assertEquals(9, s.lastExitSignal());
    }

    @Test
    void aStrategyEndedByTheStopsOwnSigtermBeforeTheRunnerHearsOfTheStopIsNotStartedAgain() throws Exception {
        // systemctl stop|restart (KillMode=control-group) signals the runner and the strategy
        // together; here the strategy's exit is certain to reach the runner first.
        for (int round = 1; round <= 5; round++) {
            MonitorProcess r = start("GIVE_UP_AFTER", "100000");
            int before = lines0("starts");
            await("start of round " + round, START, () -> lines0("starts") == before + 1);
            long pid = Long.parseLong(lines("starts").getLast());
            ProcessIdentity.of(pid).orElseThrow().signal(Signal.TERM);
            // Reaped: the runner has seen its exit before the stop's signal.
            await("the strategy's exit", Duration.ofSeconds(10), () -> ProcessIdentity.of(pid).isEmpty());
            Thread.sleep(20);
            assertEquals(0, r.stop(), r.outputText());
            assertEquals(before + 1, lines("starts").size(), "no start during the stop, round " + round + diagnostics());
            assertEquals(List.of(), liveStrategies());
            assertEquals(RunnerState.STOPPED, snapshot().state());
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
        MonitorProcess r = start("GIVE_UP_AFTER", "100000");
        await("start", START, () -> lines0("starts") == 1);
        long pid = Long.parseLong(lines("starts").getLast());
        ProcessIdentity.of(pid).orElseThrow().signal(Signal.TERM);
        await("the strategy's exit", Duration.ofSeconds(10), () -> ProcessIdentity.of(pid).isEmpty());
        Thread.sleep(20);
        assertEquals(0, r.stop(), r.outputText());
        assertEquals(1, lines("starts").size(), "no start during the stop" + diagnostics());
    }

    @Test
    void aSigtermFromAnyoneElseIsACrashRestartedOnceTheStopSignalGraceIsOver() throws Exception {
        Files.writeString(dir.resolve("strategy.sh"), "date +%s%N >>\"$REGISTRY/starts\"; exec sleep 1000\n");
        MonitorProcess r = start("GIVE_UP_AFTER", "100000");
        await("start", START, () -> lines0("starts") == 1);
        long pid = r.handle().children().findFirst().orElseThrow().pid();
        long killed = System.nanoTime();
        ProcessIdentity.of(pid).orElseThrow().signal(Signal.TERM);
        await("the restart", Duration.ofSeconds(10), () -> lines0("starts") == 2);
        long waited = (System.nanoTime() - killed) / 1_000_000;
        // The runner waits 250 ms for a stop of its own (a manager's stop signals both at once), then restarts.
        assertTrue(waited >= 250, "restarted " + waited + " ms after the SIGTERM");
        assertTrue(r.isAlive());
        assertTrue(r.outputText().contains("exited (signal 15)"), r.outputText());
    }

    @Test
    void aStopRequestedBeforeTheStrategyStartsNeverStartsIt() throws Exception {
        MonitorProcess r = start();
        // The stop arrives while prepare (the JVM) reads env.conf and takes over.
        await("prepare", START, () -> r.handle().descendants().anyMatch(p -> commandLine(p.pid()).contains(" prepare ")));
        assertEquals(0, r.stop(), r.outputText());
        assertEquals(0, lines0("starts"), "the strategy never logged in" + diagnostics());
        assertEquals(RunnerState.STOPPED, snapshot().state());
    }

    @Test
    void aCrashLoopBacksOffThenGivesUpAndRecordsTheEvent() throws Exception {
        Files.writeString(dir.resolve("strategy.sh"), "date +%s%N >>\"$REGISTRY/starts\"; echo boom >&2; exit 7\n");
        MonitorProcess r = start("RESTART_DELAY_INITIAL", "20ms", "RESTART_DELAY_MAX", "80ms", "GIVE_UP_AFTER", "6",
                "GIVE_UP_WINDOW", "1min");
        assertEquals(RunnerState.EXIT_GAVE_UP, r.waitFor(START), "the runner reports the give-up: " + r.outputText());
        List<Long> starts = times("starts");
        assertEquals(6, starts.size(), "six starts, then no more");
        // The first crash restarts at once, then the delay doubles from RESTART_DELAY_INITIAL up to
        // RESTART_DELAY_MAX: 0 + 20 + 40 + 80 + 80 ms between the six starts.
        assertEquals(List.of(20L, 40L, 80L, 80L), announcedDelays(r), r.outputText());
        assertTrue(r.outputText().contains("exited (status 7) after "), r.outputText());
        long[] delays = {0, 20, 40, 80, 80};
        for (int i = 0; i < delays.length; i++) {
            long gap = (starts.get(i + 1) - starts.get(i)) / 1_000_000;
            assertTrue(gap >= delays[i], "start " + (i + 2) + " came " + gap + " ms after the one before: " + starts);
        }
        String events = Files.readString(dir.resolve("lib/sample/events.jsonl"));
        assertTrue(events.contains("\"event\":\"gave-up\"") && events.contains("6 crashes within 60 s, last status 7"),
                events);
        assertEquals(RunnerState.FATAL, snapshot().state());
        assertTrue(Files.readString(dir.resolve("log/sample/strategy.log")).contains("boom"),
                "the crashing strategy's last line is in its log");
    }

    @Test
    void everyCrashIsAnEventWithHowItEndedItsUptimeAndItsLastLinesWithSecretsMasked() throws Exception {
        // Three runs: exit 1, SIGSEGV, SIGKILL; each prints 25 lines, the last one holding the API key.
        Files.writeString(dir.resolve("strategy.sh"), """
                n=$(cat "$REGISTRY/runs" 2>/dev/null || echo 0); echo $((n + 1)) >"$REGISTRY/runs"
                i=0; while [ $i -lt 25 ]; do echo "run $n line $i"; i=$((i + 1)); done
                printf 'bad\\377byte \\n'
                echo "connecting with key $VENUE_API_KEY" >&2
                case $n in 0) exit 1 ;; 1) kill -SEGV $$ ;; 2) kill -KILL $$ ;; esac
                exec sleep 600
                """);
        MonitorProcess r = start("VENUE_API_KEY", "k3y-0f-the-venue-42", "GIVE_UP_AFTER", "10");
        Path events = dir.resolve("lib/sample/events.jsonl");
        await("three crash events", START, () -> crashEvents(events).size() == 3);
        List<Map<String, Object>> crashes = crashEvents(events);
        assertEquals(1, ((Number) crashes.get(0).get("exit_code")).intValue(), crashes.get(0).toString());
        assertEquals(11, ((Number) crashes.get(1).get("signal")).intValue(), crashes.get(1).toString());
        assertEquals(9, ((Number) crashes.get(2).get("signal")).intValue(), crashes.get(2).toString());
        assertTrue(((String) crashes.get(1).get("message")).contains("signal 11 (SEGV)"), crashes.get(1).toString());
        for (int i = 0; i < 3; i++) {
            Map<String, Object> c = crashes.get(i);
            assertFalse(c.containsKey(i == 0 ? "signal" : "exit_code"), c.toString());
            assertTrue(((Number) c.get("uptime_ms")).longValue() >= 0 && c.containsKey("core_dumped")
                    && ((Number) c.get("pid")).longValue() > 0, c.toString());
            List<?> out = (List<?>) c.get("output");
            assertEquals(20, out.size(), "the last 20 lines: " + c);
            assertEquals("run " + i + " line 7", out.get(0), c.toString());
            assertEquals("bad?byte ", out.get(18), "bytes that are not UTF-8 become ?: " + c);
            assertEquals("[masked: the line holds the value of a secret]", out.get(19), c.toString());
        }
        String text = Files.readString(events);
        assertFalse(text.contains("k3y-0f-the-venue-42"), "no secret in events.jsonl: " + text);
        assertTrue(Files.readString(dir.resolve("log/sample/strategy.log"), StandardCharsets.ISO_8859_1)
                .contains("key k3y-0f-the-venue-42"),
                "the log keeps the line as written");
        r.close();
        assertEquals(3, crashEvents(events).size(), "the stop is no crash: " + Files.readString(events));
    }

    @Test
    void underTheJournalTheStrategysLinesGoOnToTheRunnersOutputAndItsCrashesKeepThem() throws Exception {
        Files.writeString(dir.resolve("strategy.sh"), """
                echo "to the journal $$"
                [ -e "$REGISTRY/crashed" ] || { touch "$REGISTRY/crashed"; echo "dying" >&2; exit 4; }
                exec sleep 600
                """);
        configure();
        MonitorProcess r = started(MonitorProcess.launch(NAME, dir).journal().start());
        Path events = dir.resolve("lib/sample/events.jsonl");
        await("the crash event", START, () -> crashEvents(events).size() == 1);
        await("the second run's line in the runner's output", START,
                () -> r.outputText().split("to the journal", -1).length == 3);
        Map<String, Object> crash = crashEvents(events).get(0);
        assertEquals("dying", ((List<?>) crash.get("output")).get(1), crash.toString());
        assertTrue(r.outputText().contains("dying"), r.outputText());
        assertFalse(Files.exists(dir.resolve("log/sample/strategy.log")), "no log file beside the journal");
    }

    /** One line of events.jsonl: strings, numbers, booleans and arrays of strings. */
    private static Map<String, Object> flatObject(String line) {
        Map<String, Object> fields = new LinkedHashMap<>();
        try (JsonParser p = Json.parser(line)) {
            assertEquals(JsonToken.START_OBJECT, p.nextToken(), line);
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (t == JsonToken.START_ARRAY) {
                    List<String> items = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        items.add(p.getString());
                    }
                    fields.put(name, items);
                } else if (t == JsonToken.VALUE_NUMBER_INT) {
                    fields.put(name, p.getLongValue());
                } else if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                    fields.put(name, p.getBooleanValue());
                } else {
                    fields.put(name, p.getString());
                }
            }
        }
        return fields;
    }

    private static List<Map<String, Object>> crashEvents(Path events) {
        return events(events, "crashed");
    }

    /** The events of KIND in EVENTS, in order. */
    private static List<Map<String, Object>> events(Path events, String kind) {
        try {
            if (!Files.exists(events)) {
                return List.of();
            }
            List<Map<String, Object>> found = new ArrayList<>();
            for (String line : Files.readAllLines(events)) {
                Map<String, Object> n = flatObject(line);
                if (kind.equals(n.get("event"))) {
                    found.add(n);
                }
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A strategy that records its starts and the SIGTERMs it gets, and a hook that records its runs. */
    private void hookedStrategy(String hookBody) throws IOException {
        Files.writeString(dir.resolve("strategy.sh"), """
                date +%s%N >>"$REGISTRY/starts"
                trap 'date +%s%N >>"$REGISTRY/terms"; exit 0' TERM
                while :; do sleep 0.02; done
                """);
        Files.writeString(dir.resolve("hook.sh"), "date +%s%N >>\"$REGISTRY/$1\"\necho \"$1 for $QUANT_SUPERVISION_STRATEGY\"\n"
                + hookBody);
    }

    private String hook(String kind) {
        return "/bin/sh " + dir.resolve("hook.sh") + " " + kind;
    }

    @Test
    void stopCommandRunsBeforeTheSigtermOfAReplacementAndOfAStop() throws Exception {
        hookedStrategy("");
        MonitorProcess r = start("STOP_COMMAND", hook("stop-hook"));
        await("running", START, () -> inState(RunnerState.RUNNING));
        RestartRequest.make(paths().restartRequest(), "api failed");
        await("the replacement", START, () -> lines0("starts") == 2 && inState(RunnerState.RUNNING));
        assertEquals(0, r.stop(), r.outputText());
        List<Long> hooks = times("stop-hook");
        List<Long> terms = times("terms");
        assertEquals(2, hooks.size(), "one STOP_COMMAND for the replacement, one for the stop: " + r.outputText());
        assertEquals(2, terms.size(), r.outputText());
        for (int i = 0; i < 2; i++) {
            assertTrue(hooks.get(i) < terms.get(i), "STOP_COMMAND " + i + " ran before the SIGTERM: " + hooks + " " + terms);
        }
        assertTrue(r.outputText().contains("STOP_COMMAND: stop-hook for sample"), "its output is the runner's: " + r.outputText());
        assertEquals(List.of(), events(dir.resolve("lib/sample/events.jsonl"), "crashed"), "a replacement is no crash");
    }

    @Test
    void aStopCommandThatHangsIsKilledAtItsTimeoutReportedAndTheStopStillCompletes() throws Exception {
        hookedStrategy("exec sleep 600\n");
        MonitorProcess r = start("STOP_COMMAND", hook("stop-hook"), "STOP_COMMAND_TIMEOUT", "1s");
        await("running", START, () -> inState(RunnerState.RUNNING));
        long before = System.nanoTime();
        assertEquals(0, r.stop(), r.outputText());
        long took = (System.nanoTime() - before) / 1_000_000;
        assertTrue(took >= 1000 && took < 8000, "stopped " + took + " ms after the SIGTERM: the hook's 1 s, then the strategy");
        assertEquals(1, lines0("terms"), "the strategy got its SIGTERM after the hook was killed");
        List<Map<String, Object>> failed = events(dir.resolve("lib/sample/events.jsonl"), "hook-failed");
        assertEquals(1, failed.size(), r.outputText());
        assertEquals("STOP_COMMAND", failed.get(0).get("hook"));
        assertTrue(((String) failed.get(0).get("message")).contains("did not finish within 1000 ms"), failed.toString());
        assertEquals(List.of("stop-hook for sample"), failed.get(0).get("output"), failed.toString());
        assertFalse(ProcessHandle.allProcesses().anyMatch(p -> commandLine(p.pid()).contains("sleep 600")),
                "the hung hook is gone");
    }

    @Test
    void crashCommandRunsAfterAKillAndBeforeTheNextStart() throws Exception {
        hookedStrategy("sleep 0.3\n");
        MonitorProcess r = start("CRASH_COMMAND", hook("crash-hook"), "STOP_COMMAND", hook("stop-hook"));
        await("running", START, () -> inState(RunnerState.RUNNING));
        long pid = snapshot().childPid();
        long killedAt = System.nanoTime();
        ProcessIdentity.of(pid).orElseThrow().signal(Signal.KILL);
        await("the restart", START, () -> lines0("starts") == 2);
        List<Long> starts = times("starts");
        List<Long> crashHooks = times("crash-hook");
        assertEquals(1, crashHooks.size(), r.outputText());
        assertTrue(starts.get(0) < crashHooks.get(0) && crashHooks.get(0) + 300_000_000L <= starts.get(1),
                "CRASH_COMMAND ran after the crash and the next start waited for its end: " + starts + " " + crashHooks);
        assertTrue(System.nanoTime() - killedAt >= 300_000_000L, "not restarted before the hook was done");
        assertEquals(List.of(), lines("stop-hook"), "a crash is no deliberate stop");
        r.close();
    }

    @Test
    void aGiveUpRunsTheStopCommandThenTheRunnerExits() throws Exception {
        Files.writeString(dir.resolve("strategy.sh"), "date +%s%N >>\"$REGISTRY/starts\"; exit 7\n");
        Files.writeString(dir.resolve("hook.sh"), "date +%s%N >>\"$REGISTRY/$1\"\n");
        MonitorProcess r = start("STOP_COMMAND", hook("stop-hook"), "GIVE_UP_AFTER", "3", "RESTART_DELAY_INITIAL", "10ms");
        assertEquals(RunnerState.EXIT_GAVE_UP, r.waitFor(START), r.outputText());
        assertEquals(1, lines0("stop-hook"), "STOP_COMMAND ran once, at the give-up: " + r.outputText());
        assertTrue(times("stop-hook").get(0) > times("starts").get(2), "after the last crash");
        assertEquals(RunnerState.FATAL, snapshot().state());
    }

    @Test
    void theHaltFileStopsTheStrategyWithItsStopCommandKeepsItDownAcrossRestartsAndItsRemovalResumes() throws Exception {
        hookedStrategy("");
        MonitorProcess r = start("STOP_COMMAND", hook("stop-hook"));
        await("running", START, () -> inState(RunnerState.RUNNING));
        Path halt = dir.resolve("etc/sample/halted");
        Files.writeString(halt, "{\"by\":\"test\"}");
        await("halted", START, () -> inState(RunnerState.HALTED));
        assertEquals(1, lines0("stop-hook"), r.outputText());
        assertTrue(times("stop-hook").get(0) < times("terms").get(0), "STOP_COMMAND before the SIGTERM");
        assertEquals(List.of(), liveStrategies(), "nothing runs while halted");
        assertEquals(0, snapshot().childPid(), "no strategy in runner.json");
        assertEquals(List.of(), events(dir.resolve("lib/sample/events.jsonl"), "crashed"), "a halt is no crash");
        assertEquals(1, events(dir.resolve("lib/sample/events.jsonl"), "halted").size());
        // A runner started while the file is there (a reboot, an upgrade) comes up halted.
        assertEquals(0, r.stop(), r.outputText());
        MonitorProcess again = started(MonitorProcess.start(NAME, dir));
        await("halted from the start", START, () -> inState(RunnerState.HALTED)
                && snapshot().runnerPid() == again.pid());
        Thread.sleep(300);
        assertEquals(1, lines0("starts"), "not started while halted");
        Files.delete(halt);
        await("resumed", START, () -> lines0("starts") == 2 && inState(RunnerState.RUNNING));
        assertEquals(1, events(dir.resolve("lib/sample/events.jsonl"), "resumed").size());
    }

    /** The back-offs the runner announced ("restarting in N ms"), in order. */
    private static List<Long> announcedDelays(MonitorProcess r) {
        Matcher m = Pattern.compile("crashes in a row: restarting in (\\d+) ms").matcher(r.outputText());
        List<Long> delays = new ArrayList<>();
        while (m.find()) {
            delays.add(Long.parseLong(m.group(1)));
        }
        return delays;
    }

    @Test
    void aRunLongerThanRestartResetAfterForgetsTheCrashStreak() throws Exception {
        // Starts 1 and 2 crash at once, start 3 runs 0.6 s (longer than RESTART_RESET_AFTER), start 4 crashes at once.
        Files.writeString(dir.resolve("strategy.sh"), """
                echo "$$" >>"$REGISTRY/starts"
                [ "$(wc -l <"$REGISTRY/starts")" -ne 3 ] || sleep 0.6
                [ "$(wc -l <"$REGISTRY/starts")" -lt 5 ] || exec sleep 1000
                exit 1
                """);
        MonitorProcess r = start("RESTART_DELAY_INITIAL", "50ms", "RESTART_RESET_AFTER", "300ms",
                "GIVE_UP_AFTER", "100");
        await("the fifth start", START, () -> lines0("starts") == 5);
        // crash 1: at once; crash 2: 50 ms; crash 3 (after 0.6 s up): a fresh streak, at once; crash 4: 50 ms again.
        assertEquals(List.of(50L, 50L), announcedDelays(r), r.outputText());
        assertEquals(2, Pattern.compile("exited \\(status 1\\) after \\d+ ms: restarting\\n").matcher(r.outputText())
                .results().count(), r.outputText());
        assertEquals(0, r.stop(), r.outputText());
    }

    @Test
    void crashesOutsideTheGiveUpWindowDoNotCountTowardsTheGiveUp() throws Exception {
        // Starts 1-4 crash 1.2 s apart: never 2 within the 1 s window; from start 5 on, at once.
        Files.writeString(dir.resolve("strategy.sh"), """
                echo "$$" >>"$REGISTRY/starts"
                [ "$(wc -l <"$REGISTRY/starts")" -ge 5 ] || sleep 1.2
                exit 1
                """);
        MonitorProcess r = start("RESTART_DELAY_INITIAL", "10ms", "RESTART_RESET_AFTER", "500ms",
                "GIVE_UP_AFTER", "3", "GIVE_UP_WINDOW", "1s");
        assertEquals(RunnerState.EXIT_GAVE_UP, r.waitFor(START), r.outputText());
        // Crashes 4, 5 and 6 are the first three within one second; counting all, it would stop at the third.
        assertEquals(6, lines0("starts"), "gave up at the sixth crash: " + r.outputText());
        assertTrue(r.outputText().contains("gave up: 3 crashes within 1 s, last status 1"), r.outputText());
    }

    @Test
    void aStrategyThatCannotEvenBeExecutedIsACrashLikeAnyOther() throws Exception {
        MonitorProcess r = start("STRATEGY_DIRECTORY", dir.resolve("no-such-directory").toString(),
                "RESTART_DELAY_INITIAL", "20ms", "RESTART_DELAY_MAX", "40ms", "GIVE_UP_AFTER", "4",
                "GIVE_UP_WINDOW", "1min");
        assertEquals(RunnerState.EXIT_GAVE_UP, r.waitFor(START), "the runner gives up instead of failing: "
                + r.outputText());
        assertEquals(RunnerState.FATAL, snapshot().state());
        assertTrue(r.outputText().contains("cannot start /bin/sh"), r.outputText());
    }

    @Test
    void aStoppedStrategyIsReplacedWithinTheHeartbeatLimit() throws Exception {
        MonitorProcess r = start("HEARTBEAT_MAX_AGE", "1s");
        await("first start", START, () -> lines0("starts") == 1 && inState(RunnerState.RUNNING));
        long pid = Long.parseLong(lines("starts").getFirst());
        long stoppedAt = System.nanoTime();
        ProcessIdentity.of(pid).orElseThrow().signal(Signal.STOP);
        await("replacement", Duration.ofSeconds(5), () -> lines0("starts") == 2);
        Duration took = Duration.ofNanos(System.nanoTime() - stoppedAt);
        assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "replaced within limit + 1 s: " + took);
        assertFalse(alive(pid), "the hung copy is gone");
        assertEquals(List.of(), lines("duplicates"));
        assertTrue(r.outputText().contains("(stopped)"), r.outputText());
    }

    @Test
    void aRestartRequestFromTheHealthCheckerReplacesTheStrategyOnceWithoutTwoCopies() throws Exception {
        MonitorProcess r = start();
        await("first start", START, () -> lines0("starts") == 1);
        long pid = Long.parseLong(lines("starts").getFirst());
        RestartRequest.make(paths().restartRequest(), "api failed");
        await("replacement", Duration.ofSeconds(5), () -> lines0("starts") == 2);
        assertFalse(alive(pid), "the old copy is gone");
        assertFalse(Files.exists(paths().restartRequest()), "the request was taken");
        Thread.sleep(500);
        assertEquals(2, lines0("starts"), "one request, one replacement");
        assertEquals(List.of(), lines("duplicates"));
        assertTrue(r.outputText().contains("(api failed)"), r.outputText());
    }

    @Test
    void aRestartRequestLeftForARunnerThatIsGoneIsDropped() throws Exception {
        configure();
        Files.createDirectories(paths().runtimeDir());
        RestartRequest.make(paths().restartRequest(), "asked of the previous runner");
        MonitorProcess r = started(MonitorProcess.start(NAME, dir));
        await("first start", START, () -> lines0("starts") == 1 && inState(RunnerState.RUNNING));
        Thread.sleep(500);
        assertEquals(1, lines0("starts"), "a new runner starts afresh" + diagnostics());
        assertFalse(r.outputText().contains("asked of the previous runner"), r.outputText());
    }

    @Test
    void aStaleHeartbeatFileIsAHangAndAnyChangeOfItsMtimeIsProgressWhateverTheWallClockSays() throws Exception {
        Path heartbeat = dir.resolve("heartbeat");
        // For 3 s the mtime changes every 0.1 s, to an hour ago or an hour ahead (a stepped clock, a
        // copied file): progress all the same. Then it stops changing, as a wedged event loop's would.
        Files.writeString(dir.resolve("strategy.sh"), """
                echo "$$" >>"$REGISTRY/starts"
                now=$(date +%s)
                for i in $(seq 1 30); do
                    touch -d "@$((now + (i % 2 * 2 - 1) * 3600 + i))" "$HEARTBEAT"
                    sleep 0.1
                done
                echo "$$" >>"$REGISTRY/beaten"
                exec sleep 1000
                """);
        MonitorProcess r = start("HEARTBEAT_FILE", heartbeat.toString(), "HEARTBEAT", heartbeat.toString(),
                "HEARTBEAT_MAX_AGE", "1s");
        await("the first copy's beats", START, () -> lines0("beaten") == 1);
        assertEquals(1, lines0("starts"), "beating, if with odd mtimes, is no hang: " + r.outputText());
        await("replacement once the mtime stands still", Duration.ofSeconds(5), () -> lines0("starts") == 2);
        assertTrue(r.outputText().contains("stale heartbeat"), r.outputText());
    }

    @Test
    void aHeartbeatFileNeverWrittenIsAHangCountedFromEachStart() throws Exception {
        Files.writeString(dir.resolve("strategy.sh"), "date +%s%N >>\"$REGISTRY/starts\"; exec sleep 1000\n");
        start("HEARTBEAT_FILE", dir.resolve("never-written").toString(), "HEARTBEAT_MAX_AGE", "1s",
                "GIVE_UP_AFTER", "100");
        await("three starts", Duration.ofSeconds(30), () -> lines0("starts") == 3);
        List<Long> starts = times("starts");
        for (int i = 1; i < starts.size(); i++) {
            long gap = (starts.get(i) - starts.get(i - 1)) / 1_000_000;
            assertTrue(gap >= 1000, "each copy has HEARTBEAT_MAX_AGE from its own start: " + gap + " ms");
        }
    }

    @Test
    void aSecondRunnerForTheSameStrategyIsRefused() throws Exception {
        MonitorProcess first = start();
        await("first runner's strategy", START, () -> lines0("starts") == 1);
        MonitorProcess second = started(MonitorProcess.start(NAME, dir));
        assertEquals(75, second.waitFor(START), second.outputText());
        assertTrue(second.outputText().startsWith("quant-supervision: run: strategy sample already runs under runner pid "
                + first.pid()), second.outputText());
        assertEquals(1, lines("starts").size());
        assertTrue(first.isAlive());
    }

    @Test
    void aRunnerOfTheOlderReleaseCannotLockWhileOneRuns() throws Exception {
        MonitorProcess first = start();
        await("first runner's strategy", START, () -> lines0("starts") == 1);
        // 0.1.0's Java runner took runner.lock with FileChannel.tryLock (fcntl): it must find it held.
        try (java.nio.channels.FileChannel lock = java.nio.channels.FileChannel.open(dir.resolve("run/sample/runner.lock"),
                java.nio.file.StandardOpenOption.WRITE)) {
            assertEquals(null, lock.tryLock(), "a 0.1.0 runner would have got the lock and started a second copy");
        }
        assertTrue(first.isAlive());
    }

    @Test
    void aRunnerThatGaveUpExitsWithTheStatusNoManagerRestarts() throws Exception {
        Files.writeString(dir.resolve("strategy.sh"), "echo \"$$\" >>\"$REGISTRY/starts\"; exit 1\n");
        MonitorProcess r = start("GIVE_UP_AFTER", "3", "RESTART_DELAY_INITIAL", "10ms");
        // RestartPreventExitStatus= of the unit and exitcodes= of the supervisord program name it.
        assertEquals(RunnerState.EXIT_GAVE_UP, r.waitFor(START), r.outputText());
        assertEquals(69, RunnerState.EXIT_GAVE_UP, "systemd/quant-strategy@.service and the supervisord template say 69");
        assertTrue(r.outputText().contains("gave up: ") && r.outputText().contains(" crashes within "), r.outputText());
    }

    @Test
    void aSecondRunnerIsRefusedEvenAfterTheStrategysAccountDeletedRunnerLock() throws Exception {
        MonitorProcess first = start();
        await("first runner's strategy", START, () -> lines0("starts") == 1);
        Files.delete(dir.resolve("run/sample/runner.lock")); // any process of the account may do this
        MonitorProcess second = started(MonitorProcess.start(NAME, dir));
        assertEquals(75, second.waitFor(START), second.outputText());
        assertEquals(1, lines("starts").size(), "the second runner started no copy" + diagnostics());
        assertTrue(first.isAlive(), "and did not end the live runner's strategy");
        assertEquals(1, liveStrategies().size());
    }

    @Test
    void aRunnerKilledWithSigkillTakesItsStrategyWithIt() throws Exception {
        MonitorProcess first = start();
        await("first runner's strategy", START, () -> lines0("starts") == 1);
        long strategy = Long.parseLong(lines("starts").getFirst());
        first.kill();
        // The parent-death signal: no runner, no strategy.
        await("the strategy ends with its runner", Duration.ofSeconds(2), () -> !alive(strategy));
    }

    @Test
    void aRunnerKilledWithSigkillLeavesWhatIgnoresSigtermToTheNextRunner() throws Exception {
        Files.writeString(dir.resolve("strategy.sh"), "trap '' TERM\n" + Files.readString(dir.resolve("strategy.sh")));
        MonitorProcess first = start();
        await("first runner's strategy", START, () -> lines0("starts") == 1);
        long orphan = Long.parseLong(lines("starts").getFirst());
        first.kill();
        Thread.sleep(300);
        assertTrue(alive(orphan), "a strategy that ignores the parent-death SIGTERM outlives its runner");
        MonitorProcess second = started(MonitorProcess.start(NAME, dir));
        await("the next runner's strategy", START, () -> lines0("starts") == 2);
        assertFalse(alive(orphan), "orphan ended");
        assertEquals(List.of(), lines("duplicates"));
        Thread.sleep(300);
        assertEquals(1, liveStrategies().size());
        assertTrue(second.outputText().matches("(?s).*ending strategy pid \\[[0-9, ]*\\b" + orphan
                + "\\b[0-9, ]*\\] left behind by a previous runner.*"), second.outputText());
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
        MonitorProcess r = start("RESTART_RESET_AFTER", "1ms", "GIVE_UP_AFTER", "100000");
        int kills = 20;
        for (int i = 1; i <= kills; i++) {
            int started = i;
            await("start #" + i + " and its worker", START,
                    () -> lines0("starts") == started && lines0("workers") == started);
            ProcessIdentity.of(Long.parseLong(lines("starts").getLast())).orElseThrow().signal(Signal.KILL);
        }
        await("the last start", Duration.ofSeconds(10), () -> lines0("starts") == kills + 1 && lines0("workers") == kills + 1);
        assertEquals(List.of(), lines("survivors"), "no worker outlived its strategy" + diagnostics());
        assertEquals(0, r.stop(), r.outputText());
        for (String worker : lines("workers")) {
            assertFalse(alive(Long.parseLong(worker)), "the stop ended worker " + worker);
        }
        assertTrue(r.outputText().contains(" left behind by strategy pid "), r.outputText());
    }

    @Test
    void whatAStrategyForkedInItsOwnProcessGroupIsNotReportedAsLeftBehind() throws Exception {
        MonitorProcess r = start("RESTART_RESET_AFTER", "1ms", "GIVE_UP_AFTER", "100000");
        int kills = 20;
        for (int i = 1; i <= kills; i++) {
            int started = i;
            await("start #" + i, START, () -> lines0("starts") == started);
            Thread.sleep(50); // its sleep 0.1 runs, in its group
            ProcessIdentity.of(Long.parseLong(lines("starts").getLast())).orElseThrow().signal(Signal.KILL);
        }
        await("the last start", Duration.ofSeconds(10), () -> lines0("starts") == kills + 1);
        // The group's SIGKILL ends what it forked there; only what left the group is a leftover.
        assertFalse(r.outputText().contains(" left behind by "), r.outputText());
    }

    @Test
    void aRunnerOrphanedByItsSupervisorIsTakenOverInOrder() throws Exception {
        // The runner's parent (standing in for supervisord) exits: the runner lives on, orphaned.
        MonitorProcess parent = started(launch().through("/bin/sh", "-c", "\"$@\" & sleep 2", "sh").start());
        await("orphan-to-be's strategy", START, () -> lines0("starts") == 1
                && RunnerRecord.readFrom(paths().statusFile()).isPresent());
        long firstRunner = snapshot().runnerPid();
        await("its parent exits", Duration.ofSeconds(10),
                () -> ProcessIdentity.of(firstRunner).flatMap(ProcessIdentity::parentPid)
                        .map(pp -> pp != parent.pid()).orElse(false) && !parent.isAlive());
        MonitorProcess second = started(MonitorProcess.start(NAME, dir));
        await("the new runner's strategy", START, () -> lines0("starts") == 2);
        await("the orphaned runner exits", Duration.ofSeconds(10), () -> !alive(firstRunner));
        assertTrue(second.isAlive());
        assertEquals(List.of(), lines("duplicates"));
        Thread.sleep(300);
        assertEquals(1, liveStrategies().size());
        assertTrue(second.outputText().contains("was orphaned"), second.outputText());
        assertNotEquals(firstRunner, snapshot().runnerPid());
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
        MonitorProcess r = started(launch("STRATEGY_COMMAND", "/usr/bin/python3 " + dir.resolve("strategy.py"),
                "START_GRACE", "60s", "HEARTBEAT_MAX_AGE", "1s").notifySocket().start());
        await("READY=1 passed on long before START_GRACE (60 s)", START,
                () -> r.notifications().stream().anyMatch(m -> m.startsWith("READY=1")));
        await("a status line with the strategy's own STATUS", Duration.ofSeconds(5),
                () -> r.notifications().stream().anyMatch(m -> m.contains("warming up")));
        await("the strategy that stopped pinging is replaced", Duration.ofSeconds(10), () -> lines0("starts") == 2);
        assertEquals(0, r.stop(), r.outputText());
        // systemd must not SIGKILL a strategy still flattening its positions: the stop asks for the
        // manager's stop deadline.
        long deadline = StrategyConfig.managerStopDeadlineOf(dir.resolve("etc/sample/env.conf")).toNanos() / 1000;
        assertTrue(r.notifications().contains("STOPPING=1\nSTATUS=stopping: SIGTERM"), r.notifications().toString());
        assertTrue(r.notifications().contains("EXTEND_TIMEOUT_USEC=" + deadline), r.notifications().toString());
    }

    @Test
    void theStrategysNotifySocketIsRemovedWhenTheRunnerExits() throws Exception {
        MonitorProcess r = start();
        await("first start", START, () -> lines0("starts") == 1 && Files.exists(dir.resolve("run/sample/notify.sock")));
        assertEquals(0, r.stop(), r.outputText());
        assertFalse(Files.exists(dir.resolve("run/sample/notify.sock")), "the proxy socket is removed on exit: "
                + r.outputText());
    }

    @Test
    void whileAStrategyThatIgnoresSigtermIsReplacedTheRunnerGoesOnPettingTheWatchdogThenKillsIt() throws Exception {
        Files.writeString(dir.resolve("strategy.sh"), "trap '' TERM\n" + Files.readString(dir.resolve("strategy.sh")));
        MonitorProcess r = started(launch("STOP_TIMEOUT", "2s").watchdog(Duration.ofMillis(200)).start());
        await("first start", START, () -> lines0("starts") == 1 && inState(RunnerState.RUNNING));
        RestartRequest.make(paths().restartRequest(), "api failed");
        await("STOPPING", Duration.ofSeconds(5), () -> inState(RunnerState.STOPPING));
        long pets = r.notifications().stream().filter("WATCHDOG=1"::equals).count();
        Thread.sleep(1200);
        assertEquals(1, lines0("starts"), "SIGTERM is ignored: no new copy before SIGKILL");
        assertTrue(r.notifications().stream().filter("WATCHDOG=1"::equals).count() >= pets + 4,
                "the watchdog was petted while the strategy was being stopped: " + r.notifications());
        await("SIGKILL at STOP_TIMEOUT, then the replacement", Duration.ofSeconds(5), () -> lines0("starts") == 2);
        assertEquals(List.of(), lines("duplicates"));
        assertTrue(r.outputText().contains("did not exit within STOP_TIMEOUT"), r.outputText());
    }

    @Test
    void underAWatchdogAHungStrategyStopsThePetsAndSystemdNotTheRunnerReplacesIt() throws Exception {
        MonitorProcess r = started(launch("HEARTBEAT_MAX_AGE", "1s").watchdog(Duration.ofMillis(200)).start());
        await("first start", START, () -> lines0("starts") == 1 && inState(RunnerState.RUNNING));
        await("READY=1 and pets", Duration.ofSeconds(5),
                () -> r.notifications().stream().filter("WATCHDOG=1"::equals).count() >= 3);
        assertTrue(r.notifications().stream().anyMatch(m -> m.startsWith("READY=1\nSTATUS=running, pid ")),
                r.notifications().toString());
        ProcessIdentity.of(Long.parseLong(lines("starts").getFirst())).orElseThrow().signal(Signal.STOP);
        Thread.sleep(1500); // past HEARTBEAT_MAX_AGE
        long pets = r.notifications().stream().filter("WATCHDOG=1"::equals).count();
        Thread.sleep(1000);
        assertEquals(pets, r.notifications().stream().filter("WATCHDOG=1"::equals).count(),
                "no pet for a strategy that makes no progress: " + r.notifications());
        assertEquals(1, lines0("starts"), "the watchdog's timeout is systemd's to act on" + diagnostics());
    }
}
