package org.quantsupervision.status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.quantsupervision.health.FileTail;
import org.quantsupervision.record.RunnerEvent;

/**
 * How often a strategy crashed lately, from its runner's events.jsonl: the runner restarts a
 * crash so fast that the restart count is all a glance shows otherwise.
 *
 * @param last the newest crash in the file's tail
 */
public record CrashRate(int lastHour, int lastDay, Optional<RunnerEvent> last) {
    /** Enough tail for a day of a crash loop that the runner has not given up on. */
    private static final int LINES = 2000;
    private static final long MAX_BYTES = 4L << 20;

    static final CrashRate NONE = new CrashRate(0, 0, Optional.empty());

    /** The crashes in STATE_DIR's events.jsonl as of NOW; none if it cannot be read. */
    static CrashRate of(Path stateDir, Instant now) {
        Path file = stateDir.resolve("events.jsonl");
        if (!Files.exists(file)) {
            return NONE;
        }
        int hour = 0;
        int day = 0;
        RunnerEvent last = null;
        try {
            for (String line : FileTail.lastLines(file, LINES, MAX_BYTES)) {
                if (!line.contains("\"crashed\"")) {
                    continue;
                }
                Optional<RunnerEvent> e = RunnerEvent.parse(line).filter(x -> x.event().equals("crashed"));
                if (e.isEmpty()) {
                    continue;
                }
                last = e.get();
                Duration age = Duration.between(last.time(), now);
                day += age.compareTo(Duration.ofDays(1)) <= 0 ? 1 : 0;
                hour += age.compareTo(Duration.ofHours(1)) <= 0 ? 1 : 0;
            }
        } catch (NoSuchFileException e) {
            return NONE;
        } catch (IOException e) {
            return NONE; // the events line of the status says the file is unreadable
        }
        return new CrashRate(hour, day, Optional.ofNullable(last));
    }
}
