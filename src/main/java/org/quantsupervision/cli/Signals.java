package org.quantsupervision.cli;

import java.util.function.Consumer;

import sun.misc.Signal;

/**
 * The signal handling of the runner and of the resident health checker. The JDK turns SIGTERM,
 * SIGINT and SIGHUP alike into an exit with shutdown hooks; the runner needs SIGTERM/SIGINT to
 * stop its strategy in order and then return, and SIGHUP passed on to the strategy (reload)
 * without stopping anything; the checker, SIGTERM to stop after its round and SIGHUP to start one.
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
