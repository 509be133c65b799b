package org.quantsupervision.drill;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.quantsupervision.health.Status;
import org.quantsupervision.health.StrategyReport;
import org.quantsupervision.process.ProcessIdentity;
import org.quantsupervision.process.Signal;
import org.quantsupervision.record.RunnerRecord;
import org.quantsupervision.record.RunnerState;

/**
 * The reference article's recovery tests (section 6), run against the live strategy and timed
 * from runner.json: crash (SIGKILL of the strategy), hang (SIGSTOP of the strategy) and
 * manager crash (SIGKILL of its runner). Each ends when the strategy runs again and its health
 * checks pass, or at the deadline; a drill never leaves a process stopped.
 */
public final class ProcessDrills {
    /** Between two health looks while waiting for OK: a look runs every check, API included. */
    private static final long HEALTH_POLL_MILLIS = 100;

    private final Path statusFile;
    private final HealthProbe health;
    private final Duration timeout;
    private final DrillReport.StepListener listener;

    public ProcessDrills(Path statusFile, HealthProbe health, Duration timeout, DrillReport.StepListener listener) {
        this.statusFile = statusFile;
        this.health = health;
        this.timeout = timeout;
        this.listener = listener;
    }

    /** kill -9 of the strategy: time until the runner has exec'd a new one, until RUNNING, until healthy. */
    public DrillReport crash(RunnerRecord before) throws InterruptedException {
        DrillReport report = new DrillReport("crash", before.name(), before.manager().kind(), listener);
        ProcessIdentity old = before.strategy();
        long t0 = System.nanoTime();
        if (!old.signal(Signal.KILL)) {
            return report.fail(cannotSignal("strategy", old));
        }
        report.step("killed", 0, "kill -9 strategy pid " + old.pid());
        RunnerWatch watch = new RunnerWatch(statusFile, t0, timeout);
        Optional<RunnerRecord> exec = watch.await(s -> isNewChild(s, old));
        if (exec.isEmpty()) {
            return report.fail("no new strategy process within " + timeout.toSeconds() + " s");
        }
        report.step("exec", watch.elapsed(), "new strategy pid " + exec.get().childPid() + " started by runner pid "
                + exec.get().runnerPid());
        return running(report, watch, exec.get(), old);
    }

    /** SIGSTOP of the strategy: time until it has been replaced (the runner or systemd's watchdog) and is healthy. */
    public DrillReport hang(RunnerRecord before, Duration heartbeatMaxAge) throws InterruptedException {
        DrillReport report = new DrillReport("hang", before.name(), before.manager().kind(), listener);
        ProcessIdentity old = before.strategy();
        long t0 = System.nanoTime();
        if (!old.signal(Signal.STOP)) {
            return report.fail(cannotSignal("strategy", old));
        }
        report.step("stopped", 0, "SIGSTOP to strategy pid " + old.pid() + " (seen as hung after HEARTBEAT_MAX_AGE="
                + heartbeatMaxAge.toSeconds() + " s)");
        RunnerWatch watch = new RunnerWatch(statusFile, t0, timeout);
        AtomicLong goneAt = new AtomicLong(-1);
        try {
            Optional<RunnerRecord> exec = watch.await(s -> isNewChild(s, old), s -> {
                if (goneAt.get() < 0 && !old.isAlive()) {
                    goneAt.set(watch.elapsed());
                }
                return true;
            });
            if (exec.isEmpty()) {
                return report.fail("the stopped strategy was not replaced within " + timeout.toSeconds() + " s");
            }
            if (goneAt.get() >= 0) {
                report.step("ended", goneAt.get(), "stopped strategy pid " + old.pid() + " ended");
            }
            String by = exec.get().runnerPid() == before.runnerPid() ? "by the runner"
                    : "by a new runner pid " + exec.get().runnerPid() + " (the watchdog restarted the unit)";
            report.step("exec", watch.elapsed(), "new strategy pid " + exec.get().childPid() + " started " + by);
            return running(report, watch, exec.get(), old);
        } finally {
            // Never leave the strategy stopped: a drill that failed must not become an outage.
            if (old.isAlive() && old.state().orElse('?') == 'T' && old.signal(Signal.CONT)) {
                report.step("continued", watch.elapsed(), "SIGCONT to strategy pid " + old.pid() + ": it was not replaced");
            }
        }
    }

    /**
     * kill -9 of the runner: time until a new runner runs a new strategy, checking at every poll
     * that the old strategy and a new one never run at once.
     */
    public DrillReport managerCrash(RunnerRecord before) throws InterruptedException {
        DrillReport report = new DrillReport("manager-crash", before.name(), before.manager().kind(), listener);
        ProcessIdentity runner = before.runner();
        ProcessIdentity old = before.strategy();
        long t0 = System.nanoTime();
        if (!runner.signal(Signal.KILL)) {
            return report.fail(cannotSignal("runner", runner));
        }
        report.step("killed", 0, "kill -9 runner pid " + runner.pid() + " (its strategy pid " + old.pid() + ")");
        RunnerWatch watch = new RunnerWatch(statusFile, t0, timeout);
        AtomicLong goneAt = new AtomicLong(-1);
        AtomicLong newRunnerAt = new AtomicLong(-1);
        long[] twoCopies = {0, 0};
        Optional<RunnerRecord> exec = watch.await(s -> s.runnerPid() != runner.pid() && isNewChild(s, old), s -> {
            boolean oldAlive = old.isAlive();
            if (goneAt.get() < 0 && !oldAlive) {
                goneAt.set(watch.elapsed());
            }
            if (s.isPresent() && s.get().runnerPid() != runner.pid()) {
                if (newRunnerAt.get() < 0) {
                    newRunnerAt.set(watch.elapsed());
                }
                if (oldAlive && isNewChild(s.get(), old)) {
                    twoCopies[0] = s.get().childPid();
                    twoCopies[1] = watch.elapsed();
                    return false;
                }
            }
            return true;
        });
        if (twoCopies[0] != 0) {
            return report.fail("TWO COPIES: new strategy pid " + twoCopies[0] + " ran while the old pid " + old.pid()
                    + " was still alive, " + twoCopies[1] + " ms after the kill");
        }
        if (goneAt.get() >= 0) {
            report.step("ended", goneAt.get(), "old strategy pid " + old.pid() + " ended");
        }
        if (newRunnerAt.get() >= 0) {
            report.step("runner", newRunnerAt.get(), "new runner wrote its state");
        }
        if (exec.isEmpty()) {
            return report.fail("no new runner with a new strategy within " + timeout.toSeconds() + " s");
        }
        report.step("exec", watch.elapsed(), "new strategy pid " + exec.get().childPid() + " started by new runner pid "
                + exec.get().runnerPid());
        return running(report, watch, exec.get(), old);
    }

    /** The rest of every drill: the new process RUNNING, the old one gone, then every health check OK. */
    private DrillReport running(DrillReport report, RunnerWatch watch, RunnerRecord exec, ProcessIdentity old)
            throws InterruptedException {
        Optional<RunnerRecord> up = watch.await(s -> s.childPid() == exec.childPid()
                && s.childStartTime() == exec.childStartTime() && s.state() == RunnerState.RUNNING);
        if (up.isEmpty()) {
            return report.fail("strategy pid " + exec.childPid() + " did not reach RUNNING within "
                    + timeout.toSeconds() + " s");
        }
        report.step("running", watch.elapsed(), "runner says RUNNING (restarts: " + up.get().restarts() + ")");
        if (old.isAlive()) {
            return report.fail("TWO COPIES: the old strategy pid " + old.pid() + " is still alive next to pid "
                    + exec.childPid());
        }
        StrategyReport last = null;
        while (!watch.timedOut()) {
            last = health.check();
            if (last.statusNow() == Status.OK) { // its crash (the drill's kill) is reported, and is over
                report.step("healthy", watch.elapsed(), "every check of its present state OK");
                return report.pass("recovered: new process after " + report.millisOf("exec") + " ms, RUNNING after "
                        + report.millisOf("running") + " ms, healthy after " + report.millisOf("healthy") + " ms");
            }
            Thread.sleep(HEALTH_POLL_MILLIS);
        }
        return report.fail("running again, but not healthy within " + timeout.toSeconds() + " s: "
                + (last == null ? "no health result" : last.summary()));
    }

    private static boolean isNewChild(RunnerRecord s, ProcessIdentity old) {
        if (s.childPid() == 0 || (s.childPid() == old.pid() && s.childStartTime() == old.startTime())) {
            return false;
        }
        return s.strategy().isAlive();
    }

    private static String cannotSignal(String what, ProcessIdentity p) {
        return p.isAlive() ? "cannot signal " + what + " pid " + p.pid() + ": not permitted (run as root)"
                : what + " pid " + p.pid() + " is gone already: nothing to drill";
    }
}
