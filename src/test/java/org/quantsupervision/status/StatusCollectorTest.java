package org.quantsupervision.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The health service's line of the dashboard, from what `systemctl show` says of the unit. */
class StatusCollectorTest {

    @Test
    void theHealthServiceShowsItsStateSinceWhenAndTheLastRoundFromItsStatusText() {
        assertEquals("active (running), enabled, since Tue 2026-12-01 10:15:17 UTC; last round at 10:20:47 (0.4 s): 3 OK",
                StatusCollector.healthService(Map.of("Id", "quant-supervision-health.service", "LoadState", "loaded",
                        "ActiveState", "active", "SubState", "running", "UnitFileState", "enabled",
                        "StateChangeTimestamp", "Tue 2026-12-01 10:15:17 UTC",
                        "StatusText", "last round at 10:20:47 (0.4 s): 3 OK")));
        assertEquals("inactive (dead), disabled", StatusCollector.healthService(Map.of("LoadState", "loaded",
                "ActiveState", "inactive", "SubState", "dead", "UnitFileState", "disabled",
                "StateChangeTimestamp", "", "StatusText", "")));
        assertEquals("quant-supervision-health.service not loaded (is the package installed?)",
                StatusCollector.healthService(Map.of("LoadState", "not-found", "ActiveState", "inactive")));
        assertEquals("unknown (systemctl show did not answer)", StatusCollector.healthService(Map.of()));
    }

    @Test
    void theJsonNamesItHealthServiceAndKeepsHealthTimerForToolsWrittenFor010() {
        String json = StatusJson.format(new HostStatus(true, "active (running), enabled", List.of()));
        assertTrue(json.contains("\"health_service\":\"active (running), enabled\""), json);
        assertTrue(json.contains("\"health_timer\":\"active (running), enabled\""), json);
    }

    /** The runner restarts a crash in milliseconds: the crash rate and the last crash say what the restart count hides. */
    @Test
    void theLastCrashAndTheCrashRateComeFromTheRunnersEventsWithoutTheirOutput(@TempDir Path dir) throws Exception {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        StringBuilder events = new StringBuilder();
        for (String at : List.of("2026-11-29T09:00:00Z", "2026-11-30T11:00:00Z", "2026-12-01T09:30:00Z",
                "2026-12-01T09:58:00Z")) {
            events.append("{\"time\":\"").append(at).append("\",\"strategy\":\"mr\",\"event\":\"crashed\",")
                    .append("\"message\":\"strategy pid 7 exited (signal 11 (SEGV)) after 4200 ms\",\"signal\":11,")
                    .append("\"core_dumped\":true,\"uptime_ms\":4200,\"output\":[\"ERROR book desync\"]}\n");
        }
        events.append("{\"time\":\"2026-12-01T09:59:00Z\",\"strategy\":\"mr\",\"event\":\"stopped\",\"message\":\"x\"}\n");
        // forged by the strategy's account: crashes dated in the future count for nothing
        for (String at : List.of("2026-12-01T11:00:00Z", "+1000000000-12-31T23:59:59Z")) {
            events.append("{\"time\":\"").append(at).append("\",\"strategy\":\"mr\",\"event\":\"crashed\",")
                    .append("\"message\":\"forged\"}\n");
        }
        Files.writeString(dir.resolve("events.jsonl"), events);
        RunnerHistory rate = RunnerHistory.of(dir, dir.resolve("health"), now);
        assertEquals(3, rate.day().size(), "the crashes of the last 24 hours are on the timeline; stopped is not");
        assertEquals(2, rate.lastHour());
        assertEquals(3, rate.lastDay());
        assertEquals("signal 11 (core dumped)", rate.last().orElseThrow().how());

        StrategyStatus s = new StrategyStatus("mr", Optional.empty(), false, false, "none", Optional.empty(),
                Optional.empty(), rate, List.of(), Optional.empty(), Optional.empty());
        String table = new StatusTable(false).format(new HostStatus(false, "cron", List.of(s)), now);
        assertTrue(table.contains("  crashes  2 in the last hour, 3 in 24 h; last 2m0s ago: signal 11 (core dumped) "
                + "after 4s up\n"), table);
        String json = StatusJson.format(new HostStatus(false, "cron", List.of(s)));
        assertTrue(json.contains("\"crashes\":{\"last_hour\":2,\"last_24h\":3,\"last\":{\"time\":\"2026-12-01T09:58:00Z\","
                + "\"how\":\"signal 11 (core dumped)\""), json);
        assertTrue(RunnerHistory.of(dir.resolve("none"), dir.resolve("none"), now).last().isEmpty());
    }
}
