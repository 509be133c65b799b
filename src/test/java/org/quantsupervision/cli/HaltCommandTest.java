package org.quantsupervision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantsupervision.alert.Receiver;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.record.HaltMarker;
import org.quantsupervision.record.RunnerRecord;
import org.quantsupervision.record.RunnerState;
import org.quantsupervision.runner.MonitorProcess;

import picocli.CommandLine;

/**
 * {@code halt} and {@code resume} against real runners (the monitor and its prepare) of a sample
 * strategy whose STOP_COMMAND and SIGTERM trap each write a time stamp, with a loopback webhook
 * for the one alert of each command.
 */
class HaltCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private final List<MonitorProcess> runners = new ArrayList<>();
    private Receiver receiver;
    private Path alerts;

    @BeforeEach
    void strategy() throws IOException {
        Files.writeString(dir.resolve("strategy.sh"), """
                date +%s%N >>"$REGISTRY/$QUANT_SUPERVISION_STRATEGY.starts"
                trap 'date +%s%N >>"$REGISTRY/$QUANT_SUPERVISION_STRATEGY.terms"; exit 0' TERM
                while :; do sleep 0.02; done
                """);
        Files.writeString(dir.resolve("hook.sh"), "date +%s%N >>\"$REGISTRY/$QUANT_SUPERVISION_STRATEGY.stop-hook\"\n");
        Files.createDirectories(dir.resolve("registry"));
        receiver = Receiver.answering(200);
        alerts = Files.writeString(dir.resolve("alerts.conf"), "ALERT_WEBHOOK_URL=" + receiver.uri("/hook") + "\n");
        Files.setPosixFilePermissions(alerts, PosixFilePermissions.fromString("rw-------"));
    }

    @AfterEach
    void stop() throws Exception {
        for (MonitorProcess r : runners) {
            r.close();
        }
        receiver.close();
    }

    private void configure(String name) throws IOException {
        Path conf = Files.createDirectories(dir.resolve("etc").resolve(name)).resolve("env.conf");
        Files.writeString(conf, "STRATEGY_COMMAND=/bin/sh " + dir.resolve("strategy.sh") + "\nSTRATEGY_DIRECTORY=" + dir
                + "\nREGISTRY=" + dir.resolve("registry") + "\nSTART_GRACE=200ms\nSTOP_TIMEOUT=2s\n"
                + "STOP_COMMAND=/bin/sh " + dir.resolve("hook.sh") + "\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
    }

    private MonitorProcess run(String name) throws IOException {
        configure(name);
        MonitorProcess r = MonitorProcess.start(new StrategyName(name), dir);
        runners.add(r);
        return r;
    }

    private record Result(int status, String out, String err) {
    }

    private Result execute(String command, String... args) {
        List<String> all = new ArrayList<>(List.of(command, "--config-dir", dir.resolve("etc").toString(),
                "--runtime-dir", dir.resolve("run").toString(), "--state-dir", dir.resolve("lib").toString(),
                "--health-dir", dir.resolve("health").toString(), "--log-dir", dir.resolve("log").toString()));
        if (!command.equals("status")) {
            all.addAll(List.of("--alerts-file", alerts.toString()));
        }
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = QuantSupervision.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return new Result(commandLine.execute(all.toArray(String[]::new)), out.toString(), err.toString());
    }

    private RunnerState state(String name) {
        return RunnerRecord.readFrom(dir.resolve("run").resolve(name).resolve("runner.json")).map(RunnerRecord::state)
                .orElse(RunnerState.STOPPED);
    }

    private List<Long> times(String file) throws IOException {
        Path p = dir.resolve("registry").resolve(file);
        return Files.exists(p) ? Files.readAllLines(p).stream().map(Long::parseLong).toList() : List.of();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("never " + what);
            }
            Thread.sleep(50);
        }
    }

    private Path marker(String name) {
        return dir.resolve("etc").resolve(name).resolve("halted");
    }

    @Test
    void haltRunsEachStopCommandKeepsThemDownThroughHealthAndResumeStartsThemAgain() throws Exception {
        run("alpha");
        run("beta");
        await("both running", () -> state("alpha") == RunnerState.RUNNING && state("beta") == RunnerState.RUNNING);

        Instant before = Instant.now().minusSeconds(1);
        Result halt = execute("halt", "--all", "--reason", "drill");
        assertEquals(0, halt.status(), halt.out() + halt.err());
        for (String n : List.of("alpha", "beta")) {
            assertTrue(halt.out().matches("(?s).*\\n?" + n + ": halted after [0-9.]+ s \\(runner \\d+ HALTED, no "
                    + "strategy process\\)\\n.*"), halt.out());
            assertEquals(RunnerState.HALTED, state(n));
            assertEquals(1, times(n + ".stop-hook").size(), "one STOP_COMMAND for " + n);
            assertEquals(1, times(n + ".terms").size(), n + " got its SIGTERM");
            assertTrue(times(n + ".stop-hook").get(0) < times(n + ".terms").get(0), "STOP_COMMAND before the SIGTERM");
            // The marker: JSON, root's (this test's account's), 0644, the one record of who and why.
            HaltMarker m = HaltMarker.read(marker(n)).orElseThrow();
            assertEquals(KillSwitchCommand.operator(), m.by());
            assertEquals("drill", m.reason());
            assertFalse(m.at().isBefore(before) || m.at().isAfter(Instant.now()), m.at().toString());
            PosixFileAttributes a = Files.readAttributes(marker(n), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            assertEquals("rw-r--r--", PosixFilePermissions.toString(a.permissions()));
            assertEquals(System.getProperty("user.name"), a.owner().getName());
            assertTrue(Files.readString(marker(n)).startsWith("{\"by\":\"" + m.by() + "\",\"at\":\""),
                    Files.readString(marker(n)));
            try (var files = Files.list(marker(n).getParent())) {
                assertEquals(List.of("env.conf", "halted"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                        "no temporary file left");
            }
        }
        // One alert for the command, not one per strategy.
        assertEquals(1, receiver.requests().size(), receiver.requests().toString());
        String body = receiver.requests().get(0).body();
        assertTrue(body.contains("\"summary\":\"halted by " + KillSwitchCommand.operator() + ": alpha, beta \u2014 drill\""),
                body);
        assertTrue(halt.out().contains("alert to webhook: delivered"), halt.out());

        // Twice: nothing changes, the first reason stays, no second alert.
        Result again = execute("halt", "alpha", "--reason", "another");
        assertEquals(0, again.status(), again.out() + again.err());
        assertTrue(again.out().contains("alpha: already halted by " + KillSwitchCommand.operator()) && again.out()
                .contains(": drill (kept"), again.out());
        assertEquals("drill", HaltMarker.read(marker("alpha")).orElseThrow().reason());
        assertEquals(1, receiver.requests().size());

        // A health round: halted is no failure, nothing restarted, no alert.
        for (int round = 0; round < 4; round++) {
            Result health = execute("health", "--all");
            assertEquals(0, health.status(), health.out() + health.err());
            assertTrue(health.out().contains("halted by " + KillSwitchCommand.operator()), health.out());
        }
        assertEquals(1, receiver.requests().size(), "the checker sent nothing: " + receiver.requests());
        assertFalse(Files.exists(dir.resolve("run/alpha/restart-request")));
        assertEquals(1, times("alpha.starts").size(), "not started while halted");
        Result status = execute("status", "alpha");
        assertTrue(status.out().contains("alpha  HALTED\n") && status.out().contains("  halted   by "
                + KillSwitchCommand.operator() + " at ") && status.out().contains(": drill (quant-supervision resume alpha)"),
                status.out());
        assertTrue(execute("status", "--json", "alpha").out().contains("\"halt\":{\"by\":\""), "status --json");

        Result resume = execute("resume", "--all");
        assertEquals(0, resume.status(), resume.out() + resume.err());
        for (String n : List.of("alpha", "beta")) {
            assertTrue(resume.out().contains(n + ": halt file removed (halted by"), resume.out());
            assertTrue(resume.out().matches("(?s).*" + n + ": resumed, RUNNING after [0-9.]+ s \\(strategy pid \\d+\\).*"),
                    resume.out());
            assertFalse(Files.exists(marker(n)));
            assertEquals(2, times(n + ".starts").size());
        }
        assertEquals(2, receiver.requests().size());
        String resumed = receiver.requests().get(1).body();
        assertTrue(resumed.contains("\"event\":\"resolve\"") && resumed.contains("resumed by "
                + KillSwitchCommand.operator() + ": alpha, beta; nothing halted"), resumed);
        Result twice = execute("resume", "alpha");
        assertEquals(0, twice.status());
        assertTrue(twice.out().contains("alpha: was not halted"), twice.out());
    }

    @Test
    void aStrategyWithoutARunnerIsHaltedAtOnceAndItsResumeSaysHowToStartIt() throws Exception {
        configure("idle");
        Result halt = execute("halt", "idle");
        assertEquals(0, halt.status(), halt.out() + halt.err());
        assertTrue(halt.out().contains("idle: halted (no runner running; the halt file keeps it from starting)"),
                halt.out());
        // A runner started now (a boot) comes up halted: the file holds.
        MonitorProcess r = MonitorProcess.start(new StrategyName("idle"), dir);
        runners.add(r);
        await("halted from its start", () -> state("idle") == RunnerState.HALTED);
        assertEquals(0, r.stop(), r.outputText());
        assertEquals(List.of(), times("idle.starts"));
        Result resume = execute("resume", "idle");
        assertEquals(0, resume.status(), resume.out() + resume.err());
        assertTrue(resume.out().contains("idle: resumed; not running: start it with quant-supervision start idle"),
                resume.out());
    }

    @Test
    void refusesADirectoryOthersCouldWriteAndNeverWritesThroughALink() throws Exception {
        configure("open");
        Path elsewhere = Files.writeString(dir.resolve("elsewhere"), "untouched");
        Files.setPosixFilePermissions(dir.resolve("etc/open"), PosixFilePermissions.fromString("rwxrwxrwx"));
        Result open = execute("halt", "open");
        assertEquals(1, open.status(), open.out() + open.err());
        assertTrue(open.err().contains("must be a directory that only root can write"), open.err());
        assertTrue(open.err().contains("not halted: open"), open.err());
        assertFalse(Files.exists(marker("open"), LinkOption.NOFOLLOW_LINKS));

        Files.setPosixFilePermissions(dir.resolve("etc/open"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(marker("open"), elsewhere);
        Result linked = execute("halt", "open");
        assertEquals(1, linked.status(), linked.out() + linked.err());
        assertTrue(linked.err().contains("is there but not a regular file"), linked.err());
        assertEquals("untouched", Files.readString(elsewhere));
        assertEquals(0, receiver.requests().size(), "nothing halted, nothing said");
    }

    @Test
    void anUnknownTargetAndABadReasonAreUsageErrors() throws Exception {
        configure("alpha");
        Result unknown = execute("halt", "nosuch");
        assertEquals(ExitCodes.USAGE, unknown.status(), unknown.err());
        assertTrue(unknown.err().contains("nosuch is neither a strategy"), unknown.err());
        Result reason = execute("halt", "alpha", "--reason", "two\nlines");
        assertEquals(ExitCodes.USAGE, reason.status(), reason.err());
        assertFalse(Files.exists(marker("alpha")));
    }

    /**
     * Not root: refused with its own status before anything is read. The real check of the
     * process's uid, in a JVM run as nobody (the build's jars copied where nobody can read them).
     */
    @Test
    void aCallerWhoIsNotRootAndAPathThroughSudoAreRefusedWith77() throws Exception {
        configure("alpha");
        Path jars = Files.createDirectory(dir.resolve("jars"));
        List<String> modulePath = new ArrayList<>();
        for (String entry : System.getProperty("jdk.module.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isRegularFile(p)) {
                Path copy = Files.copy(p, jars.resolve(p.getFileName()));
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
                modulePath.add(copy.toString());
            } else if (Files.isDirectory(p)) {
                // target/classes: copied too, since a checkout under a 0700 directory (mktemp -d) is closed to nobody.
                Path copy = jars.resolve("dir" + modulePath.size());
                try (var tree = Files.walk(p)) {
                    for (Path from : (Iterable<Path>) tree::iterator) {
                        Path to = copy.resolve(p.relativize(from).toString());
                        Files.copy(from, to);
                        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString(
                                Files.isDirectory(to) ? "rwxr-xr-x" : "rw-r--r--"));
                    }
                }
                modulePath.add(copy.toString());
            }
        }
        for (Path p = jars; !p.equals(p.getRoot()); p = p.getParent()) {
            if (p.startsWith(dir)) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-p",
                String.join(java.io.File.pathSeparator, modulePath), "-m",
                "org.quantsupervision/org.quantsupervision.cli.Main", "halt", "alpha",
                "--config-dir", dir.resolve("etc").toString());
        List<String> asNobody = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "--"));
        asNobody.addAll(command);
        String output = assertRefused(new ProcessBuilder(asNobody));
        assertTrue(output.contains("halt: needs root"), output);
        assertFalse(Files.exists(marker("alpha")));

        // root through sudo, with a path of the operator's choosing: refused too (the sudoers rule allows any arguments).
        ProcessBuilder sudo = new ProcessBuilder(command);
        sudo.environment().put("SUDO_USER", "alice");
        output = assertRefused(sudo);
        assertTrue(output.contains("halt: --config-dir is not for sudo"), output);
        assertFalse(Files.exists(marker("alpha")));
    }

    private static String assertRefused(ProcessBuilder builder) throws Exception {
        Process p = builder.redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(ExitCodes.REFUSED, p.exitValue(), output);
        return output;
    }
}
