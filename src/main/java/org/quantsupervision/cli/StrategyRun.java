package org.quantsupervision.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.quantsupervision.config.ConfigException;
import org.quantsupervision.config.StrategyAccount;
import org.quantsupervision.config.StrategyConfig;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.identity.FileCreationMask;
import org.quantsupervision.record.RunnerPaths;

/** What {@code prepare} starts from: NAME's checked env.conf and its directories, made. */
record StrategyRun(StrategyConfig config, RunnerPaths paths, Path haltFile) {
    /** Errors speak of `run`: that is what the operator ran (the monitor's first step is prepare). */
    private static final String COMMAND = "run";

    /** Loads NAME as this account. */
    static StrategyRun load(String name, PathOptions options) throws ExitException {
        StrategyName strategy;
        try {
            strategy = new StrategyName(name);
        } catch (IllegalArgumentException e) {
            throw new ExitException(ExitCodes.USAGE, COMMAND + ": " + e.getMessage());
        }
        // Group-readable, never writable: the health checker, a member of the strategy's group, reads
        // runner.json, events and logs (and the strategy's own STATE_FILE, which inherits this),
        // whatever umask supervisord or a unit drop-in gave (0.1.0's program files said 077).
        FileCreationMask.set(0027);
        StrategyConfig config;
        try {
            config = StrategyConfig.load(strategy, options.configDir, System.getProperty("user.name"),
                    StrategyAccount.of(strategy, options.stateDir));
        } catch (ConfigException e) {
            throw new ExitException(ExitCodes.CONFIG, e.getMessage());
        }
        RunnerPaths dirs = RunnerPaths.of(strategy, options.runtimeDir, options.stateDir, options.logDir);
        for (Path d : List.of(dirs.runtimeDir(), dirs.stateDir(), dirs.logDir())) {
            try {
                Files.createDirectories(d);
            } catch (AccessDeniedException e) {
                // The parents are root's: a strategy's directories come from `enable` or its unit.
                throw new ExitException(ExitCodes.CONFIG, COMMAND + ": " + d + " does not exist and "
                        + System.getProperty("user.name") + " may not create it: run `sudo quant-supervision enable "
                        + strategy.value() + "` (or start quant-strategy@" + strategy.value()
                        + ".service, whose unit makes it)");
            } catch (java.io.IOException e) {
                throw new ExitException(ExitCodes.CONFIG, COMMAND + ": cannot create " + d + ": " + e.getMessage());
            }
        }
        return new StrategyRun(config, dirs, StrategyConfig.haltFileOf(options.configDir, strategy));
    }
}
