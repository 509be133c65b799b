package org.quantsupervision.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Restarts a strategy's runner through the layer that runs it: supervisord over XML-RPC
 * (stopProcess, then startProcess) or systemd ({@code systemctl restart}). Restarting the
 * runner, not just the strategy, is the point: the health checker acts when the runner's own
 * recovery did not help (or the runner itself is stuck).
 */
public final class ManagerControl {
    /** Where Debian's and RHEL's supervisor packages put the control socket, for a runner that left no record. */
    private static final List<Path> DEFAULT_SUPERVISOR_SOCKETS = List.of(
            Path.of("/var/run/supervisor.sock"), Path.of("/run/supervisor/supervisor.sock"));

    private final Duration timeout;
    private final Path systemdRunDir;

    public ManagerControl(Duration timeout) {
        this(timeout, Path.of("/run/systemd/system"));
    }

    ManagerControl(Duration timeout, Path systemdRunDir) {
        this.timeout = timeout;
        this.systemdRunDir = systemdRunDir;
    }

    /**
     * Restarts STRATEGY through MANAGER (as recorded by its runner); with none recorded, through
     * the supervisord that knows quant-strategy-STRATEGY or else systemd's quant-strategy@STRATEGY.
     *
     * @return what was done, one line
     * @throws IOException naming what failed (never a secret: there are none in these calls)
     */
    public String restart(Manager manager, String strategy) throws IOException {
        return switch (manager.kind()) {
            case "supervisord" -> restartSupervised(
                    new SupervisorRpc(SupervisorRpc.socketOf(manager.supervisorUrl()), timeout),
                    manager.supervisorProcess());
            case "systemd" -> systemctlRestart(manager.unit());
            default -> restartUnrecorded(strategy);
        };
    }

    private String restartUnrecorded(String strategy) throws IOException {
        String program = "quant-strategy-" + strategy;
        for (Path socket : DEFAULT_SUPERVISOR_SOCKETS) {
            if (Files.exists(socket)) {
                SupervisorRpc rpc = new SupervisorRpc(socket, timeout);
                try {
                    rpc.processState(program + ":" + program);
                } catch (SupervisorRpc.RpcException e) {
                    continue; // not configured there
                }
                return restartSupervised(rpc, program + ":" + program);
            }
        }
        if (Files.isDirectory(systemdRunDir)) {
            return systemctlRestart("quant-strategy@" + strategy + ".service");
        }
        throw new IOException("no manager to restart it: the runner was started by hand, or neither systemd nor "
                + "a supervisord configured for " + program + " is running");
    }

    private static String restartSupervised(SupervisorRpc rpc, String process) throws IOException {
        String before = rpc.processState(process);
        // RUNNING, STARTING and BACKOFF can be stopped; STOPPED, EXITED and FATAL only started.
        if (before.equals("RUNNING") || before.equals("STARTING") || before.equals("BACKOFF")) {
            rpc.stopProcess(process, true);
        }
        rpc.startProcess(process, false);
        return "restarted " + process + " through supervisord (was " + before + ")";
    }

    private String systemctlRestart(String unit) throws IOException {
        // --no-block: queue the job and return; the unit's own start timeout governs the start, not our deadline.
        Commands.systemctl(List.of("--no-ask-password", "--no-block", "restart", unit), timeout);
        return "restarted " + unit + " through systemd";
    }
}
