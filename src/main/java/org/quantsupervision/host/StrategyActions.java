package org.quantsupervision.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.quantsupervision.config.StrategyConfig;
import org.quantsupervision.manager.SystemdUnits;
import org.quantsupervision.process.Commands;

/**
 * {@code start|stop|restart NAME|GROUP} through whichever manager runs it: systemctl on the
 * strategy's unit or the group's target (PartOf carries stop and restart to the members, After=
 * orders them), supervisorctl on the program or on {@code GROUP:*} (priority orders them).
 */
public final class StrategyActions {
    public enum Action { start, stop, restart }

    /**
     * What a start may take: systemctl start waits for READY=1, which the runner sends once its
     * strategy has started. A stop or restart may take the strategies' stop deadlines on top.
     */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final Path configRoot;
    private final StrategyGroups groups;

    public StrategyActions(Path configRoot, StrategyGroups groups) {
        this.configRoot = configRoot;
        this.groups = groups;
    }

    /** Thrown for a name that is neither a strategy nor a group: a usage error, not a failure. */
    public static final class UnknownTargetException extends IOException {
        UnknownTargetException(String message) {
            super(message);
        }
    }

    /**
     * Applies ACTION to TARGET, a strategy (if /etc/strategies/TARGET exists) or a group.
     *
     * @return what was done, one line per manager command
     */
    public List<String> apply(Action action, String target) throws IOException {
        List<String> done = new ArrayList<>();
        if (Files.isDirectory(configRoot.resolve(target))) {
            boolean systemd = StrategySetup.underSystemd(target);
            boolean supervisor = Files.exists(groups.supervisorProgram(target));
            if (!systemd && !supervisor) {
                throw new IOException(target + " is not enabled under systemd or supervisord (quant-supervision enable "
                        + target + ")");
            }
            Duration timeout = timeout(List.of(target));
            if (systemd) {
                done.add(systemctl(action, List.of(SystemdUnits.strategyUnit(target)), timeout));
            }
            if (supervisor) {
                done.add(supervisorctl(action, groups.supervisorProcess(target), timeout));
            }
            return done;
        }
        boolean systemd = SystemdUnits.booted() && groups.isSystemdGroup(target);
        boolean supervisor = groups.isSupervisorGroup(target);
        if (!systemd && !supervisor) {
            throw new UnknownTargetException(target + " is neither a strategy (no " + configRoot.resolve(target)
                    + ") nor a group (quant-supervision enable NAME --group " + target + ")");
        }
        if (systemd) {
            List<String> units = new ArrayList<>(List.of(StrategyGroups.target(target)));
            List<String> members = groups.systemdMembers(target);
            if (action == Action.stop) {
                // A target is ordered after what it wants, so its own stop job ends first; naming
                // the members makes systemctl wait until they are stopped too (in reverse order).
                members.forEach(m -> units.add(SystemdUnits.strategyUnit(m)));
            }
            done.add(systemctl(action, units, timeout(members)) + " (members: " + String.join(", ", members) + ")");
        }
        if (supervisor) {
            done.add(supervisorctl(action, target + ":*", timeout(groups.supervisorMembers(target))));
        }
        return done;
    }

    /**
     * How long to wait for ACTION on STRATEGIES: a start's time and the longest stop deadline
     * among them (a strategy with STOP_TIMEOUT=5min takes that long to flatten on a restart;
     * giving up on the command before it ends would leave it stopped).
     */
    private Duration timeout(List<String> strategies) {
        Duration longestStop = Duration.ZERO;
        for (String s : strategies) {
            Duration d = StrategyConfig.managerStopDeadlineOf(configRoot.resolve(s).resolve("env.conf"));
            longestStop = d.compareTo(longestStop) > 0 ? d : longestStop;
        }
        return START_TIMEOUT.plus(longestStop);
    }

    private static String systemctl(Action action, List<String> units, Duration timeout) throws IOException {
        List<String> args = new ArrayList<>(List.of("--no-ask-password", action.name()));
        args.addAll(units);
        Commands.systemctl(args, timeout);
        return "systemd: " + action + " " + units.get(0) + ": done";
    }

    private static String supervisorctl(Action action, String process, Duration timeout) throws IOException {
        Commands.Result r = Commands.supervisorctl(List.of(action.name(), process), timeout);
        return "supervisord: " + String.join("; ", r.output().strip().lines().toList());
    }
}
