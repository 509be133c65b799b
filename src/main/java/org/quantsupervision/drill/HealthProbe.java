package org.quantsupervision.drill;

import org.quantsupervision.health.StrategyReport;

/** One look at the strategy's health, without consequences (no alert, no restart, no state written). */
@FunctionalInterface
public interface HealthProbe {
    StrategyReport check();
}
