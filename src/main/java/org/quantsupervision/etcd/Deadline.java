package org.quantsupervision.etcd;

import java.time.Duration;

/** The end of one call's budget, on the monotonic clock: every attempt of the call shares it. */
final class Deadline {
    private final Duration budget;
    private final long end;

    private Deadline(Duration budget) {
        this.budget = budget;
        this.end = System.nanoTime() + budget.toNanos();
    }

    static Deadline after(Duration budget) {
        return new Deadline(budget);
    }

    /** What is left, zero once past. */
    Duration remaining() {
        return Duration.ofNanos(Math.max(0, end - System.nanoTime()));
    }

    boolean expired() {
        return end - System.nanoTime() <= 0;
    }

    /** The whole budget, for messages. */
    Duration budget() {
        return budget;
    }
}
