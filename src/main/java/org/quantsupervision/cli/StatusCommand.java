package org.quantsupervision.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** {@code status}: the dashboard of every layer at a glance. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show every strategy across systemd, supervisord and the health checker.")
final class StatusCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw ExitException.notYetImplemented("status", 6);
    }
}
