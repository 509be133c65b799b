package org.quantsupervision.health;

import java.time.Duration;

import org.quantsupervision.clock.Moment;

/**
 * What the checker last saw of STATE_FILE, kept in health.json so that the next run, a process
 * of its own, can time the file's age on the monotonic clock instead of comparing its mtime with
 * the wall clock: a forward step of an hour would make every fresh file an hour old (CRITICAL,
 * then a restart that replaces a healthy strategy), a backward one a stale file fresh.
 *
 * <p>The mtime is only compared with itself: a change is progress, whatever time it says. Its
 * age is then known in three ways, from the best to the worst:
 * <ul>
 * <li>unchanged since a sighting of this boot: the age at that sighting plus the monotonic time
 *     since, which no step moves;</li>
 * <li>changed since the previous run of this boot: the file was written between that run and
 *     this one, so its age is at most the monotonic time between them (the service's 30 s, cron's
 *     minute); the wall-clock age is taken if it is smaller, never below 0. The bound decides only
 *     when the wall clock says older, which without a step it never does: after a forward step,
 *     for the one run before the strategy writes again with the new clock;</li>
 * <li>first seen (no health.json yet, one of 0.1.0, another boot, another STATE_FILE path): the
 *     wall-clock age, as 0.1.0 judged it, never below 0. Nothing better is known, so a step
 *     just before such a run still counts once: forward, a fresh file looks old for that run
 *     (one failure, not the HEALTH_FAILURES that restart); backward, a stale file looks fresh
 *     for at most DATA_MAX_AGE, after which its unchanged mtime ages it on the monotonic clock.</li>
 * </ul>
 *
 * @param path STATE_FILE as configured: another file is a first sighting
 * @param mtimeNanos the file's mtime in epoch nanoseconds, compared for equality only
 * @param firstSeen the run that first saw this mtime
 * @param ageMillisWhenFirstSeen the file's age as judged at FIRST_SEEN
 * @param checked the run that last looked at the file: a change since is younger than the time since it
 */
record StateFileSighting(String path, long mtimeNanos, Moment firstSeen, long ageMillisWhenFirstSeen,
        Moment checked) {

    /** What this run, at NOW, sees of the file at PATH with mtime MTIME_NANOS, after PREVIOUS (null: none). */
    static StateFileSighting see(StateFileSighting previous, String path, long mtimeNanos, long wallAgeMillis,
            Moment now) {
        long wallAge = Math.max(0, wallAgeMillis);
        // Long.MAX_VALUE: never, another boot, or a reading no run of ours wrote (see Moment#millisUntil).
        long sincePrevious = previous == null || !previous.path.equals(path) ? Long.MAX_VALUE
                : previous.checked.millisUntil(now);
        if (sincePrevious == Long.MAX_VALUE) {
            return new StateFileSighting(path, mtimeNanos, now, wallAge, now);
        }
        if (previous.mtimeNanos != mtimeNanos) {
            return new StateFileSighting(path, mtimeNanos, now, Math.min(wallAge, sincePrevious), now);
        }
        long sinceSeen = previous.firstSeen.millisUntil(now);
        if (sinceSeen == Long.MAX_VALUE) {
            return new StateFileSighting(path, mtimeNanos, now, wallAge, now); // not written by a run of ours
        }
        return new StateFileSighting(path, mtimeNanos, previous.firstSeen, previous.ageMillisWhenFirstSeen, now);
    }

    /** The file's age at the run that made this sighting. */
    Duration age() {
        long sinceSeen = firstSeen.millisUntil(checked);
        return Duration.ofMillis(ageMillisWhenFirstSeen + (sinceSeen == Long.MAX_VALUE ? 0 : sinceSeen));
    }
}
