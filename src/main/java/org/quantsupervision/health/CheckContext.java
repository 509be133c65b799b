package org.quantsupervision.health;

import java.time.Instant;
import java.util.Optional;

import org.quantsupervision.clock.Moment;
import org.quantsupervision.config.HealthConfig;
import org.quantsupervision.config.StrategyConfig;
import org.quantsupervision.record.RunnerPaths;
import org.quantsupervision.record.RunnerRecord;

/**
 * What every check of one strategy in one run may look at: read once, shared. AT is the run's
 * moment: its wall clock for what people read and the market's hours, its monotonic clock for
 * durations across runs (the freshness check's).
 */
record CheckContext(StrategyConfig strategy, HealthConfig config, RunnerPaths paths,
        Optional<RunnerRecord> runner, Moment at) {

    /** The wall clock of this run. */
    Instant now() {
        return at.wall();
    }
}
