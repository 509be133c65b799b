package org.quantsupervision.record;

/**
 * The runner's states, after supervisord's process states (supervisor/states.py): what status
 * and the health checker read from runner.json. The monitor moves between them
 * (src/main/c/monitor/monitor.c: allowed_from names the states each may be entered from, and it
 * refuses any other move, as supervisord's change_state asserts).
 */
public enum RunnerState {
    /** The strategy was started and has not yet been up for START_GRACE (nor sent READY=1). */
    STARTING,
    /** The strategy is up. */
    RUNNING,
    /** The strategy crashed; waiting before the next start. */
    BACKOFF,
    /**
     * The strategy was sent SIGTERM, and gets SIGKILL at STOP_TIMEOUT: for a stop, or to replace
     * it (hung, or the health checker asked), when a new one starts after its exit.
     */
    STOPPING,
    /** No strategy runs: before the first start, and after a stop (the runner then exits 0). */
    STOPPED,
    /** Too many crashes in the window: the runner gave up and exits {@link #EXIT_GAVE_UP}. */
    FATAL,
    /**
     * The kill switch is on (quant-supervision halt: the strategy's halt file exists): the runner
     * stays up with no strategy, and starts it once the file is gone.
     */
    HALTED,
    /**
     * Failover mode (FAILOVER=yes): another host holds the strategy's leader key in etcd, or none
     * does yet; the runner stays up with no strategy and starts it once it wins the election.
     */
    STANDBY;

    /**
     * The exit status of a runner that gave up (FATAL; sysexits' EX_UNAVAILABLE), the monitor's
     * EXIT_GAVE_UP: the unit's RestartPreventExitStatus= and the supervisord program's exitcodes=
     * name it, so that a give-up is final until an admin starts the strategy again.
     */
    public static final int EXIT_GAVE_UP = 69;
}
