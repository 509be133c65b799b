package org.quantsupervision.cli;

import java.util.concurrent.Callable;

import org.quantsupervision.notify.Notifier;
import org.quantsupervision.runner.AlreadyRunningException;
import org.quantsupervision.runner.Runner;

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
        StrategyRun run = StrategyRun.load("run", name, paths);
        Runner runner = new Runner(run.config(), run.paths(),
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
