package org.quantsupervision.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.quantsupervision.clock.Moment;

/**
 * What the checker remembers about one strategy between runs (health.json): per check its last
 * status, consecutive failures, recent status changes (for flap detection) and open incident;
 * which strategy process it last saw, so a restart resets the counters; and STATE_FILE's last
 * seen mtime, so the freshness check can time its age on the monotonic clock.
 *
 * <p>Times are {@link Moment}s: the windows they start (grace, cooldown, flapping) are measured on
 * the monotonic clock, which a wall-clock step does not move, and end with a reboot.
 */
final class HealthState {
    long childPid;
    long childStartTime;
    /** When this checker last asked for a restart: grace and HEALTH_RESTART_COOLDOWN run from it. */
    Moment lastRestart = Moment.NEVER;
    /**
     * The wall time up to which RESTART_AT's times have been looked at (the latest run's, never
     * moved back: a clock stepped back repeats no restart); null before the first run with it.
     */
    java.time.Instant restartAtSeen;
    /** What the freshness check last saw of STATE_FILE (null: nothing yet, or the file was gone). */
    StateFileSighting stateFile;
    final Map<String, CheckState> checks = new TreeMap<>();
    /** Per event check (crashes, hooks): what it has seen of the runner's events.jsonl. */
    final Map<String, EventTrack> events = new TreeMap<>();

    /** A restart was asked for at NOW: counts start again, grace and the cooldown begin. */
    void restartAsked(Moment now) {
        lastRestart = now;
        checks.values().forEach(c -> c.consecutive = 0);
    }

    /**
     * What an event check ({@link RunnerEventCheck}) has seen of one kind of runner event, and
     * what its incident has told of them ({@link Escalation}).
     */
    static final class EventTrack {
        /** The time of the newest event seen; null while none was. */
        java.time.Instant cursor;
        /** events.jsonl as last read (its inode and size): unchanged, it is not read again. */
        String fileKey = "";
        long fileSize = -1;
        /** When this checker first saw the newest event: the quiet time before a resolve runs from it. */
        Moment lastSeen = Moment.NEVER;
        /** The newest event's time as it wrote it, for people. */
        java.time.Instant lastAt;
        /** The newest event, in a line, and its last lines of output: secrets masked. */
        String last = "";
        List<String> output = List.of();
        /** The times of the events of the last 24 hours, oldest first: the rate. */
        final List<java.time.Instant> recent = new ArrayList<>();
        /** Events since the incident's last trigger or update, and when that went out. */
        int unreported;
        Moment lastTold = Moment.NEVER;
    }

    static final class CheckState {
        Status status = Status.OK;
        int consecutive;
        /** When the status last changed, oldest first; at most what flap detection needs. */
        final List<Moment> changes = new ArrayList<>();
        Incident incident;
    }

    /**
     * An alert raised for one check: open until the check is OK again, then resolved on every
     * channel that got the trigger, and forgotten. Deliveries are remembered per channel so that
     * a channel that failed is retried on the next run without repeating the alert on the ones
     * that got it.
     */
    static final class Incident {
        /** For display; no window depends on it. */
        Moment opened = Moment.NEVER;
        Status status = Status.CRITICAL;
        boolean flapping;
        boolean resolving;
        String summary = "";
        /** Channels that got the trigger, and (once resolving) the resolve. */
        final Set<String> triggered = new TreeSet<>();
        final Set<String> resolved = new TreeSet<>();
        /** Runs in the current phase whose delivery failed somewhere. */
        int attempts;
    }
}
