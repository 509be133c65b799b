package org.quantsupervision.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

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
}
