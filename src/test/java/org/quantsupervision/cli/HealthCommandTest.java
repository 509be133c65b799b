package org.quantsupervision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantsupervision.notify.NotifyListener;

import picocli.CommandLine;

/** The health command's outputs and exit statuses, through the real command line. */
class HealthCommandTest {
    @TempDir
    Path dir;

    private record Result(int status, String out, String err) {
    }

    private Result health(String... args) {
        List<String> all = new ArrayList<>(List.of("health", "--config-dir", dir.resolve("etc").toString(),
                "--runtime-dir", dir.resolve("run").toString(), "--state-dir", dir.resolve("lib").toString(), "--health-dir", dir.resolve("health").toString(),
                "--log-dir", dir.resolve("log").toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = QuantSupervision.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int status = commandLine.execute(all.toArray(String[]::new));
        return new Result(status, out.toString(), err.toString());
    }

    private void strategy(String name, String mode, String... lines) throws IOException {
        Path conf = Files.createDirectories(dir.resolve("etc").resolve(name)).resolve("env.conf");
        Files.writeString(conf, "STRATEGY_DIRECTORY=" + dir + "\n" + String.join("\n", lines) + "\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString(mode));
    }

    @Test
    void nagiosFormatExitsWithTheWorstStatusAndPrintsPerfdata() throws IOException {
        strategy("alpha", "rw-------");
        Result r = health("alpha", "--format", "nagios", "--no-act");
        assertEquals(2, r.status(), "no runner: CRITICAL\n" + r.out() + r.err());
        assertTrue(r.out().startsWith("QUANT-SUPERVISION CRITICAL - alpha process CRITICAL: no runner: "), r.out());
        assertTrue(Pattern.compile("\\| .*'alpha disk_used'=[0-9.]+%;90;95;0;100").matcher(r.out()).find(), r.out());
        assertEquals(1, r.out().lines().count(), "one line: " + r.out());
    }

    @Test
    void allChecksEveryStrategyAndAnUnreadableOneIsUnknownWithItsFile() throws IOException {
        strategy("alpha", "rw-------");
        strategy("beta", "rw-r--r--"); // readable by others: refused, as the runner refuses it
        Result r = health("--all", "--format", "json", "--no-act");
        assertEquals(2, r.status(), r.out());
        assertTrue(r.out().contains("\"strategy\":\"alpha\",") && r.out().contains("\"strategy\":\"beta\","), r.out());
        assertTrue(r.out().contains("\"name\":\"config\",\"status\":\"UNKNOWN\",\"message\":\"" + dir.resolve("etc/beta/env.conf")
                + ": is accessible by group or others (mode 0644)"), r.out());
        Result only = health("beta", "--no-act");
        assertEquals(3, only.status(), "UNKNOWN: " + only.out());
    }

    @Test
    void prometheusFilesAreWrittenWithHelpAndType() throws IOException {
        strategy("alpha", "rw-------");
        Path prom = Files.createDirectories(dir.resolve("prom"));
        health("alpha", "--no-act", "--prometheus-dir", prom.toString());
        String text = Files.readString(prom.resolve("quant-supervision-alpha.prom"));
        assertTrue(text.contains("# HELP quant_supervision_health_status "), text);
        assertTrue(text.contains("# TYPE quant_supervision_health_status gauge\nquant_supervision_health_status{strategy=\"alpha\"} 2\n"), text);
        assertTrue(text.contains("quant_supervision_check_status{strategy=\"alpha\",check=\"process\"} 2\n"), text);
        assertTrue(Pattern.compile("quant_supervision_disk_used_ratio\\{strategy=\"alpha\"\\} 0\\.\\d+\n").matcher(text).find(), text);
        assertTrue(text.contains("quant_supervision_crashes_last_24h{strategy=\"alpha\"} 0\n"), text);
        // One family per name: a second TYPE line for a name is an error to Prometheus' parser.
        List<String> types = text.lines().filter(l -> l.startsWith("# TYPE ")).toList();
        assertEquals(types.size(), new java.util.HashSet<>(types).size(), "a metric family twice:\n" + text);
        try (var files = Files.list(prom)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void theStateCountsRunsAndACorruptStateIsRebuiltNotFatal() throws IOException {
        strategy("alpha", "rw-------", "HEALTH_GRACE=0s");
        health("alpha");
        health("alpha");
        assertTrue(Files.readString(dir.resolve("health/alpha/health.json")).contains("\"process\":{\"status\":\"CRITICAL\",\"consecutive\":2"));
        Files.writeString(dir.resolve("health/alpha/health.json"), "{\"version\":1,\"checks\":");
        Result r = health("alpha");
        assertEquals(2, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("note: " + dir.resolve("health/alpha/health.json") + " was corrupt"), r.out());
        assertTrue(Files.readString(dir.resolve("health/alpha/health.json")).contains("\"consecutive\":1"));
    }

    @Test
    void asTheServiceRunsItResultsExitZeroSoThatOnlyTheCheckersOwnFailuresFailTheUnit() throws IOException {
        strategy("alpha", "rw-------");
        strategy("beta", "rw-r--r--"); // UNKNOWN: 3 in the Nagios convention, the JVM's out-of-memory status too
        assertEquals(2, health("--all", "--no-act").status());
        Result service = health("--all", "--no-act", "--exit-status", "service");
        assertEquals(0, service.status(), service.out() + service.err());
        assertTrue(service.out().contains("alpha: CRITICAL") && service.out().contains("beta: UNKNOWN"), service.out());
    }

    @Test
    void aBadDeadlineIsAUsageError() {
        Result r = health("--all", "--deadline", "0s");
        assertEquals(3, r.status());
        assertTrue(r.err().contains("--deadline must be more than 0"), r.err());
    }

    @Test
    void aBadIntervalIsAUsageError() {
        Result r = health("--all", "--interval", "soon");
        assertEquals(3, r.status());
        assertTrue(r.err().contains("--interval 'soon' is not a duration"), r.err());
    }

    /**
     * The resident checker as quant-supervision-health.service runs it, in a JVM of its own with a
     * NOTIFY_SOCKET that the test serves: READY=1 once a round is done, SIGHUP for a round now
     * (which reads alerts.conf again), STOPPING=1 and exit 0 on SIGTERM.
     */
    @Test
    void theResidentCheckerTellsSystemdAndChecksAgainOnSighupWithTheAlertsFileReadAgain() throws Exception {
        strategy("alpha", "rw-------");
        Path alerts = Files.writeString(dir.resolve("alerts.conf"), "CHECK_X=/bin/true\n");
        Files.setPosixFilePermissions(alerts, PosixFilePermissions.fromString("rw-------"));
        Path socket = dir.resolve("notify.sock");
        try (NotifyListener systemd = NotifyListener.bind(socket)) {
            java.util.function.Supplier<List<String>> told = systemd::messages;
            // SIGHUP at its default, as systemd starts services: a JVM does not handle a SIGHUP that
            // was ignored when it started (nohup, or a CI that runs the tests under it).
            List<String> command = new ArrayList<>(List.of("/usr/bin/env", "--default-signal=HUP",
                    ProcessHandle.current().info().command().orElseThrow(),
                    "--enable-native-access=org.quantsupervision", "-p", System.getProperty("jdk.module.path"),
                    "-m", "org.quantsupervision/org.quantsupervision.cli.Main", "health", "--all", "--interval", "1h",
                    "--exit-status", "service", "--alerts-file", alerts.toString(),
                    "--config-dir", dir.resolve("etc").toString(), "--runtime-dir", dir.resolve("run").toString(),
                    "--state-dir", dir.resolve("lib").toString(), "--health-dir", dir.resolve("health").toString(),
                    "--log-dir", dir.resolve("log").toString()));
            Path output = dir.resolve("health.out");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().put("NOTIFY_SOCKET", socket.toString());
            Process checker = builder.start();
            try {
                await("READY=1 after the first round", () -> told.get().stream().anyMatch(m -> m.startsWith("READY=1\n")));
                String ready = told.get().stream().filter(m -> m.startsWith("READY=1\n")).findFirst().orElseThrow();
                assertTrue(ready.matches("READY=1\nSTATUS=last round at \\d\\d:\\d\\d:\\d\\d \\(\\d+\\.\\d s\\): "
                        + "1 CRITICAL"), ready);
                String first = Files.readString(output);
                assertTrue(first.contains("alpha: CRITICAL"), first);
                assertTrue(first.contains(alerts + ": CHECK_X: not alert settings"), first);

                Files.writeString(alerts, "ALERT_RETRIES=1\n");
                new ProcessBuilder("kill", "-HUP", Long.toString(checker.pid())).inheritIO().start().waitFor();
                await("a second round at once (the interval is an hour), with STATUS= and WATCHDOG=1 as the first",
                        () -> told.get().stream().filter(m -> m.startsWith("STATUS=last round at ")).count() == 1
                                && told.get().stream().filter("WATCHDOG=1"::equals).count() == 2);
                String second = Files.readString(output);
                assertTrue(second.contains("health: " + alerts + " is usable again"), second);

                checker.destroy(); // SIGTERM
                assertTrue(checker.waitFor(30, TimeUnit.SECONDS), "stopped on SIGTERM");
                assertEquals(0, checker.exitValue(), Files.readString(output));
                await("STOPPING=1", () -> told.get().contains("STOPPING=1\nSTATUS=stopping (SIGTERM)"));
            } finally {
                checker.destroyForcibly();
            }
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }
}
