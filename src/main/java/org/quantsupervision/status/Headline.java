package org.quantsupervision.status;

import org.quantsupervision.health.Status;
import org.quantsupervision.record.FailoverRole;
import org.quantsupervision.record.RunnerRecord;
import org.quantsupervision.record.RunnerState;

/**
 * A strategy's state in a word, its colour and what qualifies it: {@code status}'s headline and
 * the status page's state column, decided here once.
 *
 * @param level the colour: OK green, WARNING yellow, CRITICAL red
 * @param detail "" or a parenthesis that starts with a blank: " (leader, epoch 3)"
 */
public record Headline(Status level, String text, String detail) {

    public static Headline of(StrategyStatus s) {
        boolean halted = s.runnerAlive() && s.runner().get().state() == RunnerState.HALTED;
        if (halted || (s.halt().isPresent() && !s.runnerAlive())) {
            // The kill switch, on purpose: yellow, not red; who and why are on the "halted" line.
            return new Headline(Status.WARNING, "HALTED", halted ? "" : s.runner().isEmpty()
                    ? " (no runner has run it)" : " (runner not running; the halt file keeps it from starting)");
        }
        if (s.runner().isEmpty()) {
            return new Headline(Status.CRITICAL, "NOT RUNNING", " (no runner has run it)");
        }
        RunnerRecord r = s.runner().get();
        if (!s.runnerAlive()) {
            return r.state() == RunnerState.STOPPED ? new Headline(Status.WARNING, "STOPPED", " (stopped on request)")
                    : new Headline(Status.CRITICAL, "RUNNER GONE", " (last state " + r.state() + ")");
        }
        if (r.state() == RunnerState.STANDBY) {
            // a standby is a runner doing its job: another host runs the strategy
            return new Headline(Status.OK, "STANDBY", r.failover().map(Headline::standbyOf).orElse(""));
        }
        Status level = s.strategyAlive() && r.state() == RunnerState.RUNNING ? Status.OK
                : r.state() == RunnerState.STARTING || r.state() == RunnerState.BACKOFF ? Status.WARNING : Status.CRITICAL;
        return new Headline(level, r.state().name(), r.failover().filter(FailoverRole::isLeader)
                .map(f -> " (leader, epoch " + f.epoch() + ")").orElse(""));
    }

    private static String standbyOf(FailoverRole f) {
        return f.leaderKnown() ? " (leader " + f.leader() + ", epoch " + f.epoch() + ")" : " (no leader)";
    }
}
