package org.quantsupervision.cli;

import java.util.function.Consumer;

import sun.misc.Signal;

/**
 * The signal handling of the commands that end their own work in order (demo, drill, the resident
 * health checker). The JDK turns SIGTERM, SIGINT and SIGHUP alike into an exit with shutdown
 * hooks; these need SIGTERM/SIGINT to clean up and return, and the checker SIGHUP to start a round.
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

    static void onReload(Runnable action) {
        Signal.handle(new Signal("HUP"), signal -> action.run());
    }
}
