package org.quantsupervision.cli;

/**
 * Ends a command with a given exit status and a one-line message for standard error.
 * Thrown by commands; turned into the exit status by {@link QuantSupervision#commandLine()}.
 */
public final class ExitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public ExitException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
