package org.quantsupervision.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files that make a group under each manager, and membership read back from them alone. */
class StrategyGroupsTest {
    @TempDir
    Path dir;

    private StrategyGroups groups() {
        return new StrategyGroups(dir.resolve("systemd"), dir.resolve("supervisor"), ".conf");
    }

    @Test
    void systemdMembersArePartOfTheGroupTargetWhichWantsThemAndTheOrderIsAfter() throws Exception {
        StrategyGroups g = groups();
        g.joinSystemd("feed", "trading", List.of());
        g.joinSystemd("engine", "trading", List.of("feed"));
        g.joinSystemd("notifier", "trading", List.of("feed", "engine"));
        assertEquals(List.of("engine", "feed", "notifier"), g.systemdMembers("trading"));
        assertEquals(Optional.of("trading"), g.systemdGroupOf("engine"));
        String engine = Files.readString(dir.resolve("systemd/quant-strategy@engine.service.d/50-quant-group.conf"));
        assertTrue(engine.contains("\n[Unit]\nPartOf=quant-strategy-group@trading.target\nAfter=quant-strategy@feed.service\n"),
                engine);
        assertEquals("""
                # Written by quant-supervision enable/disable --group: the members of group trading.
                [Unit]
                Wants=quant-strategy@engine.service quant-strategy@feed.service quant-strategy@notifier.service
                """, Files.readString(dir.resolve("systemd/quant-strategy-group@trading.target.d/50-members.conf")));
        assertTrue(Files.readString(dir.resolve("systemd/quant-supervision.target.d/50-group-trading.conf"))
                .endsWith("[Unit]\nWants=quant-strategy-group@trading.target\n"));

        // Moving to another group rewrites both; the last member leaving removes the group's files.
        assertEquals(List.of("risk", "trading"), g.joinSystemd("notifier", "risk", List.of()));
        assertEquals(List.of("engine", "feed"), g.systemdMembers("trading"));
        assertEquals(Optional.of("risk"), g.leaveSystemd("notifier"));
        assertFalse(g.isSystemdGroup("risk"));
        assertFalse(Files.exists(dir.resolve("systemd/quant-strategy@notifier.service.d")));
        assertFalse(Files.exists(dir.resolve("systemd/quant-supervision.target.d/50-group-risk.conf")));
        assertTrue(g.isSystemdGroup("trading"));
    }

    @Test
    void supervisorProgramsCarryThePriorityAndTheGroupFileListsThem() throws Exception {
        StrategyGroups g = groups();
        String template = "[program:quant-strategy-@NAME@]\ncommand=/usr/bin/quant-supervision run @NAME@\npriority=999\n";
        StrategyGroups.write(g.supervisorProgram("feed"),
                StrategyGroups.renderProgram(template, "feed", "quant-user", Optional.of("trading"), 999, java.time.Duration.ofSeconds(30)));
        StrategyGroups.write(g.supervisorProgram("engine"),
                StrategyGroups.renderProgram(template, "engine", "quant-user", Optional.of("trading"), g.priorityOf("feed") + 1, java.time.Duration.ofSeconds(30)));
        StrategyGroups.write(g.supervisorProgram("solo"), StrategyGroups.renderProgram(template, "solo", "quant-user", Optional.empty(), 999, java.time.Duration.ofSeconds(30)));
        g.rewriteSupervisorGroup("trading");
        assertEquals(1000, g.priorityOf("engine"));
        assertEquals(List.of("engine", "feed"), g.supervisorMembers("trading"));
        assertTrue(Files.readString(dir.resolve("supervisor/quant-group-trading.conf"))
                .endsWith("[group:trading]\nprograms=quant-strategy-engine,quant-strategy-feed\n"));
        assertEquals("trading:quant-strategy-engine", g.supervisorProcess("engine"));
        assertEquals("quant-strategy-solo:quant-strategy-solo", g.supervisorProcess("solo"));

        Files.delete(g.supervisorProgram("feed"));
        Files.delete(g.supervisorProgram("engine"));
        g.rewriteSupervisorGroup("trading");
        assertFalse(g.isSupervisorGroup("trading"));
    }

    @Test
    void theProgramsStopWaitIsTheStrategysStopTimeoutAndAMargin(@TempDir Path tmp)
            throws Exception {
        Path env = tmp.resolve("env.conf");
        Files.writeString(env, "STOP_TIMEOUT=5min\n");
        java.time.Duration wait = org.quantsupervision.config.StrategyConfig.managerStopDeadlineOf(env);
        assertEquals(java.time.Duration.ofSeconds(320), wait);
        assertEquals(java.time.Duration.ofSeconds(30),
                org.quantsupervision.config.StrategyConfig.managerStopDeadlineOf(tmp.resolve("missing")), "the least");
        String text = StrategyGroups.renderProgram("[program:quant-strategy-@NAME@]\nstopwaitsecs=30\npriority=999\n",
                "slow", "quant-user", Optional.empty(), 999, wait);
        assertTrue(text.contains("\nstopwaitsecs=320\n"), text);
    }
}
