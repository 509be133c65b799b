package org.quantsupervision.clock;

import java.time.Instant;
import java.util.Objects;

/**
 * One instant read from two clocks at once. The wall clock is for people ("opened at", "up
 * 3 h") and for files written before the other clock was recorded. CLOCK_MONOTONIC (in
 * milliseconds) with the boot it counts from is for durations: an NTP step or {@code date -s}
 * moves the wall clock, not this one, so a grace, a cooldown or a flap window measured with it
 * neither ends at once (forward step) nor lasts an extra hour (backward step).
 *
 * <p>The monotonic clock starts again at zero on every boot, so two readings can only be
 * compared if they carry the same boot id; the runner and the health checker are separate
 * processes of one boot, and runner.json and health.json carry their moments between them.
 *
 * @param bootId the kernel's boot id, or "" when unknown (a file of 0.1.0, a host without one):
 *     such a moment is compared by its wall clock, as 0.1.0 did
 */
public record Moment(Instant wall, long monotonicMillis, String bootId) {
    /** Nothing recorded (no restart yet, no strategy process): before any window. */
    public static final Moment NEVER = new Moment(Instant.EPOCH, 0, "");

    public Moment {
        Objects.requireNonNull(wall, "wall");
        Objects.requireNonNull(bootId, "bootId");
    }

    /** A moment known by the wall clock only: epoch milliseconds from a file of 0.1.0 (0: never). */
    public static Moment wallOnly(long epochMillis) {
        return epochMillis == 0 ? NEVER : new Moment(Instant.ofEpochMilli(epochMillis), 0, "");
    }

    public boolean isNever() {
        return equals(NEVER);
    }

    /** The wall clock in epoch milliseconds, as the files of 0.1.0 have it (0 for never). */
    public long wallMillis() {
        return wall.toEpochMilli();
    }

    /**
     * Milliseconds from this moment to LATER, for "is it still within the window": by the
     * monotonic clock when both were read in the same boot; by the wall clock when either has no
     * boot id (what 0.1.0 did, steps and all). {@link Long#MAX_VALUE}, longer than any window,
     * when this is {@link #NEVER}, when the two are of different boots (what was recorded before
     * a reboot is over), or when LATER comes first on the monotonic clock, which no two readings
     * of one boot can do: such a value was not written by our runner or checker, and treating it
     * as long ago is what keeps a value "in the future" from holding a window open.
     */
    public long millisUntil(Moment later) {
        if (isNever() || later.isNever()) {
            return Long.MAX_VALUE;
        }
        if (bootId.isEmpty() || later.bootId.isEmpty()) {
            return later.wallMillis() - wallMillis();
        }
        if (!bootId.equals(later.bootId)) {
            return Long.MAX_VALUE;
        }
        long elapsed = later.monotonicMillis - monotonicMillis;
        return elapsed < 0 ? Long.MAX_VALUE : elapsed;
    }
}
