package org.quantsupervision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.runner.MonitorProcess;

import picocli.CommandLine;

/** {@code status} against a real runner and strategy, and a configured strategy that never ran. */
class StatusCommandTest {
    @TempDir
    Path dir;
    private MonitorProcess runner;

    @AfterEach
    void stop() throws Exception {
        if (runner != null) {
            runner.close();
        }
    }

    private record Result(int status, String out) {
    }

    private Result execute(String... args) {
        List<String> all = new ArrayList<>(List.of("status", "--config-dir", dir.resolve("etc").toString(),
                "--runtime-dir", dir.resolve("run").toString(), "--state-dir", dir.resolve("lib").toString(), "--health-dir", dir.resolve("health").toString(),
                "--log-dir", dir.resolve("log").toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        CommandLine commandLine = QuantSupervision.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(new StringWriter(), true));
        return new Result(commandLine.execute(all.toArray(String[]::new)), out.toString());
    }

    private void configure(String name) throws IOException {
        Files.writeString(dir.resolve("strategy.sh"), "sleep 600 & while :; do sleep 0.2; done\n");
        Path conf = Files.createDirectories(dir.resolve("etc").resolve(name)).resolve("env.conf");
        Files.writeString(conf, "STRATEGY_COMMAND=/bin/sh " + dir.resolve("strategy.sh") + "\nSTRATEGY_DIRECTORY=" + dir
                + "\nSTART_GRACE=100ms\nSTOP_TIMEOUT=2s\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void aRunnerStartedByHandInItsOwnProcessIsShownRunningAndAForgedPidIsNot() throws Exception {
        configure("gamma");
        // `quant-supervision run gamma` from a shell: no manager above it.
        try (MonitorProcess hand = MonitorProcess.start(new StrategyName("gamma"), dir)) {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (execute("gamma").status() != 0) {
                if (System.nanoTime() > deadline) {
                    fail("gamma never shown RUNNING:\n" + execute("gamma").out() + hand.outputText());
                }
                Thread.sleep(50);
            }
            assertTrue(execute("gamma").out().contains("\ngamma  RUNNING\n"));
            // runner.json is the strategy account's to write: a pid that is not gamma's runner counts as none.
            Path file = dir.resolve("run/gamma/runner.json");
            String record = Files.readString(file);
            long runnerPid = hand.pid();
            Process sleeper = new ProcessBuilder("sleep", "60").start();
            long bystander = sleeper.pid();
            String forged = record.replaceFirst("\"runner_pid\":" + runnerPid + ",", "\"runner_pid\":" + bystander + ",")
                    .replaceFirst("\"runner_start_time\":\\d+,", "\"runner_start_time\":"
                            + org.quantsupervision.process.ProcessIdentity.of(bystander).orElseThrow().startTime() + ",");
            assertNotEquals(record, forged, "the record names the runner: " + record);
            Files.writeString(file, forged);
            Result shown = execute("gamma");
            sleeper.destroyForcibly();
            assertEquals(1, shown.status(), shown.out());
            assertFalse(shown.out().contains("\ngamma  RUNNING\n"), shown.out());
        }
    }

    @Test
    void showsARunningStrategyAndOneThatNeverRan() throws Exception {
        configure("alpha");
        configure("beta");
        StrategyName alpha = new StrategyName("alpha");
        runner = MonitorProcess.start(alpha, dir);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!execute("alpha").out().contains("alpha  RUNNING")) {
            if (System.nanoTime() > deadline) {
                fail("alpha never shown RUNNING:\n" + execute("alpha").out());
            }
            Thread.sleep(50);
        }
        Result table = execute();
        assertEquals(1, table.status(), "beta is not running:\n" + table.out());
        assertTrue(table.out().contains("\nalpha  RUNNING\n"), table.out());
        assertTrue(Pattern.compile("  runner   pid \\d+, strategy pid \\d+ up \\d+s, restarts 0").matcher(table.out()).find(),
                table.out());
        assertTrue(Pattern.compile("  usage    \\d+ MB resident, [0-9.]+ s CPU, [2-9] processes").matcher(table.out()).find(),
                "the strategy and its sleep: " + table.out());
        assertTrue(table.out().contains("\nbeta  NOT RUNNING (no runner has run it)"), table.out());
        assertFalse(table.out().contains("\u001b["), "no colour when not on a terminal");

        Result json = execute("--json", "alpha");
        assertEquals(0, json.status(), json.out());
        assertTrue(json.out().startsWith("{\"systemd\":"), json.out());
        assertTrue(json.out().contains("\"name\":\"alpha\"") && json.out().contains("\"runner\":{\"state\":\"RUNNING\""),
                json.out());
        assertTrue(Pattern.compile("\"usage\":\\{\"rss_bytes\":\\d+,\"cpu_ms\":\\d+,\"processes\":[2-9]\\}")
                .matcher(json.out()).find(), json.out());
    }
}
