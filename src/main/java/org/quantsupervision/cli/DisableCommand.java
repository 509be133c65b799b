package org.quantsupervision.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code disable NAME}: stop a strategy and keep it from starting at boot; its config stays. */
@Command(name = "disable", mixinStandardHelpOptions = true,
        description = "Stop strategy NAME and keep it from starting at boot (its configuration is kept).")
final class DisableCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAME", description = "The strategy.")
    String name;

    @Override
    public Integer call() {
        throw ExitException.notYetImplemented("disable", 6);
    }
}
