package org.quantsupervision.drill;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

import org.quantsupervision.record.RunnerRecord;

/**
 * Follows a strategy's runner through its runner.json, which every runner rewrites (atomically)
 * at each change of state or process: the drills time recovery by it. It is polled, because
 * the file is replaced by rename and an inotify watch would need re-arming on every change.
 */
final class RunnerWatch {
    /** Fine enough for restart times of a few milliseconds, and a small file to read. */
    private static final long POLL_MILLIS = 2;

    private final Path statusFile;
    private final long startNanos;
    private final long deadlineNanos;

    RunnerWatch(Path statusFile, long startNanos, Duration timeout) {
        this.statusFile = statusFile;
        this.startNanos = startNanos;
        this.deadlineNanos = startNanos + timeout.toNanos();
    }

    Optional<RunnerRecord> current() {
        return RunnerRecord.readFrom(statusFile);
    }

    /** Milliseconds since the drill's act. */
    long elapsed() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /**
     * The first snapshot that satisfies CONDITION, or empty at the deadline. EACH_POLL runs at
     * every poll (with the latest snapshot, if any) and may end the wait by returning false.
     */
    Optional<RunnerRecord> await(Predicate<RunnerRecord> condition, Predicate<Optional<RunnerRecord>> eachPoll)
            throws InterruptedException {
        while (System.nanoTime() < deadlineNanos) {
            Optional<RunnerRecord> s = current();
            if (!eachPoll.test(s)) {
                return Optional.empty();
            }
            if (s.isPresent() && condition.test(s.get())) {
                return s;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return Optional.empty();
    }

    Optional<RunnerRecord> await(Predicate<RunnerRecord> condition) throws InterruptedException {
        return await(condition, s -> true);
    }

    boolean timedOut() {
        return System.nanoTime() >= deadlineNanos;
    }
}
