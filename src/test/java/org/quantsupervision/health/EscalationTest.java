package org.quantsupervision.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.quantsupervision.clock.Moment;
import org.quantsupervision.config.ConfigException;
import org.quantsupervision.config.HealthConfig;
import org.quantsupervision.config.StrategyConfig;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.manager.Manager;
import org.quantsupervision.record.RunnerRecord;
import org.quantsupervision.record.RunnerState;

/** The decisions, run by run, against a clock the test moves. */
class EscalationTest {
    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
    /** The host booted a day before T0, and no clock was stepped since (ClockStepTest steps them). */
    private static final Instant BOOTED = T0.minus(Duration.ofDays(1));
    private final HealthState state = new HealthState();

    private static HealthConfig config(String... pairs) throws ConfigException {
        Map<String, String> env = new HashMap<>(Map.of("HEALTH_GRACE", "60s"));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        Path file = Path.of("env.conf");
        return HealthConfig.from(StrategyConfig.from(new StrategyName("mr"), file, env), file, Path.of("/log"),
                Path.of("/lib"));
    }

    /** WALL as both clocks of this boot read it. */
    private static Moment at(Instant wall) {
        return new Moment(wall, Duration.between(BOOTED, wall).toMillis(), "boot-a");
    }

    /** A strategy process PID started at STARTED (long before T0 unless said otherwise). */
    private static Optional<RunnerRecord> runner(long pid, Instant started) {
        return Optional.of(new RunnerRecord("mr", RunnerState.RUNNING, 10, 1, 1, pid, pid * 7, at(started),
                0, 0, null, null, 0, started.toEpochMilli(), Manager.NONE, Optional.empty()));
    }

    private static List<CheckResult> process(Status status) {
        return List.of(CheckResult.of("process", status, status.name()), CheckResult.of("api", Status.OK, "fine"));
    }

    private Escalation.Decision run(Escalation e, Status status, Instant at, long pid) {
        return e.decide(state, process(status), runner(pid, T0.minus(Duration.ofHours(1))), at(at));
    }

    @Test
    void threeFailuresInARowOpenOneIncidentAndAskForOneRestart() throws ConfigException {
        Escalation e = new Escalation(config());
        assertTrue(run(e, Status.CRITICAL, T0, 100).notices().isEmpty(), "1st failure: nothing yet");
        assertTrue(run(e, Status.CRITICAL, T0.plusSeconds(30), 100).notices().isEmpty(), "2nd failure: nothing yet");
        Escalation.Decision third = run(e, Status.CRITICAL, T0.plusSeconds(60), 100);
        assertEquals(1, third.notices().size(), "3rd failure: the incident");
        assertEquals("process", third.notices().get(0).check());
        assertEquals(Optional.of("process"), third.restartFor());
        assertEquals(0, state.checks.get("process").consecutive, "a restart resets the counts");
    }

    @Test
    void aStrategyStoppedCleanlyIsNeverRestartedButItsIncidentOpens() throws ConfigException {
        Escalation e = new Escalation(config());
        // runner.json says STOPPED, and its runner (pid 10 with that start time) is gone: an admin's stop.
        Optional<RunnerRecord> stopped = Optional.of(new RunnerRecord("mr", RunnerState.STOPPED, 10, 1, 1, 100, 700,
                at(T0.minus(Duration.ofHours(1))), 0, 0, null, null, 0, T0.toEpochMilli(), Manager.NONE, Optional.empty()));
        Escalation.Decision d = null;
        for (int i = 0; i < 3; i++) {
            d = e.decide(state, process(Status.CRITICAL), stopped, at(T0.plusSeconds(30L * i)));
        }
        assertEquals(Optional.empty(), d.restartFor(), "the checker must not undo quant-supervision stop");
        assertTrue(d.notes().stream().anyMatch(n -> n.contains("stopped cleanly")), d.notes().toString());
        assertEquals(1, d.notices().size(), "the incident is still told");
        assertEquals(Moment.NEVER, state.lastRestart, "no restart recorded: no cooldown begins");
    }

    @Test
    void whileHaltedNothingIsCountedOpenedOrRestartedAndTheOtherChecksKeepTheirState() throws ConfigException {
        Escalation e = new Escalation(config());
        // api failing twice before the halt: its count must wait for the resume, neither grow nor vanish.
        for (int i = 0; i < 2; i++) {
            e.decide(state, List.of(CheckResult.of("process", Status.OK, ""), CheckResult.of("api", Status.CRITICAL, "")),
                    runner(100, T0.minus(Duration.ofHours(1))), at(T0.plusSeconds(30L * i)));
        }
        assertEquals(2, state.checks.get("api").consecutive);
        Optional<RunnerRecord> halted = Optional.of(new RunnerRecord("mr", RunnerState.HALTED, 10, 1, 1, 0, 0,
                Moment.NEVER, 0, 0, null, null, 0, T0.toEpochMilli(), Manager.NONE, Optional.empty()));
        for (int i = 0; i < 10; i++) {
            // Only the process check runs while halted; were it CRITICAL, it would still not count.
            Escalation.Decision d = e.decide(state, List.of(CheckResult.of("process", Status.CRITICAL, "")), halted,
                    at(T0.plusSeconds(60 + 30L * i)), true);
            assertTrue(d.notices().isEmpty(), "no alert while halted, run " + i);
            assertEquals(Optional.empty(), d.restartFor(), "no restart while halted");
            assertTrue(d.notes().stream().anyMatch(n -> n.startsWith("halted")), d.notes().toString());
            assertEquals(0, state.checks.get("process").consecutive, "not counted, run " + i);
        }
        assertEquals(0, state.checks.get("process").consecutive);
        assertEquals(2, state.checks.get("api").consecutive, "kept for after the resume");
    }

    @Test
    void aFlakyCheckThatRecoversInBetweenNeverEscalates() throws ConfigException {
        Escalation e = new Escalation(config("HEALTH_FLAP_CHANGES", "50"));
        for (int i = 0; i < 10; i++) {
            Status s = i % 3 == 2 ? Status.OK : Status.CRITICAL;
            Escalation.Decision d = run(e, s, T0.plusSeconds(30L * i), 100);
            assertTrue(d.notices().isEmpty() && d.restartFor().isEmpty(), "run " + i);
        }
    }

    @Test
    void failuresDuringTheGraceAfterAStartAreNotCounted() throws ConfigException {
        Escalation e = new Escalation(config());
        Instant started = T0;
        for (int i = 0; i < 5; i++) {
            Escalation.Decision d = e.decide(state, process(Status.CRITICAL), runner(100, started),
                    at(T0.plusSeconds(10L * i)));
            assertTrue(d.inGrace());
            assertEquals(0, state.checks.get("process").consecutive);
        }
        e.decide(state, process(Status.CRITICAL), runner(100, started), at(T0.plusSeconds(61)));
        assertEquals(1, state.checks.get("process").consecutive, "counted once the grace is over");
    }

    @Test
    void aNewStrategyProcessResetsTheCounts() throws ConfigException {
        Escalation e = new Escalation(config());
        run(e, Status.CRITICAL, T0, 100);
        run(e, Status.CRITICAL, T0.plusSeconds(30), 100);
        Escalation.Decision d = run(e, Status.CRITICAL, T0.plusSeconds(60), 200); // restarted by the runner meanwhile
        assertTrue(d.notices().isEmpty(), "failures of the old process do not count against the new one");
        assertEquals(1, state.checks.get("process").consecutive);
    }

    @Test
    void theIncidentIsResolvedWhenTheCheckRecovers() throws ConfigException {
        Escalation e = new Escalation(config("HEALTH_RESTART", "no"));
        for (int i = 0; i < 3; i++) {
            run(e, Status.CRITICAL, T0.plusSeconds(30L * i), 100);
        }
        HealthState.Incident incident = state.checks.get("process").incident;
        incident.triggered.add("slack"); // delivered
        assertTrue(run(e, Status.CRITICAL, T0.plusSeconds(90), 100).notices().get(0).incident().triggered
                .contains("slack"), "still open, nothing new: the sender skips channels already told");
        Escalation.Decision d = run(e, Status.OK, T0.plusSeconds(120), 100);
        assertTrue(d.notices().get(0).incident().resolving, "recovery resolves");
        assertTrue(d.restartFor().isEmpty(), "HEALTH_RESTART=no");
    }

    @Test
    void flappingStopsNewAlertsAndRestarts() throws ConfigException {
        Escalation e = new Escalation(config("HEALTH_FLAP_CHANGES", "4", "HEALTH_FLAP_WINDOW", "10min",
                "HEALTH_FAILURES", "1", "HEALTH_GRACE", "0s", "HEALTH_RESTART_COOLDOWN", "0s"));
        int triggers = 0;
        int triggersWhileFlapping = 0;
        boolean flapping = false;
        for (int i = 0; i < 12; i++) {
            Escalation.Decision d = run(e, i % 2 == 0 ? Status.CRITICAL : Status.OK, T0.plusSeconds(30L * i), 100);
            HealthState.CheckState c = state.checks.get("process");
            flapping |= c.incident != null && c.incident.flapping;
            if (c.incident != null && !c.incident.resolving && c.incident.triggered.isEmpty()) {
                triggers++;
                triggersWhileFlapping += flapping ? 1 : 0;
            }
            if (flapping) {
                assertTrue(d.restartFor().isEmpty(), "no restart while flapping, run " + i);
            }
            // What delivery does: the trigger goes out; a resolve goes out and closes the incident.
            if (c.incident != null && c.incident.resolving) {
                c.incident = null;
            } else if (c.incident != null) {
                c.incident.triggered.add("slack");
            }
        }
        assertTrue(flapping, "flapping detected");
        assertEquals(0, triggersWhileFlapping, "no new alert once it is known to flap");
        assertTrue(triggers <= 2, "alerts before the flapping was detected: " + triggers);
        assertTrue(state.checks.get("process").incident != null, "the incident stays open while it flaps");
        for (int i = 12; i < 40; i++) {
            run(e, Status.OK, T0.plusSeconds(30L * i), 100);
        }
        assertTrue(state.checks.get("process").incident.resolving, "resolved once it stopped flapping");
    }

    @Test
    void restartsWaitForTheCooldown() throws ConfigException {
        Escalation e = new Escalation(config("HEALTH_RESTART_COOLDOWN", "5min", "HEALTH_GRACE", "0s"));
        Instant t = T0;
        for (int i = 0; i < 3; i++, t = t.plusSeconds(30)) {
            run(e, Status.CRITICAL, t, 100);
        }
        state.restartAsked(at(t.minusSeconds(30)));
        Escalation.Decision held = null;
        for (int i = 0; i < 3; i++, t = t.plusSeconds(30)) {
            held = run(e, Status.CRITICAL, t, 100);
        }
        assertTrue(held.restartFor().isEmpty(), "within 5 min of the last restart");
        assertTrue(held.notes().stream().anyMatch(n -> n.contains("HEALTH_RESTART_COOLDOWN")), held.notes().toString());
        Escalation.Decision later = run(e, Status.CRITICAL, T0.plus(Duration.ofMinutes(7)), 100);
        assertEquals(Optional.of("process"), later.restartFor(), "after the cooldown");
    }

    @Test
    void checksNoLongerConfiguredAreForgotten() throws ConfigException {
        Escalation e = new Escalation(config());
        run(e, Status.CRITICAL, T0, 100);
        e.decide(state, List.of(CheckResult.of("process", Status.OK, "")), runner(100, T0.minusSeconds(3600)), at(T0));
        assertNull(state.checks.get("api"));
    }

    // ---- maintenance windows ----------------------------------------------------------------------

    /** T0, Sunday 10:00Z, is 05:00 in New York: inside this window, which ends at 06:00 there (11:00Z). */
    private static final String WINDOW = "Sat 22:00-Sun 06:00 America/New_York";
    private static final Instant WINDOW_ENDS = Instant.parse("2026-11-29T11:00:00Z");

    /** One run at AT whose checks found PROCESS and FRESHNESS, as StrategyHealth runs it: the window's marks, then the decision. */
    private Escalation.Decision maintenanceRun(HealthConfig config, Escalation e, Status process, Status freshness,
            Instant at) {
        List<CheckResult> found = List.of(CheckResult.of("process", process, process.name()),
                CheckResult.of("freshness", freshness, freshness == Status.OK ? "state file 1s old (limit 1min)"
                        : "data stale: state file 5min old (limit 1min)"));
        return e.decide(state, Maintenance.expect(config, found, at), runner(100, T0.minus(Duration.ofHours(12))), at(at));
    }

    @Test
    void aStaleFeedInAMaintenanceWindowIsShownButNeitherCountedNorAlertedNorRestarted() throws ConfigException {
        HealthConfig config = config("MAINTENANCE", WINDOW);
        Escalation e = new Escalation(config);
        List<CheckResult> shown = Maintenance.expect(config, List.of(CheckResult.of("freshness", Status.CRITICAL,
                "data stale: state file 5min old (limit 1min)")), T0);
        assertEquals(Status.OK, shown.get(0).status());
        assertEquals("MAINTENANCE", shown.get(0).shown());
        assertEquals("MAINTENANCE: CRITICAL: data stale: state file 5min old (limit 1min)", shown.get(0).message());
        for (int i = 0; i < 6; i++) {
            Escalation.Decision d = maintenanceRun(config, e, Status.OK, Status.CRITICAL, T0.plusSeconds(30L * i));
            assertTrue(d.notices().isEmpty(), "no alert in the window, run " + i);
            assertEquals(Optional.empty(), d.restartFor(), "no restart in the window, run " + i);
            assertEquals(0, state.checks.get("freshness").consecutive, "not counted, run " + i);
            assertTrue(state.checks.get("freshness").changes.isEmpty(), "no status change for flapping, run " + i);
        }
        assertEquals(Moment.NEVER, state.lastRestart);
        assertTrue(Maintenance.note(config, T0).orElseThrow().startsWith("in a MAINTENANCE window (" + WINDOW + "): "
                + "failures of api freshness are expected"), Maintenance.note(config, T0).toString());
        // 06:00 in New York: the window is over, and the same failure has its full weight again.
        assertTrue(Maintenance.note(config, WINDOW_ENDS).isEmpty());
        Escalation.Decision d = null;
        for (int i = 0; i < 3; i++) {
            d = maintenanceRun(config, e, Status.OK, Status.CRITICAL, WINDOW_ENDS.plusSeconds(30L * i));
            if (i < 2) {
                assertEquals(i + 1, state.checks.get("freshness").consecutive, "counted after the window, run " + i);
            }
        }
        assertEquals(1, d.notices().size(), "the alert, at the third failure after the window");
        assertEquals("freshness", d.notices().get(0).check());
        assertEquals(Optional.of("freshness"), d.restartFor(), "and the restart");
    }

    @Test
    void aCheckTheWindowDoesNotListKeepsItsFullWeight() throws ConfigException {
        HealthConfig config = config("MAINTENANCE", WINDOW);
        Escalation e = new Escalation(config);
        Escalation.Decision d = null;
        for (int i = 0; i < 3; i++) {
            d = maintenanceRun(config, e, Status.CRITICAL, Status.CRITICAL, T0.plusSeconds(30L * i));
        }
        assertEquals(List.of("process"), d.notices().stream().map(Escalation.Notice::check).toList(),
                "a strategy that dies in the window is still an incident; its stale feed is not");
        assertEquals(Optional.of("process"), d.restartFor());
        // Listed, the process check's failure would be expected too.
        HealthConfig listed = config("MAINTENANCE", WINDOW, "MAINTENANCE_CHECKS", "freshness api process");
        state.checks.clear();
        Escalation quiet = new Escalation(listed);
        for (int i = 0; i < 3; i++) {
            d = maintenanceRun(listed, quiet, Status.CRITICAL, Status.CRITICAL, T0.plus(Duration.ofMinutes(30)).plusSeconds(30L * i));
        }
        assertTrue(d.notices().isEmpty() && d.restartFor().isEmpty(), d.toString());
    }

    @Test
    void anIncidentOpenWhenTheWindowBeginsIsNeitherResolvedNorRepeatedInIt() throws ConfigException {
        HealthConfig config = config("MAINTENANCE", WINDOW, "HEALTH_RESTART", "no");
        Escalation e = new Escalation(config);
        Instant before = T0.minus(Duration.ofHours(6)); // Sunday 04:00Z, 23:00 Saturday in New York: the window is on
        Instant saturday = Instant.parse("2026-11-29T02:00:00Z"); // 21:00 Saturday in New York: not yet
        for (int i = 0; i < 3; i++) {
            maintenanceRun(config, e, Status.OK, Status.CRITICAL, saturday.plusSeconds(30L * i));
        }
        HealthState.Incident incident = state.checks.get("freshness").incident;
        assertTrue(incident != null && !incident.resolving, "opened before the window");
        incident.triggered.add("slack");
        Escalation.Decision d = maintenanceRun(config, e, Status.OK, Status.CRITICAL, before);
        assertTrue(d.notices().isEmpty(), "nothing owed in the window");
        assertTrue(!incident.resolving && state.checks.get("freshness").incident == incident, "still open");
        d = maintenanceRun(config, e, Status.OK, Status.OK, WINDOW_ENDS);
        assertTrue(d.notices().get(0).incident().resolving, "resolved by the first good result after the window");
    }

    /** A runner and strategy that are alive: this very process stands for both. */
    private static Optional<RunnerRecord> live() {
        org.quantsupervision.process.ProcessIdentity me = org.quantsupervision.process.ProcessIdentity
                .of(ProcessHandle.current().pid()).orElseThrow();
        return Optional.of(new RunnerRecord("mr", RunnerState.RUNNING, me.pid(), me.startTime(), 1, me.pid(),
                me.startTime(), at(T0.minus(Duration.ofDays(1))), 0, 0, null, null, 0,
                T0.minus(Duration.ofDays(1)).toEpochMilli(), Manager.NONE, Optional.empty()));
    }

    /** RESTART_AT Sun 17:15 New York (22:15Z on 2026-11-29), runs every 30 s around it: one restart, in the first run after. */
    @Test
    void restartAtRestartsOnceInTheFirstRunAfterItsTimeAndNeverLateOrForAStoppedStrategy() throws ConfigException {
        Escalation e = new Escalation(config("RESTART_AT", "Sun 17:15 America/New_York"));
        Instant time = Instant.parse("2026-11-29T22:15:00Z");
        List<Instant> restarts = new java.util.ArrayList<>();
        for (Instant t = time.minusSeconds(120); t.isBefore(time.plusSeconds(600)); t = t.plusSeconds(30)) {
            Escalation.Decision d = e.decide(state, process(Status.OK), live(), at(t));
            if (d.scheduledRestart().isPresent()) {
                restarts.add(t);
                assertTrue(d.scheduledRestart().get().startsWith("RESTART_AT Sun 17:15 America/New_York (due "
                        + time + ")"), d.scheduledRestart().get());
            }
        }
        assertEquals(List.of(time), restarts, "one restart, in the run at or just after 17:15");

        // The next week's 17:15: the checker was down from 17:10 to 17:25, more than 5 min late: skipped, said so.
        Instant week = time.plus(Duration.ofDays(7));
        e.decide(state, process(Status.OK), live(), at(week.minusSeconds(300)));
        Escalation.Decision late = e.decide(state, process(Status.OK), live(), at(week.plusSeconds(600)));
        assertTrue(late.scheduledRestart().isEmpty());
        assertTrue(late.notes().stream().anyMatch(n -> n.contains("skipped: found 10m00s late")), late.notes().toString());

        // A strategy that is not running (stopped, halted, given up) is not started by RESTART_AT.
        Instant third = time.plus(Duration.ofDays(14));
        e.decide(state, process(Status.OK), runner(100, T0), at(third.minusSeconds(30)));
        Escalation.Decision stopped = e.decide(state, process(Status.OK), runner(100, T0), at(third.plusSeconds(30)));
        assertTrue(stopped.scheduledRestart().isEmpty());
        assertTrue(stopped.notes().stream().anyMatch(n -> n.contains("skipped: the strategy is not running")),
                stopped.notes().toString());

        // A clock stepped back over 17:15 repeats no restart.
        Escalation.Decision again = e.decide(state, process(Status.OK), live(), at(third.minusSeconds(60)));
        Escalation.Decision after = e.decide(state, process(Status.OK), live(), at(third.plusSeconds(40)));
        assertTrue(again.scheduledRestart().isEmpty() && after.scheduledRestart().isEmpty());
    }

    @Test
    void theFirstRunWithRestartAtOwesNoEarlierTime() throws ConfigException {
        Escalation e = new Escalation(config("RESTART_AT", "daily 10:00"));
        assertTrue(e.decide(state, process(Status.OK), live(), at(T0.plusSeconds(20))).scheduledRestart().isEmpty(),
                "installed at 10:00:20: no restart for 10:00");
    }
}
