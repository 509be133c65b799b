package org.quantsupervision.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantsupervision.clock.BootClock;
import org.quantsupervision.clock.Moment;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.manager.Manager;
import org.quantsupervision.process.ProcessIdentity;
import org.quantsupervision.runner.MonitorProcess;

/** runner.json between the runner (the monitor writes it) and its readers, including those of 0.1.0's files. */
class RunnerRecordTest {
    private static final StrategyName NAME = new StrategyName("mr");

    @TempDir
    Path dir;

    @Test
    void theRunnersFileNamesItAndItsStrategyAsTheKernelKnowsThemAndTheStartCarriesItsClockAndBoot()
            throws Exception {
        Path conf = Files.createDirectories(dir.resolve("etc/mr")).resolve("env.conf");
        Files.writeString(conf, "STRATEGY_COMMAND=/bin/sleep 1000\nSTRATEGY_DIRECTORY=" + dir + "\nSTART_GRACE=100ms\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        Moment before = BootClock.SYSTEM.now();
        RunnerRecord running;
        try (MonitorProcess runner = MonitorProcess.start(NAME, dir)) {
            running = await(runner, RunnerState.RUNNING);
            assertEquals("mr", running.name());
            assertEquals(runner.pid(), running.runnerPid());
            assertEquals(ProcessIdentity.of(runner.pid()).orElseThrow().startTime(), running.runnerStartTime());
            assertEquals(ProcessHandle.current().pid(), running.runnerParentPid());
            ProcessIdentity strategy = new ProcessIdentity(running.childPid(), running.childStartTime());
            assertTrue(strategy.isAlive(), "the strategy's pid and start time: " + running);
            assertEquals(Manager.NONE, running.manager(), "started by hand");
            Moment started = running.childStarted();
            assertEquals(before.bootId(), started.bootId());
            assertTrue(started.monotonicMillis() >= before.monotonicMillis()
                    && started.monotonicMillis() <= BootClock.SYSTEM.now().monotonicMillis(), started.toString());
            assertTrue(Duration.between(before.wall(), started.wall()).abs().compareTo(Duration.ofSeconds(30)) < 0,
                    started.toString());
            assertTrue(Files.readString(dir.resolve("run/mr/runner.json")).contains("\"child_started_at\":"
                    + started.wallMillis()), "0.1.0's field kept");
            assertEquals(started.wallMillis(), running.childStartedAtMillis());
            assertEquals(0, runner.stop());
        }
        RunnerRecord stopped = RunnerRecord.readFrom(dir.resolve("run/mr/runner.json")).orElseThrow();
        assertEquals(RunnerState.STOPPED, stopped.state());
        assertEquals(0, stopped.childPid());
        assertTrue(stopped.childStarted().isNever(), "no strategy process is never: " + stopped);
        assertEquals(0, stopped.childStartedAtMillis());
    }

    private static RunnerRecord await(MonitorProcess runner, RunnerState state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            Optional<RunnerRecord> s = runner.snapshot();
            if (s.isPresent() && s.get().state() == state) {
                return s.get();
            }
            if (System.nanoTime() > deadline) {
                fail("never " + state + ": " + s + "\n" + runner.outputText());
            }
            Thread.sleep(5);
        }
    }

    @Test
    void aFileOf010HasTheStartByTheWallClockOnly() throws IOException {
        Files.writeString(dir.resolve("runner.json"), "{\"name\":\"mr\",\"state\":\"RUNNING\",\"runner_pid\":10,"
                + "\"runner_start_time\":1,\"child_pid\":100,\"child_start_time\":700,\"child_started_at\":1764410400000,"
                + "\"restarts\":0,\"crash_streak\":0,\"updated_at\":1764410400000}");
        RunnerRecord read = RunnerRecord.readFrom(dir.resolve("runner.json")).orElseThrow();
        assertEquals(Moment.wallOnly(1764410400000L), read.childStarted());
        assertEquals(Instant.ofEpochMilli(1764410400000L), read.childStarted().wall());
    }
}
