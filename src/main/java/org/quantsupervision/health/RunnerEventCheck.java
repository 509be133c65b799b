package org.quantsupervision.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.quantsupervision.config.SecretNames;
import org.quantsupervision.record.RunnerEvent;

/**
 * The runner's reports of what happened between two runs: a crash (an exit no stop asked for,
 * which the runner has already restarted, often within milliseconds, so that no other check
 * ever sees it) or a STOP_COMMAND/CRASH_COMMAND that failed. The check reads the new ones from
 * the runner's events.jsonl: CRITICAL in the run that finds some, WARNING while the last one is
 * younger than CRASH_RESOLVE_AFTER, OK after. {@link Escalation} makes one incident of a series
 * (a trigger, then an aggregated update at most every CRASH_UPDATE_INTERVAL) and resolves it
 * after the quiet time; it never restarts for these, nor counts them as the other checks.
 *
 * <p>events.jsonl is the strategy account's to write, so what is in it is untrusted: lines are
 * parsed one by one (a forged line is no event), a line that holds the value of one of the
 * strategy's secrets is masked as the runner itself masks it, and a forged time can move the
 * cursor no further than this run's clock. A strategy can still forge its own crash alerts, or
 * silence them: nothing it can write reaches another strategy's.
 */
final class RunnerEventCheck implements Check {
    static final String CRASHES = "crashes";
    static final String HOOKS = "hooks";
    static final String TAKEOVERS = "takeovers";
    /** The names of the checks that are events, not states: {@link Escalation} treats them apart. */
    static final Set<String> NAMES = Set.of(CRASHES, HOOKS, TAKEOVERS);

    /**
     * The tail read when the file changed (most runs it has not, and nothing is read): the
     * runner writes a few lines per crash, of at most 7 KB each, and the checker none there.
     */
    private static final int LINES = 500;
    private static final long MAX_BYTES = 1L << 20;
    private static final Duration RATE_SPAN = Duration.ofHours(24);
    /** Bounds the rate's memory under a forged flood of events; the counts then say "at least". */
    private static final int MAX_RECENT = 5000;
    private static final String MASKED = "[masked: the line holds the value of a secret]";

    private final String name;
    private final String event;
    private final String noun;
    private final String nouns;
    private final HealthState.EventTrack track;
    /** The state had no track of this check: its first run. */
    private final boolean first;

    private RunnerEventCheck(String name, String event, String noun, String nouns, HealthState state) {
        this.name = name;
        this.event = event;
        this.noun = noun;
        this.nouns = nouns;
        HealthState.EventTrack known = state.events.get(name);
        this.first = known == null;
        this.track = first ? new HealthState.EventTrack() : known;
        state.events.put(name, track);
    }

    /** The strategy's crashes ("crashed" events). */
    static RunnerEventCheck crashes(HealthState state) {
        return new RunnerEventCheck(CRASHES, "crashed", "crash", "crashes", state);
    }

    /**
     * Failover mode: this host took the strategy over ("leader" events of its runner), which
     * tells that the host before it failed, was fenced, or handed it over.
     */
    static RunnerEventCheck takeovers(HealthState state) {
        return new RunnerEventCheck(TAKEOVERS, "leader", "takeover", "takeovers", state);
    }

    /** Its STOP_COMMAND and CRASH_COMMAND failures ("hook-failed" events). */
    static RunnerEventCheck hooks(HealthState state) {
        return new RunnerEventCheck(HOOKS, "hook-failed", "hook failure", "hook failures", state);
    }

    /** The metric of CHECK, one of {@link #NAMES}, that counts the events new in its run. */
    static String freshMetric(String check) {
        return check + "_since_last_run";
    }

    /** What CHECK, one of {@link #NAMES}, counts: "crashes". */
    static String nounsOf(String check) {
        return check.equals(HOOKS) ? "hook failures" : "crashes";
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CheckResult run(CheckContext c) {
        // The first run of this check (the state had no track): what is already in the file is
        // history, except what the last CRASH_UPDATE_INTERVAL brought (a crash loop at boot,
        // before the first round).
        HealthState.EventTrack t = track;
        Instant now = c.now();
        if (first) {
            t.cursor = now.minus(c.config().crashUpdateInterval());
        }
        List<RunnerEvent> fresh;
        try {
            fresh = newSince(read(c.paths().stateDir().resolve("events.jsonl"), t), t.cursor);
        } catch (IOException e) {
            return CheckResult.of(name, Status.UNKNOWN, "cannot read events.jsonl: " + e.getMessage());
        }
        Collection<String> secrets = secrets(c);
        for (RunnerEvent e : fresh) {
            t.recent.add(e.time());
        }
        if (!fresh.isEmpty()) {
            RunnerEvent newest = fresh.get(fresh.size() - 1);
            t.cursor = newest.time().isAfter(now) ? now : newest.time();
            t.lastAt = newest.time();
            t.lastSeen = c.at();
            t.last = mask(newest.message(), secrets);
            t.output = newest.output().stream().map(line -> mask(line, secrets)).toList();
        }
        t.recent.removeIf(at -> at.isBefore(now.minus(RATE_SPAN)));
        while (t.recent.size() > MAX_RECENT) {
            t.recent.remove(0);
        }
        long hour = t.recent.stream().filter(at -> at.isAfter(now.minus(Duration.ofHours(1)))).count();
        String rate = hour + " in the last hour, " + t.recent.size() + (t.recent.size() >= MAX_RECENT ? "+" : "")
                + " in 24 h";
        // Named after the check: each metric name is one family in the Prometheus file.
        Metric[] metrics = {Metric.of(freshMetric(name), fresh.size(), ""),
                Metric.of(name + "_last_hour", (double) hour, ""), Metric.of(name + "_last_24h", t.recent.size(), "")};
        Duration quiet = c.config().crashResolveAfter();
        if (!fresh.isEmpty()) {
            String count = fresh.size() == 1 ? "" : fresh.size() + " new " + nouns + ", last: ";
            return CheckResult.of(name, Status.CRITICAL, count + t.last + "; " + rate, metrics);
        }
        if (t.lastAt != null && t.lastSeen.millisUntil(c.at()) < quiet.toMillis()) {
            return CheckResult.of(name, Status.WARNING, "last " + noun + " at " + t.lastAt + ": " + t.last + "; " + rate,
                    metrics);
        }
        return CheckResult.of(name, Status.OK, (t.lastAt == null ? "no " + noun + " seen"
                : "no " + noun + " for " + Spans.human(quiet) + " (last at " + t.lastAt + ")") + "; " + rate, metrics);
    }

    /**
     * The events of this check's kind in FILE's tail, in file order; none without reading if the
     * file is the one T last read, of the size it had then.
     */
    private List<RunnerEvent> read(Path file, HealthState.EventTrack t) throws IOException {
        BasicFileAttributes seen;
        try {
            seen = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return List.of(); // a strategy that never had one
        }
        String key = String.valueOf(seen.fileKey());
        if (key.equals(t.fileKey) && seen.size() == t.fileSize) {
            return List.of();
        }
        t.fileKey = key;
        t.fileSize = seen.size();
        List<String> lines;
        try {
            lines = FileTail.lastLines(file, LINES, MAX_BYTES);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        String quoted = "\"" + event + "\"";
        List<RunnerEvent> events = new ArrayList<>();
        for (String line : lines) {
            if (line.contains(quoted)) { // parse only the candidates
                RunnerEvent.parse(line).filter(e -> e.event().equals(event)).ifPresent(events::add);
            }
        }
        return events;
    }

    /**
     * The events after the one at CURSOR: in file order after the last one written at that
     * time (so that a wall clock stepped back does not hide the next ones), or, if that one is
     * no longer in the tail (rotated away, or the file replaced), those later than CURSOR.
     */
    static List<RunnerEvent> newSince(List<RunnerEvent> events, Instant cursor) {
        if (cursor == null) {
            return events;
        }
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).time().equals(cursor)) {
                return events.subList(i + 1, events.size());
            }
        }
        return events.stream().filter(e -> e.time().isAfter(cursor)).toList();
    }

    /** The values to mask: the strategy's secrets, those of its environment and those only the checker reads. */
    private static Collection<String> secrets(CheckContext c) {
        Set<String> values = new LinkedHashSet<>(SecretNames.secretsIn(c.strategy().environment()).values());
        values.addAll(SecretNames.secretsIn(c.strategy().settings()).values());
        return values;
    }

    /** LINE, or the mask if it holds one of SECRETS (as the runner masks: the whole line). */
    static String mask(String line, Collection<String> secrets) {
        for (String s : secrets) {
            if (line.contains(s)) {
                return MASKED;
            }
        }
        return line;
    }
}
