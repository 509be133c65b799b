package org.quantsupervision.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code run NAME}: the ExecStart of quant-strategy@NAME.service and the command of the supervisor
 * conf. The launcher execs the monitor for it (bin/quant-monitor, src/main/c/monitor), which runs
 * {@code prepare} here; this command is its help, man page and completion, with the options the
 * launcher hands over to prepare. Reached in the JVM only through {@code java -m ... run}, which
 * must not supervise a strategy: only the monitor does.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run strategy NAME in the foreground: start it, restart it on crash, pet the watchdog. "
                + "SIGTERM/SIGINT stop it (SIGTERM, then SIGKILL after STOP_TIMEOUT); SIGHUP is passed on to it.")
final class RunCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAME", description = "The strategy, configured in /etc/strategies/NAME/env.conf.")
    String name;

    @Mixin
    PathOptions paths;

    @Override
    public Integer call() {
        throw new ExitException(ExitCodes.SOFTWARE, "run: the monitor runs strategies, not the JVM: start it through "
                + "the launcher (bin/quant-supervision run " + name + ")");
    }
}
