package org.quantsupervision.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StrategyConfigTest {
    private static final StrategyName NAME = new StrategyName("mean-reversion");
    private static final Path FILE = Path.of("/etc/strategies/mean-reversion/env.conf");

    @Test
    void defaultsMatchTheArticle() throws ConfigException {
        StrategyConfig c = StrategyConfig.from(NAME, FILE, Map.of("TICKDB_API_KEY", "k"));
        assertEquals(List.of("/opt/strategies/mean-reversion/venv/bin/python", "/opt/strategies/mean-reversion/main.py"),
                c.command());
        assertEquals(Path.of("/opt/strategies/mean-reversion"), c.directory());
        assertEquals("1", c.environment().get("PYTHONUNBUFFERED"));
        assertEquals("k", c.environment().get("TICKDB_API_KEY"));
        assertEquals(Optional.empty(), c.heartbeatFile());
        assertEquals(Duration.ofSeconds(10), c.stopTimeout());
        assertEquals(50L << 20, c.logMaxBytes());
    }

    @Test
    void runnerKeysAreRead() throws ConfigException {
        StrategyConfig c = StrategyConfig.from(NAME, FILE, Map.of(
                "STRATEGY_COMMAND", "/usr/bin/python3 -u /srv/s.py --live",
                "HEARTBEAT_FILE", "/run/quant-supervision/mean-reversion/hb",
                "HEARTBEAT_MAX_AGE", "5s", "RESTART_DELAY_INITIAL", "250ms", "GIVE_UP_WINDOW", "2min",
                "LOG_MAX_BYTES", "512K", "PYTHONUNBUFFERED", "0"));
        assertEquals(List.of("/usr/bin/python3", "-u", "/srv/s.py", "--live"), c.command());
        assertEquals(Optional.of(Path.of("/run/quant-supervision/mean-reversion/hb")), c.heartbeatFile());
        assertEquals(Duration.ofSeconds(5), c.heartbeatMaxAge());
        assertEquals(Duration.ofMillis(250), c.restartDelayInitial());
        assertEquals(Duration.ofMinutes(2), c.giveUpWindow());
        assertEquals(512L << 10, c.logMaxBytes());
        assertEquals("0", c.environment().get("PYTHONUNBUFFERED"), "the file's own value wins");
    }

    @Test
    void theHooksAreReadAndTheManagersStopDeadlineMakesRoomForThem() throws ConfigException {
        StrategyConfig none = StrategyConfig.from(NAME, FILE, Map.of());
        assertEquals(Optional.empty(), none.stopHook());
        assertEquals(Duration.ofSeconds(30), none.managerStopDeadline(), "10 s + 20 s");
        StrategyConfig c = StrategyConfig.from(NAME, FILE, Map.of("STOP_COMMAND", "/opt/s/cancel-all --venue x",
                "STOP_COMMAND_TIMEOUT", "25s", "STOP_TIMEOUT", "15s", "CRASH_COMMAND", "/opt/s/cancel-all"));
        assertEquals(List.of("/opt/s/cancel-all", "--venue", "x"), c.stopHook().orElseThrow().command());
        assertEquals(Duration.ofSeconds(10), c.crashHook().orElseThrow().timeout());
        assertEquals(Duration.ofSeconds(25 + 15 + 20), c.managerStopDeadline(), "the hook, then the strategy's stop");
        StrategyConfig slowCrash = StrategyConfig.from(NAME, FILE, Map.of("CRASH_COMMAND", "/opt/s/cancel-all",
                "CRASH_COMMAND_TIMEOUT", "2min"));
        assertEquals(Duration.ofSeconds(140), slowCrash.managerStopDeadline(), "a stop waits for a running CRASH_COMMAND");
    }

    @Test
    void aHookMustBeAnAbsoluteProgramWithTimeToRun() {
        ConfigException relative = assertThrows(ConfigException.class,
                () -> StrategyConfig.from(NAME, FILE, Map.of("STOP_COMMAND", "cancel-all.sh")));
        assertTrue(relative.getMessage().contains("STOP_COMMAND") && relative.getMessage().contains("absolute path"),
                relative.getMessage());
        ConfigException zero = assertThrows(ConfigException.class, () -> StrategyConfig.from(NAME, FILE,
                Map.of("CRASH_COMMAND", "/opt/s/cancel-all", "CRASH_COMMAND_TIMEOUT", "0s")));
        assertTrue(zero.getMessage().contains("CRASH_COMMAND_TIMEOUT"), zero.getMessage());
    }

    @Test
    void theAlertChannelsSecretsNeverReachTheStrategysEnvironmentButTheCheckerReadsThem() throws ConfigException {
        StrategyConfig c = StrategyConfig.from(NAME, FILE, Map.of("TICKDB_API_KEY", "k",
                "SLACK_WEBHOOK_URL", "https://hooks.example.invalid/T0/B0/secret",
                "PAGERDUTY_ROUTING_KEY", "R0UT1NG", "ALERT_WEBHOOK_URL", "https://hook.example.invalid/x",
                "WEBHOOK_URL", "https://hooks.example.invalid/old"));
        assertEquals(Map.of("TICKDB_API_KEY", "k", "PYTHONUNBUFFERED", "1"), c.environment());
        HealthConfig health = HealthConfig.from(c, FILE, Path.of("/var/log/quant-supervision"),
                Path.of("/var/lib/quant-supervision"));
        assertEquals(java.util.Optional.of("R0UT1NG"), health.alerts().pagerDutyKey());
        assertTrue(health.alerts().slack().isPresent() && health.alerts().webhook().isPresent());
    }

    @Test
    void missingRequiredKeysAreNamedTogether() {
        ConfigException e = assertThrows(ConfigException.class, () -> StrategyConfig.from(NAME, FILE,
                Map.of("REQUIRED_ENV", "TICKDB_API_KEY ALPACA_API_KEY ALPACA_SECRET_KEY", "ALPACA_API_KEY", "x",
                        "ALPACA_SECRET_KEY", "")));
        assertEquals(FILE + ": REQUIRED_ENV: TICKDB_API_KEY, ALPACA_SECRET_KEY are not set or empty; expected "
                + "TICKDB_API_KEY, ALPACA_SECRET_KEY in this file", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"STOP_TIMEOUT=ten", "START_GRACE=-1s", "GIVE_UP_AFTER=0", "LOG_BACKUPS=x",
        "LOG_MAX_BYTES=0", "STRATEGY_COMMAND=python main.py"})
    void badValuesNameTheKey(String assignment) {
        String key = assignment.substring(0, assignment.indexOf('='));
        ConfigException e = assertThrows(ConfigException.class, () -> StrategyConfig.from(NAME, FILE,
                Map.of(key, assignment.substring(key.length() + 1))));
        assertTrue(e.getMessage().startsWith(FILE + ": " + key + ": "), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"HEARTBEAT_MAX_AGE=999999999h", "STOP_TIMEOUT=87601h", "GIVE_UP_WINDOW=999999999min",
        "LOG_MAX_BYTES=999999999999G", "LOG_MAX_BYTES=65537G"})
    void valuesTooLargeAreConfigErrorsWhenLoaded(String assignment, @TempDir Path dir) throws IOException {
        // Such a span overflowed deep in the runner (ArithmeticException: exit 70, which systemd
        // restarts) and such a size wrapped round; both must be the normal config error (exit 78).
        String key = assignment.substring(0, assignment.indexOf('='));
        Path conf = Files.createDirectories(dir.resolve(NAME.value())).resolve("env.conf");
        Files.writeString(conf, "STRATEGY_COMMAND=/bin/true\n" + assignment + "\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        ConfigException e = assertThrows(ConfigException.class,
                () -> StrategyConfig.load(NAME, dir, System.getProperty("user.name"), StrategyAccount.SHARED));
        assertTrue(e.getMessage().startsWith(conf + ": " + key + ": '"), e.getMessage());
        assertTrue(e.getMessage().contains(" is too large; at most "), e.getMessage());
    }

    @Test
    void theLargestValuesAreAccepted() throws ConfigException {
        StrategyConfig c = StrategyConfig.from(NAME, FILE, Map.of("HEARTBEAT_MAX_AGE", "87600h",
                "STOP_TIMEOUT", "315360000", "LOG_MAX_BYTES", "65536G"));
        assertEquals(Duration.ofDays(3650), c.heartbeatMaxAge());
        assertEquals(Duration.ofDays(3650), c.stopTimeout());
        assertEquals(64L << 40, c.logMaxBytes());
    }

    @Test
    void aBadValueIsQuotedOnlyWhenItIsShortAndOnOneLine() {
        // A quoted value may span lines: quoting it would forge log lines; a long one is likelier
        // a pasted secret than a typo.
        ConfigException multiLine = assertThrows(ConfigException.class, () -> StrategyConfig.from(NAME, FILE,
                Map.of("STOP_TIMEOUT", "10s\nquant-supervision[1]: all good")));
        assertEquals(FILE + ": STOP_TIMEOUT: the value (34 characters, not shown) is not a duration; expected e.g. "
                + "500ms, 10s, 2min, 1h", multiLine.getMessage());
        String pasted = "sk_live_" + "0123456789".repeat(8);
        ConfigException longValue = assertThrows(ConfigException.class, () -> StrategyConfig.from(NAME, FILE,
                Map.of("LOG_MAX_BYTES", pasted)));
        assertFalse(longValue.getMessage().contains("sk_live"), longValue.getMessage());
        ConfigException shortValue = assertThrows(ConfigException.class, () -> StrategyConfig.from(NAME, FILE,
                Map.of("STOP_TIMEOUT", "ten")));
        assertTrue(shortValue.getMessage().contains("STOP_TIMEOUT: 'ten' is not a duration"), shortValue.getMessage());
    }

    @Test
    void aRootOwnedEnvConfIsReadThroughTheStrategiesGroupOnlyAndNeverIfOthersMayReadIt(@TempDir Path dir)
            throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("user.name").equals("root"),
                "needs a root-owned file");
        Path conf = Files.createDirectories(dir.resolve(NAME.value())).resolve("env.conf");
        Files.writeString(conf, "STRATEGY_COMMAND=/bin/true\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r--r--"));
        ConfigException e = assertThrows(ConfigException.class, () -> SecureFile.check(conf, "quant-user", StrategyAccount.SHARED));
        assertTrue(e.getMessage().endsWith("0644; it holds secrets: expected root:quant-group 0640 (chown root:quant-group "
                + conf + " && chmod 0640 " + conf + ")"), e.getMessage());
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        // root's 0600: the runner (quant-user) could not read it at all.
        assertThrows(ConfigException.class, () -> SecureFile.check(conf, "nobody", StrategyAccount.SHARED));
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r-----"));
        // Group-readable by root's own group, not quant-group: refused (the group would read the secrets).
        ConfigException wrongGroup = assertThrows(ConfigException.class, () -> SecureFile.check(conf, "nobody", StrategyAccount.SHARED));
        assertTrue(wrongGroup.getMessage().contains("expected root:quant-group 0640"), wrongGroup.getMessage());
    }

    @Test
    void envConfMustBeTheRunnersAndPrivate(@TempDir Path dir) throws IOException, ConfigException {
        String me = System.getProperty("user.name");
        Path conf = Files.createDirectories(dir.resolve(NAME.value())).resolve("env.conf");
        Files.writeString(conf, "STRATEGY_COMMAND=/bin/true\nTICKDB_API_KEY=secret\n");

        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r--r--"));
        ConfigException e = assertThrows(ConfigException.class, () -> StrategyConfig.load(NAME, dir, me, StrategyAccount.SHARED));
        assertEquals(conf + ": is accessible by group or others (mode 0644); it holds secrets: chmod 600 " + conf
                + ", or better chown root:quant-group " + conf + " && chmod 0640 " + conf, e.getMessage());

        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        e = assertThrows(ConfigException.class, () -> StrategyConfig.load(NAME, dir, "quant-user-not-me", StrategyAccount.SHARED));
        assertTrue(e.getMessage().contains(me.equals("root") ? "expected root:quant-group 0640"
                : "is owned by " + me + "; it holds secrets and must be root:quant-group 0640"), e.getMessage());

        assertEquals("secret", StrategyConfig.load(NAME, dir, me, StrategyAccount.SHARED).environment().get("TICKDB_API_KEY"));

        Path link = Files.createDirectories(dir.resolve("linked")).resolve("env.conf");
        Files.createSymbolicLink(link, conf);
        e = assertThrows(ConfigException.class, () -> StrategyConfig.load(new StrategyName("linked"), dir, me, StrategyAccount.SHARED));
        assertTrue(e.getMessage().contains("is not a regular file"), e.getMessage());

        e = assertThrows(ConfigException.class, () -> StrategyConfig.load(new StrategyName("absent"), dir, me, StrategyAccount.SHARED));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../etc", "a/b", ".hidden", "-flag", "a..b", "with space", "x\ny", "é"})
    void invalidNamesAreRefused(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StrategyName(name));
        assertTrue(e.getMessage().startsWith("invalid strategy name"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mean-reversion", "momentum_2", "a", "fx.eurusd"})
    void validNames(String name) {
        assertEquals(name, new StrategyName(name).value());
    }
}
