package org.quantsupervision.health;

/** A check's outcome, with the Nagios plugin exit codes. */
public enum Status {
    OK(0), WARNING(1), CRITICAL(2), UNKNOWN(3);

    private final int code;

    Status(int code) {
        this.code = code;
    }

    /** The Nagios plugin exit code. */
    public int code() {
        return code;
    }

    /**
     * The worse of two, in the monitoring-plugins order (max_state in utils.c): CRITICAL, then
     * WARNING, then UNKNOWN, then OK. A check that could not tell does not hide a failure.
     */
    public Status worse(Status other) {
        return rank(other) > rank(this) ? other : this;
    }

    private static int rank(Status s) {
        return switch (s) {
            case OK -> 0;
            case UNKNOWN -> 1;
            case WARNING -> 2;
            case CRITICAL -> 3;
        };
    }
}
