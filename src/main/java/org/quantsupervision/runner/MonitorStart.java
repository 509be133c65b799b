package org.quantsupervision.runner;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.quantsupervision.config.ConfigException;
import org.quantsupervision.config.StrategyConfig;
import org.quantsupervision.manager.Manager;
import org.quantsupervision.record.RestartRequest;
import org.quantsupervision.record.RunnerPaths;

/**
 * The part of a run that needs the JVM, done by {@code prepare} for the monitor that started it
 * (its parent, src/main/c/monitor) before that monitor starts the strategy: with the instance
 * lock held, take over from an orphaned runner and end what an earlier one left running, drop a
 * restart request made of a runner that is gone, let the checker read the runner's files; then
 * hand the monitor its plan. The monitor takes the lock again once this process has exited.
 */
public final class MonitorStart {
    private MonitorStart() {
    }

    /** Prepares CONFIG's run for the monitor that is this process's parent; the plan goes to PLAN. */
    public static void prepare(StrategyConfig config, RunnerPaths paths, Path haltFile, Map<String, String> environment,
            PrintStream log, OutputStream plan)
            throws IOException, InterruptedException, AlreadyRunningException, ConfigException {
        Manager manager = Manager.detect(environment);
        ManagerStopWait.check(config, manager);
        // The monitor shares the unit's cgroup with the strategy's leftovers, but is not one of them.
        long monitor = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(0L);
        Leftovers leftovers = Leftovers.of(Takeover.markers(config, paths), manager, Set.of(monitor));
        Takeover takeover = new Takeover(config, paths, leftovers, log);
        Files.createDirectories(paths.runtimeDir());
        try (InstanceLock lock = takeover.acquireLock()) {
            takeover.endOrphanedStrategy();
            RestartRequest.take(paths.restartRequest()); // asked of a runner that is gone: this one starts afresh
            CheckerAccess.grantRead(paths.stateDir().resolve("events.jsonl"), paths.logDir().resolve("strategy.log"));
            MonitorPlan.of(config, paths, haltFile, manager, environment).writeTo(plan);
        }
    }
}
