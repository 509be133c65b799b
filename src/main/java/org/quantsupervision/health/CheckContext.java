package org.quantsupervision.health;

import java.time.Instant;
import java.util.Optional;

import org.quantsupervision.clock.Moment;
import org.quantsupervision.config.HealthConfig;
import org.quantsupervision.config.StrategyConfig;
import org.quantsupervision.record.HaltMarker;
import org.quantsupervision.record.RunnerPaths;
import org.quantsupervision.record.RunnerRecord;
import org.quantsupervision.record.RunnerState;

/**
 * What every check of one strategy in one run may look at: read once, shared. AT is the run's
 * moment: its wall clock for what people read and the market's hours, its monotonic clock for
 * durations across runs (the freshness check's). HALT is the strategy's halt file, if it has one
 * (quant-supervision halt).
 */
record CheckContext(StrategyConfig strategy, HealthConfig config, RunnerPaths paths,
        Optional<RunnerRecord> runner, Moment at, Optional<HaltMarker> halt) {

    CheckContext(StrategyConfig strategy, HealthConfig config, RunnerPaths paths, Optional<RunnerRecord> runner,
            Moment at) {
        this(strategy, config, paths, runner, at, Optional.empty());
    }

    /**
     * Whether the kill switch holds the strategy: its live runner says HALTED, or the halt file
     * is there and no runner runs (a unit stopped while halted, or not started yet: it would come
     * up halted). Such a strategy is not failing: only the process check runs, and it says who
     * halted it; nothing is counted, alerted or restarted.
     */
    static boolean halted(Optional<RunnerRecord> runner, Optional<HaltMarker> halt) {
        boolean runnerAlive = runner.isPresent() && runner.get().runner().isAlive();
        return runnerAlive ? runner.get().state() == RunnerState.HALTED : halt.isPresent();
    }

    boolean halted() {
        return halted(runner, halt);
    }

    /** Whether this host's runner knows of a leader (itself or another host), in failover mode. */
    boolean leaderKnown() {
        return runner.flatMap(RunnerRecord::failover).map(f -> f.leaderKnown()).orElse(false);
    }

    /**
     * Whether this host stands by in failover mode: its live runner says STANDBY. Another host runs
     * the strategy (or will, once elected): only the process check and the failover check run,
     * and while a leader is known nothing is counted, alerted or restarted, as for a halt.
     */
    boolean standby() {
        return runner.isPresent() && runner.get().state() == RunnerState.STANDBY && runner.get().runner().isAlive();
    }

    /** The wall clock of this run. */
    Instant now() {
        return at.wall();
    }
}
