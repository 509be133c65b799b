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
    /** A crash's line holds 20 lines of output of 300 bytes, escaped: well under this. */
    private static final int MAX_LINE = 64 << 10;
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
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
        int[] hour = {0};
        int[] day = {0};
        RunnerEvent[] last = {null};
        java.util.ArrayDeque<RunnerEvent> marks = new java.util.ArrayDeque<>();
        java.util.ArrayDeque<RunnerEvent> restarts = new java.util.ArrayDeque<>();
        Instant dayAgo = now.minus(Duration.ofDays(1));
        Instant hourAgo = now.minus(Duration.ofHours(1));
        notable(stateDir.resolve("events.jsonl"), now, e -> {
            if (e.event().equals("crashed")) {
                last[0] = e;
                day[0] += e.time().isAfter(dayAgo) ? 1 : 0;
                hour[0] += e.time().isAfter(hourAgo) ? 1 : 0;
            }
            if (e.time().isAfter(dayAgo)) {
                keep(marks, e);
            }
        });
        notable(healthDir.resolve("events.jsonl"), now, e -> {
            if (e.event().equals("restart") && e.time().isAfter(dayAgo)) {
                keep(restarts, e);
            }
        });
        List<RunnerEvent> sorted = new ArrayList<>(marks);
        sorted.addAll(restarts);
        sorted.sort(java.util.Comparator.comparing(RunnerEvent::time));
        return new RunnerHistory(hour[0], day[0], Optional.ofNullable(last[0]),
                List.copyOf(sorted.subList(Math.max(0, sorted.size() - MARKS), sorted.size())));
    }

    /** The newest MARKS of one file's marks (it is read oldest first); a crash's output is for alerts, not marks. */
    private static void keep(java.util.ArrayDeque<RunnerEvent> marks, RunnerEvent e) {
        marks.addLast(new RunnerEvent(e.time(), e.event(), e.message(), e.pid(), e.exitCode(), e.signal(),
                e.coreDumped(), e.uptimeMillis(), e.hook(), List.of()));
        if (marks.size() > MARKS) {
            marks.removeFirst();
        }
    }

    /**
     * FILE's notable events in its tail, oldest first, to ACTION; none if it cannot be read. The
     * file is the strategy's account's to write: a line longer than any event the runner writes is
     * cut (and so dropped as no event), and a time the runner cannot have written (before 2000,
     * after NOW and a minute's clock skew) is no event either, so that no forged line can count
     * as a crash for ever or fail the page's clock arithmetic.
     */
    private static void notable(Path file, Instant now, java.util.function.Consumer<RunnerEvent> action) {
        if (!Files.exists(file)) {
            return;
        }
        Instant latest = now.plus(Duration.ofMinutes(1));
        try {
            FileTail.forEachLast(file, LINES, MAX_BYTES, MAX_LINE, line -> RunnerEvent.parse(line)
                    .filter(e -> NOTABLE.contains(e.event()) && e.time().isAfter(EARLIEST) && !e.time().isAfter(latest))
                    .ifPresent(action));
        } catch (IOException e) {
            // the events line of the status says the file is unreadable
        }
    }
}
