package org.quantsupervision.runner;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantsupervision.config.ConfigException;
import org.quantsupervision.config.StrategyConfig;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.manager.Manager;

class ManagerStopWaitTest {
    private static final StrategyName NAME = new StrategyName("mm");
    private static final Manager SUPERVISORD = new Manager("supervisord", "", "unix:///run/supervisor.sock",
            "quant-strategy-mm:quant-strategy-mm");

    @TempDir
    Path dir;

    private Path program(int stopWaitSecs) throws IOException {
        return Files.writeString(dir.resolve("quant-strategy-mm.conf"),
                "[program:quant-strategy-mm]\ncommand=/usr/bin/quant-supervision run mm\nstopwaitsecs=" + stopWaitSecs + "\n");
    }

    private static StrategyConfig hooked() throws ConfigException {
        return StrategyConfig.from(NAME, Path.of("/etc/strategies/mm/env.conf"),
                Map.of("STOP_COMMAND", "/opt/mm/cancel-all", "STOP_COMMAND_TIMEOUT", "30s"));
    }

    @Test
    void aStopCommandThatDoesNotFitSupervisordsStopWaitIsRefusedNamingTheFileAndTheFix() throws Exception {
        Path file = program(30);
        ConfigException e = assertThrows(ConfigException.class, () -> ManagerStopWait.check(hooked(), SUPERVISORD, file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("stopwaitsecs=30")
                && e.getMessage().contains("STOP_COMMAND_TIMEOUT 30 s + STOP_TIMEOUT 10 s + 20 s = 60 s")
                && e.getMessage().contains("quant-supervision enable mm --via supervisor"), e.getMessage());
    }

    @Test
    void aStopWaitThatFitsAndSystemdWhichTheRunnerExtendsAreFine() throws Exception {
        Path file = program(60);
        assertDoesNotThrow(() -> ManagerStopWait.check(hooked(), SUPERVISORD, file));
        Path tight = program(5);
        assertDoesNotThrow(() -> ManagerStopWait.check(hooked(), new Manager("systemd", "quant-strategy@mm.service", "", ""),
                tight));
    }
}
