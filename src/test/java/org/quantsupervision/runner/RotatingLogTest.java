package org.quantsupervision.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The strategy's log file against what operators and full disks do to it. */
class RotatingLogTest {
    @TempDir
    Path dir;

    private final List<String> reports = new ArrayList<>();

    private static void write(RotatingLog log, String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        log.writeLine(bytes, bytes.length);
    }

    @Test
    void aLogRenamedAwayIsFollowedByANewFileAtTheNextLine() throws IOException {
        Path file = dir.resolve("strategy.log");
        try (RotatingLog log = new RotatingLog(file, 1 << 20, 3, reports::add)) {
            write(log, "before");
            Files.move(file, dir.resolve("strategy.log-20261201")); // logrotate without copytruncate
            write(log, "after");
        }
        assertEquals(List.of("before"), Files.readAllLines(dir.resolve("strategy.log-20261201")));
        assertEquals(List.of("after"), Files.readAllLines(file));
    }

    @Test
    void aDeletedLogIsCreatedAgainAndNoLineGoesToTheDeletedFile() throws IOException {
        Path file = dir.resolve("strategy.log");
        try (RotatingLog log = new RotatingLog(file, 1 << 20, 3, reports::add)) {
            write(log, "one");
            Files.delete(file);
            write(log, "two");
            write(log, "three");
        }
        assertEquals(List.of("two", "three"), Files.readAllLines(file));
    }

    @Test
    void rotationShiftsBackupsAndALogDeletedOverAndOverNeverEatsThem() throws IOException {
        Path file = dir.resolve("strategy.log");
        try (RotatingLog log = new RotatingLog(file, 10, 3, reports::add)) {
            for (String line : List.of("aaaaaaaa", "bbbbbbbb", "cccccccc", "dddddddd")) {
                write(log, line);
            }
            assertEquals(List.of("cccccccc"), Files.readAllLines(dir.resolve("strategy.log.1")));
            assertEquals(List.of("aaaaaaaa"), Files.readAllLines(dir.resolve("strategy.log.3")));
            // Every line now finds the file gone: none of them may eat a backup.
            for (int i = 0; i < 10; i++) {
                Files.deleteIfExists(file);
                write(log, "eeeeeeee");
            }
        }
        assertEquals(List.of("cccccccc"), Files.readAllLines(dir.resolve("strategy.log.1")));
        assertEquals(List.of("bbbbbbbb"), Files.readAllLines(dir.resolve("strategy.log.2")));
        assertEquals(List.of("aaaaaaaa"), Files.readAllLines(dir.resolve("strategy.log.3")));
        assertEquals(List.of("eeeeeeee"), Files.readAllLines(file));
    }

    @Test
    void aFullDiskDropsAndCountsLinesAndNeverThrows() {
        // /dev/full fails every write with ENOSPC, as a full file system does.
        try (RotatingLog log = new RotatingLog(Path.of("/dev/full"), 1 << 20, 3, reports::add)) {
            for (int i = 0; i < 1000; i++) {
                write(log, "line " + i);
            }
            assertEquals(1000, log.lost());
        }
        assertEquals(1, reports.size(), "one report when the trouble starts, not one per line: " + reports);
        assertTrue(reports.getFirst().contains("No space left on device"), reports.toString());
    }

    @Test
    void linesLostWhileTheFileCannotBeOpenedAreCountedInTheLogOnceItCanBe() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("logs"));
        Path file = sub.resolve("strategy.log");
        try (RotatingLog log = new RotatingLog(file, 1 << 20, 3, reports::add)) {
            Files.delete(file);
            Files.delete(sub); // the directory itself went: nothing can be opened
            write(log, "lost 1");
            write(log, "lost 2");
            assertEquals(2, log.lost());
            Files.createDirectories(sub);
            write(log, "back");
            assertEquals(0, log.lost());
        }
        assertEquals(List.of("quant-supervision: 2 lines of output lost (cannot open " + file + ")", "back"),
                Files.readAllLines(file));
        assertEquals(2, reports.size(), reports.toString());
    }
}
