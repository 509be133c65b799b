package org.quantsupervision.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostAlertsTest {
    private static final String ME = System.getProperty("user.name");

    @TempDir
    Path dir;

    private Path alerts(String text, String mode) throws IOException {
        Path file = Files.writeString(dir.resolve("alerts.conf"), text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @Test
    void noFileMeansNoHostChannels() throws ConfigException {
        assertEquals(Map.of(), HostAlerts.load(dir.resolve("alerts.conf"), ME).settings());
    }

    @Test
    void theHostsChannelsApplyUnlessTheStrategySetsItsOwn() throws Exception {
        Path file = alerts("# host channels\nALERT_WEBHOOK_URL=\"http://127.0.0.1:9/host\"\nALERT_RETRIES=5\n", "rw-------");
        HostAlerts host = HostAlerts.load(file, ME);
        Path env = dir.resolve("env.conf");
        HealthConfig plain = health(env, Map.of("STRATEGY_COMMAND", "/bin/true", "ALERT_WEBHOOK_URL", ""), host);
        assertEquals(Optional.of(URI.create("http://127.0.0.1:9/host")), plain.alerts().webhook(),
                "an empty KEY= in env.conf is the template's line: the host's channel stays");
        assertEquals(5, plain.alerts().retries());
        HealthConfig own = health(env, Map.of("STRATEGY_COMMAND", "/bin/true", "ALERT_WEBHOOK_URL",
                "http://127.0.0.1:9/own"), host);
        assertEquals(Optional.of(URI.create("http://127.0.0.1:9/own")), own.alerts().webhook());
    }

    @Test
    void anythingButAlertSettingsIsRefusedNamingTheFileAndKey() throws IOException {
        Path file = alerts("ALERT_WEBHOOK_URL=http://127.0.0.1:9/h\nCHECK_X=/bin/true\n", "rw-------");
        ConfigException e = assertThrows(ConfigException.class, () -> HostAlerts.load(file, ME));
        assertTrue(e.getMessage().startsWith(file + ": CHECK_X: not alert settings; expected only ALERT_RETRIES, "),
                e.getMessage());
    }

    @Test
    void aBadUrlIsNamedWithThisFileAndNotQuoted() throws IOException {
        Path file = alerts("SLACK_WEBHOOK_URL=ftp://hooks.invalid/T0/B0/secret-part\n", "rw-------");
        ConfigException e = assertThrows(ConfigException.class, () -> HostAlerts.load(file, ME));
        assertTrue(e.getMessage().startsWith(file + ": SLACK_WEBHOOK_URL: not an http:// or https:// URL"), e.getMessage());
        assertFalse(e.getMessage().contains("secret-part"), e.getMessage());
    }

    @Test
    void aFileOthersMayReadIsRefused() throws IOException {
        Path file = alerts("ALERT_WEBHOOK_URL=http://127.0.0.1:9/h\n", "rw-r--r--");
        ConfigException e = assertThrows(ConfigException.class, () -> HostAlerts.load(file, ME));
        assertTrue(e.getMessage().contains("it holds secrets"), e.getMessage());
    }

    private static HealthConfig health(Path env, Map<String, String> variables, HostAlerts host) throws ConfigException {
        StrategyConfig strategy = StrategyConfig.from(new StrategyName("s"), env, variables);
        return HealthConfig.from(strategy, env, Path.of("/var/log/quant-supervision"), Path.of("/var/lib/quant-supervision"),
                host);
    }
}
