package org.quantsupervision.health;

import java.time.Duration;
import java.time.Instant;

import org.quantsupervision.process.ProcessIdentity;
import org.quantsupervision.record.RunnerRecord;
import org.quantsupervision.record.RunnerState;

/**
 * Is the strategy running? Answered from the runner's runner.json: the runner and the strategy
 * are each identified by pid and start time and looked up in /proc, so neither a pid reused by
 * another process nor a command line that merely contains the strategy's name (the reference
 * article's {@code pgrep -f}, which matched the checker itself) can pass for the strategy.
 */
final class ProcessCheck implements Check {
    static final String NAME = "process";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CheckResult run(CheckContext c) {
        if (c.halted()) {
            // The kill switch, pulled on purpose: not a failure (and never restarted, see Escalation).
            String who = c.halt().map(h -> "halted " + h.describe())
                    .orElse("halted (the halt file is gone: resuming)");
            String runner = c.runner().filter(r -> r.runner().isAlive()).map(r -> "runner " + r.runnerPid()
                    + " HALTED, no strategy process").orElse("no runner running; the halt file keeps it from starting");
            return CheckResult.of(NAME, Status.OK, who + "; " + runner + "; quant-supervision resume "
                    + c.strategy().name() + " to run it",
                    Metric.of("strategy_restarts", c.runner().map(RunnerRecord::restarts).orElse(0), ""));
        }
        if (c.standby()) {
            RunnerRecord r = c.runner().get();
            String leader = r.failover().filter(f -> !f.leader().isEmpty() && !f.leader().equals("-"))
                    .map(f -> "leader " + f.leader() + ", epoch " + f.epoch()).orElse("no leader known");
            return CheckResult.of(NAME, Status.OK, "runner " + r.runnerPid() + " STANDBY (" + leader
                    + "): this host takes over when the leader's lease lapses",
                    Metric.of("strategy_restarts", r.restarts(), ""));
        }
        if (c.runner().isEmpty()) {
            return CheckResult.of(NAME, Status.CRITICAL, "no runner: " + c.paths().statusFile()
                    + " is missing or unreadable (is quant-strategy@" + c.strategy().name() + " started?)");
        }
        RunnerRecord r = c.runner().get();
        Metric restarts = Metric.of("strategy_restarts", r.restarts(), "");
        RunnerState state = r.state();
        if (r.stoppedCleanly()) {
            // WARNING, which never restarts: the checker must not undo `quant-supervision stop`.
            return CheckResult.of(NAME, Status.WARNING, "stopped cleanly " + ago(c.now(), r.updatedAtMillis())
                    + " (quant-supervision stop, disable, or its manager): not restarted by the checker; "
                    + "quant-supervision start " + c.strategy().name() + " to run it", restarts);
        }
        if (state == RunnerState.FATAL) {
            // One incident, one page: the gave-up check is CRITICAL and alerts for it (with the
            // runner's reason); a second CRITICAL here would page twice for the same give-up.
            return CheckResult.of(NAME, Status.WARNING, "runner " + r.runnerPid() + " gave up after "
                    + r.crashStreak() + " crashes in a row (the gave-up check alerts); quant-supervision start "
                    + c.strategy().name() + " once fixed", restarts);
        }
        if (!r.runner().isAlive()) {
            return CheckResult.of(NAME, Status.CRITICAL, "runner " + r.runnerPid() + " is gone (its last state: "
                    + state + ", " + ago(c.now(), r.updatedAtMillis()) + ")", restarts);
        }
        if (state == RunnerState.STOPPED || state == RunnerState.STOPPING) {
            return CheckResult.of(NAME, Status.CRITICAL, "runner " + r.runnerPid() + " is " + state, restarts);
        }
        if (state == RunnerState.BACKOFF) {
            return CheckResult.of(NAME, Status.WARNING, "strategy crashed " + r.crashStreak()
                    + " times in a row (last exit " + exit(r) + "); restart in " + r.backoffMillis() + " ms", restarts);
        }
        ProcessIdentity child = r.strategy();
        var childState = child.state();
        if (r.childPid() == 0 || childState.isEmpty() || childState.get() == 'Z') {
            return CheckResult.of(NAME, Status.CRITICAL, "strategy " + r.childPid() + " is gone but runner "
                    + r.runnerPid() + " says " + state, restarts);
        }
        if (childState.get() == 'T' || childState.get() == 't') {
            return CheckResult.of(NAME, Status.CRITICAL, "strategy " + r.childPid() + " is stopped (SIGSTOP)", restarts);
        }
        return CheckResult.of(NAME, Status.OK, "runner " + r.runnerPid() + ", strategy " + r.childPid() + " "
                + state + " for " + Spans.human(Duration.between(Instant.ofEpochMilli(r.childStartedAtMillis()),
                        c.now())) + ", " + r.restarts() + " restarts", restarts);
    }

    private static String exit(RunnerRecord r) {
        if (r.lastExitSignal() != null) {
            return "signal " + r.lastExitSignal();
        }
        return r.lastExitCode() == null ? "unknown" : "status " + r.lastExitCode();
    }

    private static String ago(Instant now, long millis) {
        if (millis <= 0) {
            return "time unknown";
        }
        return Spans.human(Duration.between(Instant.ofEpochMilli(millis), now)) + " ago";
    }
}
