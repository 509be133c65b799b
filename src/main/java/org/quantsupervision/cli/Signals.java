package org.quantsupervision.cli;

import java.util.function.Consumer;

import sun.misc.Signal;

/**
 * The runner's signal handling. The JDK turns SIGTERM, SIGINT and SIGHUP alike into an exit
 * with shutdown hooks; the runner needs SIGTERM/SIGINT to stop its strategy in order and then
 * return, and SIGHUP passed on to the strategy (reload) without stopping anything.
 */
final class Signals {
    private Signals() {
    }

    static void onStop(Consumer<String> action) {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> action.accept("SIG" + signal.getName()));
        }
    }

    static void onReload(Runnable action) {
        Signal.handle(new Signal("HUP"), signal -> action.run());
    }
}
