package org.quantsupervision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.quantsupervision.runner.Installation;

import picocli.CommandLine;

/** The newcomer's demo, run as README.md runs it: real runner, real strategy processes, real checker. */
class DemoCommandTest {
    @Test
    void theDemoCrashesAndHangsTheStrategyShowsBothRecoveriesAndCleansUp() {
        StringWriter out = new StringWriter();
        // The runner through the tests' installation: the JDK that runs the tests has no launcher beside its java.
        CommandLine commandLine = new CommandLine(new DemoCommand(Installation.launcher(), Installation.environment()));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(new StringWriter(), true));
        int status = commandLine.execute();
        String text = out.toString();
        assertEquals(ExitCodes.OK, status, text);
        assertTrue(Pattern.compile("back: new pid \\d+ started \\d+ ms after the kill").matcher(text).find(), text);
        assertTrue(text.contains("health after ") && text.contains(": CRITICAL; process CRITICAL: strategy "), text);
        assertTrue(text.contains("health OK -> CRITICAL -> OK"), text);
        Matcher dir = Pattern.compile("quant-supervision demo in (\\S+) ").matcher(text);
        assertTrue(dir.find(), text);
        assertFalse(Files.exists(Path.of(dir.group(1))), "the temporary directory is removed");
        assertTrue(ProcessHandle.current().descendants().noneMatch(p -> p.info().commandLine().orElse("")
                .contains(dir.group(1))), "no strategy process is left behind");
    }
}
