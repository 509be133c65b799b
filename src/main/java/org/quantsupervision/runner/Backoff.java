package org.quantsupervision.runner;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * When to restart a crashed strategy, and when to give up.
 *
 * <ul>
 * <li>The first crash after a stable run restarts at once: a strategy that trades is worth
 *     every millisecond.</li>
 * <li>Crashes in a row (each run shorter than {@code resetAfter}) wait {@code initial}, then
 *     twice as long each time, up to {@code max}: a crash loop must not burn the CPU or spam
 *     an exchange with logins.</li>
 * <li>A run of at least {@code resetAfter} forgets the streak (what supervisord's startsecs
 *     does only during start-up, and systemd before v254 cannot do).</li>
 * <li>{@code giveUpAfter} crashes within {@code window} end the runner with a failure, so that
 *     systemd or supervisord see it and the health checker alerts.</li>
 * </ul>
 */
final class Backoff {
    private final Duration initial;
    private final Duration max;
    private final Duration resetAfter;
    private final int giveUpAfter;
    private final Duration window;

    private final Deque<Long> crashTimes = new ArrayDeque<>();
    private int streak;

    Backoff(Duration initial, Duration max, Duration resetAfter, int giveUpAfter, Duration window) {
        this.initial = initial;
        this.max = max;
        this.resetAfter = resetAfter;
        this.giveUpAfter = giveUpAfter;
        this.window = window;
    }

    /** What to do after a crash. */
    sealed interface Decision permits Restart, GiveUp {
    }

    record Restart(Duration delay) implements Decision {
    }

    record GiveUp(int crashes, Duration within) implements Decision {
    }

    /**
     * Records a crash at NOW (nanoTime) of a run that lasted UPTIME.
     */
    Decision crashed(long now, Duration uptime) {
        if (uptime.compareTo(resetAfter) >= 0) {
            streak = 0;
        }
        crashTimes.addLast(now);
        while (!crashTimes.isEmpty() && now - crashTimes.peekFirst() > window.toNanos()) {
            crashTimes.removeFirst();
        }
        if (crashTimes.size() >= giveUpAfter) {
            return new GiveUp(crashTimes.size(), window);
        }
        streak++;
        return new Restart(delay(streak));
    }

    /** The consecutive crashes so far (0 after a stable run). */
    int streak() {
        return streak;
    }

    private Duration delay(int crashesInARow) {
        if (crashesInARow <= 1) {
            return Duration.ZERO;
        }
        Duration d = initial;
        for (int i = 2; i < crashesInARow && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }
}
