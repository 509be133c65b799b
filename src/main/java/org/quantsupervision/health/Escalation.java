package org.quantsupervision.health;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.quantsupervision.clock.Moment;
import org.quantsupervision.config.HealthConfig;
import org.quantsupervision.record.RunnerRecord;

/**
 * Turns one run's results into decisions, against what earlier runs recorded: counts
 * consecutive CRITICAL results per check, detects flapping (HEALTH_FLAP_CHANGES status changes
 * within HEALTH_FLAP_WINDOW), opens an incident (one alert) when a check has failed
 * HEALTH_FAILURES runs in a row, asks for a restart of the strategy for the checks in
 * HEALTH_RESTART_ON (at most one per HEALTH_RESTART_COOLDOWN), and resolves the incident when the
 * check is OK again.
 *
 * <p>Failures are not counted during HEALTH_GRACE after the strategy (re)started or after a
 * restart was asked for, and a new strategy process resets every count: monit's issue #787 is a
 * restart triggered by failures counted against the previous process.
 *
 * <p>The windows (grace, cooldown, flapping) are measured between {@link Moment}s, on the
 * monotonic clock when both ends are of this boot: a backward wall-clock step would otherwise put
 * the last restart "in the future" and hold off failure counting and restarts for as long as the
 * step, and a forward one would end every grace at once. A window that started before a reboot
 * is over. The wall clock stays for what people read.
 */
final class Escalation {
    /** A delivery pending on an incident: the trigger, or the resolve once the check recovered. */
    record Notice(String check, HealthState.Incident incident) {
    }

    /** What a run should do: alerts to deliver, and the check that asks for a restart, if any. */
    record Decision(List<Notice> notices, Optional<String> restartFor, List<String> notes, boolean inGrace) {
    }

    /** Incidents whose deliveries keep failing stop being retried after this many runs. */
    static final int MAX_DELIVERY_RUNS = 10;

    private final HealthConfig config;

    Escalation(HealthConfig config) {
        this.config = config;
    }

    Decision decide(HealthState state, List<CheckResult> results, Optional<RunnerRecord> runner, Moment now) {
        List<String> notes = new ArrayList<>();
        RunnerRecord r = runner.orElse(null);
        if (r != null && r.childPid() != 0
                && (r.childPid() != state.childPid || r.childStartTime() != state.childStartTime)) {
            if (state.childPid != 0) {
                notes.add("strategy process changed (" + state.childPid + " -> " + r.childPid() + "): counts reset");
            }
            state.childPid = r.childPid();
            state.childStartTime = r.childStartTime();
            state.checks.values().forEach(c -> c.consecutive = 0);
        }
        long graceMillis = config.grace().toMillis();
        boolean inGrace = (r != null && r.childPid() != 0 && r.childStarted().millisUntil(now) < graceMillis)
                || state.lastRestart.millisUntil(now) < graceMillis;
        if (inGrace) {
            notes.add("in HEALTH_GRACE after a (re)start: failures shown, not counted");
        }

        Set<String> current = new HashSet<>();
        List<Notice> notices = new ArrayList<>();
        String restartFor = null;
        for (CheckResult result : results) {
            current.add(result.name());
            HealthState.CheckState c = state.checks.computeIfAbsent(result.name(), n -> new HealthState.CheckState());
            if (c.status != result.status()) {
                c.changes.add(now);
                c.status = result.status();
            }
            long windowMillis = config.flapWindow().toMillis();
            c.changes.removeIf(at -> at.millisUntil(now) > windowMillis);
            while (c.changes.size() > config.flapChanges()) {
                c.changes.remove(0);
            }
            boolean flapping = c.changes.size() >= config.flapChanges();
            if (result.status() == Status.CRITICAL) {
                if (!inGrace) {
                    c.consecutive++;
                }
            } else {
                c.consecutive = 0;
            }

            HealthState.Incident incident = c.incident;
            if (incident != null && incident.resolving && incident.resolved.isEmpty()
                    && result.status() != Status.OK) {
                incident.resolving = false; // failed again before any resolve got out: the trigger stands
                incident.attempts = 0;
            }
            if (incident != null && flapping && !incident.flapping && !incident.resolving) {
                // Already alerted as a failure: now known to flap. Same incident, no second alert.
                incident.flapping = true;
            }
            if (incident == null && flapping) {
                incident = open(c, now, Status.WARNING, true, "flapping: " + c.changes.size() + " status changes within "
                        + Spans.human(config.flapWindow()) + "; now " + result.status() + ": " + result.message());
            } else if (incident == null && c.consecutive >= config.failuresBeforeAction()) {
                incident = open(c, now, Status.CRITICAL, false, result.message() + " (" + c.consecutive
                        + " runs in a row)");
            } else if (incident != null && !incident.resolving && result.status() == Status.OK && !flapping) {
                incident.resolving = true;
                incident.attempts = 0;
                incident.summary = "recovered: " + result.message();
            }
            if (incident != null && incident.attempts < MAX_DELIVERY_RUNS) {
                notices.add(new Notice(result.name(), incident));
            }
            if (restartFor == null && !flapping && c.consecutive >= config.failuresBeforeAction()
                    && config.restart() && config.restartOn().contains(result.name())) {
                restartFor = result.name();
            }
        }
        state.checks.keySet().retainAll(current); // checks no longer configured
        if (restartFor != null && state.lastRestart.millisUntil(now) < config.restartCooldown().toMillis()) {
            notes.add("restart for " + restartFor + " held back: HEALTH_RESTART_COOLDOWN " + Spans.human(
                    config.restartCooldown()) + " since the last one");
            restartFor = null;
        }
        return new Decision(notices, Optional.ofNullable(restartFor), notes, inGrace);
    }

    /** Records that the strategy was restarted: counts start again, grace begins. */
    static void restarted(HealthState state, Moment now) {
        state.lastRestart = now;
        state.checks.values().forEach(c -> c.consecutive = 0);
    }

    private static HealthState.Incident open(HealthState.CheckState c, Moment now, Status status, boolean flapping,
            String summary) {
        HealthState.Incident incident = new HealthState.Incident();
        incident.opened = now;
        incident.status = status;
        incident.flapping = flapping;
        incident.summary = summary;
        c.incident = incident;
        return incident;
    }
}
