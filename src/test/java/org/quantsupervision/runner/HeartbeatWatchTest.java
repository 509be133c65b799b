package org.quantsupervision.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Heartbeat progress on the monotonic clock, driven here by hand (no sleeping). */
class HeartbeatWatchTest {
    private static final long S = 1_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void progressIsAChangeOfTheMtimeWhateverTheWallClockSays() throws Exception {
        Path file = Files.writeString(dir.resolve("heartbeat"), "");
        Instant touched = Instant.parse("2026-12-01T12:00:00Z");
        Files.setLastModifiedTime(file, FileTime.from(touched));
        HeartbeatWatch watch = new HeartbeatWatch(file);
        watch.startedAt(100 * S);
        assertEquals(Duration.ZERO, watch.sinceProgress(100 * S), "first sight of the file");
        assertEquals(Duration.ofSeconds(15), watch.sinceProgress(115 * S), "unchanged: no progress");
        // The clock stepped back an hour, then the strategy touched the file: still progress.
        Files.setLastModifiedTime(file, FileTime.from(touched.minusSeconds(3600)));
        assertEquals(Duration.ZERO, watch.sinceProgress(116 * S));
        // The clock stepped forward an hour: the mtime looks an hour old to the wall clock,
        // which the watch never consults.
        Files.setLastModifiedTime(file, FileTime.from(touched.plusSeconds(3600)));
        assertEquals(Duration.ZERO, watch.sinceProgress(117 * S));
        assertEquals(Duration.ofSeconds(21), watch.sinceProgress(138 * S), "a hang is still a hang");
    }

    @Test
    void aNewRunIsGivenItsOwnTimeAndAMissingFileIsNoProgress() {
        HeartbeatWatch watch = new HeartbeatWatch(dir.resolve("never-written"));
        watch.startedAt(10 * S);
        assertEquals(Duration.ofSeconds(30), watch.sinceProgress(40 * S));
        watch.startedAt(50 * S);
        assertEquals(Duration.ofSeconds(5), watch.sinceProgress(55 * S), "counted from the new run's start");
    }
}
