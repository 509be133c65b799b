package org.quantsupervision.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class CommandsTest {
    @Test
    void outputAndStatusOfACommand() throws Exception {
        Commands.Result r = Commands.run(List.of("/bin/sh", "-c", "echo first; echo second >&2; exit 3"),
                Duration.ofSeconds(10));
        assertEquals(3, r.status());
        assertEquals("first", r.firstLine());
        assertTrue(r.output().contains("second"), r.output());
    }

    @Test
    void theDeadlineHoldsForACommandThatHangsWithItsOutputOpen() {
        long started = System.nanoTime();
        // The shell and its sleep keep the output pipe open: reading to its end would wait 30 s.
        assertThrows(Commands.TimedOut.class,
                () -> Commands.run(List.of("/bin/sh", "-c", "echo started; sleep 30"), Duration.ofMillis(300)));
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertTrue(ms < 3000, "killed at the deadline, not after the command: " + ms + " ms");
    }
}
