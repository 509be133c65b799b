package org.quantsupervision.status;

import org.quantsupervision.health.HealthMetrics;
import org.quantsupervision.metrics.Exposition;
import org.quantsupervision.record.RunnerRecord;
import org.quantsupervision.record.RunnerState;

/**
 * {@code serve}'s /metrics: the dashboard's facts in Prometheus' text format, from the same
 * {@link HostStatus} as {@code status} and the status page. The health families are written by
 * {@link HealthMetrics}, as in the health checker's textfile, so both carry the same names and
 * labels ({@code strategy}, {@code check}).
 */
public final class StatusMetrics {
    private StatusMetrics() {
    }

    public static String format(HostStatus host) {
        Exposition e = new Exposition();
        // One pass: Exposition groups each family's samples, whatever the order they come in.
        for (StrategyStatus s : host.strategies()) {
            String n = s.name();
            e.gauge("quant_supervision_strategy_up", "1 while the strategy's process runs under a live runner.",
                    s.strategyAlive() ? 1 : 0, "strategy", n);
            e.gauge("quant_supervision_runner_up", "1 while the strategy's runner (quant-monitor) is alive.",
                    s.runnerAlive() ? 1 : 0, "strategy", n);
            RunnerState now = s.runnerAlive() ? s.runner().map(RunnerRecord::state).orElse(null) : null;
            for (RunnerState state : RunnerState.values()) {
                e.gauge("quant_supervision_runner_state", "1 for the runner's present state, 0 for the others "
                        + "(all 0 without a live runner).", state == now ? 1 : 0, "strategy", n, "state", state.name());
            }
            s.runner().ifPresent(r -> {
                e.counter("quant_supervision_strategy_restarts_total", "Restarts of the strategy by its present runner.",
                        r.restarts(), "strategy", n);
            });
            e.gauge("quant_supervision_strategy_crashes_last_24h", "Crashes in the last 24 hours (the runner's events).",
                    s.crashes().lastDay(), "strategy", n);
            e.gauge("quant_supervision_strategy_crashes_last_hour", "Crashes in the last hour (the runner's events).",
                    s.crashes().lastHour(), "strategy", n);
            s.runner().ifPresent(r -> {
                if (r.lastExitCode() != null) {
                    e.gauge("quant_supervision_strategy_last_exit_code", "The exit status of the strategy's last run.",
                            r.lastExitCode(), "strategy", n);
                }
                if (r.lastExitSignal() != null) {
                    e.gauge("quant_supervision_strategy_last_exit_signal", "The signal that ended the strategy's last run.",
                            r.lastExitSignal(), "strategy", n);
                }
            });
            s.runner().filter(r -> s.strategyAlive()).ifPresent(r -> e.gauge("quant_supervision_strategy_start_time_seconds",
                    "When the running strategy process started (Unix time).", r.childStartedAtMillis() / 1000.0,
                    "strategy", n));
            s.heartbeatAge().ifPresent(age -> e.gauge("quant_supervision_strategy_heartbeat_age_seconds",
                    "Time since the strategy last touched HEARTBEAT_FILE.", age.toMillis() / 1000.0, "strategy", n));
            // the memory check's metric in the textfile has this name too (strategy_memory, in bytes)
            s.usage().ifPresent(u -> e.gauge("quant_supervision_strategy_memory_bytes",
                    "Resident memory of the strategy's process tree.", (double) u.bytes(), "strategy", n));
            s.runner().flatMap(RunnerRecord::failover).filter(f -> s.runnerAlive()).ifPresent(f -> {
                e.gauge("quant_supervision_failover_leader", "1 while this host leads the strategy (failover mode).",
                        f.isLeader() ? 1 : 0, "strategy", n);
                e.gauge("quant_supervision_failover_epoch", "The leader's epoch (the leader key's create revision).",
                        (double) f.epoch(), "strategy", n);
            });
            e.gauge("quant_supervision_strategy_halted", "1 while the kill switch (quant-supervision halt) holds it.",
                    s.halt().isPresent() ? 1 : 0, "strategy", n);
            s.health().ifPresent(h -> HealthMetrics.write(e, n, h.status(), HealthMetrics.of(h)));
            s.health().ifPresent(h -> e.gauge("quant_supervision_health_written_timestamp_seconds",
                    "When the health checker last changed what it remembers of the strategy (health.json).",
                    h.writtenMillis() / 1000.0, "strategy", n));
        }
        return e.text();
    }
}
