package org.quantsupervision.clock;

/**
 * Where {@link Moment}s come from: {@link #SYSTEM}, or in tests a clock the test steps (the wall
 * clock alone, to play NTP or {@code date -s}; or into a new boot) without sleeping and without
 * touching the host's clock.
 */
@FunctionalInterface
public interface BootClock {
    /** The host's clocks: see {@link SystemBootClock} for what makes them comparable across processes. */
    BootClock SYSTEM = new SystemBootClock();

    Moment now();
}
