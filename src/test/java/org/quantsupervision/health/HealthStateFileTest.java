package org.quantsupervision.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantsupervision.clock.Moment;

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
        c.changes.add(Moment.wallOnly(1000L));
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
    void timesKeepTheirMonotonicClockAndBoot() throws IOException {
        Moment restarted = new Moment(Instant.parse("2026-11-29T10:00:00Z"), 123_456_789, "boot-a");
        Moment changed = new Moment(Instant.parse("2026-11-29T10:01:00Z"), 123_516_789, "boot-a");
        HealthState state = new HealthState();
        state.lastRestart = restarted;
        HealthState.CheckState c = new HealthState.CheckState();
        c.changes.add(changed);
        c.incident = new HealthState.Incident();
        c.incident.opened = changed;
        state.checks.put("process", c);
        try (HealthStateFile f = HealthStateFile.lock(dir, Duration.ofSeconds(1))) {
            f.write(state);
        }
        String json = Files.readString(dir.resolve("health.json"));
        assertTrue(json.contains("\"last_restart\":" + restarted.wallMillis()), "0.1.0's field kept: " + json);
        try (HealthStateFile f = HealthStateFile.lock(dir, Duration.ofSeconds(1))) {
            HealthState read = f.read();
            assertEquals(restarted, read.lastRestart);
            assertEquals(java.util.List.of(changed), read.checks.get("process").changes);
            assertEquals(changed, read.checks.get("process").incident.opened);
        }
    }

    @Test
    void aFileOf010LoadsWithItsTimesByTheWallClock() throws IOException {
        Files.writeString(dir.resolve("health.json"), "{\"version\":1,\"child_pid\":42,\"child_start_time\":9,"
                + "\"last_restart\":1000,\"checks\":{\"process\":{\"status\":\"CRITICAL\",\"consecutive\":2,"
                + "\"changes\":[2000,3000],\"incident\":{\"opened\":3000,\"status\":\"CRITICAL\","
                + "\"flapping\":false,\"resolving\":false,\"summary\":\"down\",\"triggered\":[\"slack\"],"
                + "\"resolved\":[],\"attempts\":0}}}}\n");
        try (HealthStateFile f = HealthStateFile.lock(dir, Duration.ofSeconds(1))) {
            HealthState read = f.read();
            assertEquals("", f.problem());
            assertEquals(Moment.wallOnly(1000), read.lastRestart);
            HealthState.CheckState c = read.checks.get("process");
            assertEquals(java.util.List.of(Moment.wallOnly(2000), Moment.wallOnly(3000)), c.changes);
            assertEquals(Moment.wallOnly(3000), c.incident.opened);
            assertTrue(c.incident.triggered.contains("slack"));
            assertEquals(null, read.stateFile, "no state_file: the freshness check's next run is a first sighting");
        }
    }

    @Test
    void theStateFileSightingSurvivesAWriteAndARead() throws IOException {
        Moment seen = new Moment(Instant.parse("2026-11-29T10:00:00Z"), 123_456_789, "boot-a");
        Moment checked = new Moment(Instant.parse("2026-11-29T10:00:30Z"), 123_486_789, "boot-a");
        HealthState state = new HealthState();
        state.stateFile = new StateFileSighting("/srv/mr/state.json", 1_796_032_800_123_456_789L, seen, 4_000, checked);
        try (HealthStateFile f = HealthStateFile.lock(dir, Duration.ofSeconds(1))) {
            f.write(state);
        }
        try (HealthStateFile f = HealthStateFile.lock(dir, Duration.ofSeconds(1))) {
            assertEquals(state.stateFile, f.read().stateFile);
        }
    }

    @Test
    void anIncompleteSightingIsAFirstSightingNotACorruptFile() throws IOException {
        Files.writeString(dir.resolve("health.json"), "{\"version\":1,\"state_file\":{\"path\":\"/s\","
                + "\"mtime_ns\":5,\"age_ms\":0},\"checks\":{}}\n");
        try (HealthStateFile f = HealthStateFile.lock(dir, Duration.ofSeconds(1))) {
            assertEquals(null, f.read().stateFile);
            assertEquals("", f.problem());
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
