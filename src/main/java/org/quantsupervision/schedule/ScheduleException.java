package org.quantsupervision.schedule;

/**
 * A schedule that cannot be read: one line saying what is wrong and what is expected, e.g.
 * "'Sun 18:00-Fry 17:00': 'Fry' is not a day; expected Mon ... Sun". The caller adds the key or
 * the file; {@link #line()} is the line of a file (0 when the text came from one setting).
 */
public final class ScheduleException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int line;

    public ScheduleException(String message) {
        this(0, message);
    }

    public ScheduleException(int line, String message) {
        super(message);
        this.line = line;
    }

    /** The line of the file the error is on, from 1; 0: not from a file. */
    public int line() {
        return line;
    }
}
