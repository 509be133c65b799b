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
 * <p>The keys, their types and defaults are in {@link Setting}.
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
        Optional<Hook> stopHook,
        Optional<Hook> crashHook,
        long logMaxBytes,
        int logBackups,
        FailoverConfig failover) {

    /** What a runner's stop takes beyond STOP_TIMEOUT: SIGKILL of what is left, the runner's exit. */
    private static final Duration STOP_MARGIN = Duration.ofSeconds(20);
    /** The least stop deadline a manager is given (the unit's TimeoutStopSec=30s). */
    private static final Duration LEAST_MANAGER_STOP_DEADLINE = Duration.ofSeconds(30);
    /** The kill switch's file in a strategy's configuration directory (quant-supervision halt). */
    private static final String HALT_FILE = "halted";

    /**
     * How long a manager must let the runner take to stop: STOP_COMMAND's timeout and STOP_TIMEOUT
     * (or a CRASH_COMMAND that runs when the stop comes, if longer), and a margin, 30 s at least.
     * The one home of that figure: the runner extends systemd's stop timeout by it
     * (EXTEND_TIMEOUT_USEC), enable writes it as supervisord's stopwaitsecs=, doctor and the
     * runner's start check stopwaitsecs= against it, and `quant-supervision restart` waits that
     * long for the stop.
     */
    public Duration managerStopDeadline() {
        return stopDeadline(stopTimeout, stopHook, crashHook);
    }

    /**
     * {@link #managerStopDeadline()} of the strategy whose env.conf is FILE, read by root (enable,
     * restart); the default's when the file is missing or bad (doctor and the runner report that).
     */
    public static Duration managerStopDeadlineOf(Path file) {
        try {
            Map<String, String> env = EnvironmentFile.parse(file, java.nio.file.Files.readAllBytes(file));
            ConfigKeys keys = new ConfigKeys(file, env);
            return stopDeadline(keys.duration(Setting.STOP_TIMEOUT),
                    Hook.read(keys, Setting.STOP_COMMAND, Setting.STOP_COMMAND_TIMEOUT),
                    Hook.read(keys, Setting.CRASH_COMMAND, Setting.CRASH_COMMAND_TIMEOUT));
        } catch (java.io.IOException | ConfigException e) {
            return stopDeadline(Durations.parse(Setting.STOP_TIMEOUT.defaultValue()), Optional.empty(), Optional.empty());
        }
    }

    /**
     * START_GRACE of the strategy whose env.conf is FILE, read by root ({@code resume} waits that
     * long, and a margin, for RUNNING); the default's when the file is missing or bad.
     */
    public static Duration startGraceOf(Path file) {
        try {
            Map<String, String> env = EnvironmentFile.parse(file, java.nio.file.Files.readAllBytes(file));
            return new ConfigKeys(file, env).duration(Setting.START_GRACE);
        } catch (java.io.IOException | ConfigException e) {
            return Durations.parse(Setting.START_GRACE.defaultValue());
        }
    }

    /** HEARTBEAT_FILE of the strategy whose env.conf is FILE ({@code status}); empty when unset, or the file is missing or bad. */
    public static Optional<Path> heartbeatFileOf(Path file) {
        try {
            Map<String, String> env = EnvironmentFile.parse(file, java.nio.file.Files.readAllBytes(file));
            return new ConfigKeys(file, env).optional(Setting.HEARTBEAT_FILE).map(Path::of).filter(Path::isAbsolute);
        } catch (java.io.IOException | ConfigException e) {
            return Optional.empty();
        }
    }

    private static Duration stopDeadline(Duration stopTimeout, Optional<Hook> stopHook, Optional<Hook> crashHook) {
        Duration running = Hook.timeoutOf(stopHook).plus(stopTimeout);
        Duration crashed = Hook.timeoutOf(crashHook); // a stop during a CRASH_COMMAND waits for it, with no strategy to end
        Duration d = (running.compareTo(crashed) >= 0 ? running : crashed).plus(STOP_MARGIN);
        return d.compareTo(LEAST_MANAGER_STOP_DEADLINE) < 0 ? LEAST_MANAGER_STOP_DEADLINE : d;
    }

    /** The kill switch's file of strategy NAME under CONFIG_ROOT: while it exists, NAME's runner keeps it stopped. */
    public static Path haltFileOf(Path configRoot, StrategyName name) {
        return configRoot.resolve(name.value()).resolve(HALT_FILE);
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
        List<String> command = keys.words(Setting.STRATEGY_COMMAND.key(), Setting.STRATEGY_COMMAND.defaultFor(name.value()));
        if (command.isEmpty() || !command.get(0).startsWith("/")) {
            throw new ConfigException(file, 0, "STRATEGY_COMMAND: expected an absolute path to the program, "
                    + "then its arguments (no shell, no PATH lookup)");
        }
        List<String> missing = new ArrayList<>();
        for (String required : keys.words(Setting.REQUIRED_ENV)) {
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
                Path.of(keys.string(Setting.STRATEGY_DIRECTORY.key(), Setting.STRATEGY_DIRECTORY.defaultFor(name.value()))),
                Map.copyOf(env),
                Map.copyOf(environment),
                keys.optional(Setting.HEARTBEAT_FILE).map(Path::of),
                keys.duration(Setting.HEARTBEAT_MAX_AGE),
                keys.duration(Setting.START_GRACE),
                keys.duration(Setting.RESTART_DELAY_INITIAL),
                keys.duration(Setting.RESTART_DELAY_MAX),
                keys.duration(Setting.RESTART_RESET_AFTER),
                keys.positive(Setting.GIVE_UP_AFTER),
                keys.duration(Setting.GIVE_UP_WINDOW),
                keys.duration(Setting.STOP_TIMEOUT),
                Hook.read(keys, Setting.STOP_COMMAND, Setting.STOP_COMMAND_TIMEOUT),
                Hook.read(keys, Setting.CRASH_COMMAND, Setting.CRASH_COMMAND_TIMEOUT),
                keys.bytes(Setting.LOG_MAX_BYTES),
                keys.positive(Setting.LOG_BACKUPS),
                FailoverConfig.from(file, env));
    }
}
