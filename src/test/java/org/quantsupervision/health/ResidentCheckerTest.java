package org.quantsupervision.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quantsupervision.notify.RecordingNotifier;

/** The resident checker's rounds and what it tells systemd, with rounds that only count and a recording notifier. */
class ResidentCheckerTest {
    private final List<ResidentChecker> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(c -> c.requestStop("test over"));
    }

    private static StrategyReport report(String name, Status status, String... actions) {
        return new StrategyReport(name, Instant.now(), status, List.of(), Map.of(), List.of(actions), List.of(), 0);
    }

    /** A checker on its own thread; the future ends when run() returns. */
    private CompletableFuture<Void> start(ResidentChecker checker) {
        started.add(checker);
        return CompletableFuture.runAsync(checker::run, r -> Thread.ofPlatform().daemon().start(r));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }

    private static long count(RecordingNotifier notifier, String prefix) {
        return notifier.messages().stream().filter(m -> m.startsWith(prefix)).count();
    }

    @Test
    void readyOnlyOnceTheFirstRoundIsDoneThenStatusAndWatchdogAfterEveryRound() throws Exception {
        RecordingNotifier notifier = new RecordingNotifier();
        CountDownLatch firstRound = new CountDownLatch(1);
        AtomicInteger rounds = new AtomicInteger();
        Supplier<List<StrategyReport>> round = () -> {
            try {
                firstRound.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            rounds.incrementAndGet();
            return List.of(report("alpha", Status.OK), report("beta", Status.WARNING), report("gamma", Status.OK));
        };
        ResidentChecker checker = new ResidentChecker(Duration.ofMillis(50), notifier, round, changed -> { });
        CompletableFuture<Void> running = start(checker);
        Thread.sleep(300);
        assertEquals(List.of(), notifier.messages(), "nothing before the first round ends: systemctl start still waits");

        firstRound.countDown();
        await("three rounds", () -> rounds.get() >= 3);
        checker.requestStop("SIGTERM");
        running.get(10, TimeUnit.SECONDS);
        List<String> messages = notifier.messages();
        assertTrue(messages.get(0).matches("READY=1\nSTATUS=last round at \\d\\d:\\d\\d:\\d\\d \\(\\d+\\.\\d s\\): "
                + "2 OK, 1 WARNING"), messages.get(0));
        assertEquals("WATCHDOG=1", messages.get(1), "the watchdog petted after the first round too");
        assertEquals(1, count(notifier, "READY=1"), messages.toString());
        long finished = rounds.get();
        assertEquals(finished - 1, count(notifier, "STATUS=last round"), "STATUS= after every later round: " + messages);
        assertEquals(finished, count(notifier, "WATCHDOG=1"), "WATCHDOG=1 after every round (no WatchdogSec=, so only "
                + "then): " + messages);
        assertTrue(messages.contains("STOPPING=1\nSTATUS=stopping (SIGTERM)"), messages.toString());
    }

    @Test
    void aRequestedRoundStartsAtOnceWhateverTheInterval() throws Exception {
        RecordingNotifier notifier = new RecordingNotifier();
        AtomicInteger rounds = new AtomicInteger();
        ResidentChecker checker = new ResidentChecker(Duration.ofHours(1), notifier, () -> {
            rounds.incrementAndGet();
            return List.of(report("alpha", Status.OK));
        }, changed -> { });
        CompletableFuture<Void> running = start(checker);
        await("the first round", () -> count(notifier, "READY=1") == 1);
        Thread.sleep(200);
        assertEquals(1, rounds.get(), "the next round is an hour away");

        checker.requestRound(); // SIGHUP: systemctl reload
        await("the requested round", () -> rounds.get() == 2 && count(notifier, "WATCHDOG=1") == 2);
        Thread.sleep(200);
        assertEquals(2, rounds.get(), "one round per request");
        checker.requestStop("SIGTERM");
        running.get(10, TimeUnit.SECONDS);
    }

    /** A round supplier whose round number WHICH blocks until RELEASE; IN is counted down when it starts. */
    private static Supplier<List<StrategyReport>> blocking(AtomicInteger rounds, int which, CountDownLatch in,
            CountDownLatch release) {
        return () -> {
            if (rounds.incrementAndGet() == which) {
                in.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            return List.of(report("alpha", Status.OK));
        };
    }

    @Test
    void aRoundRequestedDuringARoundStartsWhenItEnds() throws Exception {
        RecordingNotifier notifier = new RecordingNotifier();
        AtomicInteger rounds = new AtomicInteger();
        CountDownLatch inSecond = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ResidentChecker checker = new ResidentChecker(Duration.ofHours(1), notifier,
                blocking(rounds, 2, inSecond, release), changed -> { });
        CompletableFuture<Void> running = start(checker);
        await("the first round", () -> count(notifier, "READY=1") == 1);
        checker.requestRound();
        assertTrue(inSecond.await(10, TimeUnit.SECONDS));
        checker.requestRound();
        release.countDown();
        await("the round requested during the second", () -> rounds.get() == 3);
        checker.requestStop("SIGTERM");
        running.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aStopSaysStoppingAtOnceAndWaitsForTheRoundInProgress() throws Exception {
        RecordingNotifier notifier = new RecordingNotifier();
        AtomicInteger rounds = new AtomicInteger();
        CountDownLatch inFirst = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ResidentChecker checker = new ResidentChecker(Duration.ofHours(1), notifier,
                blocking(rounds, 1, inFirst, release), changed -> { });
        CompletableFuture<Void> running = start(checker);
        assertTrue(inFirst.await(10, TimeUnit.SECONDS));
        checker.requestStop("SIGTERM");
        assertEquals(List.of("STOPPING=1\nSTATUS=stopping (SIGTERM)"), notifier.messages());
        Thread.sleep(200);
        assertFalse(running.isDone(), "the round in progress is not cut short");
        release.countDown();
        running.get(10, TimeUnit.SECONDS);
        assertEquals(1, rounds.get(), "no round after the stop");
    }

    @Test
    void betweenRoundsTheWatchdogIsPettedAtLeastEveryHalfWatchdogSec() throws Exception {
        RecordingNotifier notifier = new RecordingNotifier(Duration.ofMillis(200));
        AtomicInteger rounds = new AtomicInteger();
        ResidentChecker checker = new ResidentChecker(Duration.ofHours(1), notifier, () -> {
            rounds.incrementAndGet();
            return List.of();
        }, changed -> { });
        CompletableFuture<Void> running = start(checker);
        await("the first round", () -> count(notifier, "READY=1") == 1);
        Thread.sleep(1000);
        assertEquals(1, rounds.get());
        assertTrue(count(notifier, "WATCHDOG=1") >= 5, "an interval longer than WatchdogSec= is no watchdog timeout: "
                + notifier.messages());
        checker.requestStop("SIGTERM");
        running.get(10, TimeUnit.SECONDS);
    }

    @Test
    void onlyChangesAndActionsArePassedOn() throws Exception {
        RecordingNotifier notifier = new RecordingNotifier();
        List<List<Status>> rounds = List.of(
                List.of(Status.OK, Status.CRITICAL),
                List.of(Status.OK, Status.CRITICAL),
                List.of(Status.OK, Status.OK));
        AtomicInteger n = new AtomicInteger();
        List<String> passedOn = Collections.synchronizedList(new ArrayList<>());
        ResidentChecker checker = new ResidentChecker(Duration.ofHours(1), notifier, () -> {
            int i = n.getAndIncrement();
            List<Status> statuses = rounds.get(Math.min(i, rounds.size() - 1));
            // The second round acts on beta (a restart): passed on although its status is the same.
            return List.of(report("alpha", statuses.get(0)),
                    i == 1 ? report("beta", statuses.get(1), "asked runner pid 7 to replace its strategy")
                            : report("beta", statuses.get(1)));
        }, changed -> changed.forEach(r -> passedOn.add(n.get() + ":" + r.strategy() + "=" + r.status())));
        CompletableFuture<Void> running = start(checker);
        await("the first round", () -> n.get() == 1 && passedOn.size() == 2);
        checker.requestRound();
        await("the second round", () -> count(notifier, "WATCHDOG=1") == 2);
        checker.requestRound();
        await("the third round", () -> count(notifier, "WATCHDOG=1") == 3);
        checker.requestStop("SIGTERM");
        running.get(10, TimeUnit.SECONDS);
        assertEquals(List.of("1:alpha=OK", "1:beta=CRITICAL", "2:beta=CRITICAL", "3:beta=OK"), passedOn);
    }

    @Test
    void theSummaryCountsStrategiesByStatus() {
        LocalTime at = LocalTime.of(9, 5, 7);
        assertEquals("last round at 09:05:07 (0.4 s): 2 OK, 1 CRITICAL, 1 UNKNOWN", ResidentChecker.summary(at,
                Duration.ofMillis(420), List.of(report("a", Status.UNKNOWN), report("b", Status.OK),
                        report("c", Status.CRITICAL), report("d", Status.OK))));
        assertEquals("last round at 09:05:07 (0.0 s): no strategies configured",
                ResidentChecker.summary(at, Duration.ofMillis(3), List.of()));
    }
}
