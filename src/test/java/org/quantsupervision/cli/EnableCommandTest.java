package org.quantsupervision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.quantsupervision.config.EnvironmentFile;
import org.quantsupervision.config.HealthConfig;
import org.quantsupervision.config.StrategyConfig;
import org.quantsupervision.config.StrategyName;

/** The env.conf template that `enable` writes (enable itself is tested in a booted container: it needs root and systemd). */
class EnableCommandTest {
    @Test
    void theTemplateIsAValidEnvConfWithEverythingCommentedOut() throws Exception {
        String text = EnableCommand.TEMPLATE.replace("@NAME@", "mr");
        Path file = Path.of("/etc/strategies/mr/env.conf");
        Map<String, String> env = EnvironmentFile.parse(file, text.getBytes(StandardCharsets.UTF_8));
        assertEquals(Map.of(), env, "only comments: the defaults apply");
        StrategyConfig strategy = StrategyConfig.from(new StrategyName("mr"), file, env);
        HealthConfig.from(strategy, file, Path.of("/var/log/quant-supervision"), Path.of("/var/lib/quant-supervision"));
        // Uncommented, every example line is accepted as well.
        String uncommented = text.lines().map(l -> l.startsWith("#") && l.contains("=") ? l.substring(1) : l)
                .reduce("", (a, b) -> a + b + "\n");
        Map<String, String> all = EnvironmentFile.parse(file, uncommented.getBytes(StandardCharsets.UTF_8));
        assertTrue(all.containsKey("STATE_FILE") && all.containsKey("RULE_IN_ERROR"), all.toString());
    }
}
