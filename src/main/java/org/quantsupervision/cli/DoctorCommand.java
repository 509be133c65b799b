package org.quantsupervision.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** {@code doctor}: the reference article's production checklist, checked by machine. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check this host against the production checklist (units, permissions, alerts, limits).")
final class DoctorCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw ExitException.notYetImplemented("doctor", 6);
    }
}
