package org.quantsupervision.cli;

import java.util.function.Consumer;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT for the commands that clean up before they exit (demo, drill, the health
 * checker's loop): the JDK's default is an exit through shutdown hooks; these commands end their
 * own work in order instead (interrupt, clean up, return).
 */
final class Signals {
    private Signals() {
    }

    /** Handles SIGTERM and SIGINT with ACTION; closing the result puts the previous handlers back. */
    static AutoCloseable onStop(Consumer<String> action) {
        Signal term = new Signal("TERM");
        Signal interrupt = new Signal("INT");
        sun.misc.SignalHandler previousTerm = Signal.handle(term, signal -> action.accept("SIG" + signal.getName()));
        sun.misc.SignalHandler previousInt = Signal.handle(interrupt, signal -> action.accept("SIG" + signal.getName()));
        return () -> {
            Signal.handle(term, previousTerm);
            Signal.handle(interrupt, previousInt);
        };
    }
}
