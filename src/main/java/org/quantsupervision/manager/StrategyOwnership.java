package org.quantsupervision.manager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.quantsupervision.process.ProcessIdentity;

/**
 * Whether the pids in runner.json really are strategy NAME's runner and strategy, asked before
 * anything signals them. runner.json is written by the strategy's account, so it names whatever
 * pid that account likes (start times are world-readable): a drill that trusted it would SIGKILL
 * or SIGSTOP any process. What is checked instead is what that account cannot forge:
 * <ul>
 * <li>under systemd, the runner's cgroup is quant-strategy@NAME.service (only root moves
 * processes between units' cgroups);</li>
 * <li>under supervisord, the runner's parent is root's supervisord and the runner was started as
 * {@code ... run NAME};</li>
 * <li>the strategy's parent is that runner and it leads its own session (the runner calls
 * setsid(2) before it execs the strategy).</li>
 * </ul>
 * A runner started by hand passes only when this very process started it as {@code run NAME}
 * (the tests do: no process of the strategy's account can make itself a child of this one), or
 * for what does not signal it.
 */
public final class StrategyOwnership {
    private StrategyOwnership() {
    }

    /** Why RUNNER is not NAME's runner under systemd or supervisord (or started by this process), or empty if it is. */
    public static Optional<String> runnerProblem(String name, ProcessIdentity runner) {
        return runnerProblem(name, runner, false);
    }

    /**
     * As {@link #runnerProblem(String, ProcessIdentity)}, but with HAND_STARTED a runner started by
     * hand ({@code quant-supervision run NAME} in a shell) passes too, on its command line alone:
     * enough for what only reads /proc or writes to NAME's own runtime directory (status, the restart
     * request), never for what signals the pid.
     */
    public static Optional<String> runnerProblem(String name, ProcessIdentity runner, boolean handStarted) {
        if (!runner.isAlive()) {
            return Optional.of("runner pid " + runner.pid() + " is not running");
        }
        Path proc = Path.of("/proc", Long.toString(runner.pid()));
        String unit = Manager.unitOf(proc.resolve("cgroup"));
        if (unit.equals(SystemdUnits.strategyUnit(name))) {
            return Optional.empty();
        }
        if (unit.startsWith("quant-strategy@")) {
            return Optional.of("runner pid " + runner.pid() + " belongs to " + unit + ", not " + SystemdUnits.strategyUnit(name));
        }
        Optional<Long> parent = runner.parentPid();
        if (startedAs(proc, name) && (handStarted || (parent.isPresent()
                && (isRootSupervisord(parent.get()) || parent.get() == ProcessHandle.current().pid())))) {
            return Optional.empty();
        }
        return Optional.of("pid " + runner.pid() + " is not the runner of " + name + " (neither in "
                + SystemdUnits.strategyUnit(name) + " nor a child of supervisord started as 'run " + name + "')");
    }

    /** Why CHILD is not the strategy that RUNNER (already checked) started, or empty if it is. */
    public static Optional<String> strategyProblem(ProcessIdentity runner, ProcessIdentity child) {
        if (!child.isAlive()) {
            return Optional.of("strategy pid " + child.pid() + " is not running");
        }
        if (child.parentPid().orElse(-1L) != runner.pid()) {
            return Optional.of("pid " + child.pid() + " is not a child of runner pid " + runner.pid());
        }
        if (child.sessionId().orElse(-1L) != child.pid()) {
            return Optional.of("pid " + child.pid() + " does not lead its own session, as every strategy the runner "
                    + "starts does");
        }
        return Optional.empty();
    }

    private static boolean isRootSupervisord(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        try {
            return Files.readString(proc.resolve("comm")).strip().startsWith("supervisord")
                    && Integer.valueOf(0).equals(Files.getAttribute(proc, "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Whether the process's command line has the arguments {@code run NAME} (options may follow). */
    private static boolean startedAs(Path proc, String name) {
        try {
            List<String> args = Arrays.asList(Files.readString(proc.resolve("cmdline")).split("\0"));
            for (int i = 0; i + 1 < args.size(); i++) {
                if (args.get(i).equals("run") && args.get(i + 1).equals(name)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
