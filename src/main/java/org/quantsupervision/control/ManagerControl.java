package org.quantsupervision.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The health checker's restart action for strategy NAME. Every name it acts on is derived from
 * NAME, never read from runner.json, which the strategy's account writes: a forged record must
 * not make the checker restart poweroff.target or another program.
 * <ul>
 * <li>A runner in quant-strategy@NAME.service (its cgroup says so): {@code systemctl restart} of
 * that unit, allowed to the checker by the package's polkit rule. Restarting the runner too is the
 * point: the checker acts when the runner's own recovery did not help, or the runner is stuck
 * (then systemd's watchdog acts as well).</li>
 * <li>Any other live runner (supervisord, or started by hand): a restart request in its
 * runtime directory (written by the caller's ASK_RUNNER); the runner replaces its strategy on its next tick. supervisord's control
 * socket stays root's.</li>
 * <li>No live runner: systemd's unit if systemd has it enabled or running; under supervisord
 * there is nothing to do (supervisord restarts a runner that exits).</li>
 * </ul>
 */
public final class ManagerControl {
    private final Duration timeout;
    private final Path systemdRunDir;

    public ManagerControl(Duration timeout) {
        this(timeout, Path.of("/run/systemd/system"));
    }

    ManagerControl(Duration timeout, Path systemdRunDir) {
        this.timeout = timeout;
        this.systemdRunDir = systemdRunDir;
    }

    /** Asks the live runner to replace its strategy (writes its restart request). */
    @FunctionalInterface
    public interface RunnerRequest {
        void ask() throws IOException;
    }

    /**
     * Restarts STRATEGY, whose runner (as recorded, unverified) is RUNNER; ASK_RUNNER asks that
     * runner when it is not systemd's.
     *
     * @return what was done, one line
     * @throws IOException naming what failed (never a secret: there are none in these calls)
     */
    public String restart(String strategy, Optional<ProcessIdentity> runner, RunnerRequest askRunner)
            throws IOException {
        String unit = StrategySetup.unit(strategy);
        Optional<ProcessIdentity> live = runner.filter(ProcessIdentity::isAlive);
        if (live.isPresent() && StrategyOwnership.runnerProblem(strategy, live.get()).isEmpty()
                && Manager.unitOf(Path.of("/proc", Long.toString(live.get().pid()), "cgroup")).equals(unit)) {
            return systemctlRestart(unit);
        }
        if (live.isPresent()) {
            askRunner.ask();
            return "asked runner pid " + live.get().pid() + " to replace its strategy";
        }
        if (Files.isDirectory(systemdRunDir) && StrategySetup.underSystemd(strategy)) {
            return systemctlRestart(unit);
        }
        throw new IOException("no live runner to ask and no " + unit + " enabled: supervisord restarts a runner that "
                + "exits by itself (see quant-supervision status " + strategy + ")");
    }

    private String systemctlRestart(String unit) throws IOException {
        // --no-block: queue the job and return; the unit's own start timeout governs the start, not our deadline.
        Commands.systemctl(List.of("--no-ask-password", "--no-block", "restart", unit), timeout);
        return "restarted " + unit + " through systemd";
    }
}
