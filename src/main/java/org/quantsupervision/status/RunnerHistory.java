package org.quantsupervision.status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.quantsupervision.health.FileTail;
import org.quantsupervision.record.RunnerEvent;

/**
 * What happened to a strategy lately, from the runner's events.jsonl and the health checker's:
 * how often it crashed (the runner restarts a crash so fast that the restart count is all a
 * glance shows otherwise) and the day's notable events, for the status page's timeline.
 *
 * @param last the newest crash in the file's tail
 * @param day the notable events of the last 24 hours, oldest first (at most {@link #MARKS})
 */
public record RunnerHistory(int lastHour, int lastDay, Optional<RunnerEvent> last, List<RunnerEvent> day) {
    /** Enough tail for a day of a crash loop that the runner has not given up on. */
    private static final int LINES = 2000;
    private static final long MAX_BYTES = 4L << 20;
    /** A crash loop's day would draw 2000 marks on top of one another: the newest this many are enough. */
    static final int MARKS = 200;
    /**
     * The events a timeline shows: the runner's ends of a run (each followed by a restart, unless
     * it gave up or was halted), its halts and failover changes, and the health checker's restarts.
     */
    static final Set<String> NOTABLE = Set.of("crashed", "replaced", "gave-up", "halted", "resumed", "leader",
            "standby", "fenced", "handed-over", "restart");

    static final RunnerHistory NONE = new RunnerHistory(0, 0, Optional.empty(), List.of());

    /** The history in STATE_DIR's events.jsonl and HEALTH_DIR's as of NOW; none where a file cannot be read. */
    static RunnerHistory of(Path stateDir, Path healthDir, Instant now) {
        int hour = 0;
        int day = 0;
        RunnerEvent last = null;
        List<RunnerEvent> marks = new ArrayList<>();
        for (RunnerEvent e : notable(stateDir.resolve("events.jsonl"))) {
            Duration age = Duration.between(e.time(), now);
            if (age.compareTo(Duration.ofDays(1)) <= 0) {
                marks.add(e);
            }
            if (e.event().equals("crashed")) {
                last = e;
                day += age.compareTo(Duration.ofDays(1)) <= 0 ? 1 : 0;
                hour += age.compareTo(Duration.ofHours(1)) <= 0 ? 1 : 0;
            }
        }
        for (RunnerEvent e : notable(healthDir.resolve("events.jsonl"))) {
            if (e.event().equals("restart") && Duration.between(e.time(), now).compareTo(Duration.ofDays(1)) <= 0) {
                marks.add(e);
            }
        }
        marks.sort(java.util.Comparator.comparing(RunnerEvent::time));
        return new RunnerHistory(hour, day, Optional.ofNullable(last),
                List.copyOf(marks.subList(Math.max(0, marks.size() - MARKS), marks.size())));
    }

    /** FILE's notable events in its tail, oldest first; none if it cannot be read. */
    private static List<RunnerEvent> notable(Path file) {
        List<RunnerEvent> events = new ArrayList<>();
        if (!Files.exists(file)) {
            return events;
        }
        try {
            for (String line : FileTail.lastLines(file, LINES, MAX_BYTES)) {
                RunnerEvent.parse(line).filter(e -> NOTABLE.contains(e.event())).ifPresent(events::add);
            }
        } catch (IOException e) {
            return List.of(); // the events line of the status says the file is unreadable
        }
        return events;
    }
}
