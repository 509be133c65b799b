package org.quantsupervision.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantsupervision.alert.Alert;
import org.quantsupervision.clock.Moment;
import org.quantsupervision.config.ConfigException;
import org.quantsupervision.config.HealthConfig;
import org.quantsupervision.config.StrategyConfig;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.json.Json;
import org.quantsupervision.record.RunnerPaths;

/**
 * Crashes as the checker sees them, run by run, against a clock the test moves: the runner's
 * events.jsonl written as the monitor writes it, the crash check and the decisions on it, with
 * the state carried through health.json as between real runs.
 */
class CrashIncidentTest {
    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
    private static final Instant BOOTED = T0.minus(Duration.ofDays(1));
    private static final StrategyName NAME = new StrategyName("mr");
    private static final String SECRET = "sk-live-0123456789abcdef";

    @TempDir
    Path dir;
    private HealthState state = new HealthState();
    private int pid = 1000;

    private static Moment at(Instant wall) {
        return new Moment(wall, Duration.between(BOOTED, wall).toMillis(), "boot-a");
    }

    private StrategyConfig strategy() throws ConfigException {
        return StrategyConfig.from(NAME, dir.resolve("env.conf"), Map.of("EXCHANGE_API_KEY", SECRET,
                "SLACK_WEBHOOK_URL", "https://hooks.example.invalid/services/T0/B0/x",
                "ALERT_WEBHOOK_URL", "http://127.0.0.1:9/hook"));
    }

    /** Appends a crash at WHEN, as records.c writes it, with OUTPUT as its last lines. */
    private void crash(Instant when, String how, String... output) throws IOException {
        pid++;
        String line = Json.text(g -> {
            g.writeStartObject();
            g.writeStringProperty("time", when.toString());
            g.writeStringProperty("strategy", NAME.value());
            g.writeStringProperty("event", "crashed");
            g.writeStringProperty("message", "strategy pid " + pid + " exited (" + how + ") after 5000 ms");
            g.writeNumberProperty("pid", pid);
            if (how.startsWith("signal")) {
                g.writeNumberProperty("signal", Integer.parseInt(how.split(" ")[1]));
                g.writeBooleanProperty("core_dumped", how.contains("core"));
            } else {
                g.writeNumberProperty("exit_code", Integer.parseInt(how.split(" ")[1]));
            }
            g.writeNumberProperty("uptime_ms", 5000);
            g.writeArrayPropertyStart("output");
            for (String o : output) {
                g.writeString(o);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
        Path events = Files.createDirectories(dir.resolve("lib").resolve(NAME.value())).resolve("events.jsonl");
        Files.writeString(events, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** One run at WHEN: the crash check, then the decisions; the state goes through health.json. */
    private Escalation.Decision run(Instant when) throws Exception {
        StrategyConfig strategy = strategy();
        HealthConfig config = HealthConfig.from(strategy, dir.resolve("env.conf"), dir.resolve("log"), dir.resolve("lib"));
        CheckContext context = new CheckContext(strategy, config, RunnerPaths.of(NAME, dir.resolve("run"),
                dir.resolve("lib"), dir.resolve("log")), Optional.empty(), at(when));
        List<CheckResult> results = List.of(RunnerEventCheck.crashes(state).run(context));
        Escalation escalation = new Escalation(config);
        Escalation.Decision d = escalation.decide(state, results, Optional.empty(), at(when));
        for (Escalation.Notice n : d.notices()) {
            List<org.quantsupervision.alert.AlertSender.Delivery> all = new ArrayList<>();
            n.pending().forEach(ch -> all.add(new org.quantsupervision.alert.AlertSender.Delivery(ch, true, 1, "", 200, 1)));
            escalation.delivered(state, n, all);
        }
        try (HealthStateFile file = HealthStateFile.lock(dir.resolve("health"), Duration.ofSeconds(1))) {
            file.write(state);
            state = file.read();
        }
        last = results.get(0);
        return d;
    }

    private CheckResult last;

    private static List<Alert.Kind> kinds(Escalation.Decision d) {
        return d.notices().stream().filter(n -> !n.pending().isEmpty()).map(Escalation.Notice::kind).toList();
    }

    @Test
    void aTakeoverIsOneAlertWithTheRunnersLine() throws Exception {
        // the monitor's "leader" event of failover mode, as event_append() writes it
        String line = Json.text(g -> {
            g.writeStartObject();
            g.writeStringProperty("time", T0.toString());
            g.writeStringProperty("strategy", NAME.value());
            g.writeStringProperty("event", "leader");
            g.writeStringProperty("message", "this host (trade-b) leads, epoch 42");
            g.writeEndObject();
        });
        Path events = Files.createDirectories(dir.resolve("lib").resolve(NAME.value())).resolve("events.jsonl");
        Files.writeString(events, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        StrategyConfig strategy = strategy();
        HealthConfig config = HealthConfig.from(strategy, dir.resolve("env.conf"), dir.resolve("log"), dir.resolve("lib"));
        CheckContext context = new CheckContext(strategy, config, RunnerPaths.of(NAME, dir.resolve("run"),
                dir.resolve("lib"), dir.resolve("log")), Optional.empty(), at(T0.plusSeconds(20)));
        CheckResult takeovers = RunnerEventCheck.takeovers(state).run(context);
        assertEquals(Status.CRITICAL, takeovers.status(), takeovers.message());
        assertTrue(takeovers.message().contains("this host (trade-b) leads, epoch 42"), takeovers.message());
        Escalation.Decision d = new Escalation(config).decide(state, List.of(takeovers), Optional.empty(),
                at(T0.plusSeconds(20)));
        assertEquals(List.of(Alert.Kind.TRIGGER), kinds(d));
    }

    @Test
    void aCrashLoopIsOneTriggerThenOneUpdateThenAResolveAfterAStableHour() throws Exception {
        crash(T0.minus(Duration.ofDays(2)), "status 1", "old history");
        assertEquals(List.of(), kinds(run(T0)), "the first run pages for no crash of two days ago");
        assertEquals(Status.OK, last.status(), last.message());

        crash(T0.plusSeconds(10), "signal 11 (core dumped)", "INFO tick", "ERROR book desync", "key is " + SECRET);
        Escalation.Decision first = run(T0.plusSeconds(30));
        assertEquals(List.of(Alert.Kind.TRIGGER), kinds(first), "the first crash: one alert, grace or not");
        Escalation.Notice trigger = first.notices().get(0);
        assertEquals(java.util.Set.of("slack", "webhook"), trigger.pending());
        assertTrue(trigger.incident().summary.contains("signal 11"), trigger.incident().summary);
        assertEquals(List.of("INFO tick", "ERROR book desync", "[masked: the line holds the value of a secret]"),
                trigger.details(), "the last lines, the secret's masked (by the checker too)");
        assertEquals(Status.CRITICAL, last.status());
        assertTrue(first.restartFor().isEmpty(), "the runner restarted it: the checker never does for a crash");

        // 20 more within the next 10 minutes, a run every 30 s: one update, when the 10 minutes are over.
        List<Escalation.Decision> updates = new ArrayList<>();
        Instant t = T0.plusSeconds(30);
        for (int i = 0; i < 20; i++) {
            crash(t.plusSeconds(5), "status 1", "ERROR again " + i);
            t = t.plusSeconds(30);
            Escalation.Decision d = run(t);
            assertFalse(kinds(d).contains(Alert.Kind.TRIGGER), "no second trigger at " + t);
            if (kinds(d).contains(Alert.Kind.UPDATE)) {
                assertEquals(List.of(Alert.Kind.UPDATE), kinds(d));
                assertEquals(T0.plusSeconds(30).plus(Duration.ofMinutes(10)), t, "the update when 10 min are over");
                updates.add(d);
            }
        }
        assertEquals(1, updates.size(), "20 crashes in 10 min: one aggregated update");
        String summary = updates.get(0).notices().get(0).incident().summary;
        assertTrue(summary.startsWith("20 more crashes in the last 10m00s, last: "), summary);
        assertTrue(summary.contains("status 1"), summary);
        assertEquals(List.of("ERROR again 19"), updates.get(0).notices().get(0).details());

        // Quiet from the last crash (seen at T0+630s): WARNING meanwhile, no alert; resolved after an hour.
        Instant lastSeen = T0.plusSeconds(30 + 20 * 30);
        assertEquals(List.of(), kinds(run(lastSeen.plus(Duration.ofMinutes(30)))));
        assertEquals(Status.WARNING, last.status(), last.message());
        Escalation.Decision resolve = run(lastSeen.plus(Duration.ofMinutes(61)));
        assertEquals(List.of(Alert.Kind.RESOLVE), kinds(resolve));
        assertEquals(Status.OK, last.status(), last.message());
        assertTrue(state.checks.get("crashes").incident == null, "closed");
        assertEquals(List.of(), kinds(run(lastSeen.plus(Duration.ofMinutes(62)))), "nothing more");

        crash(lastSeen.plus(Duration.ofMinutes(63)), "status 2");
        assertEquals(List.of(Alert.Kind.TRIGGER), kinds(run(lastSeen.plus(Duration.ofMinutes(64)))),
                "a crash after the resolve is a new incident");
        assertTrue(last.message().contains("22 in 24 h"), last.message());
    }

    @Test
    void aBootTimeCrashBeforeTheFirstRunIsNewsAndForgedLinesAreNoEvents() throws Exception {
        crash(T0.minusSeconds(20), "status 1", "at boot");
        Path events = dir.resolve("lib").resolve(NAME.value()).resolve("events.jsonl");
        Files.writeString(events, """
                {"time":"not a time","event":"crashed"}
                {"event":"crashed"
                garbage "crashed"
                """, StandardOpenOption.APPEND);
        Escalation.Decision d = run(T0);
        assertEquals(List.of(Alert.Kind.TRIGGER), kinds(d), "a crash within CRASH_UPDATE_INTERVAL before the first run");
        assertEquals(1.0, last.metric("crashes_since_last_run", -1), last.message());
        assertEquals(List.of(), kinds(run(T0.plusSeconds(30))), "the same crash is not news twice");
        assertEquals(0.0, last.metric("crashes_since_last_run", -1));
    }

    @Test
    void aClockSteppedBackDoesNotHideTheNextCrash() throws Exception {
        assertEquals(List.of(), kinds(run(T0)));
        crash(T0.plusSeconds(10), "status 1");
        assertEquals(List.of(Alert.Kind.TRIGGER), kinds(run(T0.plusSeconds(30))));
        crash(T0.minus(Duration.ofHours(1)), "status 3", "after the step"); // written after, dated before
        run(T0.plusSeconds(60));
        assertEquals(1.0, last.metric("crashes_since_last_run", -1), "in file order after the cursor's event: new");
        assertTrue(last.message().contains("status 3"), last.message());
    }
}
