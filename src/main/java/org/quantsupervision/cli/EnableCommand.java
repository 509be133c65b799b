package org.quantsupervision.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code enable NAME}: set a strategy up to start now and at every boot. */
@Command(name = "enable", mixinStandardHelpOptions = true,
        description = "Set strategy NAME up under systemd (or supervisord) and start it.")
final class EnableCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAME", description = "The strategy, configured in /etc/strategies/NAME/env.conf.")
    String name;

    @Override
    public Integer call() {
        throw ExitException.notYetImplemented("enable", 6);
    }
}
