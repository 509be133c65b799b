package org.quantsupervision.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final long S = 1_000_000_000L;
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(60),
            5, Duration.ofMinutes(5));

    private Duration delayAt(long now, Duration uptime) {
        return assertInstanceOf(Backoff.Restart.class, backoff.crashed(now, uptime)).delay();
    }

    @Test
    void firstCrashRestartsAtOnceThenDoublesUpToTheCeiling() {
        Backoff wide = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(60), 100,
                Duration.ofMinutes(5));
        long[] expectedMillis = {0, 100, 200, 400, 800, 1000, 1000};
        for (int i = 0; i < expectedMillis.length; i++) {
            Backoff.Decision d = wide.crashed(i * S, Duration.ofMillis(10));
            assertEquals(Duration.ofMillis(expectedMillis[i]), ((Backoff.Restart) d).delay(), "crash " + (i + 1));
        }
    }

    @Test
    void aStableRunForgetsTheStreak() {
        assertEquals(Duration.ZERO, delayAt(0, Duration.ofSeconds(1)));
        assertEquals(Duration.ofMillis(100), delayAt(1 * S, Duration.ofSeconds(1)));
        assertEquals(Duration.ZERO, delayAt(100 * S, Duration.ofSeconds(90)), "ran 90 s > 60 s: a fresh crash");
        assertEquals(0 + 1, backoff.streak());
    }

    @Test
    void givesUpAfterNCrashesWithinTheWindowOnly() {
        for (int i = 0; i < 4; i++) {
            delayAt(i * 100 * S, Duration.ofSeconds(90)); // 100 s apart: 4 in 5 min
        }
        // The 5th crash, 400 s after the first: the first is out of the window.
        assertInstanceOf(Backoff.Restart.class, backoff.crashed(400 * S, Duration.ofSeconds(90)));
        // Two more quickly: 5 within 5 minutes.
        delayAt(401 * S, Duration.ofMillis(1));
        Backoff.GiveUp g = assertInstanceOf(Backoff.GiveUp.class, backoff.crashed(402 * S, Duration.ofMillis(1)));
        assertEquals(5, g.crashes());
    }
}
