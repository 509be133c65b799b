package org.quantsupervision.health;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.quantsupervision.alert.AlertSender;
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
 *
 * <p>Every decision of the checker is made here, and {@link StrategyHealth} only carries them out:
 * the counting, grace and flapping above; the clean-stop veto (a strategy an admin stopped is
 * never restarted); the restart and its cooldown, recorded as asked whether or not it then
 * succeeds; which channels each incident still owes a trigger or a resolve; and, from the
 * deliveries' results ({@link #delivered}), when an incident is closed.
 */
final class Escalation {
    /**
     * A delivery owed on an incident: the trigger, or the resolve once the check recovered, to
     * the channels in PENDING (those that have not had it yet).
     */
    record Notice(String check, HealthState.Incident incident, Set<String> pending) {
    }

    /** A line for events.jsonl: KIND (incident-opened, incident-resolved) and its text. */
    record Event(String kind, String text) {
    }

    /**
     * What a run should do: alerts to deliver, the check that asks for a restart (already
     * recorded in the state as asked), events to record, and lines for the report.
     */
    record Decision(List<Notice> notices, Optional<String> restartFor, List<String> notes, boolean inGrace,
            List<Event> events, List<String> actions) {
    }

    /** Incidents whose deliveries keep failing stop being retried after this many runs. */
    static final int MAX_DELIVERY_RUNS = 10;

    private final HealthConfig config;
    /** The alert channels configured for the strategy (its env.conf's, or the host's). */
    private final Set<String> channels;

    Escalation(HealthConfig config) {
        this.config = config;
        this.channels = Set.copyOf(AlertSender.channelNames(config.alerts()));
    }

    Decision decide(HealthState state, List<CheckResult> results, Optional<RunnerRecord> runner, Moment now) {
        return decide(state, results, runner, now, false);
    }

    /**
     * As above; HALTED: the kill switch holds the strategy (only the process check ran). Nothing
     * is counted, no incident opens (nor a flapping one), no restart is asked for, and the
     * other checks' counts and incidents are kept as they were, for after the resume: a halt
     * neither fixes nor raises anything.
     */
    Decision decide(HealthState state, List<CheckResult> results, Optional<RunnerRecord> runner, Moment now,
            boolean halted) {
        List<String> notes = new ArrayList<>();
        if (halted) {
            notes.add("halted (quant-supervision halt): nothing counted, alerted or restarted until resumed");
        }
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
        List<Event> events = new ArrayList<>();
        List<String> actions = new ArrayList<>();
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
            boolean flapping = !halted && c.changes.size() >= config.flapChanges();
            if (result.status() == Status.CRITICAL) {
                if (!inGrace && !halted) {
                    c.consecutive++;
                }
            } else {
                c.consecutive = 0;
            }

            HealthState.Incident incident = c.incident;
            boolean opened = false;
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
                opened = true;
                incident = open(c, now, Status.WARNING, true, "flapping: " + c.changes.size() + " status changes within "
                        + Spans.human(config.flapWindow()) + "; now " + result.status() + ": " + result.message());
            } else if (incident == null && c.consecutive >= config.failuresBeforeAction()) {
                opened = true;
                incident = open(c, now, Status.CRITICAL, false, result.message() + " (" + c.consecutive
                        + " runs in a row)");
            } else if (incident != null && !incident.resolving && result.status() == Status.OK && !flapping) {
                incident.resolving = true;
                incident.attempts = 0;
                incident.summary = "recovered: " + result.message();
            }
            if (incident != null && incident.attempts < MAX_DELIVERY_RUNS) {
                owe(result.name(), incident, opened, notices, events, actions);
            }
            if (restartFor == null && !flapping && c.consecutive >= config.failuresBeforeAction()
                    && config.restart() && config.restartOn().contains(result.name())) {
                restartFor = result.name();
            }
        }
        if (!halted) {
            state.checks.keySet().retainAll(current); // checks no longer configured (while halted: not run)
        }
        if (halted) {
            restartFor = null;
        }
        if (restartFor != null && state.lastRestart.millisUntil(now) < config.restartCooldown().toMillis()) {
            notes.add("restart for " + restartFor + " held back: HEALTH_RESTART_COOLDOWN " + Spans.human(
                    config.restartCooldown()) + " since the last one");
            restartFor = null;
        }
        if (restartFor != null && r != null && r.stoppedCleanly()) {
            // The checker must not undo `quant-supervision stop`.
            notes.add("not restarted for " + restartFor + ": the strategy was stopped cleanly (quant-supervision stop "
                    + "or disable)");
            restartFor = null;
        }
        if (restartFor != null) {
            // The attempt starts the cooldown even if it fails: a refused restart is not retried every run.
            state.restartAsked(now);
        }
        return new Decision(notices, Optional.ofNullable(restartFor), notes, inGrace, events, actions);
    }

    /**
     * What INCIDENT of CHECK owes: a notice for the channels that have not had its trigger (or,
     * resolving, its resolve). OPENED: it opened in this run.
     */
    private void owe(String check, HealthState.Incident incident, boolean opened,
            List<Notice> notices, List<Event> events, List<String> actions) {
        Set<String> pending = new TreeSet<>(channels);
        if (incident.resolving) {
            pending.retainAll(incident.triggered);
            pending.removeAll(incident.resolved);
        } else {
            pending.removeAll(incident.triggered);
        }
        if (opened) {
            events.add(new Event("incident-opened", check + ": " + incident.summary));
            if (pending.isEmpty()) {
                actions.add("incident opened for " + check + " (no alert channel configured)");
            }
        }
        // With nothing pending too: a resolving incident is then closed by delivered().
        notices.add(new Notice(check, incident, Set.copyOf(pending)));
    }

    /**
     * Records NOTICE's DELIVERIES (none when nothing was pending): the channels that got it, a
     * run in which one did not (after {@link #MAX_DELIVERY_RUNS} of them the incident is no
     * longer retried), and the close of a resolve that nothing is pending for any more; the
     * close's event, if so.
     */
    Optional<Event> delivered(HealthState state, Notice notice, List<AlertSender.Delivery> deliveries) {
        HealthState.Incident incident = notice.incident();
        Set<String> remaining = new TreeSet<>(notice.pending());
        for (AlertSender.Delivery d : deliveries) {
            if (d.delivered()) {
                (incident.resolving ? incident.resolved : incident.triggered).add(d.channel());
                remaining.remove(d.channel());
            }
        }
        if (!remaining.isEmpty()) {
            incident.attempts++;
        }
        // Resolved on every channel still configured that had the trigger: closed.
        if (incident.resolving && remaining.isEmpty()) {
            state.checks.get(notice.check()).incident = null;
            return Optional.of(new Event("incident-resolved", notice.check() + ": " + incident.summary));
        }
        return Optional.empty();
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
