package org.quantsupervision.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class HealthConfigTest {
    private static final Path FILE = Path.of("/etc/strategies/mr/env.conf");

    private static HealthConfig load(String... pairs) throws ConfigException {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        StrategyConfig strategy = StrategyConfig.from(new StrategyName("mr"), FILE, env);
        return HealthConfig.from(strategy, FILE, Path.of("/var/log/quant-supervision"), Path.of("/var/lib/quant-supervision"));
    }

    @Test
    void pluginsGetOnlyTheSettingsPluginEnvNamesAndNeverALoaderPath() throws ConfigException {
        assertEquals(Map.of(), load("TICKDB_API_KEY", "k", "PYTHONPATH", "/var/lib/quant-supervision/mr").pluginEnvironment());
        assertEquals(Map.of("TICKDB_API_KEY", "k"), load("TICKDB_API_KEY", "k", "PLUGIN_ENV", "TICKDB_API_KEY")
                .pluginEnvironment());
        ConfigException loader = assertThrows(ConfigException.class,
                () -> load("PYTHONPATH", "/var/lib/quant-supervision/mr", "PLUGIN_ENV", "PYTHONPATH"));
        assertEquals(FILE + ": PLUGIN_ENV: PYTHONPATH makes a program load code from a path the strategy may write; "
                + "plugins run as the health checker and never get it", loader.getMessage());
        assertThrows(ConfigException.class, () -> load("LD_PRELOAD", "/x.so", "PLUGIN_ENV", "LD_PRELOAD"));
        ConfigException secret = assertThrows(ConfigException.class,
                () -> load("SLACK_WEBHOOK_URL", "https://hooks.example.test/s", "PLUGIN_ENV", "SLACK_WEBHOOK_URL"));
        assertTrue(secret.getMessage().contains("SLACK_WEBHOOK_URL is not set in this file"), secret.getMessage());
    }

    @Test
    void defaultsFollowTheArticle() throws ConfigException {
        HealthConfig c = load();
        assertEquals(Duration.ofSeconds(60), c.dataMaxAge());
        assertEquals(3072L << 20, c.memoryCritical());
        assertEquals(3, c.failuresBeforeAction());
        assertEquals(1000, c.errorLines());
        assertEquals(2, c.errorWarning());
        assertEquals(Path.of("/var/log/quant-supervision/mr/strategy.log"), c.errorLog());
        assertTrue(c.apiUrl().isEmpty() && c.stateFile().isEmpty() && !c.alerts().any());
        assertTrue(c.market().isOpen(Instant.parse("2026-11-29T03:00:00Z")), "open around the clock by default");
    }

    @Test
    void theArticlesGatewayUrlAndWebhookAreRead() throws ConfigException {
        HealthConfig c = load("GATEWAY_CHECK_URL", "https://api.example.test/v1/health", "WEBHOOK_URL",
                "https://hooks.example.test/T/B/secret");
        assertEquals("api.example.test", c.apiUrl().orElseThrow().getHost());
        assertTrue(c.alerts().slack().isPresent());
    }

    @Test
    void marketHoursFollowTheCalendarAndTimeZone() throws ConfigException {
        MarketHours m = load("MARKET_DAYS", "Mon-Fri", "MARKET_HOURS", "09:30-16:00", "MARKET_TIMEZONE",
                "America/New_York", "MARKET_HOLIDAYS", "2026-11-26").market();
        assertTrue(m.isOpen(Instant.parse("2026-11-27T14:30:00Z")), "Friday 09:30 New York");
        assertFalse(m.isOpen(Instant.parse("2026-11-27T14:29:59Z")), "Friday 09:29:59");
        assertFalse(m.isOpen(Instant.parse("2026-11-27T21:00:00Z")), "Friday 16:00 is the close");
        assertFalse(m.isOpen(Instant.parse("2026-11-28T15:00:00Z")), "Saturday");
        assertFalse(m.isOpen(Instant.parse("2026-11-26T15:00:00Z")), "Thanksgiving holiday");
        MarketHours overnight = load("MARKET_DAYS", "Sun-Fri", "MARKET_HOURS", "18:00-17:00").market();
        assertTrue(overnight.isOpen(Instant.parse("2026-11-29T23:00:00Z")), "Sunday evening session");
        assertFalse(overnight.isOpen(Instant.parse("2026-11-30T17:30:00Z")), "the daily break");
    }

    @Test
    void pluginsAndRulesAreCollectedByPrefix() throws ConfigException {
        HealthConfig c = load("CHECK_POSITIONS_OK", "/usr/lib/nagios/plugins/check_dummy 0 fine", "STATE_FILE",
                "/run/mr/state.json", "RULE_IN_ERROR", "/positions_in_error > 0", "RULE_DRIFT",
                "/risk/drift >= 0.05 warning");
        assertEquals(List.of("/usr/lib/nagios/plugins/check_dummy", "0", "fine"), c.plugins().get("check-positions-ok"));
        assertEquals(2, c.rules().size());
        StateRule drift = c.rules().get(0);
        assertEquals("rule-drift", drift.label());
        assertFalse(drift.critical());
        assertTrue(drift.failsFor("0.05", true) && !drift.failsFor("0.049", true));
    }

    @Test
    void errorsNameTheFileAndKeyAndSayWhatIsExpected() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("MARKET_HOURS", "9-5"));
        assertEquals(FILE + ": MARKET_HOURS: '9-5' is not a session; expected HH:MM-HH:MM, e.g. 09:30-16:00",
                e.getMessage());
        e = assertThrows(ConfigException.class, () -> load("RULE_X", "/a ~ 3"));
        assertTrue(e.getMessage().startsWith(FILE + ": RULE_X: '/a ~ 3' is not a rule"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> load("RULE_X", "/a > 3"));
        assertTrue(e.getMessage().contains("needs STATE_FILE"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> load("HEALTH_RESTART_ON", "process api-typo"));
        assertTrue(e.getMessage().contains("'api-typo' is not a check"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> load("MEMORY_WARNING", "4G"));
        assertTrue(e.getMessage().contains("MEMORY_WARNING: is above MEMORY_CRITICAL"), e.getMessage());
    }

    @Test
    void secretUrlsAreNeverQuotedInErrors() {
        String secret = "htps://hooks.example.test/services/T000/B000/XXXXSECRETXXXX";
        for (String key : new String[] {"SLACK_WEBHOOK_URL", "ALERT_WEBHOOK_URL", "PAGERDUTY_EVENTS_URL"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> load(key, secret));
            assertTrue(e.getMessage().startsWith(FILE + ": " + key + ": not an http"), e.getMessage());
            assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
        }
    }
}
