package org.quantsupervision.process;

/** The signals the JVM's commands send (prepare's takeover, drill, demo), by their Linux x86-64/aarch64 numbers. */
public enum Signal {
    KILL(9), TERM(15), CONT(18), STOP(19);

    private final int number;

    Signal(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }
}
