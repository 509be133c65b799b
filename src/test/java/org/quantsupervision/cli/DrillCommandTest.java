package org.quantsupervision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantsupervision.alert.Receiver;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.process.ProcessIdentity;
import org.quantsupervision.record.RunnerRecord;
import org.quantsupervision.record.RunnerState;
import org.quantsupervision.runner.MonitorProcess;

import picocli.CommandLine;

/** {@code drill} against a real runner and strategy processes, and a loopback receiver for alerts. */
class DrillCommandTest {
    private static final StrategyName NAME = new StrategyName("drilled");

    @TempDir
    Path dir;
    private MonitorProcess runner;
    private Path conf;

    private record Result(int status, String out, String err) {
    }

    @BeforeEach
    void configure() throws IOException {
        // The state file is the heartbeat: rewritten every 0.1 s while the strategy runs.
        Files.writeString(dir.resolve("strategy.sh"), """
                while :; do echo '{"ok": 1}' >"$STATE_FILE.tmp"; mv "$STATE_FILE.tmp" "$STATE_FILE"; sleep 0.1; done
                """);
        conf = Files.createDirectories(dir.resolve("etc").resolve(NAME.value())).resolve("env.conf");
        Files.writeString(conf, "STRATEGY_COMMAND=/bin/sh " + dir.resolve("strategy.sh") + "\nSTRATEGY_DIRECTORY=" + dir
                + "\nSTATE_FILE=" + dir.resolve("state.json") + "\nHEARTBEAT_FILE=" + dir.resolve("state.json")
                + "\nHEARTBEAT_MAX_AGE=1s\nDATA_MAX_AGE=2s\nSTART_GRACE=200ms\nSTOP_TIMEOUT=1s\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
    }

    @AfterEach
    void stop() throws Exception {
        if (runner != null) {
            runner.close();
        }
    }

    private void startRunner() throws Exception {
        runner = MonitorProcess.start(NAME, dir);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (snapshot().filter(s -> s.state() == RunnerState.RUNNING).isEmpty()) {
            if (System.nanoTime() > deadline) {
                fail("the strategy never became RUNNING");
            }
            Thread.sleep(20);
        }
    }

    private java.util.Optional<RunnerRecord> snapshot() {
        return RunnerRecord.readFrom(dir.resolve("run").resolve(NAME.value()).resolve("runner.json"));
    }

    private Result drill(String... args) {
        List<String> all = new ArrayList<>(List.of("drill", "--config-dir", dir.resolve("etc").toString(),
                "--runtime-dir", dir.resolve("run").toString(), "--state-dir", dir.resolve("lib").toString(), "--health-dir", dir.resolve("health").toString(),
                "--log-dir", dir.resolve("log").toString(), "--timeout", "20s", NAME.value()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = QuantSupervision.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return new Result(commandLine.execute(all.toArray(String[]::new)), out.toString(), err.toString());
    }

    private void closeTheMarketToday() throws IOException {
        Files.writeString(conf, "MARKET_HOLIDAYS=" + LocalDate.now(ZoneOffset.UTC) + "\n", StandardOpenOption.APPEND);
    }

    @Test
    void crashIsRefusedWhileTheMarketIsOpenThenRecoversWithOneCopyAndIsTimed() throws Exception {
        startRunner();
        RunnerRecord before = snapshot().orElseThrow();

        Result refused = drill("crash");
        assertEquals(ExitCodes.REFUSED, refused.status(), refused.err());
        assertTrue(refused.out().startsWith("drill crash on drilled (runner started by hand): kill -9 of strategy pid "
                + before.childPid()), "the plan comes first: " + refused.out());
        assertTrue(refused.err().contains("is live and its market is open") && refused.err().contains("--yes"),
                refused.err());
        assertTrue(new ProcessIdentity(before.childPid(), before.childStartTime()).isAlive(), "refused: nothing killed");

        Result crash = drill("crash", "--yes", "--json");
        assertEquals(ExitCodes.OK, crash.status(), crash.out() + crash.err());
        assertTrue(crash.out().startsWith("{\"drill\":\"crash\",\"strategy\":\"drilled\",\"manager\":\"none\","
                + "\"passed\":true"), crash.out());
        for (String event : List.of("killed", "exec", "running", "healthy")) {
            assertTrue(crash.out().contains("\"event\":\"" + event + "\""), event + " in " + crash.out());
        }
        RunnerRecord after = snapshot().orElseThrow();
        assertNotEquals(before.childPid(), after.childPid());
        assertFalse(new ProcessIdentity(before.childPid(), before.childStartTime()).isAlive(), "the old copy is gone");
        assertEquals(before.runnerPid(), after.runnerPid(), "the runner itself restarted it");

        closeTheMarketToday();
        Result human = drill("crash");
        assertEquals(ExitCodes.OK, human.status(), "market closed: no --yes needed\n" + human.out() + human.err());
        assertTrue(human.out().matches("(?s).*\\n +\\d+ ms  exec +new strategy pid \\d+ started by runner pid "
                + before.runnerPid() + "\\n.*\\nPASS drill crash drilled: recovered: new process after \\d+ ms, "
                + "RUNNING after \\d+ ms, healthy after \\d+ ms\\n"), human.out());
    }

    @Test
    void aForgedRunnerJsonNamingAForeignPidIsRefusedAndNothingIsSignalled() throws Exception {
        closeTheMarketToday();
        startRunner();
        RunnerRecord before = snapshot().orElseThrow();
        Process bystander = new ProcessBuilder("sleep", "60").start();
        try {
            ProcessIdentity foreign = ProcessIdentity.of(bystander.pid()).orElseThrow();
            // What the strategy's account can do: rewrite runner.json to name any pid (start times are world-readable).
            Path file = dir.resolve("run").resolve(NAME.value()).resolve("runner.json");
            Files.writeString(file, Files.readString(file)
                    .replace("\"child_pid\":" + before.childPid() + ",", "\"child_pid\":" + foreign.pid() + ",")
                    .replace("\"child_start_time\":" + before.childStartTime() + ",",
                            "\"child_start_time\":" + foreign.startTime() + ","));
            Result crash = drill("crash");
            assertEquals(ExitCodes.FAILURE, crash.status(), crash.out() + crash.err());
            assertTrue(crash.err().contains("drill: refused:") && crash.err().contains("pid " + foreign.pid()
                    + " is not a child of runner pid " + before.runnerPid()), crash.err());
            Thread.sleep(200);
            assertTrue(foreign.isAlive(), "the foreign process was not killed");
            assertTrue(new ProcessIdentity(before.childPid(), before.childStartTime()).isAlive(), "nor the strategy");
        } finally {
            bystander.destroyForcibly();
        }
    }

    @Test
    void aHungStrategyIsReplacedAndTheDrillSaysWhenTheOldOneEnded() throws Exception {
        closeTheMarketToday();
        startRunner();
        RunnerRecord before = snapshot().orElseThrow();
        Result hang = drill("hang");
        assertEquals(ExitCodes.OK, hang.status(), hang.out() + hang.err());
        assertTrue(hang.out().contains(" stopped  ") && hang.out().contains("SIGSTOP to strategy pid " + before.childPid()),
                hang.out());
        assertTrue(hang.out().contains("stopped strategy pid " + before.childPid() + " ended"), hang.out());
        assertFalse(hang.out().contains(" continued "), "replaced, so never continued: " + hang.out());
        assertFalse(new ProcessIdentity(before.childPid(), before.childStartTime()).isAlive());
        assertTrue(snapshot().orElseThrow().state() == RunnerState.RUNNING);
    }

    @Test
    void aStrategyThatIsNotRunningIsNotDrilled() {
        Result r = drill("crash", "--yes");
        assertEquals(ExitCodes.FAILURE, r.status());
        assertTrue(r.err().contains("drilled is not running"), r.err());
        assertEquals(ExitCodes.USAGE, drill("explode").status());
    }

    @Test
    void alertDrillSendsThroughEveryChannelResolvesPagerDutyAndNamesNoSecret() throws Exception {
        closeTheMarketToday();
        try (Receiver webhook = Receiver.answering(200); Receiver pagerDuty = Receiver.answering(202);
                Receiver slack = Receiver.answering(500)) {
            Files.writeString(conf, "ALERT_WEBHOOK_URL=" + webhook.uri("/hook-secret-path") + "\nPAGERDUTY_ROUTING_KEY="
                    + "routing-key-secret\nPAGERDUTY_EVENTS_URL=" + pagerDuty.uri("/v2/enqueue") + "\nSLACK_WEBHOOK_URL="
                    + slack.uri("/services/slack-secret") + "\nALERT_RETRIES=1\n", StandardOpenOption.APPEND);
            Result r = drill("alert");
            assertEquals(ExitCodes.FAILURE, r.status(), "Slack answered 500: " + r.out() + r.err());
            assertTrue(r.out().contains("webhook           delivered, HTTP 200 after 1 attempt"), r.out());
            assertTrue(r.out().contains("pagerduty         delivered, HTTP 202 after 1 attempt"), r.out());
            assertTrue(r.out().contains("slack             NOT delivered: HTTP 500 after 2 attempts"), r.out());
            assertTrue(r.out().contains("pagerduty-resolve delivered, HTTP 202"), r.out());
            assertTrue(r.out().endsWith("FAIL drill alert drilled: not delivered: slack\n"), r.out());
            assertEquals(1, webhook.requests().size());
            assertEquals(2, slack.requests().size());
            List<Receiver.Request> pd = pagerDuty.requests();
            assertEquals(2, pd.size());
            assertTrue(pd.get(0).body().contains("\"event_action\":\"trigger\""), pd.get(0).body());
            assertTrue(pd.get(1).body().contains("\"event_action\":\"resolve\""), pd.get(1).body());
            String key = "\"dedup_key\":\"quant-supervision/";
            assertTrue(pd.get(0).body().contains(key) && pd.get(1).body().contains("/drilled/drill\""), pd.get(1).body());
            for (String secret : List.of("secret", "127.0.0.1")) {
                assertFalse((r.out() + r.err()).contains(secret), secret + " in " + r.out() + r.err());
            }
        }
    }
}
