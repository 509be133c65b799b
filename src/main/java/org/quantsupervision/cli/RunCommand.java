package org.quantsupervision.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.quantsupervision.config.ConfigException;
import org.quantsupervision.config.StrategyConfig;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.notify.Notifier;
import org.quantsupervision.runner.AlreadyRunningException;
import org.quantsupervision.runner.Runner;
import org.quantsupervision.runner.RunnerPaths;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code run NAME}: the ExecStart of quant-strategy@NAME.service and the command of the supervisor conf. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run strategy NAME in the foreground: start it, restart it on crash, pet the watchdog. "
                + "SIGTERM/SIGINT stop it (SIGTERM, then SIGKILL after STOP_TIMEOUT); SIGHUP is passed on to it.")
final class RunCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAME", description = "The strategy, configured in /etc/strategies/NAME/env.conf.")
    String name;

    @Option(names = "--config-dir", paramLabel = "DIR", defaultValue = "/etc/strategies",
            description = "Where NAME/env.conf is (default: ${DEFAULT-VALUE}).")
    Path configDir;

    @Option(names = "--runtime-dir", paramLabel = "DIR", defaultValue = "/run/quant-supervision",
            description = "Lock and runner.json go to DIR/NAME/ (default: ${DEFAULT-VALUE}).")
    Path runtimeDir;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "/var/lib/quant-supervision",
            description = "Events for the health checker go to DIR/NAME/ (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--log-dir", paramLabel = "DIR", defaultValue = "/var/log/quant-supervision",
            description = "Without a journal, the strategy's output goes to DIR/NAME/strategy.log "
                    + "(default: ${DEFAULT-VALUE}).")
    Path logDir;

    @Override
    public Integer call() throws Exception {
        StrategyName strategy;
        try {
            strategy = new StrategyName(name);
        } catch (IllegalArgumentException e) {
            throw new ExitException(ExitCodes.USAGE, "run: " + e.getMessage());
        }
        StrategyConfig config;
        try {
            config = StrategyConfig.load(strategy, configDir, System.getProperty("user.name"));
        } catch (ConfigException e) {
            throw new ExitException(ExitCodes.CONFIG, e.getMessage());
        }
        Runner runner = new Runner(config, RunnerPaths.of(strategy, runtimeDir, stateDir, logDir),
                Notifier.fromEnvironment(System.getenv()), System.getenv(), System.err);
        Signals.onStop(runner::requestStop);
        Signals.onReload(runner::requestReload);
        try {
            return runner.run() ? ExitCodes.OK : ExitCodes.FAILURE;
        } catch (AlreadyRunningException e) {
            throw new ExitException(ExitCodes.ALREADY_RUNNING, "run: " + e.getMessage());
        }
    }
}
