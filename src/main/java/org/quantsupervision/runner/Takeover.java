package org.quantsupervision.runner;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.quantsupervision.config.StrategyConfig;
import org.quantsupervision.process.ProcessIdentity;
import org.quantsupervision.process.ProcessScan;
import org.quantsupervision.process.Signal;
import org.quantsupervision.record.RunnerPaths;
import org.quantsupervision.record.RunnerRecord;

/**
 * What a runner does before the first start of its strategy, done by {@code prepare} for the
 * monitor: take the instance lock (from a runner orphaned by a supervisord killed with SIGKILL,
 * if need be), and end what an earlier runner left running.
 */
final class Takeover {
    private final StrategyConfig config;
    private final RunnerPaths paths;
    private final Leftovers leftovers;
    private final PrintStream log;

    Takeover(StrategyConfig config, RunnerPaths paths, Leftovers leftovers, PrintStream log) {
        this.config = config;
        this.paths = paths;
        this.leftovers = leftovers;
        this.log = log;
    }

    /**
     * The variables that mark every process of this strategy, so that the next runner can find
     * them even if this one dies before it records the strategy's pid (see ProcessScan).
     */
    static List<String> markers(StrategyConfig config, RunnerPaths paths) {
        return paths.markers(config.name());
    }

    /**
     * Takes the instance lock. If another runner holds it, that is either a second copy (fail:
     * never two), or a runner orphaned by a supervisord killed with SIGKILL (its parent changed):
     * then ask it to stop, in order, and take over.
     */
    InstanceLock acquireLock() throws IOException, InterruptedException, AlreadyRunningException {
        Optional<InstanceLock> lock = InstanceLock.tryAcquire(paths.lockFile());
        if (lock.isPresent()) {
            return lock.get();
        }
        Optional<RunnerRecord> holder = RunnerRecord.readFrom(paths.statusFile());
        Optional<ProcessIdentity> holderRunner = holder
                .map(RunnerRecord::runner)
                .filter(ProcessIdentity::isAlive);
        if (holderRunner.isPresent()) {
            long recordedParent = holder.get().runnerParentPid();
            long parentNow = holderRunner.get().parentPid().orElse(recordedParent);
            if (parentNow != recordedParent) {
                say("runner pid " + holderRunner.get().pid() + " was orphaned (its parent pid " + recordedParent
                        + " is gone): asking it to stop and taking over");
                holderRunner.get().signal(Signal.TERM);
                lock = InstanceLock.acquire(paths.lockFile(), config.stopTimeout().plusSeconds(5));
                if (lock.isPresent()) {
                    return lock.get();
                }
            }
            throw new AlreadyRunningException("strategy " + config.name() + " already runs under runner pid "
                    + holderRunner.get().pid() + " (parent pid " + parentNow + "); stop that one first");
        }
        // Held, but the state file does not say by whom (being written): wait briefly.
        lock = InstanceLock.acquire(paths.lockFile(), Duration.ofSeconds(2));
        if (lock.isPresent()) {
            return lock.get();
        }
        throw new AlreadyRunningException("strategy " + config.name() + " already runs (" + paths.lockFile()
                + " is locked)");
    }

    /**
     * A previous runner that died without stopping its strategy (kill -9) leaves it running:
     * end it and whatever it forked before starting a new one. Found by the pid and start time
     * runner.json recorded, and by the marker variables (in case it died before recording).
     */
    void endOrphanedStrategy() throws InterruptedException {
        Set<ProcessIdentity> orphans = new LinkedHashSet<>(ProcessScan.withEnvironment(markers(config, paths)));
        RunnerRecord.readFrom(paths.statusFile())
                .filter(s -> s.childPid() > 0)
                .map(RunnerRecord::strategy)
                .filter(ProcessIdentity::isAlive)
                .ifPresent(orphans::add);
        if (orphans.isEmpty()) {
            endLeftovers();
            return;
        }
        say("ending strategy pid " + orphans.stream().map(o -> Long.toString(o.pid())).toList()
                + " left behind by a previous runner");
        for (ProcessIdentity orphan : orphans) {
            orphan.signal(Signal.TERM);
            orphan.signal(Signal.CONT);
        }
        long deadline = System.nanoTime() + config.stopTimeout().toNanos();
        while (orphans.stream().anyMatch(ProcessIdentity::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        for (ProcessIdentity orphan : orphans) {
            orphan.signal(Signal.KILL);
        }
        while (orphans.stream().anyMatch(ProcessIdentity::isAlive)) {
            Thread.sleep(5);
        }
        endLeftovers();
    }

    /** Ends whatever an earlier strategy forked and detached from its process group, so that none of it trades beside the next. */
    private void endLeftovers() throws InterruptedException {
        Set<ProcessIdentity> killed = leftovers.killAll(config.stopTimeout());
        if (!killed.isEmpty()) {
            say("killed pid " + killed.stream().map(k -> Long.toString(k.pid())).toList()
                    + " left behind by a previous strategy");
        }
    }

    private void say(String message) {
        log.println("quant-supervision[" + config.name() + "]: " + message);
        log.flush();
    }
}
