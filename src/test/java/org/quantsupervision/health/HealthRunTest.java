package org.quantsupervision.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantsupervision.config.StrategyName;

/**
 * A round's bounds with checks that really hang: open(2) of a FIFO that nobody writes blocks and
 * cannot be interrupted, as when a strategy's account swaps a FIFO in for its log between the
 * checker's type check and its open.
 */
class HealthRunTest {
    @TempDir
    Path dir;

    private static List<StrategyName> names(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> new StrategyName("s" + (char) ('a' + i - 1))).toList();
    }

    private static StrategyReport ok(StrategyName name) {
        return new StrategyReport(name.value(), Instant.now(), Status.OK, List.of(CheckResult.of("process", Status.OK,
                "fine")), Map.of(), List.of(), List.of(), 0);
    }

    private Path fifo() throws Exception {
        Path fifo = dir.resolve("log.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        return fifo;
    }

    /** Opens FIFO for writing (with no reader it would block too), which lets the blocked reader's open return. */
    private static void release(Path fifo) {
        Thread.ofPlatform().daemon().start(() -> {
            try (FileChannel w = FileChannel.open(fifo, StandardOpenOption.WRITE)) {
                // opened: the reader's open returns; closing gives it EOF
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void aCheckBlockedOpeningAFifoIsUnknownAtItsDeadlineWhileNineOthersAreOk() throws Exception {
        Path fifo = fifo();
        AtomicInteger hung = new AtomicInteger();
        HealthRun run = new HealthRun((name, progress) -> {
            if (name.value().equals("se") && hung.getAndIncrement() == 0) {
                progress.begin("error-rate");
                try (FileChannel c = FileChannel.open(fifo, StandardOpenOption.READ)) {
                    return ok(name);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            try {
                Thread.sleep(300); // a check's usual work, in parallel with the others'
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ok(name);
        }, 8, Duration.ofSeconds(1), Duration.ofSeconds(30));
        long started = System.nanoTime();
        List<StrategyReport> reports = run.check(names(10));
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertEquals(names(10).stream().map(StrategyName::value).toList(),
                reports.stream().map(StrategyReport::strategy).toList(), "in the order of the names");
        for (StrategyReport r : reports) {
            if (r.strategy().equals("se")) {
                assertEquals(Status.UNKNOWN, r.status());
                assertEquals("deadline UNKNOWN: the check did not finish within 1 s (at: error-rate)",
                        r.results().get(0).name() + " " + r.status() + ": " + r.results().get(0).message());
            } else {
                assertEquals(Status.OK, r.status(), r.strategy());
            }
        }
        // 8 at a time: the first 8 (se among them) 300 ms, then the last 2; se's slot is freed at 1 s.
        assertTrue(ms >= 1000 && ms < 1600, "the round took " + ms + " ms");
        System.out.println("HealthRunTest: 9 OK and one hung in " + ms + " ms");

        // The next round (the resident checker's) does not pile a second thread onto the hung one.
        StrategyReport again = run.check(List.of(new StrategyName("se"))).get(0);
        assertEquals(Status.UNKNOWN, again.status());
        assertTrue(again.results().get(0).message().matches("the check started at \\S+ is still running \\(at: "
                + "error-rate\\); not checked again until it ends"), again.results().get(0).message());
        // Once the open returns, the strategy is checked again.
        release(fifo);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        StrategyReport after;
        do {
            Thread.sleep(50);
            after = run.check(List.of(new StrategyName("se"))).get(0);
        } while (after.status() != Status.OK && System.nanoTime() < deadline);
        assertEquals(Status.OK, after.status(), after.summary());
    }

    @Test
    void theRoundsBudgetBoundsChecksThatWaitForASlot() {
        HealthRun run = new HealthRun((name, progress) -> {
            progress.begin("api");
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the deadline: ends at once
            }
            return ok(name);
        }, 1, Duration.ofMillis(600), Duration.ofMillis(1000));
        long started = System.nanoTime();
        List<StrategyReport> reports = run.check(names(3));
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertTrue(ms < 1500, "the round took " + ms + " ms");
        assertEquals("the check did not finish within 0.6 s (at: api)", reports.get(0).results().get(0).message());
        // The second got what was left of the budget (0.4 s); the third none.
        assertTrue(reports.get(1).results().get(0).message().startsWith("the check did not finish within 0.4 s"),
                reports.get(1).results().get(0).message());
        assertEquals("not checked: this round's budget of 1 s was used up by the checks before it (1 at a time)",
                reports.get(2).results().get(0).message());
        reports.forEach(r -> assertEquals(Status.UNKNOWN, r.status()));
    }

    /**
     * The slot of the last check comes free just after the budget ends, when the next check's
     * wait for it times out: whichever wakes first, the next one is "not checked", never started
     * with nothing left ("did not finish within 0.0 s", 63 of 150 rounds on a loaded machine).
     */
    @org.junit.jupiter.api.RepeatedTest(20)
    void aSlotFreedAtTheEndOfTheBudgetStartsNoCheck() {
        HealthRun run = new HealthRun((name, progress) -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ok(name);
        }, 1, Duration.ofMillis(100), Duration.ofMillis(100));
        List<StrategyReport> reports = run.check(names(2));
        assertEquals("not checked: this round's budget of 0 s was used up by the checks before it (1 at a time)",
                reports.get(1).results().get(0).message());
    }
}
