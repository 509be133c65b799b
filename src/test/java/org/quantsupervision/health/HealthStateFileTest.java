package org.quantsupervision.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthStateFileTest {
    @TempDir
    Path dir;

    @Test
    void stateSurvivesAWriteAndARead() throws IOException {
        HealthState state = new HealthState();
        state.childPid = 42;
        HealthState.CheckState c = new HealthState.CheckState();
        c.status = Status.CRITICAL;
        c.consecutive = 2;
        c.changes.add(1000L);
        c.incident = new HealthState.Incident();
        c.incident.summary = "stale \"data\"";
        c.incident.triggered.add("slack");
        state.checks.put("freshness", c);
        try (HealthStateFile f = HealthStateFile.lock(dir, Duration.ofSeconds(1))) {
            f.write(state);
        }
        try (HealthStateFile f = HealthStateFile.lock(dir, Duration.ofSeconds(1))) {
            HealthState read = f.read();
            assertEquals(42, read.childPid);
            HealthState.CheckState r = read.checks.get("freshness");
            assertEquals(Status.CRITICAL, r.status);
            assertEquals(2, r.consecutive);
            assertEquals("stale \"data\"", r.incident.summary);
            assertTrue(r.incident.triggered.contains("slack"));
        }
    }

    @Test
    void aCorruptFileIsKeptAsideAndTheStateRebuilt() throws IOException {
        Files.writeString(dir.resolve("health.json"), "{\"version\":1,\"checks\":{\"process\":{\"status\":\"SO");
        try (HealthStateFile f = HealthStateFile.lock(dir, Duration.ofSeconds(1))) {
            HealthState state = f.read();
            assertTrue(state.checks.isEmpty());
            assertTrue(f.problem().contains("was corrupt"), f.problem());
            f.write(state);
        }
        assertTrue(Files.exists(dir.resolve("health.json.corrupt")));
        assertTrue(Files.readString(dir.resolve("health.json")).startsWith("{\"version\":1"));
    }

    @Test
    void aSecondRunWaitsForTheLockAndThenGivesUp() throws Exception {
        try (HealthStateFile first = HealthStateFile.lock(dir, Duration.ofSeconds(1))) {
            long started = System.nanoTime();
            IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                    () -> HealthStateFile.lock(dir, Duration.ofMillis(300)));
            assertTrue(e.getMessage().contains("another health run"), e.getMessage());
            assertTrue(System.nanoTime() - started >= 300_000_000L, "waited for it");
        }
        HealthStateFile.lock(dir, Duration.ofMillis(300)).close(); // free again
    }
}
