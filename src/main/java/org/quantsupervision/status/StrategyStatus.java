package org.quantsupervision.status;

import java.util.List;
import java.util.Optional;

import org.quantsupervision.health.HealthSummary;
import org.quantsupervision.record.HaltMarker;
import org.quantsupervision.record.RunnerRecord;

/**
 * One strategy as every layer sees it.
 *
 * @param runner runner.json, if the runner ever ran
 * @param runnerAlive the recorded runner is this very process (pid and start time)
 * @param strategyAlive the recorded strategy process likewise
 * @param manager who runs it: "systemd quant-strategy@x.service: active (running)", "supervisord ...: RUNNING",
 *     or what is known
 * @param usage memory and CPU of the strategy's process tree, when it runs
 * @param crashes the crash rate, the last crash and the day's notable events, from the runner's and the checker's events
 * @param heartbeatAge how long ago the strategy last touched HEARTBEAT_FILE, while it runs with one
 * @param events the last few events (give-ups, incidents, restarts), newest last, without a crash's output
 * @param halt its halt file (quant-supervision halt), if there is one: who halted it, when, why
 */
public record StrategyStatus(String name, Optional<RunnerRecord> runner, boolean runnerAlive, boolean strategyAlive,
        String manager, Optional<HealthSummary> health, Optional<org.quantsupervision.process.ProcessTree.Usage> usage,
        RunnerHistory crashes, List<String> events, Optional<HaltMarker> halt,
        Optional<java.time.Duration> heartbeatAge) {
}
