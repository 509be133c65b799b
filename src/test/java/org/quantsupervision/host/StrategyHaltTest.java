package org.quantsupervision.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.record.HaltMarker;

/** Which strategies a halt names (one, or a group's members under both managers), and the halt file itself. */
class StrategyHaltTest {
    @TempDir
    Path dir;

    private StrategyGroups groups() {
        return new StrategyGroups(dir.resolve("systemd"), dir.resolve("supervisor"), ".conf");
    }

    private StrategyHalt halt() {
        return new StrategyHalt(dir.resolve("etc"), dir.resolve("run"), dir.resolve("lib"), dir.resolve("log"), groups());
    }

    private static List<String> names(List<StrategyName> names) {
        return names.stream().map(StrategyName::value).toList();
    }

    @Test
    void aGroupIsItsMembersUnderSystemdAndSupervisordTogetherAndAStrategyIsItself() throws Exception {
        Files.createDirectories(dir.resolve("etc/feed"));
        groups().joinSystemd("feed", "trading", List.of());
        groups().joinSystemd("engine", "trading", List.of("feed"));
        groups().joinSystemd("other", "research", List.of());
        String template = "[program:quant-strategy-@NAME@]\ncommand=/usr/bin/quant-supervision run @NAME@\npriority=999\n";
        StrategyGroups.write(groups().supervisorProgram("risk"), StrategyGroups.renderProgram(template, "risk",
                "quant-user", Optional.of("trading"), 999, Duration.ofSeconds(30)));
        assertEquals(List.of("engine", "feed", "risk"), names(halt().resolve("trading")));
        assertEquals(List.of("other"), names(halt().resolve("research")));
        assertEquals(List.of("feed"), names(halt().resolve("feed")), "a strategy's directory: itself");
        StrategyActions.UnknownTargetException e = assertThrows(StrategyActions.UnknownTargetException.class,
                () -> halt().resolve("nosuch"));
        assertTrue(e.getMessage().contains("nosuch is neither a strategy"), e.getMessage());
    }

    @Test
    void aSecondHaltKeepsTheFirstMarkerAndAResumeRemovesIt() throws Exception {
        Files.createDirectories(dir.resolve("etc/feed"));
        StrategyName feed = new StrategyName("feed");
        HaltMarker first = new HaltMarker("alice", Instant.parse("2026-12-02T16:00:00Z"), "drill");
        assertEquals(Optional.empty(), halt().halt(feed, first));
        assertEquals(Optional.of(first), halt().halt(feed, new HaltMarker("bob", Instant.now(), "other")));
        assertEquals("{\"by\":\"alice\",\"at\":\"2026-12-02T16:00:00Z\",\"reason\":\"drill\"}\n",
                Files.readString(dir.resolve("etc/feed/halted")));
        assertEquals(Optional.of(first), halt().resume(feed));
        assertEquals(Optional.empty(), halt().resume(feed));
        assertEquals(Optional.empty(), HaltMarker.read(dir.resolve("etc/feed/halted")));
    }

    @Test
    void aHaltFileNotWrittenByHaltStillCountsAsAHalt() throws Exception {
        Path file = Files.createDirectories(dir.resolve("etc/feed")).resolve("halted");
        Files.writeString(file, ""); // touch(1)
        HaltMarker m = HaltMarker.read(file).orElseThrow();
        assertEquals("?", m.by());
        assertTrue(m.describe().startsWith("by ? at "), m.describe());
    }
}
