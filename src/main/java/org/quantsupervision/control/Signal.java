package org.quantsupervision.control;

/** The signals the runner sends, by their Linux x86-64/aarch64 numbers. */
public enum Signal {
    HUP(1), INT(2), KILL(9), TERM(15), CONT(18), STOP(19);

    private final int number;

    Signal(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }
}
