package org.quantsupervision.clock;

import java.time.Duration;
import java.time.Instant;

/**
 * A {@link BootClock} the test moves: time passing moves both clocks, a step (NTP, date -s)
 * only the wall clock, a reboot gives a new boot id and a monotonic clock starting again.
 */
public final class SteppedClock implements BootClock {
    private Instant wall;
    private long monotonicMillis;
    private String bootId;

    public SteppedClock(Instant wall, Duration sinceBoot, String bootId) {
        this.wall = wall;
        this.monotonicMillis = sinceBoot.toMillis();
        this.bootId = bootId;
    }

    @Override
    public Moment now() {
        return new Moment(wall, monotonicMillis, bootId);
    }

    /** Time passes. */
    public SteppedClock advance(Duration d) {
        wall = wall.plus(d);
        monotonicMillis += d.toMillis();
        return this;
    }

    /** The wall clock is set (forward for a positive D, back for a negative one); no time passes. */
    public SteppedClock stepWall(Duration d) {
        wall = wall.plus(d);
        return this;
    }

    /** The host boots again as NEW_BOOT_ID, UPTIME after which the clock reads; the wall clock goes on. */
    public SteppedClock reboot(String newBootId, Duration downtime, Duration uptime) {
        wall = wall.plus(downtime).plus(uptime);
        monotonicMillis = uptime.toMillis();
        bootId = newBootId;
        return this;
    }
}
