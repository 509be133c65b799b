package org.quantsupervision.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantsupervision.config.StrategyName;

/**
 * The strategy's output without a journal, log/NAME/strategy.log, against what operators and
 * full disks do to it. The strategy says what the test gives it, one step per run: its Nth run
 * prints REGISTRY/say-N and dies; the runner reads all of a run's output before the next run
 * starts, so once that one has started, every line of the step has been through the log.
 */
class StrategyLogTest {
    private static final StrategyName NAME = new StrategyName("logged");

    @TempDir
    Path dir;

    private Path registry;
    private Path log;
    private int steps;
    private MonitorProcess runner;

    @BeforeEach
    void strategy() throws IOException {
        registry = Files.createDirectories(dir.resolve("registry"));
        log = dir.resolve("log").resolve(NAME.value()).resolve("strategy.log");
        // SIGKILL, not exit: the runner waits a little after a plain exit, in case a stop caused it.
        Files.writeString(dir.resolve("strategy.sh"), """
                echo "$$" >>"$REGISTRY/starts"
                n=$(wc -l <"$REGISTRY/starts")
                while [ ! -f "$REGISTRY/say-$n" ]; do sleep 0.01; done
                cat "$REGISTRY/say-$n"
                kill -KILL $$
                """);
    }

    @AfterEach
    void stop() throws Exception {
        if (runner != null) {
            runner.close();
        }
    }

    private void configure(String extra) throws IOException {
        Path conf = Files.createDirectories(dir.resolve("etc").resolve(NAME.value())).resolve("env.conf");
        Files.writeString(conf, "STRATEGY_COMMAND=/bin/sh " + dir.resolve("strategy.sh") + "\nSTRATEGY_DIRECTORY=" + dir
                + "\nREGISTRY=" + registry + "\nRESTART_RESET_AFTER=1ms\nGIVE_UP_AFTER=100000\nSTOP_TIMEOUT=2s\n" + extra);
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
    }

    private void start(String extra) throws Exception {
        configure(extra);
        runner = MonitorProcess.start(NAME, dir);
        await("the first run", () -> starts() == 1);
    }

    /** Has the strategy print LINES, and waits until the runner has handled them. */
    private void say(String... lines) throws Exception {
        int step = ++steps;
        Path tmp = registry.resolve("say.tmp");
        Files.write(tmp, List.of(lines));
        Files.move(tmp, registry.resolve("say-" + step), StandardCopyOption.ATOMIC_MOVE);
        await("the run after step " + step, () -> starts() == step + 1);
    }

    private int starts() {
        try {
            Path file = registry.resolve("starts");
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what + ":\n" + (runner == null ? "" : runner.outputText()));
            }
            Thread.sleep(5);
        }
    }

    /** The runner's own lines that contain TEXT. */
    private long said(String text) {
        return runner.output().stream().filter(l -> l.contains(text)).count();
    }

    @Test
    void aLogRenamedAwayIsFollowedByANewFileAtTheNextLine() throws Exception {
        start("");
        say("before");
        Files.move(log, log.resolveSibling("strategy.log-20261201")); // logrotate without copytruncate
        say("after");
        assertEquals(List.of("before"), Files.readAllLines(log.resolveSibling("strategy.log-20261201")));
        assertEquals(List.of("after"), Files.readAllLines(log));
    }

    @Test
    void aDeletedLogIsCreatedAgainAndNoLineGoesToTheDeletedFile() throws Exception {
        start("");
        say("one");
        Files.delete(log);
        say("two");
        say("three");
        assertEquals(List.of("two", "three"), Files.readAllLines(log));
    }

    @Test
    void rotationShiftsBackupsAndALogDeletedOverAndOverNeverEatsThem() throws Exception {
        start("LOG_MAX_BYTES=10\nLOG_BACKUPS=3\n");
        for (String line : List.of("aaaaaaaa", "bbbbbbbb", "cccccccc", "dddddddd")) {
            say(line);
        }
        assertEquals(List.of("cccccccc"), Files.readAllLines(log.resolveSibling("strategy.log.1")));
        assertEquals(List.of("aaaaaaaa"), Files.readAllLines(log.resolveSibling("strategy.log.3")));
        // Every line now finds the file gone: none of them may eat a backup.
        for (int i = 0; i < 10; i++) {
            Files.deleteIfExists(log);
            say("eeeeeeee");
        }
        assertEquals(List.of("cccccccc"), Files.readAllLines(log.resolveSibling("strategy.log.1")));
        assertEquals(List.of("bbbbbbbb"), Files.readAllLines(log.resolveSibling("strategy.log.2")));
        assertEquals(List.of("aaaaaaaa"), Files.readAllLines(log.resolveSibling("strategy.log.3")));
        assertEquals(List.of("eeeeeeee"), Files.readAllLines(log));
    }

    @Test
    void aFullDiskDropsAndCountsLinesAndTheCountIsLoggedOnceLinesCanBeWrittenAgain() throws Exception {
        // A device like /dev/full where the log goes fails every write with ENOSPC, as a full file system does.
        Files.createDirectories(log.getParent());
        Process mknod = new ProcessBuilder("mknod", log.toString(), "c", "1", "7").inheritIO().start();
        assumeTrue(mknod.waitFor() == 0, "mknod needs CAP_MKNOD");
        start("");
        say(IntStream.range(0, 1000).mapToObj(i -> "line " + i).toArray(String[]::new));
        assertTrue(runner.isAlive(), "nothing the log does hurts the strategy");
        assertEquals(1, said("dropping lines"), "one report when the trouble starts, not one per line: "
                + runner.outputText());
        assertTrue(runner.outputText().contains("No space left on device"), runner.outputText());
        Files.delete(log); // space freed
        say("back");
        assertEquals(List.of("quant-supervision: 1000 lines of output lost (No space left on device)", "back"),
                Files.readAllLines(log));
        assertEquals(1, said("1000 lines of the strategy's output were lost (No space left on device); writing again"),
                runner.outputText());
        assertTrue(Files.readString(dir.resolve("lib").resolve(NAME.value()).resolve("events.jsonl"))
                .contains("\"event\":\"log-lines-lost\""));
    }

    @Test
    void linesLostWhileTheFileCannotBeOpenedAreCountedInTheLogOnceItCanBe() throws Exception {
        start("");
        say("first");
        Files.delete(log);
        Files.delete(log.getParent()); // the directory itself went: nothing can be opened
        say("lost 1", "lost 2");
        Files.createDirectories(log.getParent());
        say("back");
        assertEquals(List.of("quant-supervision: 2 lines of output lost (cannot open " + log + ")", "back"),
                Files.readAllLines(log));
        assertEquals(1, said("cannot open " + log + ": dropping lines until it can be"), runner.outputText());
        assertEquals(1, said("2 lines of the strategy's output were lost"), runner.outputText());
    }

    @Test
    void sighupIsPassedOnToTheStrategyAndTheLogIsReopened() throws Exception {
        Files.writeString(dir.resolve("strategy.sh"), """
                trap 'echo reloaded' HUP
                echo "$$" >>"$REGISTRY/starts"
                echo up
                while :; do sleep 0.1; done
                """);
        start("");
        await("the first line", () -> Files.exists(log) && readable(log).contains("up"));
        Files.move(log, log.resolveSibling("strategy.log.old"));
        assertEquals(0, new ProcessBuilder("kill", "-HUP", Long.toString(runner.pid())).start().waitFor());
        await("the strategy's answer in the new file", () -> Files.exists(log) && readable(log).contains("reloaded"));
        assertEquals(List.of("up"), Files.readAllLines(log.resolveSibling("strategy.log.old")));
        assertEquals(1, starts(), "a reload, not a restart");
        assertTrue(runner.outputText().contains("SIGHUP passed on to the strategy"), runner.outputText());
    }

    @Test
    void underTheJournalTheStrategyWritesThereItselfAndNoStrategyLogIsKept() throws Exception {
        configure("");
        runner = MonitorProcess.launch(NAME, dir).journal().start();
        await("the first run", () -> starts() == 1);
        say("to the journal");
        assertTrue(runner.output().contains("to the journal"), runner.outputText());
        assertFalse(Files.exists(log) && Files.size(log) > 0, "no strategy.log under the journal");
    }

    @Test
    void aJournalStreamInheritedButNotTheRunnersOutputIsNoJournal() throws Exception {
        // supervisord started by systemd: its programs inherit JOURNAL_STREAM, their output goes to supervisord.
        configure("");
        runner = MonitorProcess.launch(NAME, dir).environment("JOURNAL_STREAM", "8:12345").start();
        await("the first run", () -> starts() == 1);
        say("to the log");
        assertEquals(List.of("to the log"), Files.readAllLines(log));
    }

    private static String readable(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
