package org.quantsupervision.runner;

/**
 * The runner's states, after supervisord's process states (supervisor/states.py): what status
 * and the health checker read from runner.json.
 */
public enum RunnerState {
    /** The strategy was started and has not yet been up for START_GRACE. */
    STARTING,
    /** The strategy is up. */
    RUNNING,
    /** The strategy crashed; waiting before the next start. */
    BACKOFF,
    /** Stopping the strategy (SIGTERM, then SIGKILL after STOP_TIMEOUT). */
    STOPPING,
    /** Stopped on request; the runner exits 0. */
    STOPPED,
    /** Too many crashes in the window: the runner gave up and exits 1. */
    FATAL
}
