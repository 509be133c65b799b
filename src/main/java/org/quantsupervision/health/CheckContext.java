package org.quantsupervision.health;

import java.time.Instant;
import java.util.Optional;

import org.quantsupervision.config.HealthConfig;
import org.quantsupervision.config.StrategyConfig;
import org.quantsupervision.runner.RunnerPaths;
import org.quantsupervision.runner.StatusSnapshot;

/** What every check of one strategy in one run may look at: read once, shared. */
record CheckContext(StrategyConfig strategy, HealthConfig config, RunnerPaths paths,
        Optional<StatusSnapshot> runner, Instant now) {
}
