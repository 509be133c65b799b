package org.quantsupervision.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** What "how long since" means between two moments, whatever the wall clock did in between. */
class MomentTest {
    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

    @Test
    void inOneBootTheMonotonicClockCountsNotTheWallClock() {
        SteppedClock clock = new SteppedClock(T0, Duration.ofDays(3), "boot-a");
        Moment start = clock.now();
        assertEquals(30_000, start.millisUntil(clock.advance(Duration.ofSeconds(30)).stepWall(Duration.ofHours(1)).now()));
        assertEquals(60_000, start.millisUntil(clock.advance(Duration.ofSeconds(30)).stepWall(Duration.ofHours(-2)).now()));
    }

    @Test
    void anotherBootIsLongAgo() {
        SteppedClock clock = new SteppedClock(T0, Duration.ofDays(3), "boot-a");
        Moment before = clock.now();
        Moment after = clock.reboot("boot-b", Duration.ZERO, Duration.ofSeconds(5)).now();
        assertEquals(Long.MAX_VALUE, before.millisUntil(after));
    }

    @Test
    void withoutABootIdTheWallClockDecidesAsIn010() {
        Moment old = Moment.wallOnly(T0.toEpochMilli());
        Moment now = new Moment(T0.plusSeconds(20), 5, "boot-a");
        assertEquals(20_000, old.millisUntil(now));
        assertEquals(-20_000, now.millisUntil(new Moment(T0, 0, "")), "a backward step fools it, as it did");
    }

    @Test
    void neverAndTheImpossibleAreLongerThanAnyWindow() {
        Moment now = new Moment(T0, 1_000, "boot-a");
        assertEquals(Long.MAX_VALUE, Moment.NEVER.millisUntil(now));
        assertTrue(Moment.wallOnly(0).isNever(), "0 in a file of 0.1.0 is never");
        assertEquals(Long.MAX_VALUE, new Moment(T0, 5_000, "boot-a").millisUntil(now),
                "later on the monotonic clock than now: not ours; no window held open by it");
    }
}
