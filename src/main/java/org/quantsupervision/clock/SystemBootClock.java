package org.quantsupervision.clock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * The host's clocks. On Linux, HotSpot's {@link System#nanoTime} is clock_gettime(CLOCK_MONOTONIC)
 * unchanged, which counts from the boot and is the same in every process of that boot: a
 * reading of the runner can be compared with one of a later health run. The javadoc of nanoTime
 * promises only an arbitrary origin per JVM, so the origin is checked against /proc/uptime (the
 * boot clock, which CLOCK_MONOTONIC trails only by the time spent suspended); a JVM or a host
 * that fails the check, or has no boot id, gets none, and its moments are compared by the wall
 * clock as in 0.1.0.
 *
 * <p>CLOCK_MONOTONIC stops while the host is suspended, so a window spans the suspension:
 * harmless on servers, and what systemd's own timers do.
 */
final class SystemBootClock implements BootClock {
    static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");
    static final Path UPTIME = Path.of("/proc/uptime");
    /** A uuid as the kernel writes it; anything else is not a boot id we can trust to compare. */
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");
    /** Slack for the check of the origin: /proc/uptime has centiseconds, and the reads take time. */
    private static final long SLACK_NANOS = 1_000_000_000L;

    /** Read on first use and kept: a boot id does not change while a process lives. */
    private static final class Boot {
        static final String ID = bootId(BOOT_ID, UPTIME, System.nanoTime());
    }

    @Override
    public Moment now() {
        String boot = Boot.ID;
        return new Moment(Instant.now(), System.nanoTime() / 1_000_000, boot);
    }

    /** The boot id in BOOT_ID_FILE if NANO_TIME counts from that boot (see above), else "". */
    static String bootId(Path bootIdFile, Path uptimeFile, long nanoTime) {
        try {
            String id = Files.readString(bootIdFile).trim();
            String[] uptime = Files.readString(uptimeFile).trim().split("\\s+");
            long bootNanos = (long) (Double.parseDouble(uptime[0]) * 1e9);
            if (!UUID.matcher(id).matches() || nanoTime < 0 || nanoTime > bootNanos + SLACK_NANOS) {
                return "";
            }
            return id;
        } catch (IOException | RuntimeException e) {
            return ""; // not Linux, or /proc not mounted: the wall clock, as before
        }
    }
}
