package org.quantsupervision.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A strategy's settings: env.conf's variables ({@code settings}, all of them; {@code environment},
 * what the strategy gets: all but the alert channels' secrets) and the runner's own keys read
 * from the same file, each with a default that matches the reference article.
 *
 * <table>
 * <caption>Runner keys in env.conf</caption>
 * <tr><td>STRATEGY_COMMAND</td><td>/opt/strategies/NAME/venv/bin/python /opt/strategies/NAME/main.py</td>
 *     <td>the strategy's command; arguments split at blanks, no shell</td></tr>
 * <tr><td>STRATEGY_DIRECTORY</td><td>/opt/strategies/NAME</td><td>its working directory</td></tr>
 * <tr><td>REQUIRED_ENV</td><td>(none)</td><td>variables that must be set and not empty</td></tr>
 * <tr><td>HEARTBEAT_FILE</td><td>(none)</td><td>a file the strategy touches while it makes progress</td></tr>
 * <tr><td>HEARTBEAT_MAX_AGE</td><td>20s</td><td>older heartbeat (or a stopped process): hung, replaced</td></tr>
 * <tr><td>START_GRACE</td><td>3s</td><td>up this long counts as started (READY=1)</td></tr>
 * <tr><td>RESTART_DELAY_INITIAL</td><td>100ms</td><td>back-off after the second crash in a row</td></tr>
 * <tr><td>RESTART_DELAY_MAX</td><td>30s</td><td>back-off ceiling (doubling)</td></tr>
 * <tr><td>RESTART_RESET_AFTER</td><td>60s</td><td>uptime after which crashes are forgotten</td></tr>
 * <tr><td>GIVE_UP_AFTER</td><td>10</td><td>crashes within GIVE_UP_WINDOW that end the runner</td></tr>
 * <tr><td>GIVE_UP_WINDOW</td><td>5min</td><td></td></tr>
 * <tr><td>STOP_TIMEOUT</td><td>10s</td><td>SIGTERM to SIGKILL of the strategy's process group</td></tr>
 * <tr><td>LOG_MAX_BYTES</td><td>50M</td><td>log file rotation size (when not under systemd)</td></tr>
 * <tr><td>LOG_BACKUPS</td><td>10</td><td>rotated log files kept</td></tr>
 * </table>
 */
public record StrategyConfig(
        StrategyName name,
        List<String> command,
        Path directory,
        Map<String, String> settings,
        Map<String, String> environment,
        Optional<Path> heartbeatFile,
        Duration heartbeatMaxAge,
        Duration startGrace,
        Duration restartDelayInitial,
        Duration restartDelayMax,
        Duration restartResetAfter,
        int giveUpAfter,
        Duration giveUpWindow,
        Duration stopTimeout,
        long logMaxBytes,
        int logBackups) {

    private static final String DEFAULT_STOP_TIMEOUT = "10s";
    /** What a runner's stop takes beyond STOP_TIMEOUT: SIGKILL of what is left, the runner's exit. */
    private static final Duration STOP_MARGIN = Duration.ofSeconds(20);
    /** The least stop deadline a manager is given (the unit's TimeoutStopSec=30s). */
    private static final Duration LEAST_MANAGER_STOP_DEADLINE = Duration.ofSeconds(30);

    /**
     * How long a manager must let the runner take to stop: STOP_TIMEOUT and a margin, 30 s at
     * least. The one home of that figure: the runner extends systemd's stop timeout by it
     * (EXTEND_TIMEOUT_USEC), enable writes it as supervisord's stopwaitsecs=, doctor checks
     * stopwaitsecs= against it, and `quant-supervision restart` waits that long for the stop.
     */
    public Duration managerStopDeadline() {
        return withStopTimeout(stopTimeout);
    }

    /**
     * {@link #managerStopDeadline()} of the strategy whose env.conf is FILE, read by root (enable,
     * restart); the default's when the file is missing or bad (doctor and the runner report that).
     */
    public static Duration managerStopDeadlineOf(Path file) {
        try {
            Map<String, String> env = EnvironmentFile.parse(file, java.nio.file.Files.readAllBytes(file));
            return withStopTimeout(new ConfigKeys(file, env).duration("STOP_TIMEOUT", DEFAULT_STOP_TIMEOUT));
        } catch (java.io.IOException | ConfigException e) {
            return withStopTimeout(Durations.parse(DEFAULT_STOP_TIMEOUT));
        }
    }

    private static Duration withStopTimeout(Duration stopTimeout) {
        Duration d = stopTimeout.plus(STOP_MARGIN);
        return d.compareTo(LEAST_MANAGER_STOP_DEADLINE) < 0 ? LEAST_MANAGER_STOP_DEADLINE : d;
    }

    /** Reads and checks /etc/strategies/NAME/env.conf (under CONFIG_ROOT) as USER would, for NAME's ACCOUNT. */
    public static StrategyConfig load(StrategyName name, Path configRoot, String user, StrategyAccount account)
            throws ConfigException {
        Path file = configRoot.resolve(name.value()).resolve("env.conf");
        Map<String, String> env = EnvironmentFile.parse(file, SecureFile.read(file, user, account));
        return from(name, file, env);
    }

    /** Builds the settings from parsed variables; FILE names the source in errors. */
    public static StrategyConfig from(StrategyName name, Path file, Map<String, String> env) throws ConfigException {
        ConfigKeys keys = new ConfigKeys(file, env);
        String base = "/opt/strategies/" + name.value();
        List<String> command = keys.words("STRATEGY_COMMAND", base + "/venv/bin/python " + base + "/main.py");
        if (command.isEmpty() || !command.get(0).startsWith("/")) {
            throw new ConfigException(file, 0, "STRATEGY_COMMAND: expected an absolute path to the program, "
                    + "then its arguments (no shell, no PATH lookup)");
        }
        List<String> missing = new ArrayList<>();
        for (String required : keys.words("REQUIRED_ENV", "")) {
            if (env.getOrDefault(required, "").isEmpty()) {
                missing.add(required);
            }
        }
        if (!missing.isEmpty()) {
            throw new ConfigException(file, 0, "REQUIRED_ENV: " + String.join(", ", missing)
                    + (missing.size() == 1 ? " is" : " are") + " not set or empty; expected "
                    + String.join(", ", missing) + " in this file");
        }
        Map<String, String> environment = new LinkedHashMap<>(env);
        environment.keySet().removeAll(AlertTargets.SECRET_KEYS); // the health checker's, not the strategy's
        // Python buffers its output when it is not a terminal: the last lines before a crash
        // would be lost (the article's PYTHONUNBUFFERED=1), unless the file says otherwise.
        environment.putIfAbsent("PYTHONUNBUFFERED", "1");
        return new StrategyConfig(name, command,
                Path.of(keys.string("STRATEGY_DIRECTORY", base)),
                Map.copyOf(env),
                Map.copyOf(environment),
                keys.optional("HEARTBEAT_FILE").map(Path::of),
                keys.duration("HEARTBEAT_MAX_AGE", "20s"),
                keys.duration("START_GRACE", "3s"),
                keys.duration("RESTART_DELAY_INITIAL", "100ms"),
                keys.duration("RESTART_DELAY_MAX", "30s"),
                keys.duration("RESTART_RESET_AFTER", "60s"),
                keys.positive("GIVE_UP_AFTER", "10"),
                keys.duration("GIVE_UP_WINDOW", "5min"),
                keys.duration("STOP_TIMEOUT", DEFAULT_STOP_TIMEOUT),
                keys.bytes("LOG_MAX_BYTES", "50M"),
                keys.positive("LOG_BACKUPS", "10"));
    }
}
