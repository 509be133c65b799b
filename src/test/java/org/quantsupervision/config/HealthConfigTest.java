package org.quantsupervision.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void marketSessionsCrossDaysWhereTheOldKeysCannot() throws ConfigException {
        MarketHours cme = load("MARKET_SESSIONS", "Sun 18:00-Fri 17:00 America/Chicago").market();
        assertTrue(cme.isOpen(Instant.parse("2026-12-04T15:00:00Z")), "Friday 09:00 Chicago is open");
        assertFalse(cme.isOpen(Instant.parse("2026-12-05T01:00:00Z")), "Friday 19:00 Chicago is closed");
        assertTrue(cme.isOpen(Instant.parse("2026-11-30T00:00:00Z")), "Sunday 18:00 Chicago opens the week");
        // Without a zone of their own, sessions are in MARKET_TIMEZONE; inline holidays close dates there.
        MarketHours nyse = load("MARKET_SESSIONS", "Mon-Fri 09:30-16:00", "MARKET_TIMEZONE", "America/New_York",
                "MARKET_HOLIDAYS", "2026-11-26, 2026-12-25").market();
        assertTrue(nyse.isOpen(Instant.parse("2026-11-27T14:30:00Z")));
        assertFalse(nyse.isOpen(Instant.parse("2026-11-26T15:00:00Z")), "Thanksgiving");
        assertFalse(nyse.isOpen(Instant.parse("2026-12-25T15:00:00Z")), "Christmas");
    }

    @Test
    void marketSessionsWithTheOldKeysIsAnErrorNamingBoth() throws ConfigException {
        for (String[] old : new String[][] {{"MARKET_DAYS", "Mon-Fri"}, {"MARKET_HOURS", "09:30-16:00"}}) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> load("MARKET_SESSIONS", "Mon-Fri 09:30-16:00", old[0], old[1]));
            assertEquals(FILE + ": MARKET_SESSIONS: is set, and so is MARKET_DAYS or MARKET_HOURS; expected either "
                    + "MARKET_SESSIONS alone or MARKET_DAYS and MARKET_HOURS (remove the other)", e.getMessage());
        }
        // Spelled out at their defaults (as the template writes them) they say nothing: no conflict.
        assertTrue(load("MARKET_SESSIONS", "Mon-Fri 09:30-16:00", "MARKET_DAYS", "Mon-Sun", "MARKET_HOURS", "00:00-24:00")
                .market().isOpen(Instant.parse("2026-12-01T10:00:00Z")));
        ConfigException e = assertThrows(ConfigException.class, () -> load("MARKET_SESSIONS", "Sun 18:00-Fry 17:00"));
        assertEquals(FILE + ": MARKET_SESSIONS: 'Sun 18:00-Fry 17:00': 'Fry' is not a day; expected Mon, Tue, Wed, Thu, "
                + "Fri, Sat or Sun", e.getMessage());
        e = assertThrows(ConfigException.class, () -> load("MARKET_HOLIDAYS", "2026-11-26 thanksgiving"));
        assertEquals(FILE + ": MARKET_HOLIDAYS: 'thanksgiving' is not a date; expected YYYY-MM-DD, separated by blanks or "
                + "commas (early closes: in a file), or the absolute path of a file of them", e.getMessage());
    }

    @Test
    void maintenanceWindowsAndTheirChecks() throws ConfigException {
        HealthConfig c = load("MAINTENANCE", "Sat 22:00-Sun 06:00 America/New_York");
        assertEquals(java.util.Set.of("freshness", "api"), c.maintenanceChecks());
        assertTrue(c.maintenance().orElseThrow().contains(Instant.parse("2026-12-06T05:00:00Z")), "Sunday 00:00 New York");
        assertFalse(c.maintenance().orElseThrow().contains(Instant.parse("2026-12-06T11:00:00Z")), "Sunday 06:00");
        assertTrue(load().maintenance().isEmpty(), "none by default");
        // No zone: MARKET_TIMEZONE's.
        HealthConfig utc = load("MAINTENANCE", "Sun 00:00-Sun 01:00", "MARKET_TIMEZONE", "Asia/Tokyo",
                "MAINTENANCE_CHECKS", "freshness,api process");
        assertTrue(utc.maintenance().orElseThrow().contains(Instant.parse("2026-12-05T15:30:00Z")), "Sunday 00:30 Tokyo");
        assertEquals(java.util.Set.of("freshness", "api", "process"), utc.maintenanceChecks());
        ConfigException e = assertThrows(ConfigException.class, () -> load("MAINTENANCE", "Sat 22:00-Sun 06:00",
                "MAINTENANCE_CHECKS", "freshnes"));
        assertTrue(e.getMessage().startsWith(FILE + ": MAINTENANCE_CHECKS: 'freshnes' is not a check; expected names"),
                e.getMessage());
        e = assertThrows(ConfigException.class, () -> load("MAINTENANCE", "Sat 22:00-Sun 06:00 America/NewYork"));
        assertEquals(FILE + ": MAINTENANCE: 'Sat 22:00-Sun 06:00 America/NewYork': 'America/NewYork' is not a time zone; "
                + "expected a name such as America/New_York or UTC after the last span", e.getMessage());
    }

    @Test
    void aHolidaysFileHoldsDatesAndEarlyClosesAndErrorsNameItsLine(@TempDir Path dir) throws Exception {
        Path env = Files.writeString(dir.resolve("env.conf"), "");
        Path file = dir.resolve("holidays-cme");
        Files.writeString(file, """
                # CME 2026
                2026-11-26            # Thanksgiving

                2026-11-27 12:15      # early close
                """);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        MarketHours m = load(env, "MARKET_SESSIONS", "Sun 18:00-Fri 17:00 America/Chicago", "MARKET_HOLIDAYS",
                file.toString()).market();
        assertEquals(java.util.Optional.of(file), m.holidaysFile());
        assertFalse(m.isOpen(Instant.parse("2026-11-26T15:00:00Z")), "Thanksgiving");
        assertTrue(m.isOpen(Instant.parse("2026-11-27T18:14:00Z")), "Friday 12:14 Chicago");
        assertFalse(m.isOpen(Instant.parse("2026-11-27T18:15:00Z")), "Friday 12:15 Chicago: the early close");

        Files.writeString(file, "2026-11-26\n2026-11-27 12:15\n2026-13-01\n");
        ConfigException e = assertThrows(ConfigException.class, () -> load(env, "MARKET_HOLIDAYS", file.toString()));
        assertEquals(file + ":3: '2026-13-01' is not a date; expected YYYY-MM-DD (closed all day) or YYYY-MM-DD HH:MM "
                + "(an early close at that local time)", e.getMessage());

        // Whoever can change it decides when the freshness check looks: writable by the owner only.
        Files.writeString(file, "2026-11-26\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        e = assertThrows(ConfigException.class, () -> load(env, "MARKET_HOLIDAYS", file.toString()));
        assertEquals(file + ": is writable by group or others (mode 0664); expected 0644 or stricter: chmod go-w " + file,
                e.getMessage());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), file);
        e = assertThrows(ConfigException.class, () -> load(env, "MARKET_HOLIDAYS", link.toString()));
        assertTrue(e.getMessage().startsWith(link + ": is not a regular file"), e.getMessage());
        // Owned by neither root nor the owner of the env.conf that names it: refused.
        if (System.getProperty("user.name").equals("root")) {
            java.nio.file.attribute.UserPrincipal nobody = dir.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName("nobody");
            Files.setOwner(file, nobody);
            e = assertThrows(ConfigException.class, () -> load(env, "MARKET_HOLIDAYS", file.toString()));
            assertEquals(file + ": is owned by nobody; expected root's (or root's, who owns " + env + "): whoever can "
                    + "change it decides when the freshness check looks", e.getMessage());
            Files.setOwner(env, nobody); // the 0.1.0 layout: env.conf and the file its account's
            assertTrue(load(env, "MARKET_HOLIDAYS", file.toString()).market().holidays().closes().size() == 1);
        } else {
            e = assertThrows(ConfigException.class, () -> load(dir.resolve("none.conf"), "MARKET_HOLIDAYS", file.toString()));
            assertTrue(e.getMessage().startsWith(file + ": is owned by " + System.getProperty("user.name")
                    + "; expected root's"), e.getMessage());
        }
        e = assertThrows(ConfigException.class, () -> load(env, "MARKET_HOLIDAYS", dir.resolve("gone").toString()));
        assertEquals(dir.resolve("gone") + ": does not exist; expected a file of holidays (MARKET_HOLIDAYS in " + env + ")",
                e.getMessage());
    }

    private static HealthConfig load(Path file, String... pairs) throws ConfigException {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        StrategyConfig strategy = StrategyConfig.from(new StrategyName("mr"), file, env);
        return HealthConfig.from(strategy, file, Path.of("/var/log/quant-supervision"), Path.of("/var/lib/quant-supervision"));
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
