package org.quantsupervision.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code run NAME}: the ExecStart of quant-strategy@NAME.service and the command of the supervisor conf. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run strategy NAME in the foreground: start it, restart it on crash, pet the watchdog.")
final class RunCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAME", description = "The strategy, configured in /etc/strategies/NAME/env.conf.")
    String name;

    @Override
    public Integer call() {
        throw ExitException.notYetImplemented("run", 4);
    }
}
