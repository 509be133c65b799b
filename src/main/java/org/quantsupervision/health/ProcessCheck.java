package org.quantsupervision.health;

import java.time.Duration;
import java.time.Instant;

import org.quantsupervision.control.ProcessIdentity;
import org.quantsupervision.runner.StatusSnapshot;

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
        if (c.runner().isEmpty()) {
            return CheckResult.of(NAME, Status.CRITICAL, "no runner: " + c.paths().statusFile()
                    + " is missing or unreadable (is quant-strategy@" + c.strategy().name() + " started?)");
        }
        StatusSnapshot r = c.runner().get();
        Metric restarts = Metric.of("strategy_restarts", r.restarts(), "");
        String state = r.stateName();
        if (stoppedCleanly(r)) {
            // WARNING, which never restarts: the checker must not undo `quant-supervision stop`.
            return CheckResult.of(NAME, Status.WARNING, "stopped cleanly " + ago(c.now(), r.updatedAtMillis())
                    + " (quant-supervision stop, disable, or its manager): not restarted by the checker; "
                    + "quant-supervision start " + c.strategy().name() + " to run it", restarts);
        }
        if (state.equals("FATAL")) {
            // One incident, one page: the gave-up check is CRITICAL and alerts for it (with the
            // runner's reason); a second CRITICAL here would page twice for the same give-up.
            return CheckResult.of(NAME, Status.WARNING, "runner " + r.runnerPid() + " gave up after "
                    + r.crashStreak() + " crashes in a row (the gave-up check alerts); quant-supervision start "
                    + c.strategy().name() + " once fixed", restarts);
        }
        if (!new ProcessIdentity(r.runnerPid(), r.runnerStartTime()).isAlive()) {
            return CheckResult.of(NAME, Status.CRITICAL, "runner " + r.runnerPid() + " is gone (its last state: "
                    + state + ", " + ago(c.now(), r.updatedAtMillis()) + ")", restarts);
        }
        if (state.equals("STOPPED") || state.equals("STOPPING")) {
            return CheckResult.of(NAME, Status.CRITICAL, "runner " + r.runnerPid() + " is " + state, restarts);
        }
        if (state.equals("BACKOFF")) {
            return CheckResult.of(NAME, Status.WARNING, "strategy crashed " + r.crashStreak()
                    + " times in a row (last exit " + exit(r) + "); restart in " + r.backoffMillis() + " ms", restarts);
        }
        ProcessIdentity child = new ProcessIdentity(r.childPid(), r.childStartTime());
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

    /**
     * Whether the runner ended by a clean stop: its last state STOPPED and its process gone (an
     * admin's stop or disable, or the manager's). The checker shows it and never restarts it.
     */
    static boolean stoppedCleanly(StatusSnapshot r) {
        return r.stateName().equals("STOPPED") && !new ProcessIdentity(r.runnerPid(), r.runnerStartTime()).isAlive();
    }

    private static String exit(StatusSnapshot r) {
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
