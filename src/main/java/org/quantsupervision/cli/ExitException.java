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

    /** For the entry points that later issues fill in: an error, never a fake success. */
    static ExitException notYetImplemented(String command, int issue) {
        return new ExitException(ExitCodes.UNAVAILABLE,
                command + ": not yet implemented in this version (tracked as issue #" + issue + ")");
    }
}
