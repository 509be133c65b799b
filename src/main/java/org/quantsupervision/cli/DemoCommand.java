package org.quantsupervision.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** {@code demo}: the whole stack in a temporary directory, without root. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole stack on a sample strategy in a temporary directory, without root.")
final class DemoCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw ExitException.notYetImplemented("demo", 6);
    }
}
