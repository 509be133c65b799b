package org.quantsupervision.status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.quantsupervision.config.StrategyConfig;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.health.FileTail;
import org.quantsupervision.health.HealthSummary;
import org.quantsupervision.host.StrategyGroups;
import org.quantsupervision.manager.Manager;
import org.quantsupervision.manager.StrategyOwnership;
import org.quantsupervision.manager.SupervisorRpc;
import org.quantsupervision.manager.SystemdUnits;
import org.quantsupervision.process.ProcessTree;
import org.quantsupervision.record.EventLog;
import org.quantsupervision.record.RunnerEvent;
import org.quantsupervision.record.HaltMarker;
import org.quantsupervision.record.RunnerPaths;
import org.quantsupervision.record.RunnerRecord;

/**
 * Gathers the dashboard from the sources themselves: runner.json checked against /proc, the
 * manager (one {@code systemctl show} for every unit, supervisord's XML-RPC), health.json and
 * events.jsonl. Where a source is missing (no systemd, no supervisord, a socket this account
 * cannot open), the status says so instead of failing.
 */
public final class StatusCollector {
    private static final int EVENTS = 5;

    private final Path configRoot;
    private final Path runtimeRoot;
    private final Path stateRoot;
    private final Path logRoot;
    private final Path healthRoot;

    public StatusCollector(Path configRoot, Path runtimeRoot, Path stateRoot, Path logRoot, Path healthRoot) {
        this.configRoot = configRoot;
        this.runtimeRoot = runtimeRoot;
        this.healthRoot = healthRoot;
        this.stateRoot = stateRoot;
        this.logRoot = logRoot;
    }

    public HostStatus collect(List<StrategyName> names) {
        boolean systemd = SystemdUnits.booted();
        Map<String, Map<String, String>> units = Map.of();
        if (systemd) {
            List<String> ids = new ArrayList<>(names.stream().map(n -> unit(n.value())).toList());
            ids.add(SystemdUnits.HEALTH_SERVICE);
            units = SystemdUnits.show(ids, List.of("LoadState", "ActiveState", "SubState", "UnitFileState",
                    "NRestarts", "StateChangeTimestamp", "StatusText"));
        }
        List<StrategyStatus> strategies = new ArrayList<>();
        for (StrategyName name : names) {
            strategies.add(strategy(name, systemd, units));
        }
        String health = systemd ? healthService(units.getOrDefault(SystemdUnits.HEALTH_SERVICE, Map.of()))
                : "systemd is not the init system here: health checks run from /etc/cron.d/quant-supervision";
        return new HostStatus(systemd, health, strategies);
    }

    /**
     * The resident checker's unit from its {@code systemctl show} properties: "active (running),
     * enabled, since Tue 2026-12-01 10:15:17 UTC; last round at 10:20:47 (0.4 s): 3 OK". The last
     * round is its STATUS= text (health/ResidentChecker.java), which costs nothing more to ask for.
     */
    static String healthService(Map<String, String> unit) {
        if (unit.isEmpty()) {
            return "unknown (systemctl show did not answer)";
        }
        if ("not-found".equals(unit.get("LoadState"))) {
            return SystemdUnits.HEALTH_SERVICE + " not loaded (is the package installed?)";
        }
        String since = unit.getOrDefault("StateChangeTimestamp", "");
        String status = unit.getOrDefault("StatusText", "");
        return unit.getOrDefault("ActiveState", "?") + " (" + unit.getOrDefault("SubState", "?") + "), "
                + unit.getOrDefault("UnitFileState", "?") + (since.isBlank() ? "" : ", since " + since)
                + (status.isBlank() ? "" : "; " + status);
    }

    private StrategyStatus strategy(StrategyName name, boolean systemd, Map<String, Map<String, String>> units) {
        RunnerPaths paths = RunnerPaths.of(name, runtimeRoot, stateRoot, logRoot);
        Optional<RunnerRecord> runner = RunnerRecord.readFrom(paths.statusFile());
        // runner.json is the strategy account's to write: its pids count only if they are NAME's.
        boolean runnerAlive = runner.map(r -> StrategyOwnership.runnerProblem(name.value(),
                r.runner(), true).isEmpty()).orElse(false);
        boolean strategyAlive = runnerAlive && runner.map(r -> r.childPid() != 0
                && StrategyOwnership.strategyProblem(r.runner(),
                        r.strategy()).isEmpty()).orElse(false);
        Optional<ProcessTree.Usage> usage = strategyAlive
                ? Optional.of(ProcessTree.usage(runner.get().childPid(), true)) : Optional.empty();
        return new StrategyStatus(name.value(), runner, runnerAlive, strategyAlive,
                manager(name, runner.map(RunnerRecord::manager).orElse(Manager.NONE), runnerAlive, systemd, units),
                HealthSummary.read(healthRoot.resolve(name.value())), usage,
                RunnerHistory.of(paths.stateDir(), healthRoot.resolve(name.value()), java.time.Instant.now()),
                events(name.value(), paths.stateDir(), healthRoot.resolve(name.value())),
                HaltMarker.read(StrategyConfig.haltFileOf(configRoot, name)),
                strategyAlive ? heartbeatAge(configRoot.resolve(name.value()).resolve("env.conf")) : Optional.empty());
    }

    /**
     * The age of HEARTBEAT_FILE's last change by the wall clock (the monitor times it on the
     * monotonic clock, but keeps it to itself); empty without one. The strategy's account owns the
     * file: it is looked at, never followed or read.
     */
    private static Optional<java.time.Duration> heartbeatAge(Path envConf) {
        return StrategyConfig.heartbeatFileOf(envConf).flatMap(file -> {
            try {
                java.time.Instant changed = Files.getLastModifiedTime(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        .toInstant();
                return Optional.of(java.time.Duration.between(changed, java.time.Instant.now()));
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }

    private static String manager(StrategyName name, Manager recorded, boolean runnerAlive, boolean systemd,
            Map<String, Map<String, String>> units) {
        Optional<Path> socket = SupervisorRpc.installedSocket();
        if (recorded.kind().equals("supervisord") && runnerAlive && socket.isPresent()) {
            // The process name is derived from NAME, never taken from the record.
            String process = "quant-strategy-" + name.value();
            try {
                process = StrategyGroups.installed().supervisorProcess(name.value());
                String state = new SupervisorRpc(socket.get(), java.time.Duration.ofSeconds(2)).processState(process);
                return "supervisord " + process + ": " + state;
            } catch (IOException e) {
                return "supervisord " + process + ": " + e.getMessage();
            }
        }
        if (systemd) {
            Map<String, String> u = units.getOrDefault(unit(name.value()), Map.of());
            if (!"not-found".equals(u.getOrDefault("LoadState", "not-found"))) {
                return "systemd " + unit(name.value()) + ": " + u.getOrDefault("ActiveState", "?") + " ("
                        + u.getOrDefault("SubState", "?") + "), " + u.getOrDefault("UnitFileState", "?")
                        + ", unit restarts " + u.getOrDefault("NRestarts", "?");
            }
        }
        if (runnerAlive && recorded.kind().equals("none")) {
            return "none: the runner was started by hand";
        }
        return systemd ? "systemd " + unit(name.value()) + ": not loaded" : "no manager seen (no systemd here; "
                + "supervisord runs it only if its runner is alive)";
    }

    /**
     * The latest events of the runner (its state directory) and of the health checker (its own),
     * in time order: each writer keeps its own file, so neither can rewrite the other's.
     */
    private static List<String> events(String name, Path... dirs) {
        List<String> events = new java.util.ArrayList<>();
        for (Path dir : dirs) {
            Path file = dir.resolve("events.jsonl");
            if (!Files.exists(file)) {
                continue;
            }
            try {
                // The file only grows: its end. A crash's 20 lines of output are for the alert, not this list.
                for (String line : FileTail.lastLines(file, EVENTS, 1 << 18)) {
                    events.add(line.contains("\"output\":[") ? RunnerEvent.parse(line)
                            .map(e -> EventLog.line(e.time(), name, e.event(), e.message())).orElse(line) : line);
                }
            } catch (IOException e) {
                events.add(EventLog.line(java.time.Instant.now(), name, "unreadable",
                        "cannot read " + file + ": " + e.getMessage()));
            }
        }
        // Every line starts {"time":"ISO-8601 instant": the text sorts as the time does.
        events.sort(java.util.Comparator.naturalOrder());
        return events.subList(Math.max(0, events.size() - EVENTS), events.size());
    }

    private static String unit(String name) {
        return "quant-strategy@" + name + ".service";
    }
}
