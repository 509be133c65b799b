package org.quantsupervision.manager;

import java.io.IOException;
import java.util.Optional;

import org.quantsupervision.process.ProcessIdentity;

/**
 * The health checker's restart action for strategy NAME: it asks NAME's live runner to replace
 * its strategy (a restart request in the runner's runtime directory, written by the caller's
 * ASK_RUNNER), and the runner does so as soon as inotify shows it the request, with its usual
 * stop and back-off. The
 * same under systemd and supervisord, and it needs no right over any unit or supervisord's
 * socket: the package ships no polkit rule, so no account that runs strategies can start, stop
 * or restart a unit, another strategy's included.
 *
 * <p>What the runner cannot do, the managers already do: a runner that hangs stops petting the
 * watchdog (systemd restarts the unit) or is restarted by supervisord when it exits; a runner
 * that gave up stays down on purpose, and the checker alerts instead of undoing that.
 *
 * <p>The runner's pid comes from runner.json, which the strategy's account writes: it is checked
 * to be NAME's runner ({@link StrategyOwnership}) before anything is asked of it.
 */
public final class ManagerControl {
    private ManagerControl() {
    }

    /** Asks the live runner to replace its strategy (writes its restart request). */
    @FunctionalInterface
    public interface RunnerRequest {
        void ask() throws IOException;
    }

    /**
     * Restarts STRATEGY, whose runner (as recorded, unverified) is RUNNER, through ASK_RUNNER.
     *
     * @return what was done, one line
     * @throws IOException naming why nothing was done (never a secret: there are none here)
     */
    public static String restart(String strategy, Optional<ProcessIdentity> runner, RunnerRequest askRunner)
            throws IOException {
        if (runner.isEmpty() || !runner.get().isAlive()) {
            throw new IOException("no live runner to ask (a runner that gave up stays down until `sudo "
                    + "quant-supervision start " + strategy + "`; one that failed is restarted by its manager)");
        }
        Optional<String> foreign = StrategyOwnership.runnerProblem(strategy, runner.get(), true);
        if (foreign.isPresent()) {
            throw new IOException("runner.json names a process that is not " + strategy + "'s runner: " + foreign.get());
        }
        askRunner.ask();
        return "asked runner pid " + runner.get().pid() + " to replace its strategy";
    }
}
