package org.quantsupervision.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantsupervision.alert.AlertSender;
import org.quantsupervision.alert.Receiver;
import org.quantsupervision.config.HostAlerts;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.runner.MonitorProcess;

/**
 * The health checker against real things: a strategy run by a real runner (real processes),
 * loopback HTTP receivers for the API and the alert channels, and other health processes.
 */
class StrategyHealthTest {
    static final StrategyName NAME = new StrategyName("mean-reversion");
    private static final String SLACK_SECRET = "T0000/B0000/SLACKSECRETTOKEN";
    private static final String ROUTING_KEY = "PAGERDUTYROUTINGKEYSECRET0000";

    @TempDir
    Path dir;
    private final List<Process> spawned = new ArrayList<>();
    private MonitorProcess runner;

    @BeforeEach
    void strategy() throws IOException {
        // A strategy that rewrites its state file, logs, and keeps a worker process.
        Files.writeString(dir.resolve("strategy.sh"), """
                sleep 600 &
                while :; do
                    printf '{"drift": %s, "positions_in_error": []}\\n' "$(cat "$DRIFT_FILE")" >"$STATE_FILE.tmp"
                    mv "$STATE_FILE.tmp" "$STATE_FILE"
                    echo "INFO tick"
                    sleep 0.1
                done
                """);
        Files.writeString(dir.resolve("drift"), "1");
    }

    @AfterEach
    void stop() throws Exception {
        if (runner != null) {
            runner.close();
        }
        spawned.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
    }

    private void envConf(String... lines) throws IOException {
        Path conf = Files.createDirectories(dir.resolve("etc").resolve(NAME.value())).resolve("env.conf");
        StringBuilder text = new StringBuilder()
                .append("STRATEGY_COMMAND=/bin/sh ").append(dir.resolve("strategy.sh")).append('\n')
                .append("STRATEGY_DIRECTORY=").append(dir).append('\n')
                .append("STATE_FILE=").append(dir.resolve("state.json")).append('\n')
                .append("DRIFT_FILE=").append(dir.resolve("drift")).append('\n')
                .append("START_GRACE=100ms\nSTOP_TIMEOUT=2s\n");
        for (String line : lines) {
            text.append(line).append('\n');
        }
        Files.writeString(conf, text);
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
    }

    private void startRunner() throws Exception {
        runner = MonitorProcess.start(NAME, dir);
        await("the strategy writes its state file", () -> Files.exists(dir.resolve("state.json")));
        await("runner.json says RUNNING", () -> {
            try {
                return Files.readString(dir.resolve("run/mean-reversion/runner.json")).contains("\"RUNNING\"");
            } catch (IOException e) {
                return false;
            }
        });
    }

    private StrategyHealth health(boolean act) {
        return new StrategyHealth(dir.resolve("etc"), dir.resolve("run"), dir.resolve("lib"), dir.resolve("log"),
                dir.resolve("health"), System.getProperty("user.name"), HostAlerts.NONE, "host1", () -> AlertSender.client(Duration.ofSeconds(2)), act);
    }

    private static Map<String, CheckResult> byName(StrategyReport report) {
        Map<String, CheckResult> m = new java.util.LinkedHashMap<>();
        report.results().forEach(r -> m.put(r.name(), r));
        return m;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void everyCheckPassesWhileTheStrategyRuns() throws Exception {
        try (Receiver api = Receiver.answering(200)) {
            envConf("API_CHECK_URL=" + api.uri("/v1/health?key=APIKEYSECRET"), "RULE_DRIFT=/drift > 5",
                    "RULE_IN_ERROR=/positions_in_error > 0", "CHECK_DUMMY=/bin/sh -c true");
            startRunner();
            StrategyReport report = health(true).check(NAME);
            Map<String, CheckResult> r = byName(report);
            assertEquals(Status.OK, report.status(), HumanReport.format(List.of(report)));
            assertEquals(List.of("process", "gave-up", "crashes", "hooks", "freshness", "api", "memory", "error-rate", "disk", "check-dummy",
                    "rule-drift", "rule-in-error"), List.copyOf(r.keySet()));
            assertTrue(r.get("memory").message().matches("\\d+ MB resident in [2-9] processes .*"),
                    "the strategy and its worker: " + r.get("memory").message());
            assertTrue(r.get("error-rate").message().startsWith("0 of the last "), r.get("error-rate").message());
            assertEquals("/v1/health", api.requests().get(0).path());
            assertFalse(HumanReport.format(List.of(report)).contains("APIKEYSECRET"), "the API URL's key stays out");
        }
    }

    @Test
    void aDeadStrategyIsCriticalEvenWhenCommandLinesContainItsName() throws Exception {
        envConf();
        // A process whose command line contains the strategy's name: the article's `pgrep -f
        // mean-reversion` takes it (or the checker itself) for the strategy.
        Path decoyDir = Files.createDirectories(dir.resolve("mean-reversion-tools"));
        Files.copy(Path.of("/bin/sleep"), decoyDir.resolve("sleep"));
        Process decoy = new ProcessBuilder(decoyDir.resolve("sleep").toString(), "600").start();
        spawned.add(decoy);
        Process pgrep = new ProcessBuilder("pgrep", "-f", "mean-reversion").start();
        assertEquals(0, pgrep.waitFor(), "the article's check would find a 'mean-reversion' process");
        // The runner and its strategy are dead, as after a kill -9 of both.
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.createDirectories(dir.resolve("run/mean-reversion"));
        Files.writeString(dir.resolve("run/mean-reversion/runner.json"), "{\"name\":\"mean-reversion\",\"state\":\"RUNNING\","
                + "\"runner_pid\":" + gone.pid() + ",\"runner_start_time\":1,\"child_pid\":" + decoy.pid()
                + ",\"child_start_time\":1,\"child_started_at\":0,\"restarts\":0,\"crash_streak\":0,\"updated_at\":0}");
        StrategyReport report = health(false).check(NAME);
        CheckResult process = byName(report).get("process");
        assertEquals(Status.CRITICAL, process.status(), process.message());
        assertTrue(process.message().startsWith("runner " + gone.pid() + " is gone"), process.message());
        assertEquals(Status.CRITICAL, report.status());
        // And as cron runs it: a checker whose own command line ends in "health mean-reversion".
        Process cli = healthProcess(NAME.value(), "--no-act");
        String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, cli.waitFor(), out);
        assertTrue(java.util.regex.Pattern.compile("\n  process +CRITICAL +runner " + gone.pid() + " is gone").matcher(out)
                .find(), out);
    }

    @Test
    void aCleanlyStoppedStrategyIsAWarningThatNeverRestartsIt() throws Exception {
        envConf("HEALTH_FAILURES=1", "HEALTH_GRACE=0s");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.createDirectories(dir.resolve("run/mean-reversion"));
        Files.writeString(dir.resolve("run/mean-reversion/runner.json"), "{\"name\":\"mean-reversion\",\"state\":\"STOPPED\","
                + "\"runner_pid\":" + gone.pid() + ",\"runner_start_time\":1,\"child_pid\":0,\"child_start_time\":0,"
                + "\"child_started_at\":0,\"restarts\":0,\"crash_streak\":0,\"updated_at\":" + System.currentTimeMillis()
                + "}");
        for (int run = 0; run < 3; run++) {
            StrategyReport report = health(true).check(NAME);
            CheckResult process = byName(report).get("process");
            assertEquals(Status.WARNING, process.status(), process.message());
            assertTrue(process.message().startsWith("stopped cleanly "), process.message());
            assertTrue(report.actions().stream().noneMatch(a -> a.contains("restart")), "an admin's stop is not undone: "
                    + report.actions());
            assertTrue(report.notes().stream().anyMatch(n -> n.startsWith("not restarted for freshness: the strategy "
                    + "was stopped cleanly")) || run > 0, report.notes().toString());
        }
    }

    /** The crashes that runner.json and events.jsonl show so far. */
    private long crashes() throws IOException {
        Path events = dir.resolve("lib/mean-reversion/events.jsonl");
        return Files.exists(events) ? Files.readAllLines(events).stream().filter(l -> l.contains("\"crashed\"")).count() : 0;
    }

    private long childPid() {
        return runner.snapshot().map(r -> r.childPid()).orElse(0L);
    }

    /**
     * The article's silent death, now that the runner restarts a crash in milliseconds: no check
     * of the process ever sees it down. The crash check does: one alert with how it ended and its
     * last lines (a secret's masked) in the first run after the crash, whatever HEALTH_GRACE; a
     * crash loop of 20 more is one update; a quiet CRASH_RESOLVE_AFTER resolves it.
     */
    @Test
    void crashesTheRunnerRestartsAtOnceAreOneAlertThenOneUpdateThenAResolve() throws Exception {
        String apiKey = "sk-live-4f1c2a9e0b7d";
        Files.writeString(dir.resolve("strategy.sh"), """
                echo "INFO logged in with $EXCHANGE_API_KEY"
                while :; do
                    if [ -e "$MODE_FILE" ]; then
                        case "$(cat "$MODE_FILE")" in
                        segv) mv "$MODE_FILE" "$MODE_FILE.done"; echo "ERROR book desync"; kill -SEGV $$ ;;
                        exit) echo "ERROR venue rejected the login"; exit 1 ;;
                        esac
                    fi
                    printf '{"drift": 1, "positions_in_error": []}\n' >"$STATE_FILE.tmp"
                    mv "$STATE_FILE.tmp" "$STATE_FILE"
                    echo "INFO tick"
                    sleep 0.1
                done
                """);
        try (Receiver slack = Receiver.answering(200); Receiver hook = Receiver.answering(204)) {
            envConf("EXCHANGE_API_KEY=" + apiKey, "MODE_FILE=" + dir.resolve("mode"), "HEALTH_RESTART=no",
                    "RESTART_DELAY_INITIAL=10ms", "RESTART_DELAY_MAX=50ms", "GIVE_UP_AFTER=1000",
                    "CRASH_UPDATE_INTERVAL=3s", "CRASH_RESOLVE_AFTER=6s",
                    "SLACK_WEBHOOK_URL=" + slack.uri("/services/" + SLACK_SECRET), "ALERT_WEBHOOK_URL=" + hook.uri("/hook"));
            startRunner();
            StrategyHealth health = health(true);
            assertEquals(Status.OK, byName(health.check(NAME)).get("crashes").status());

            long before = childPid();
            Files.writeString(dir.resolve("mode"), "segv");
            await("the SIGSEGV crash, restarted", () -> {
                try {
                    return crashes() == 1 && childPid() != before && childPid() != 0;
                } catch (IOException e) {
                    return false;
                }
            });
            StrategyReport first = health.check(NAME);
            assertEquals(Status.CRITICAL, byName(first).get("crashes").status(), HumanReport.format(List.of(first)));
            assertEquals(1, slack.requests().size(), "one alert, in the first run after the crash, grace or not");
            assertEquals(1, hook.requests().size());
            String alert = hook.requests().get(0).body();
            assertTrue(alert.contains("\"event\":\"trigger\"") && alert.contains("\"check\":\"crashes\""), alert);
            assertTrue(alert.contains("signal 11"), alert);
            assertTrue(alert.contains("\"output\":[") && alert.contains("ERROR book desync") && alert.contains("INFO tick"),
                    "the last lines of output: " + alert);
            assertTrue(alert.contains("[masked: the line holds the value of a secret]"), alert);
            assertTrue(slack.requests().get(0).body().contains("ERROR book desync"), slack.requests().get(0).body());

            // kill -9 of the strategy, then a crash loop of exit 1: 20 more crashes.
            new ProcessBuilder("kill", "-KILL", Long.toString(childPid())).start().waitFor();
            Files.writeString(dir.resolve("mode"), "exit");
            await("20 more crashes", () -> {
                try {
                    return crashes() >= 21;
                } catch (IOException e) {
                    return false;
                }
            });
            Files.delete(dir.resolve("mode"));
            await("running again", () -> runner.snapshot().filter(r -> r.childPid() != 0
                    && System.currentTimeMillis() - r.childStartedAtMillis() > 300).isPresent());
            health.check(NAME);
            Thread.sleep(3100); // CRASH_UPDATE_INTERVAL since the trigger, whenever the run above was
            health.check(NAME);
            List<String> updates = hook.requests().stream().map(Receiver.Request::body)
                    .filter(b -> b.contains("\"event\":\"update\"")).toList();
            assertEquals(1, updates.size(), "20 crashes are one update: " + hook.requests());
            assertTrue(updates.get(0).matches(".*\"summary\":\"\\d+ more crashes in the last .*status 1.*"), updates.get(0));
            assertEquals(2, hook.requests().size(), "a trigger and an update, nothing else yet");
            assertTrue(Files.readString(dir.resolve("lib/mean-reversion/events.jsonl")).contains("\"signal\":9"));

            Thread.sleep(6100); // CRASH_RESOLVE_AFTER without a crash since the runs above saw the last
            StrategyReport quiet = health.check(NAME);
            assertEquals(Status.OK, byName(quiet).get("crashes").status(), HumanReport.format(List.of(quiet)));
            assertEquals(3, hook.requests().size());
            assertTrue(hook.requests().get(2).body().contains("\"event\":\"resolve\""), hook.requests().get(2).body());
            assertTrue(slack.requests().get(slack.requests().size() - 1).body().contains("Recovered: crashes"));

            StringBuilder everything = new StringBuilder();
            hook.requests().forEach(r -> everything.append(r.body()));
            slack.requests().forEach(r -> everything.append(r.body()));
            everything.append(Files.readString(dir.resolve("health/mean-reversion/health.json")));
            assertFalse(everything.toString().contains(apiKey), "the strategy's secret leaked:\n" + everything);
        }
    }

    @Test
    void oneAlertPerIncidentOnEveryChannelAndOneResolve() throws Exception {
        try (Receiver slack = Receiver.answering(200); Receiver pd = Receiver.answering(202);
                Receiver hook = Receiver.answering(204)) {
            envConf("RULE_DRIFT=/drift > 5", "HEALTH_GRACE=0s", "HEALTH_RESTART=no",
                    "SLACK_WEBHOOK_URL=" + slack.uri("/services/" + SLACK_SECRET),
                    "PAGERDUTY_ROUTING_KEY=" + ROUTING_KEY, "PAGERDUTY_EVENTS_URL=" + pd.uri("/v2/enqueue"),
                    "ALERT_WEBHOOK_URL=" + hook.uri("/hook"));
            startRunner();
            Files.writeString(dir.resolve("drift"), "7.5");
            await("the strategy writes the new drift", () -> {
                try {
                    return Files.readString(dir.resolve("state.json")).contains("7.5");
                } catch (IOException e) {
                    return false;
                }
            });
            StringBuilder everything = new StringBuilder();
            StrategyHealth health = health(true);
            for (int run = 1; run <= 5; run++) {
                StrategyReport report = health.check(NAME);
                everything.append(HumanReport.format(List.of(report))).append(JsonReport.format("host1", List.of(report)));
                assertEquals(Status.CRITICAL, byName(report).get("rule-drift").status());
                int expected = run < 3 ? 0 : 1;
                assertEquals(expected, slack.requests().size(), "slack after run " + run);
                assertEquals(expected, pd.requests().size(), "pagerduty after run " + run);
                assertEquals(expected, hook.requests().size(), "webhook after run " + run);
            }
            Files.writeString(dir.resolve("drift"), "0.5");
            await("the strategy writes the new drift", () -> {
                try {
                    return Files.readString(dir.resolve("state.json")).contains("0.5");
                } catch (IOException e) {
                    return false;
                }
            });
            for (int run = 6; run <= 7; run++) {
                StrategyReport report = health.check(NAME);
                everything.append(HumanReport.format(List.of(report)));
                assertEquals(Status.OK, report.status(), HumanReport.format(List.of(report)));
            }
            assertEquals(2, slack.requests().size());
            assertTrue(slack.requests().get(1).body().contains("Recovered: rule-drift"), slack.requests().get(1).body());
            assertEquals(2, pd.requests().size());
            String trigger = pd.requests().get(0).body();
            String resolve = pd.requests().get(1).body();
            String key = "\"dedup_key\":\"quant-supervision/host1/mean-reversion/rule-drift\"";
            assertTrue(trigger.contains("\"event_action\":\"trigger\"") && trigger.contains(key), trigger);
            assertTrue(resolve.contains("\"event_action\":\"resolve\"") && resolve.contains(key), resolve);
            assertTrue(hook.requests().get(1).body().contains("\"event\":\"resolve\""), hook.requests().get(1).body());

            everything.append(Files.readString(dir.resolve("health/mean-reversion/health.json")))
                    .append(Files.readString(dir.resolve("health/mean-reversion/events.jsonl")));
            assertTrue(everything.toString().contains("incident-resolved") || everything.toString().contains("resolve"));
            for (String secret : new String[] {SLACK_SECRET, ROUTING_KEY, "SLACKSECRET", "/services/"}) {
                assertFalse(everything.toString().contains(secret), "a secret leaked: " + secret + "\n" + everything);
            }
        }
    }

    @Test
    void aDeadAlertEndpointCannotStallTheRunAndIsRetriedNextRun() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            envConf("RULE_DRIFT=/drift > 5", "HEALTH_GRACE=0s", "HEALTH_RESTART=no", "HEALTH_FAILURES=1",
                    "ALERT_TIMEOUT=300ms", "ALERT_RETRIES=1",
                    "ALERT_WEBHOOK_URL=http://127.0.0.1:" + silent.getLocalPort() + "/hook/HOOKSECRET");
            Files.writeString(dir.resolve("drift"), "9");
            startRunner();
            await("drift 9", () -> {
                try {
                    return Files.readString(dir.resolve("state.json")).contains("9");
                } catch (IOException e) {
                    return false;
                }
            });
            StrategyHealth health = health(true);
            for (int run = 1; run <= 2; run++) {
                long started = System.nanoTime();
                StrategyReport report = health.check(NAME);
                long ms = (System.nanoTime() - started) / 1_000_000;
                assertTrue(ms < 2500, "run " + run + " took " + ms + " ms");
                assertTrue(report.actions().contains("alert for rule-drift to webhook failed after 2 attempts: no answer "
                        + "within 300 ms"), report.actions().toString());
                assertFalse(report.actions().toString().contains("HOOKSECRET"));
            }
        }
    }

    @Test
    void aStaleFeedInAMaintenanceWindowRaisesNoAlertAndNoRestartAndOutsideItDoes() throws Exception {
        // A strategy that writes its state once, then goes quiet: the feed of a venue in maintenance.
        Files.writeString(dir.resolve("strategy.sh"), "printf '{}' >\"$STATE_FILE\"\nexec sleep 600\n");
        try (Receiver hook = Receiver.answering(204)) {
            java.time.Instant now = java.time.Instant.now();
            java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("EEE HH:mm", java.util.Locale.ROOT)
                    .withZone(java.time.ZoneOffset.UTC);
            String around = f.format(now.minus(Duration.ofHours(1))) + "-" + f.format(now.plus(Duration.ofHours(1))) + " UTC";
            String elsewhere = f.format(now.plus(Duration.ofDays(3))) + "-" + f.format(now.plus(Duration.ofDays(3).plusHours(1)))
                    + " UTC";
            String[] settings = {"HEALTH_GRACE=0s", "HEALTH_FAILURES=2", "DATA_MAX_AGE=60s",
                "ALERT_WEBHOOK_URL=" + hook.uri("/hook")};
            List<String> inWindow = new ArrayList<>(List.of(settings));
            inWindow.add("MAINTENANCE=" + around);
            envConf(inWindow.toArray(String[]::new));
            startRunner();
            Files.setLastModifiedTime(dir.resolve("state.json"), java.nio.file.attribute.FileTime.from(now.minus(
                    Duration.ofMinutes(30))));
            StrategyHealth health = health(true);
            for (int run = 1; run <= 3; run++) {
                StrategyReport report = health.check(NAME);
                String human = HumanReport.format(List.of(report));
                CheckResult freshness = byName(report).get("freshness");
                assertTrue(freshness.maintenance() && freshness.status() == Status.OK, human);
                assertTrue(freshness.message().startsWith("MAINTENANCE: CRITICAL: data stale: state file 30m"), human);
                assertEquals(Status.OK, report.status(), human);
                assertEquals(0, report.consecutive().get("freshness"), "not counted: " + human);
                assertEquals(0, hook.requests().size(), "no alert in the window: " + human);
                assertTrue(report.actions().isEmpty(), "no restart in the window: " + human);
                assertTrue(report.notes().stream().anyMatch(n -> n.startsWith("in a MAINTENANCE window (" + around)), human);
                assertTrue(java.util.regex.Pattern.compile("\n  freshness +MAINTENANCE +CRITICAL: data stale").matcher(human)
                        .find(), human);
                String json = JsonReport.format("host1", List.of(report));
                assertTrue(json.contains("\"name\":\"freshness\",\"status\":\"OK\",\"message\":\"MAINTENANCE: CRITICAL: "
                        + "data stale") && json.contains("\"maintenance\":true"), json);
                String nagios = NagiosReport.format(List.of(report));
                assertTrue(nagios.startsWith("QUANT-SUPERVISION OK - mean-reversion freshness MAINTENANCE: CRITICAL: data "
                        + "stale"), nagios);
                assertTrue(PrometheusTextfile.format(report).contains("quant_supervision_check_maintenance{strategy="
                        + "\"mean-reversion\",check=\"freshness\"} 1\n"), PrometheusTextfile.format(report));
            }
            assertFalse(Files.exists(dir.resolve("run/mean-reversion/restart-request")));
            // The same stale feed outside any window: counted, the alert at the second run, and the restart.
            List<String> outside = new ArrayList<>(List.of(settings));
            outside.add("MAINTENANCE=" + elsewhere);
            envConf(outside.toArray(String[]::new));
            StrategyReport first = health.check(NAME);
            assertEquals(Status.CRITICAL, byName(first).get("freshness").status(), HumanReport.format(List.of(first)));
            assertEquals(1, first.consecutive().get("freshness"));
            assertEquals(0, hook.requests().size());
            StrategyReport second = health.check(NAME);
            String human = HumanReport.format(List.of(second));
            assertEquals(1, hook.requests().size(), "the alert: " + human);
            assertTrue(hook.requests().get(0).body().contains("freshness"), hook.requests().get(0).body());
            assertTrue(second.actions().stream().anyMatch(a -> a.startsWith("asked runner pid ")
                    && a.endsWith("to replace its strategy (freshness failed)")), "the restart: " + human);
        }
    }

    @Test
    void twoConcurrentRunsCountEachFailureExactlyOnce() throws Exception {
        envConf("HEALTH_GRACE=0s", "HEALTH_FAILURES=10");
        // No runner at all: the process check fails in every run.
        List<Process> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            runs.add(healthProcess(NAME.value()));
        }
        for (Process p : runs) {
            assertEquals(2, p.waitFor(), "CRITICAL: " + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        String state = Files.readString(dir.resolve("health/mean-reversion/health.json"));
        HealthState parsed = HealthStateFile.parse(state.getBytes(StandardCharsets.UTF_8));
        assertEquals(2, parsed.checks.get("process").consecutive, state);
    }

    /** `quant-supervision health ARGS` in its own JVM, as cron runs it. */
    private Process healthProcess(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-p", System.getProperty("jdk.module.path"), "-m", "org.quantsupervision/org.quantsupervision.cli.Main",
                "health", "--config-dir", dir.resolve("etc").toString(), "--runtime-dir", dir.resolve("run").toString(),
                "--state-dir", dir.resolve("lib").toString(), "--health-dir", dir.resolve("health").toString(), "--log-dir", dir.resolve("log").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        spawned.add(p);
        return p;
    }
}
