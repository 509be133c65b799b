package org.quantsupervision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.runner.MonitorProcess;

import picocli.CommandLine;

class QuantSupervisionTest {

    /** What one invocation printed and returned. */
    private record Result(int status, String out, String err) {
    }

    private static Result execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = QuantSupervision.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int status = commandLine.execute(args);
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void versionNamesTheBuildVersionAndTheRuntime() {
        Result result = execute("--version");
        assertEquals(ExitCodes.OK, result.status());
        assertTrue(result.out().startsWith("quant-supervision " + VersionProvider.version() + " (package "),
                result.out());
        assertTrue(result.out().contains("Java runtime " + Runtime.version()), result.out());
        // Maven filtered the resource: no unexpanded placeholder reaches a user.
        assertTrue(!result.out().contains("${"), result.out());
    }

    @Test
    void helpListsEverySubcommandAndTheExitCodes() {
        Result result = execute("--help");
        assertEquals(ExitCodes.OK, result.status());
        for (String sub : new String[] {"run", "health", "status", "enable", "disable", "doctor", "drill", "demo"}) {
            assertTrue(result.out().contains("  " + sub + " "), "help lists " + sub + ":\n" + result.out());
        }
        assertTrue(result.out().contains("78   invalid configuration"), result.out());
    }

    @Test
    void noSubcommandIsAUsageError() {
        Result result = execute();
        assertEquals(ExitCodes.USAGE, result.status());
        assertTrue(result.err().contains("Usage: quant-supervision"), result.err());
    }

    @Test
    void unknownOptionIsAUsageError() {
        Result result = execute("run", "--no-such-option", "x");
        assertEquals(ExitCodes.USAGE, result.status());
        assertTrue(result.err().contains("--no-such-option"), result.err());
    }

    @Test
    void subcommandNamesMatchTheirAnnotationsAndAnArgumentBuildsOnlyItsSubcommand() {
        QuantSupervision.SUBCOMMANDS.forEach((name, type) ->
                assertEquals(name, type.getAnnotation(picocli.CommandLine.Command.class).name()));
        assertEquals(List.of("health"), List.copyOf(QuantSupervision.forArguments("health", "x").getSubcommands().keySet()));
        assertEquals(List.copyOf(QuantSupervision.SUBCOMMANDS.keySet()),
                List.copyOf(QuantSupervision.forArguments("help", "health").getSubcommands().keySet()));
        assertEquals(18, QuantSupervision.forArguments("--help").getSubcommands().size());
        assertEquals(18, QuantSupervision.forArguments("helth").getSubcommands().size(), "a typo gets suggestions");
    }

    @Test
    void doctorAndDrillRejectBadCommandLinesWithTheirDocumentedCodes() {
        assertEquals(3, execute("doctor", "--no-such-option").status(), "doctor: 2 means FAIL, so usage is 3");
        assertEquals(3, execute("doctor", "../etc").status());
        assertEquals(ExitCodes.USAGE, execute("drill", "x").status(), "DRILL is required");
        assertEquals(ExitCodes.USAGE, execute("drill", "x", "flood").status());
        assertEquals(ExitCodes.USAGE, execute("restart").status());
    }

    @Test
    void runInTheJvmIsRefusedOnlyTheMonitorRunsStrategies() {
        Result result = execute("run", "sample");
        assertEquals(ExitCodes.SOFTWARE, result.status(), result.err());
        assertTrue(result.err().contains("start it through the launcher (bin/quant-supervision run sample)"),
                result.err());
    }

    @Test
    void runWithASpanTooLargeExitsAsBadConfiguration(@TempDir Path dir) throws Exception {
        // It was an ArithmeticException in the runner: exit 70, an internal error that systemd restarts.
        Path conf = Files.createDirectories(dir.resolve("etc/big")).resolve("env.conf");
        Files.writeString(conf, "STRATEGY_COMMAND=/bin/true\nHEARTBEAT_MAX_AGE=999999999h\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        try (MonitorProcess run = MonitorProcess.start(new StrategyName("big"), dir)) {
            assertEquals(ExitCodes.CONFIG, run.waitFor(Duration.ofSeconds(20)), run.outputText());
            assertTrue(run.outputText().contains("HEARTBEAT_MAX_AGE: '999999999h' is too large; at most "),
                    run.outputText());
        }
    }

    @Test
    void healthNeedsNamesOrAll() {
        // health speaks the Nagios plugin convention: a wrong command line is UNKNOWN (3), not 2 (CRITICAL).
        assertEquals(3, execute("health").status());
        assertEquals(3, execute("health", "--all", "x").status());
        assertEquals(ExitCodes.USAGE, execute("run").status(), "other commands keep picocli's 2");
    }
}
