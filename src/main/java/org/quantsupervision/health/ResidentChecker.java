package org.quantsupervision.health;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.quantsupervision.notify.Notifier;

/**
 * The resident health checker ({@code health --interval}, what quant-supervision-health.service
 * runs): a round every interval, counted from the start of the last one; a round at once when
 * asked ({@link #requestRound}: SIGHUP, {@code systemctl reload}); until asked to stop. A round
 * then costs what its checks cost, not a JVM's start.
 *
 * <p>It tells the service manager (sd_notify; nothing without one) READY=1 once the first round
 * is done, so that {@code systemctl start} returns after a round ran, as it did for the one-shot
 * unit; STATUS= and WATCHDOG=1 after every round; STOPPING=1 when asked to stop. Between rounds
 * it pets the watchdog at least every half WatchdogSec= as well: the watchdog then fires only
 * for a round that does not end ({@link HealthRun} bounds one to {@link HealthRun#BUDGET}),
 * whatever the interval an admin sets.
 *
 * <p>A stop waits for the round in progress, so its alerts, health state and restart requests are
 * not cut short. A round asked for during a round starts when that one ends.
 */
public final class ResidentChecker {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    private final Duration interval;
    private final Notifier notifier;
    private final Supplier<List<StrategyReport>> round;
    private final Consumer<List<StrategyReport>> changes;
    /** How often to pet the watchdog while waiting for the next round; none without a watchdog. */
    private final Optional<Duration> petEvery;
    /** Each strategy's status in the last round, to tell changes. Only the checker's thread uses it. */
    private final Map<String, Status> last = new HashMap<>();

    private final Object lock = new Object();
    /** Guarded by lock. */
    private boolean roundRequested;
    /** Why the checker was asked to stop; null until it is. Guarded by lock. */
    private String stopRequested;

    /**
     * @param round one round: checks every strategy, returns the reports
     * @param changes gets the reports of each round whose status changed or that had actions
     */
    public ResidentChecker(Duration interval, Notifier notifier, Supplier<List<StrategyReport>> round,
            Consumer<List<StrategyReport>> changes) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the interval must be positive");
        }
        this.interval = interval;
        this.notifier = notifier;
        this.round = round;
        this.changes = changes;
        this.petEvery = notifier.watchdogInterval().map(w -> w.dividedBy(2));
    }

    /** Runs rounds until {@link #requestStop}; returns once the round in progress then has ended. */
    public void run() {
        boolean ready = false;
        long due = System.nanoTime();
        while (awaitRound(due)) {
            long start = System.nanoTime();
            LocalTime at = LocalTime.now(ZoneId.systemDefault());
            List<StrategyReport> reports = round.get();
            List<StrategyReport> changed = new ArrayList<>();
            for (StrategyReport r : reports) {
                if (last.put(r.strategy(), r.status()) != r.status() || !r.actions().isEmpty()) {
                    changed.add(r);
                }
            }
            if (!changed.isEmpty()) {
                changes.accept(changed);
            }
            String summary = summary(at, Duration.ofNanos(System.nanoTime() - start), reports);
            if (ready) {
                notifier.status(summary);
            } else {
                notifier.ready(summary);
                ready = true;
            }
            notifier.watchdog();
            due = start + interval.toNanos(); // a round that overran: the next one at once, no catching up
        }
    }

    /** A round now, or as soon as the one in progress ends (SIGHUP). */
    public void requestRound() {
        synchronized (lock) {
            roundRequested = true;
            lock.notifyAll();
        }
    }

    /** Stop after the round in progress, if any (SIGTERM, SIGINT); WHY goes into the status. */
    public void requestStop(String why) {
        synchronized (lock) {
            if (stopRequested != null) {
                return;
            }
            // Told before the run loop can see the request: once it has, main returns and the JVM
            // exits, and a STOPPING=1 sent after that from this signal thread was sometimes lost.
            notifier.stopping("stopping (" + why + ")");
            stopRequested = why;
            lock.notifyAll();
        }
    }

    /** Waits until DUE (System.nanoTime), a requested round or a stop; false for a stop. */
    private boolean awaitRound(long due) {
        synchronized (lock) {
            while (stopRequested == null && !roundRequested) {
                long left = due - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, petEvery.map(p -> Math.min(p.toNanos(), left)).orElse(left));
                } catch (InterruptedException e) {
                    // Requests come through the lock, never as interrupts: a stray one only ends
                    // this wait early. Ending the checker on it would look like a clean stop, which
                    // the unit does not restart.
                }
                petEvery.ifPresent(p -> notifier.watchdog());
            }
            roundRequested = false;
            return stopRequested == null;
        }
    }

    /**
     * One line for systemd's STATUS=, which {@code systemctl status} and {@code quant-supervision
     * status} show: "last round at 10:15:47 (0.4 s): 3 OK, 1 WARNING".
     */
    static String summary(LocalTime at, Duration took, List<StrategyReport> reports) {
        Map<Status, Integer> counts = new EnumMap<>(Status.class);
        for (StrategyReport r : reports) {
            counts.merge(r.status(), 1, Integer::sum);
        }
        StringBuilder s = new StringBuilder("last round at ").append(CLOCK.format(at))
                .append(String.format(Locale.ROOT, " (%.1f s): ", took.toMillis() / 1000.0));
        if (counts.isEmpty()) {
            return s.append("no strategies configured").toString();
        }
        StringBuilder list = new StringBuilder();
        counts.forEach((status, n) -> list.append(list.isEmpty() ? "" : ", ").append(n).append(' ').append(status));
        return s.append(list).toString();
    }
}
