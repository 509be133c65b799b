package org.quantsupervision.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemBootClockTest {
    private static final String ID = "e706779d-8498-4a7b-a02c-55dd0eec8b5c";

    @TempDir
    Path dir;

    private String bootId(String id, String uptime, long nanoTime) throws IOException {
        Path idFile = Files.writeString(dir.resolve("boot_id"), id);
        Path uptimeFile = Files.writeString(dir.resolve("uptime"), uptime);
        return SystemBootClock.bootId(idFile, uptimeFile, nanoTime);
    }

    @Test
    void aBootIdWhenNanoTimeCountsFromTheBoot() throws IOException {
        assertEquals(ID, bootId(ID + "\n", "27739.42 33476.14\n", 27_739_000_000_000L));
        assertEquals(ID, bootId(ID + "\n", "27739.42 33476.14\n", 1_000_000_000L), "behind: time suspended");
    }

    @Test
    void noneWhenNanoTimeHasAnotherOriginOrTheFilesAreNotThere() throws IOException {
        assertEquals("", bootId(ID, "27739.42 33476.14", 90_000_000_000_000L), "ahead of the boot clock");
        assertEquals("", bootId("not a uuid", "27739.42 33476.14", 1_000_000_000L));
        assertEquals("", SystemBootClock.bootId(dir.resolve("none"), dir.resolve("none"), 1));
    }

    @Test
    void thisHostsClockCarriesItsBootId() throws IOException {
        assumeTrue(Files.isReadable(SystemBootClock.BOOT_ID), "Linux");
        Moment now = BootClock.SYSTEM.now();
        assertEquals(Files.readString(SystemBootClock.BOOT_ID).trim(), now.bootId(), "HotSpot's nanoTime is CLOCK_MONOTONIC");
        assertTrue(now.monotonicMillis() > 0);
    }
}
