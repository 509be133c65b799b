package org.quantsupervision.health;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.quantsupervision.alert.Alert;
import org.quantsupervision.alert.AlertSender;
import org.quantsupervision.clock.Moment;
import org.quantsupervision.config.HealthConfig;
import org.quantsupervision.record.RunnerRecord;
import org.quantsupervision.record.RunnerState;

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
 * <p>A failure that a maintenance window expects is shown, not counted, and neither alerts nor
 * restarts ({@link #expected}).
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
    record Notice(String check, HealthState.Incident incident, Set<String> pending, Alert.Kind kind,
            List<String> details) {
    }

    /** A line for events.jsonl: KIND (incident-opened, incident-resolved) and its text. */
    record Event(String kind, String text) {
    }

    /**
     * What a run should do: alerts to deliver, the check that asks for a restart (already
     * recorded in the state as asked), events to record, and lines for the report.
     */
    record Decision(List<Notice> notices, Optional<String> restartFor, List<String> notes, boolean inGrace,
            List<Event> events, List<String> actions, Optional<String> scheduledRestart) {
    }

    /** A RESTART_AT time found later than this (the checker was down, the clock jumped) is skipped. */
    static final java.time.Duration RESTART_AT_LATE = java.time.Duration.ofMinutes(5);

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
     * As above; RESTING: the kill switch holds the strategy, or this host stands by in failover
     * mode (only the process check ran). Nothing is counted, no incident opens (nor a flapping
     * one), no restart is asked for, and the other checks' counts and incidents are kept as they
     * were, for after the resume or the takeover: neither fixes nor raises anything.
     */
    Decision decide(HealthState state, List<CheckResult> results, Optional<RunnerRecord> runner, Moment now,
            boolean resting) {
        List<String> notes = new ArrayList<>();
        if (resting && runner.filter(r -> r.state() == RunnerState.STANDBY).isPresent()) {
            notes.add("standing by (failover): nothing counted, alerted or restarted on this host");
        } else if (resting) {
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
            if (result.maintenance()) {
                expected(c);
                continue;
            }
            if (RunnerEventCheck.NAMES.contains(result.name())) {
                events(result, c, state.events.get(result.name()), now, notices, events, actions);
                continue;
            }
            if (c.status != result.status()) {
                c.changes.add(now);
                c.status = result.status();
            }
            long windowMillis = config.flapWindow().toMillis();
            c.changes.removeIf(at -> at.millisUntil(now) > windowMillis);
            while (c.changes.size() > config.flapChanges()) {
                c.changes.remove(0);
            }
            boolean flapping = !resting && c.changes.size() >= config.flapChanges();
            if (result.status() == Status.CRITICAL) {
                if (!inGrace && !resting) {
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
        if (!resting) { // while resting the checks are not run: what they last had stays
            state.checks.keySet().retainAll(current); // checks no longer configured
            state.events.keySet().retainAll(current);
        }
        if (resting) {
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
        Optional<String> scheduled = scheduledRestart(state, r, now, notes);
        if (scheduled.isPresent() && restartFor != null) {
            notes.add(scheduled.get() + ": the restart for " + restartFor + " does it");
            scheduled = Optional.empty();
        }
        if (restartFor != null || scheduled.isPresent()) {
            // The attempt starts the cooldown even if it fails: a refused restart is not retried every run.
            state.restartAsked(now);
        }
        return new Decision(notices, Optional.ofNullable(restartFor), notes, inGrace, events, actions, scheduled);
    }

    /**
     * The RESTART_AT time that fell between the last run and this one, if any, as the reason of the
     * restart it asks for. None at the first run (an install at 17:20 does not restart for 17:15),
     * none more than {@link #RESTART_AT_LATE} late, none for a strategy that is not running (a
     * stop, a halt or a give-up stands), and none within HEALTH_RESTART_COOLDOWN: unlike a failure,
     * it does not wait for the cooldown to end, it is skipped.
     */
    private Optional<String> scheduledRestart(HealthState state, RunnerRecord r, Moment now, List<String> notes) {
        if (config.restartAt().isEmpty()) {
            state.restartAtSeen = null;
            return Optional.empty();
        }
        org.quantsupervision.schedule.WeeklyTimes times = config.restartAt().get();
        java.time.Instant wall = now.wall();
        java.time.Instant seen = state.restartAtSeen;
        state.restartAtSeen = seen == null || wall.isAfter(seen) ? wall : seen;
        Optional<java.time.Instant> due = seen == null ? Optional.empty() : times.latestIn(seen, wall);
        if (due.isEmpty()) {
            return Optional.empty();
        }
        String what = "RESTART_AT " + times + " (due " + due.get() + ")";
        java.time.Duration late = java.time.Duration.between(due.get(), wall);
        if (late.compareTo(RESTART_AT_LATE) > 0) {
            notes.add(what + " skipped: found " + Spans.human(late) + " late");
        } else if (r == null || !r.isRunning()) {
            notes.add(what + " skipped: the strategy is not running");
        } else if (state.lastRestart.millisUntil(now) < config.restartCooldown().toMillis()) {
            notes.add(what + " skipped: restarted within HEALTH_RESTART_COOLDOWN");
        } else {
            return Optional.of(what);
        }
        return Optional.empty();
    }

    /**
     * A failure a maintenance window expects ({@link Maintenance}): not counted, and the count
     * starts again after the window (failures before it say nothing about the strategy after it);
     * not a status change for flap detection (the last real status stands); no incident opened,
     * none resolved (an open one waits, its deliveries too, for the first result after the
     * window); no restart.
     */
    private static void expected(HealthState.CheckState c) {
        c.consecutive = 0;
    }

    /**
     * What INCIDENT of CHECK owes: a notice for the channels that have not had its trigger (or,
     * resolving, its resolve). OPENED: it opened in this run.
     */
    private void owe(String check, HealthState.Incident incident, boolean opened,
            List<Notice> notices, List<Event> events, List<String> actions) {
        owe(check, incident, opened, List.of(), notices, events, actions);
    }

    /** As above, with DETAILS for the alert (an event check's last output lines). */
    private void owe(String check, HealthState.Incident incident, boolean opened, List<String> details,
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
        notices.add(new Notice(check, incident, Set.copyOf(pending),
                incident.resolving ? Alert.Kind.RESOLVE : Alert.Kind.TRIGGER, details));
    }

    /**
     * Records NOTICE's DELIVERIES (none when nothing was pending): the channels that got it, a
     * run in which one did not (after {@link #MAX_DELIVERY_RUNS} of them the incident is no
     * longer retried), and the close of a resolve that nothing is pending for any more; the
     * close's event, if so.
     */
    Optional<Event> delivered(HealthState state, Notice notice, List<AlertSender.Delivery> deliveries) {
        HealthState.Incident incident = notice.incident();
        if (notice.kind() == Alert.Kind.UPDATE) {
            return Optional.empty(); // not retried: the next update, or the resolve, supersedes it
        }
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

    /**
     * An event check's incident (crashes, hook failures): opened by the first run that finds new
     * events, whatever HEALTH_FAILURES, HEALTH_GRACE or a new strategy process say (by then the
     * runner has restarted it: grace and the pid reset would hide every crash); further events
     * are told in one update per CRASH_UPDATE_INTERVAL; resolved once none came for
     * CRASH_RESOLVE_AFTER. Never a restart (the runner did that) nor flapping (a crash loop is
     * its own incident, not a status that changes).
     */
    private void events(CheckResult result, HealthState.CheckState c, HealthState.EventTrack track, Moment now,
            List<Notice> notices, List<Event> events, List<String> actions) {
        c.status = result.status();
        c.consecutive = 0;
        c.changes.clear();
        int fresh = (int) result.metric(RunnerEventCheck.freshMetric(result.name()), 0);
        HealthState.Incident incident = c.incident;
        String check = result.name();
        if (incident != null && incident.resolving && fresh > 0) {
            // Again before the resolve got everywhere: the same incident, owed as a trigger
            // again wherever its resolve went out.
            incident.resolving = false;
            incident.triggered.removeAll(incident.resolved);
            incident.resolved.clear();
            incident.attempts = 0;
        }
        if (incident == null) {
            if (fresh == 0) {
                return;
            }
            incident = open(c, now, Status.CRITICAL, false, result.message());
            track.unreported = 0;
            track.lastTold = now;
            owe(check, incident, true, track.output, notices, events, actions);
            return;
        }
        if (incident.resolving) {
            if (incident.attempts < MAX_DELIVERY_RUNS) {
                owe(check, incident, false, notices, events, actions);
            }
            return;
        }
        track.unreported += fresh;
        if (track.lastSeen.millisUntil(now) >= config.crashResolveAfter().toMillis()) {
            incident.resolving = true;
            incident.attempts = 0;
            incident.summary = "none for " + Spans.human(config.crashResolveAfter()) + ": " + result.message();
            owe(check, incident, false, notices, events, actions);
            return;
        }
        if (incident.attempts < MAX_DELIVERY_RUNS && !incident.triggered.containsAll(channels)) {
            owe(check, incident, false, track.output, notices, events, actions); // a trigger still owed somewhere
        }
        if (track.unreported > 0 && track.lastTold.millisUntil(now) >= config.crashUpdateInterval().toMillis()) {
            Set<String> told = new TreeSet<>(incident.triggered);
            told.retainAll(channels);
            incident.summary = track.unreported + " more " + RunnerEventCheck.nounsOf(check) + " in the last "
                    + Spans.human(java.time.Duration.ofMillis(track.lastTold.millisUntil(now))) + ", last: " + track.last;
            track.unreported = 0;
            track.lastTold = now;
            if (!told.isEmpty()) {
                notices.add(new Notice(check, incident, Set.copyOf(told), Alert.Kind.UPDATE, track.output));
            }
        }
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
