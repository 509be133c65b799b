package org.quantsupervision.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The health checker's settings for one strategy, read from the same env.conf as the runner's
 * (every key optional; defaults follow the reference article's script).
 *
 * <table>
 * <caption>Health keys in env.conf</caption>
 * <tr><td>STATE_FILE</td><td>(none)</td><td>the strategy's JSON state file: its age is the data-freshness
 *     check, its fields feed RULE_ keys; without it both are skipped</td></tr>
 * <tr><td>DATA_MAX_AGE</td><td>60s</td><td>older state file while the market is open: CRITICAL</td></tr>
 * <tr><td>MARKET_DAYS</td><td>Mon-Sun</td><td>trading days, e.g. Mon-Fri</td></tr>
 * <tr><td>MARKET_HOURS</td><td>00:00-24:00</td><td>session, e.g. 09:30-16:00 (overnight: 18:00-17:00)</td></tr>
 * <tr><td>MARKET_TIMEZONE</td><td>UTC</td><td>e.g. America/New_York</td></tr>
 * <tr><td>MARKET_HOLIDAYS</td><td>(none)</td><td>closed dates, YYYY-MM-DD, blank or comma separated</td></tr>
 * <tr><td>API_CHECK_URL</td><td>(none; GATEWAY_CHECK_URL)</td><td>GET must answer API_CHECK_STATUS</td></tr>
 * <tr><td>API_CHECK_TIMEOUT</td><td>5s</td><td></td></tr>
 * <tr><td>API_CHECK_STATUS</td><td>200</td><td></td></tr>
 * <tr><td>MEMORY_WARNING / MEMORY_CRITICAL</td><td>2560M / 3072M</td><td>RSS of the strategy's process tree</td></tr>
 * <tr><td>ERROR_LOG_FILE</td><td>/var/log/quant-supervision/NAME/strategy.log</td><td>log read for errors</td></tr>
 * <tr><td>ERROR_PATTERN</td><td>ERROR|CRITICAL</td><td>regular expression; a matching line counts</td></tr>
 * <tr><td>ERROR_LINES</td><td>1000</td><td>how many of the last lines are looked at</td></tr>
 * <tr><td>ERROR_WARNING / ERROR_CRITICAL</td><td>2 / 100</td><td>more matching lines than this</td></tr>
 * <tr><td>DISK_WARNING / DISK_CRITICAL</td><td>90 / 95</td><td>percent used of the file systems the
 *     strategy writes to</td></tr>
 * <tr><td>CHECK_LABEL</td><td></td><td>a Nagios plugin command (absolute path, arguments)</td></tr>
 * <tr><td>PLUGIN_TIMEOUT</td><td>10s</td><td>a plugin running longer is UNKNOWN (and killed)</td></tr>
 * <tr><td>PLUGIN_ENV</td><td></td><td>the strategy's settings its plugins get in their environment
 *     (names; never the loader's or interpreters' search paths)</td></tr>
 * <tr><td>RULE_LABEL</td><td></td><td>a rule on the state file, e.g. /positions_in_error &gt; 0</td></tr>
 * <tr><td>HEALTH_FAILURES</td><td>3</td><td>consecutive CRITICAL runs of a check before alert and restart</td></tr>
 * <tr><td>HEALTH_FLAP_CHANGES / HEALTH_FLAP_WINDOW</td><td>5 / 10min</td><td>that many status changes
 *     within the window: flapping (alerted once, no restarts)</td></tr>
 * <tr><td>HEALTH_GRACE</td><td>60s</td><td>after a strategy (re)starts, failures are shown, not counted</td></tr>
 * <tr><td>HEALTH_RESTART</td><td>yes</td><td>restart the strategy through its manager</td></tr>
 * <tr><td>HEALTH_RESTART_ON</td><td>process freshness memory gave-up</td><td>checks whose failure restarts</td></tr>
 * <tr><td>HEALTH_RESTART_COOLDOWN</td><td>5min</td><td>at most one restart per this span</td></tr>
 * <tr><td>SLACK_WEBHOOK_URL, PAGERDUTY_ROUTING_KEY, ALERT_WEBHOOK_URL</td><td>(none)</td><td>alert channels
 *     (secrets)</td></tr>
 * <tr><td>ALERT_TIMEOUT / ALERT_RETRIES</td><td>3s / 2</td><td>per attempt / further attempts</td></tr>
 * </table>
 */
public record HealthConfig(
        StrategyName name,
        Optional<Path> stateFile,
        Duration dataMaxAge,
        MarketHours market,
        Optional<URI> apiUrl,
        Duration apiTimeout,
        int apiStatus,
        long memoryWarning,
        long memoryCritical,
        Path errorLog,
        boolean errorLogConfigured,
        Pattern errorPattern,
        int errorLines,
        int errorWarning,
        int errorCritical,
        int diskWarning,
        int diskCritical,
        List<Path> writtenDirectories,
        Map<String, List<String>> plugins,
        Duration pluginTimeout,
        Map<String, String> pluginEnvironment,
        List<StateRule> rules,
        int failuresBeforeAction,
        int flapChanges,
        Duration flapWindow,
        Duration grace,
        boolean restart,
        Set<String> restartOn,
        Duration restartCooldown,
        AlertTargets alerts) {

    /** The names of the built-in checks, as in output, state and HEALTH_RESTART_ON. */
    public static final List<String> BUILT_IN = List.of(
            "process", "gave-up", "freshness", "api", "memory", "error-rate", "disk");

    /** Reads the health keys from a loaded strategy's variables; LOG_ROOT is where the runner writes logs. */
    public static HealthConfig from(StrategyConfig strategy, Path file, Path logRoot, Path stateRoot)
            throws ConfigException {
        return from(strategy, file, logRoot, stateRoot, HostAlerts.NONE);
    }

    /** As above, with the host's alert channels under the strategy's own (HOST). */
    public static HealthConfig from(StrategyConfig strategy, Path file, Path logRoot, Path stateRoot, HostAlerts host)
            throws ConfigException {
        Map<String, String> env = strategy.settings();
        ConfigKeys keys = new ConfigKeys(file, env);
        StrategyName name = strategy.name();
        Optional<Path> stateFile = keys.optional("STATE_FILE").map(Path::of);
        String apiKey = keys.optional("API_CHECK_URL").isPresent() ? "API_CHECK_URL" : "GATEWAY_CHECK_URL";
        Optional<String> errorLogSetting = keys.optional("ERROR_LOG_FILE");
        Path errorLog = errorLogSetting.map(Path::of).orElse(logRoot.resolve(name.value()).resolve("strategy.log"));
        String patternText = keys.string("ERROR_PATTERN", "ERROR|CRITICAL");
        Pattern errorPattern;
        try {
            errorPattern = Pattern.compile(patternText, Pattern.MULTILINE);
        } catch (PatternSyntaxException e) {
            throw keys.error("ERROR_PATTERN", ConfigKeys.quoted(patternText) + " is not a regular expression ("
                    + e.getDescription() + ")");
        }
        long memoryWarning = keys.bytes("MEMORY_WARNING", "2560M");
        long memoryCritical = keys.bytes("MEMORY_CRITICAL", "3072M");
        if (memoryWarning > memoryCritical) {
            throw keys.error("MEMORY_WARNING", "is above MEMORY_CRITICAL; expected a lower value");
        }
        int diskWarning = keys.percent("DISK_WARNING", "90");
        int diskCritical = keys.percent("DISK_CRITICAL", "95");
        Set<Path> written = new LinkedHashSet<>();
        written.add(stateRoot.resolve(name.value()));
        written.add(logRoot.resolve(name.value()));
        stateFile.map(Path::getParent).ifPresent(written::add);
        errorLogSetting.map(Path::of).map(Path::getParent).ifPresent(written::add);

        Map<String, List<String>> plugins = new java.util.TreeMap<>();
        List<StateRule> rules = new ArrayList<>();
        String firstRuleKey = null;
        for (String key : env.keySet()) {
            if (key.startsWith("CHECK_") && key.length() > 6) {
                List<String> command = keys.words(key, "");
                if (command.isEmpty() || !command.get(0).startsWith("/")) {
                    throw keys.error(key, "expected the absolute path of a Nagios plugin, then its arguments");
                }
                plugins.put("check-" + label(key.substring(6)), command);
            } else if (key.startsWith("RULE_") && key.length() > 5) {
                rules.add(StateRule.parse(keys, key, "rule-" + label(key.substring(5))));
                firstRuleKey = firstRuleKey == null ? key : firstRuleKey;
            }
        }
        rules.sort(java.util.Comparator.comparing(StateRule::label));
        if (firstRuleKey != null && stateFile.isEmpty()) {
            throw keys.error(firstRuleKey, "a rule needs STATE_FILE, the JSON file it reads; expected "
                    + "STATE_FILE=/path/to/state.json");
        }
        Set<String> restartOn = new LinkedHashSet<>(keys.words("HEALTH_RESTART_ON", "process freshness memory gave-up"));
        for (String check : restartOn) {
            if (!BUILT_IN.contains(check) && !plugins.containsKey(check)
                    && rules.stream().noneMatch(r -> r.label().equals(check))) {
                throw keys.error("HEALTH_RESTART_ON", ConfigKeys.quoted(check) + " is not a check; expected names from "
                        + String.join(" ", BUILT_IN) + " or check-LABEL / rule-LABEL of this file");
            }
        }
        return new HealthConfig(name, stateFile,
                keys.duration("DATA_MAX_AGE", "60s"),
                MarketHours.parse(keys),
                AlertTargets.url(keys, apiKey),
                keys.duration("API_CHECK_TIMEOUT", "5s"),
                keys.positive("API_CHECK_STATUS", "200"),
                memoryWarning, memoryCritical,
                errorLog, errorLogSetting.isPresent(), errorPattern,
                keys.positive("ERROR_LINES", "1000"),
                keys.whole("ERROR_WARNING", "2"),
                keys.whole("ERROR_CRITICAL", "100"),
                diskWarning, diskCritical, List.copyOf(written),
                java.util.Collections.unmodifiableMap(plugins),
                keys.duration("PLUGIN_TIMEOUT", "10s"),
                pluginEnvironment(keys, strategy),
                List.copyOf(rules),
                keys.positive("HEALTH_FAILURES", "3"),
                keys.positive("HEALTH_FLAP_CHANGES", "5"),
                keys.duration("HEALTH_FLAP_WINDOW", "10min"),
                keys.duration("HEALTH_GRACE", "60s"),
                keys.yesNo("HEALTH_RESTART", "yes"),
                Set.copyOf(restartOn),
                keys.duration("HEALTH_RESTART_COOLDOWN", "5min"),
                AlertTargets.parse(new ConfigKeys(file, host.under(env))));
    }

    /**
     * Variables that make a program load code from a path: never handed to a plugin, which runs
     * as the checker, since the strategy's account may write where they point.
     */
    private static final java.util.regex.Pattern LOADER_PATHS = java.util.regex.Pattern.compile(
            "LD_.*|PYTHON(PATH|HOME|STARTUP|USERBASE)|PERL5?LIB|PERL5OPT|RUBYLIB|RUBYOPT|NODE_PATH|NODE_OPTIONS"
                    + "|BASH_ENV|ENV|JAVA_TOOL_OPTIONS|_JAVA_OPTIONS|JDK_JAVA_OPTIONS|CLASSPATH|GCONV_PATH|HOSTALIASES");

    /** The settings PLUGIN_ENV names, from the strategy's environment (which holds no alert secret). */
    private static Map<String, String> pluginEnvironment(ConfigKeys keys, StrategyConfig strategy)
            throws ConfigException {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (String name : keys.words("PLUGIN_ENV", "")) {
            if (LOADER_PATHS.matcher(name).matches()) {
                throw keys.error("PLUGIN_ENV", name + " makes a program load code from a path the strategy may write; "
                        + "plugins run as the health checker and never get it");
            }
            String value = strategy.environment().get(name);
            if (value == null) {
                throw keys.error("PLUGIN_ENV", name + " is not set in this file (the strategy's settings only; "
                        + "not an alert channel's)");
            }
            env.put(name, value);
        }
        return java.util.Collections.unmodifiableMap(env);
    }

    /** A span as env.conf writes it ("30s", "2min"), for command-line options. */
    public static Duration span(String text) {
        return Durations.parse(text);
    }

    /** CHECK_POSITIONS_OK → positions-ok. */
    private static String label(String suffix) {
        return suffix.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
