package org.quantsupervision.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Optional;

/**
 * The strategy's progress as seen in its HEARTBEAT_FILE: every change of the file's mtime is
 * progress, timed on the monotonic clock when the runner sees it. The mtime itself is never
 * compared with the wall clock, so a clock step (NTP, an operator's `date -s`) neither makes a
 * healthy strategy look hung (forward) nor a hung one look alive (backward).
 */
final class HeartbeatWatch {
    private final Path file;
    private Optional<FileTime> lastSeen = Optional.empty();
    private long changedAtNanos;

    HeartbeatWatch(Path file) {
        this.file = file;
    }

    /** A new run of the strategy started at STARTED_NANOS: its progress counts from then at the earliest. */
    void startedAt(long startedNanos) {
        changedAtNanos = Math.max(changedAtNanos, startedNanos);
    }

    /** How long ago, at NOW_NANOS, the file last changed (or the strategy started, if later). */
    Duration sinceProgress(long nowNanos) {
        Optional<FileTime> mtime = mtime();
        if (mtime.isPresent() && !mtime.equals(lastSeen)) {
            lastSeen = mtime;
            changedAtNanos = nowNanos;
        }
        return Duration.ofNanos(Math.max(0, nowNanos - changedAtNanos));
    }

    private Optional<FileTime> mtime() {
        try {
            return Optional.of(Files.getLastModifiedTime(file));
        } catch (IOException e) {
            return Optional.empty(); // no heartbeat yet: no progress to see
        }
    }
}
