package org.quantsupervision.cli;

import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code health NAME... | --all}: what the health timer runs every 30 s. */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = "Check the health of strategies, alert, and restart the ones that fail.")
final class HealthCommand implements Callable<Integer> {

    @ArgGroup(multiplicity = "1")
    Selection selection;

    static final class Selection {
        @Parameters(paramLabel = "NAME", arity = "1..*", description = "Strategies to check.")
        List<String> names;

        @Option(names = "--all", required = true, description = "Check every strategy under /etc/strategies.")
        boolean all;
    }

    @Override
    public Integer call() {
        throw ExitException.notYetImplemented("health", 5);
    }
}
