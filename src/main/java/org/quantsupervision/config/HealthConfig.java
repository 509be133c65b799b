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

import org.quantsupervision.schedule.ScheduleException;
import org.quantsupervision.schedule.WeeklySchedule;
import org.quantsupervision.schedule.WeeklyTimes;

/**
 * The health checker's settings for one strategy, read from the same env.conf as the runner's
 * (every key optional; defaults follow the reference article's script).
 *
 * <p>The keys, their types and defaults are in {@link Setting}.
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
        Optional<WeeklyTimes> restartAt,
        Duration crashUpdateInterval,
        Duration crashResolveAfter,
        Optional<WeeklySchedule> maintenance,
        Set<String> maintenanceChecks,
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
        Optional<Path> stateFile = keys.optional(Setting.STATE_FILE).map(Path::of);
        Setting apiKey = keys.optional(Setting.API_CHECK_URL).isPresent() ? Setting.API_CHECK_URL : Setting.GATEWAY_CHECK_URL;
        Optional<String> errorLogSetting = keys.optional(Setting.ERROR_LOG_FILE);
        Path errorLog = errorLogSetting.map(Path::of).orElse(logRoot.resolve(name.value()).resolve("strategy.log"));
        String patternText = keys.string(Setting.ERROR_PATTERN);
        Pattern errorPattern;
        try {
            errorPattern = Pattern.compile(patternText, Pattern.MULTILINE);
        } catch (PatternSyntaxException e) {
            throw keys.error(Setting.ERROR_PATTERN, ConfigKeys.quoted(patternText) + " is not a regular expression ("
                    + e.getDescription() + ")");
        }
        long memoryWarning = keys.bytes(Setting.MEMORY_WARNING);
        long memoryCritical = keys.bytes(Setting.MEMORY_CRITICAL);
        if (memoryWarning > memoryCritical) {
            throw keys.error(Setting.MEMORY_WARNING, "is above MEMORY_CRITICAL; expected a lower value");
        }
        int diskWarning = keys.percent(Setting.DISK_WARNING);
        int diskCritical = keys.percent(Setting.DISK_CRITICAL);
        Set<Path> written = new LinkedHashSet<>();
        written.add(stateRoot.resolve(name.value()));
        written.add(logRoot.resolve(name.value()));
        stateFile.map(Path::getParent).ifPresent(written::add);
        errorLogSetting.map(Path::of).map(Path::getParent).ifPresent(written::add);

        Map<String, List<String>> plugins = new java.util.TreeMap<>();
        List<StateRule> rules = new ArrayList<>();
        String firstRuleKey = null;
        for (String key : env.keySet()) {
            if (key.startsWith(Setting.CHECK_LABEL.prefix()) && key.length() > 6) {
                List<String> command = keys.words(key, "");
                if (command.isEmpty() || !command.get(0).startsWith("/")) {
                    throw keys.error(key, "expected the absolute path of a Nagios plugin, then its arguments");
                }
                plugins.put("check-" + label(key.substring(6)), command);
            } else if (key.startsWith(Setting.RULE_LABEL.prefix()) && key.length() > 5) {
                rules.add(StateRule.parse(keys, key, "rule-" + label(key.substring(5))));
                firstRuleKey = firstRuleKey == null ? key : firstRuleKey;
            }
        }
        rules.sort(java.util.Comparator.comparing(StateRule::label));
        if (firstRuleKey != null && stateFile.isEmpty()) {
            throw keys.error(firstRuleKey, "a rule needs STATE_FILE, the JSON file it reads; expected "
                    + "STATE_FILE=/path/to/state.json");
        }
        Set<String> restartOn = checks(keys, Setting.HEALTH_RESTART_ON, plugins, rules);
        Set<String> maintenanceChecks = checks(keys, Setting.MAINTENANCE_CHECKS, plugins, rules);
        Optional<WeeklySchedule> maintenance = schedule(keys, Setting.MAINTENANCE, WeeklySchedule::parse);
        Optional<WeeklyTimes> restartAt = schedule(keys, Setting.RESTART_AT, WeeklyTimes::parse);
        return new HealthConfig(name, stateFile,
                keys.duration(Setting.DATA_MAX_AGE),
                MarketHours.parse(keys),
                AlertTargets.url(keys, apiKey),
                keys.duration(Setting.API_CHECK_TIMEOUT),
                keys.positive(Setting.API_CHECK_STATUS),
                memoryWarning, memoryCritical,
                errorLog, errorLogSetting.isPresent(), errorPattern,
                keys.positive(Setting.ERROR_LINES),
                keys.whole(Setting.ERROR_WARNING),
                keys.whole(Setting.ERROR_CRITICAL),
                diskWarning, diskCritical, List.copyOf(written),
                java.util.Collections.unmodifiableMap(plugins),
                keys.duration(Setting.PLUGIN_TIMEOUT),
                pluginEnvironment(keys, strategy),
                List.copyOf(rules),
                keys.positive(Setting.HEALTH_FAILURES),
                keys.positive(Setting.HEALTH_FLAP_CHANGES),
                keys.duration(Setting.HEALTH_FLAP_WINDOW),
                keys.duration(Setting.HEALTH_GRACE),
                keys.yesNo(Setting.HEALTH_RESTART),
                Set.copyOf(restartOn),
                keys.duration(Setting.HEALTH_RESTART_COOLDOWN),
                restartAt,
                keys.duration(Setting.CRASH_UPDATE_INTERVAL),
                keys.duration(Setting.CRASH_RESOLVE_AFTER),
                maintenance,
                Set.copyOf(maintenanceChecks),
                AlertTargets.parse(new ConfigKeys(file, host.under(env))));
    }

    /**
     * The checks KEY names (blank or comma separated): built-in ones, or this file's plugins and
     * rules; a typo would silently never match.
     */
    private static Set<String> checks(ConfigKeys keys, Setting key, Map<String, List<String>> plugins,
            List<StateRule> rules) throws ConfigException {
        Set<String> names = new LinkedHashSet<>();
        for (String word : keys.words(key)) {
            for (String check : word.split(",")) {
                if (check.isEmpty()) {
                    continue;
                }
                if (!BUILT_IN.contains(check) && !plugins.containsKey(check)
                        && rules.stream().noneMatch(r -> r.label().equals(check))) {
                    throw keys.error(key, ConfigKeys.quoted(check) + " is not a check; expected names from "
                            + String.join(" ", BUILT_IN) + " or check-LABEL / rule-LABEL of this file");
                }
                names.add(check);
            }
        }
        return names;
    }

    /** How a schedule setting's value is read: its text, in the market's zone unless it names one. */
    private interface ScheduleParser<T> {
        T parse(String text, java.time.ZoneId zone) throws ScheduleException;
    }

    /** KEY's schedule (MAINTENANCE, RESTART_AT), if set; its error as KEY's. */
    private static <T> Optional<T> schedule(ConfigKeys keys, Setting key, ScheduleParser<T> parser)
            throws ConfigException {
        Optional<String> text = keys.optional(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.parse(text.get(), MarketHours.zone(keys)));
        } catch (ScheduleException e) {
            throw keys.error(key, e.getMessage());
        }
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
        for (String name : keys.words(Setting.PLUGIN_ENV)) {
            if (LOADER_PATHS.matcher(name).matches()) {
                throw keys.error(Setting.PLUGIN_ENV, name + " makes a program load code from a path the strategy may write; "
                        + "plugins run as the health checker and never get it");
            }
            String value = strategy.environment().get(name);
            if (value == null) {
                throw keys.error(Setting.PLUGIN_ENV, name + " is not set in this file (the strategy's settings only; "
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
