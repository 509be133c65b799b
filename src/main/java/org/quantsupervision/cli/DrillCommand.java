package org.quantsupervision.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code drill NAME}: the article's recovery tests, run for real and timed. */
@Command(name = "drill", mixinStandardHelpOptions = true,
        description = "Run the recovery drills (kill the strategy, hang it, ...) on strategy NAME and time them.")
final class DrillCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAME", description = "The strategy to drill.")
    String name;

    @Override
    public Integer call() {
        throw ExitException.notYetImplemented("drill", 6);
    }
}
