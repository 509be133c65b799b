package org.quantsupervision.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.quantsupervision.config.ConfigException;
import org.quantsupervision.config.StrategyAccount;
import org.quantsupervision.config.StrategyConfig;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.identity.FileCreationMask;
import org.quantsupervision.notify.Notifier;
import org.quantsupervision.runner.AlreadyRunningException;
import org.quantsupervision.runner.Runner;
import org.quantsupervision.runner.RunnerPaths;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code run NAME}: the ExecStart of quant-strategy@NAME.service and the command of the supervisor conf. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run strategy NAME in the foreground: start it, restart it on crash, pet the watchdog. "
                + "SIGTERM/SIGINT stop it (SIGTERM, then SIGKILL after STOP_TIMEOUT); SIGHUP is passed on to it.")
final class RunCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAME", description = "The strategy, configured in /etc/strategies/NAME/env.conf.")
    String name;

    @Mixin
    PathOptions paths;

    @Override
    public Integer call() throws Exception {
        StrategyName strategy;
        try {
            strategy = new StrategyName(name);
        } catch (IllegalArgumentException e) {
            throw new ExitException(ExitCodes.USAGE, "run: " + e.getMessage());
        }
        // Group-readable, never writable: the health checker, a member of the strategy's group, reads
        // runner.json, events and logs (and the strategy's own STATE_FILE, which inherits this),
        // whatever umask supervisord or a unit drop-in gave (0.1.0's program files said 077).
        FileCreationMask.set(0027);
        StrategyConfig config;
        try {
            config = StrategyConfig.load(strategy, paths.configDir, System.getProperty("user.name"),
                    StrategyAccount.of(strategy, paths.stateDir));
        } catch (ConfigException e) {
            throw new ExitException(ExitCodes.CONFIG, e.getMessage());
        }
        RunnerPaths dirs = RunnerPaths.of(strategy, paths.runtimeDir, paths.stateDir, paths.logDir);
        for (Path d : List.of(dirs.runtimeDir(), dirs.stateDir(), dirs.logDir())) {
            try {
                Files.createDirectories(d);
            } catch (AccessDeniedException e) {
                // The parents are root's: a strategy's directories come from `enable` or its unit.
                throw new ExitException(ExitCodes.CONFIG, "run: " + d + " does not exist and "
                        + System.getProperty("user.name") + " may not create it: run `sudo quant-supervision enable "
                        + strategy.value() + "` (or start quant-strategy@" + strategy.value()
                        + ".service, whose unit makes it)");
            }
        }
        Runner runner = new Runner(config, dirs,
                Notifier.fromEnvironment(System.getenv()), System.getenv(), System.err);
        Signals.onStop(runner::requestStop);
        Signals.onReload(runner::requestReload);
        try {
            return runner.run() ? ExitCodes.OK : ExitCodes.GAVE_UP;
        } catch (AlreadyRunningException e) {
            throw new ExitException(ExitCodes.ALREADY_RUNNING, "run: " + e.getMessage());
        }
    }
}
