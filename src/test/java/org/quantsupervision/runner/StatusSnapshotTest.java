package org.quantsupervision.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantsupervision.clock.Moment;
import org.quantsupervision.control.Manager;

/** runner.json between a runner and its readers, including those of 0.1.0's files. */
class StatusSnapshotTest {
    @TempDir
    Path dir;

    @Test
    void theStrategysStartCarriesItsMonotonicClockAndBoot() throws IOException {
        Moment started = new Moment(Instant.parse("2026-11-29T10:00:00Z"), 86_400_000, "boot-a");
        new StatusSnapshot("mr", RunnerState.RUNNING, 10, 1, 1, 100, 700, started, 0, 0, null, null, 0,
                started.wallMillis(), Manager.NONE).writeTo(dir.resolve("runner.json"));
        String json = Files.readString(dir.resolve("runner.json"));
        assertTrue(json.contains("\"child_started_at\":" + started.wallMillis()), "0.1.0's field kept: " + json);
        StatusSnapshot read = StatusSnapshot.readFrom(dir.resolve("runner.json")).orElseThrow();
        assertEquals(started, read.childStarted());
        assertEquals(started.wallMillis(), read.childStartedAtMillis());
    }

    @Test
    void aFileOf010HasTheStartByTheWallClockOnly() throws IOException {
        Files.writeString(dir.resolve("runner.json"), "{\"name\":\"mr\",\"state\":\"RUNNING\",\"runner_pid\":10,"
                + "\"runner_start_time\":1,\"child_pid\":100,\"child_start_time\":700,\"child_started_at\":1764410400000,"
                + "\"restarts\":0,\"crash_streak\":0,\"updated_at\":1764410400000}");
        StatusSnapshot read = StatusSnapshot.readFrom(dir.resolve("runner.json")).orElseThrow();
        assertEquals(Moment.wallOnly(1764410400000L), read.childStarted());
    }

    @Test
    void noStrategyProcessIsNever() throws IOException {
        new StatusSnapshot("mr", RunnerState.BACKOFF, 10, 1, 1, 0, 0, Moment.NEVER, 1, 1, 1, null, 500, 1,
                Manager.NONE).writeTo(dir.resolve("runner.json"));
        StatusSnapshot read = StatusSnapshot.readFrom(dir.resolve("runner.json")).orElseThrow();
        assertTrue(read.childStarted().isNever());
        assertEquals(0, read.childStartedAtMillis());
    }
}
