package org.quantsupervision.runner;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.quantsupervision.config.Hook;
import org.quantsupervision.config.SecretNames;
import org.quantsupervision.config.StrategyConfig;
import org.quantsupervision.manager.Manager;
import org.quantsupervision.record.RunnerPaths;

/**
 * The plan handed to the monitor (src/main/c/monitor, plan.h): everything it needs to run one
 * strategy, as "key=value" records each ended by a NUL (values may hold newlines; a NUL cannot
 * be in a path, an argument or a variable). The format is private to the two halves of one
 * package: the monitor refuses a record it does not know, so that the halves never disagree
 * silently. Durations in nanoseconds.
 */
public final class MonitorPlan {
    private final ByteArrayOutputStream records = new ByteArrayOutputStream();

    private MonitorPlan() {
    }

    /**
     * The plan for CONFIG's strategy, under MANAGER, with the runner's environment INHERITED; while
     * HALT_FILE exists the monitor keeps the strategy stopped.
     */
    public static MonitorPlan of(StrategyConfig config, RunnerPaths paths, Path haltFile, Manager manager,
            Map<String, String> inherited) {
        MonitorPlan p = new MonitorPlan();
        p.put("name", config.name().value());
        p.put("runtime_dir", paths.runtimeDir().toString());
        p.put("state_dir", paths.stateDir().toString());
        p.put("log_dir", paths.logDir().toString());
        p.put("lock_file", paths.lockFile().toString());
        p.put("status_file", paths.statusFile().toString());
        p.put("restart_request", paths.restartRequest().toString());
        p.put("notify_socket", paths.runtimeDir().resolve("notify.sock").toString());
        p.put("directory", config.directory().toString());
        config.command().forEach(arg -> p.put("arg", arg));
        Map<String, String> environment = StrategyEnvironment.of(config, inherited);
        environment.forEach((k, v) -> p.put("env", k + "=" + v));
        // A line of output holding one of these is masked in the crash events (lastlines.h).
        SecretNames.secretsIn(environment).values().forEach(v -> p.put("mask", v));
        config.heartbeatFile().ifPresent(f -> p.put("heartbeat_file", f.toString()));
        p.put("heartbeat_max_age_ns", config.heartbeatMaxAge());
        p.put("start_grace_ns", config.startGrace());
        p.put("restart_delay_initial_ns", config.restartDelayInitial());
        p.put("restart_delay_max_ns", config.restartDelayMax());
        p.put("restart_reset_after_ns", config.restartResetAfter());
        p.put("give_up_window_ns", config.giveUpWindow());
        p.put("stop_timeout_ns", config.stopTimeout());
        p.put("manager_stop_deadline_ns", config.managerStopDeadline());
        p.put("give_up_after", Integer.toString(config.giveUpAfter()));
        config.stopHook().ifPresent(h -> h.command().forEach(arg -> p.put("stop_arg", arg)));
        config.crashHook().ifPresent(h -> h.command().forEach(arg -> p.put("crash_arg", arg)));
        p.put("stop_command_timeout_ns", config.stopHook().map(Hook::timeout).orElse(Duration.ZERO));
        p.put("crash_command_timeout_ns", config.crashHook().map(Hook::timeout).orElse(Duration.ZERO));
        p.put("halt_file", haltFile.toString());
        // Where the strategy's output goes when the monitor's own is not the journal (it looks).
        p.put("log_file", paths.logDir().resolve("strategy.log").toString());
        p.put("log_max_bytes", Long.toString(config.logMaxBytes()));
        p.put("log_backups", Integer.toString(config.logBackups()));
        Optional<java.nio.file.Path> unit = Leftovers.unitProcs(manager);
        unit.ifPresent(procs -> p.put("unit_procs", procs.toString()));
        // Where no unit's cgroup ends the strategy with its monitor, the kernel's parent-death signal does.
        p.put("parent_death_signal", unit.isPresent() ? "0" : "1");
        p.put("manager_kind", manager.kind());
        p.put("manager_unit", manager.unit());
        p.put("manager_supervisor_url", manager.supervisorUrl());
        p.put("manager_supervisor_process", manager.supervisorProcess());
        p.put("failover", config.failover().enabled() ? "1" : "0");
        p.put("fence_timeout_ns", config.failover().fenceTimeout());
        p.put("fence_kill_slack_ns", org.quantsupervision.config.FailoverConfig.FENCE_KILL_SLACK);
        return p;
    }

    private void put(String key, Duration value) {
        put(key, Long.toString(value.toNanos()));
    }

    private void put(String key, String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(key + " holds a NUL character");
        }
        records.writeBytes((key + "=" + value).getBytes(StandardCharsets.UTF_8));
        records.write(0);
    }

    /** Writes the records to OUT, in one go. */
    public void writeTo(OutputStream out) throws IOException {
        records.writeTo(out);
        out.flush();
    }
}
