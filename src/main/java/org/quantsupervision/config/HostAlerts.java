package org.quantsupervision.config;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The health checker's alert channels for every strategy on the host,
 * /etc/quant-supervision/alerts.conf (env.conf's syntax, 0640 root:quant-health): where the
 * channels' secrets belong, since no strategy can read this file, while each strategy can read
 * its own env.conf. A key set in a strategy's env.conf wins for that strategy (its alerts go
 * elsewhere), and doctor warns that the strategy can read it.
 *
 * @param file where the settings came from (named in errors)
 * @param settings the alert keys it sets
 */
public record HostAlerts(Path file, Map<String, String> settings) {
    /** Its place (a constant expression, for command-line defaults). */
    public static final String PATH = "/etc/quant-supervision/alerts.conf";
    public static final Path FILE = Path.of(PATH);
    /** What it may hold: the channels and how they are tried. */
    public static final Set<String> KEYS = Setting.of(Setting.Layer.ALERTS).stream().map(Setting::key)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    /** The checker's own account and group own it with root. */
    private static final StrategyAccount OWNERS = StrategyAccount.HEALTH_CHECKER_FILES;

    public static final HostAlerts NONE = new HostAlerts(FILE, Map.of());

    /** FILE read as USER would, checked; none if there is no such file. */
    public static HostAlerts load(Path file, String user) throws ConfigException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return new HostAlerts(file, Map.of());
        }
        Map<String, String> settings = EnvironmentFile.parse(file, SecureFile.read(file, user, OWNERS));
        Set<String> unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new ConfigException(file, 0, String.join(", ", unknown) + ": not alert settings; expected only "
                    + String.join(", ", new TreeSet<>(KEYS)) + " (a strategy's own settings go in its env.conf)");
        }
        HostAlerts alerts = new HostAlerts(file, Map.copyOf(settings));
        AlertTargets.parse(new ConfigKeys(file, alerts.settings)); // a bad URL is named with this file
        return alerts;
    }

    /**
     * The host's own channels, with no strategy's on top: where what concerns the host rather
     * than one strategy goes (the kill switch's alert), and nothing of an env.conf is in it.
     */
    public AlertTargets targets() throws ConfigException {
        return AlertTargets.parse(new ConfigKeys(file, settings));
    }

    /** A strategy's variables with these settings under them: the strategy's own keys win. */
    Map<String, String> under(Map<String, String> strategy) {
        Map<String, String> merged = new LinkedHashMap<>(settings);
        strategy.forEach((key, value) -> {
            if (!value.isBlank()) { // KEY= left empty in env.conf is the template's line, not "no channel"
                merged.put(key, value);
            }
        });
        return merged;
    }
}
