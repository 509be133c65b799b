package org.quantsupervision.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.quantsupervision.config.StrategyName;

/**
 * One round of health checks over many strategies: several at a time, each within a deadline
 * of its own and all within the round's budget, so that one strategy whose check hangs (a FIFO
 * swapped in for its log, a mount that stopped answering) or is merely slow (a venue-wide
 * outage: every API check waits its timeout) never delays or blinds the checks of the others.
 * A check that overruns its deadline is reported UNKNOWN, saying where it was; the reports come
 * back in the order of the names, whatever order the checks finished in.
 *
 * <p>Each check runs on a platform thread of its own, not a pool's: a check blocked in open(2)
 * on a FIFO cannot be interrupted, and would keep a pool's thread, and its slot, for good. Its
 * slot is given back at its deadline instead, and the thread left behind (a daemon: the one-shot
 * command exits without it). A resident checker (--interval) does not start another check of a
 * strategy whose check of an earlier round is still running, so at most one check thread per
 * strategy is ever left behind, and that strategy stays UNKNOWN, with the reason, until it ends.
 * (An API request abandoned at its deadline leaves a thread too, which the request's connect
 * timeout ends: see ApiCheck.)
 */
public final class HealthRun {
    /**
     * The default time one strategy's check may take: its checks (API_CHECK_TIMEOUT,
     * PLUGIN_TIMEOUT), the wait for its lock (20 s), its alerts and its restart (20 s) each bound
     * themselves; a run with alerts and a restart takes about 45 s.
     */
    public static final Duration DEADLINE = Duration.ofSeconds(60);
    /**
     * The longest a round may take, whatever the deadline and the number of strategies: below
     * quant-supervision-health.service's TimeoutStartSec= and WatchdogSec= (2min: systemd kills a
     * checker whose first round, or any later one, does not end within them), with time left for
     * the JVM's start and the reports.
     */
    public static final Duration BUDGET = Duration.ofSeconds(100);
    /**
     * Strategies checked at once. Checks mostly wait (on the network, on plugins), so more than
     * the cores; few enough that their reads (a 64 KiB block each, a line of at most 4 KiB, the
     * JSON parser's buffer) stay a small part of the checker's 32 MB heap.
     */
    public static final int PARALLEL = 8;

    /** What checks one strategy: StrategyHealth, or in tests a check that hangs for real. */
    interface Checker {
        StrategyReport check(StrategyName name, Progress progress);
    }

    private final Checker health;
    private final int parallel;
    private final Duration deadline;
    private final Duration budget;
    /** Checks that overran their deadline and are still running, by strategy. */
    private final Map<StrategyName, Running> overran = new ConcurrentHashMap<>();

    private record Running(Thread thread, Instant started, Progress progress) {
    }

    public HealthRun(StrategyHealth health, int parallel, Duration deadline, Duration budget) {
        this(health::check, parallel, deadline, budget);
    }

    HealthRun(Checker health, int parallel, Duration deadline, Duration budget) {
        if (parallel < 1 || deadline.isNegative() || deadline.isZero() || budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("parallel, deadline and budget must be positive");
        }
        this.health = health;
        this.parallel = parallel;
        this.deadline = deadline;
        this.budget = budget;
    }

    /** The reports of NAMES, in that order, within the budget. */
    public List<StrategyReport> check(List<StrategyName> names) {
        long end = System.nanoTime() + budget.toNanos();
        Semaphore slots = new Semaphore(parallel);
        List<CompletableFuture<StrategyReport>> reports = new ArrayList<>(names.size());
        for (StrategyName name : names) {
            reports.add(start(name, slots, end));
        }
        List<StrategyReport> list = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            list.add(reports.get(i).join()); // each completes by its deadline
        }
        return list;
    }

    private CompletableFuture<StrategyReport> start(StrategyName name, Semaphore slots, long end) {
        Running earlier = overran.get(name);
        if (earlier != null) {
            if (earlier.thread().isAlive()) {
                return CompletableFuture.completedFuture(unfinished(name, "the check started at " + earlier.started()
                        + " is still running (at: " + at(earlier.progress()) + "); not checked again until it ends"));
            }
            overran.remove(name);
        }
        try {
            long wait = end - System.nanoTime();
            if (wait <= 0 || !slots.tryAcquire(wait, TimeUnit.NANOSECONDS)) {
                return CompletableFuture.completedFuture(budgetUsedUp(name));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.completedFuture(unfinished(name, "not checked: interrupted"));
        }
        long left = end - System.nanoTime();
        if (left <= 0) {
            // The slot came free at the end of the budget (the check before this one used all of
            // it): starting now would only report a check that "did not finish within 0 s".
            slots.release();
            return CompletableFuture.completedFuture(budgetUsedUp(name));
        }
        long limit = Math.min(deadline.toNanos(), left);
        Progress progress = new Progress();
        Instant started = Instant.now();
        CompletableFuture<StrategyReport> report = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().daemon().name("health " + name.value()).unstarted(() -> {
            try {
                report.complete(health.check(name, progress));
            } catch (Throwable e) {
                report.completeExceptionally(e);
            }
        });
        CompletableFuture<StrategyReport> bounded = report.orTimeout(limit, TimeUnit.NANOSECONDS).handle((r, e) -> {
            slots.release();
            if (e == null) {
                return r;
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (!(cause instanceof TimeoutException)) {
                return StrategyReport.unreadable(name.value(), started, "internal error: " + cause);
            }
            String where = at(progress);
            thread.interrupt(); // ends what waits interruptibly (a lock, a plugin, an alert's pause)
            overran.put(name, new Running(thread, started, progress));
            return unfinished(name, "the check did not finish within " + seconds(limit) + " s (at: " + where + ")");
        });
        thread.start();
        return bounded;
    }

    private StrategyReport budgetUsedUp(StrategyName name) {
        return unfinished(name, "not checked: this round's budget of " + budget.toSeconds()
                + " s was used up by the checks before it (" + parallel + " at a time)");
    }

    private static StrategyReport unfinished(StrategyName name, String why) {
        return new StrategyReport(name.value(), Instant.now(), Status.UNKNOWN,
                List.of(CheckResult.of("deadline", Status.UNKNOWN, why)), Map.of(), List.of(), List.of(), -1);
    }

    private static String at(Progress progress) {
        String steps = progress.toString();
        return steps.isEmpty() ? "between steps" : steps;
    }

    private static String seconds(long nanos) {
        double s = nanos / 1e9;
        return s == Math.rint(s) ? Long.toString((long) s) : String.format(java.util.Locale.ROOT, "%.1f", s);
    }
}
