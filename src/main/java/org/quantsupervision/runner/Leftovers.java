package org.quantsupervision.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.quantsupervision.manager.Manager;
import org.quantsupervision.process.ProcessIdentity;
import org.quantsupervision.process.ProcessScan;
import org.quantsupervision.process.Signal;

/**
 * Every process of this strategy other than the runner: what a strategy forked and detached
 * (Python's start_new_session=True, daemon libraries, shell setsid leave its process group), so
 * that a crash or a stop never leaves a copy of it trading beside the next one.
 *
 * <p>Under systemd they are the members of the unit's own cgroup, which no process of the
 * strategy's account can leave (moving a process needs write access to another cgroup's
 * cgroup.procs). Anywhere else (supervisord, a shell) they are the processes that carry the
 * runner's marker variables: a process that clears its environment escapes that scan, which is
 * why systemd is the layer to run strategies under.
 */
final class Leftovers {
    /** Rounds of scan-and-kill: a process that forks while it is being killed is caught next round. */
    private static final int ROUNDS = 20;

    private final List<String> markers;
    private final Optional<Path> unitProcs;
    /** Processes of the unit that are the runner's own, never the strategy's: this one, the monitor. */
    private final Set<Long> spared;

    private Leftovers(List<String> markers, Optional<Path> unitProcs, Set<Long> spared) {
        this.markers = markers;
        this.unitProcs = unitProcs;
        this.spared = spared;
    }

    /**
     * The leftovers of a strategy whose processes carry MARKERS; under MANAGER systemd, those of
     * the runner's own unit's cgroup (read from /proc/self/cgroup, cgroup v2). ALSO_SPARED (the
     * monitor that runs {@code prepare}) and this process are none of them.
     */
    static Leftovers of(List<String> markers, Manager manager, Set<Long> alsoSpared) {
        Set<Long> spared = new java.util.HashSet<>(alsoSpared);
        spared.add(ProcessHandle.current().pid());
        return new Leftovers(markers, unitProcs(manager), Set.copyOf(spared));
    }

    /** The cgroup.procs file of the runner's unit under MANAGER systemd (see {@link #unitCgroup}). */
    static Optional<Path> unitProcs(Manager manager) {
        // cgroup v2 is mounted at /sys/fs/cgroup; on a host in systemd's hybrid layout (v1
        // controllers beside it), at /sys/fs/cgroup/unified.
        Path self = Path.of("/proc/self/cgroup");
        return unitCgroup(manager, self, Path.of("/sys/fs/cgroup"))
                .or(() -> unitCgroup(manager, self, Path.of("/sys/fs/cgroup/unified")));
    }

    /**
     * The cgroup.procs file of the runner's unit, only when the runner's cgroup is that unit's:
     * a runner started by hand shares a session's scope, one under supervisord supervisord's
     * cgroup with every other program, and those processes are not this strategy's.
     */
    static Optional<Path> unitCgroup(Manager manager, Path selfCgroup, Path cgroupRoot) {
        if (!manager.kind().equals("systemd") || !manager.unit().startsWith("quant-strategy@")) {
            return Optional.empty();
        }
        try {
            for (String line : Files.readAllLines(selfCgroup)) {
                if (line.startsWith("0::/") && line.endsWith("/" + manager.unit())) {
                    Path procs = cgroupRoot.resolve(line.substring("0::/".length())).resolve("cgroup.procs");
                    return Files.isReadable(procs) ? Optional.of(procs) : Optional.empty();
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The strategy's processes alive now, the runner excepted. */
    List<ProcessIdentity> find() {
        if (unitProcs.isEmpty()) {
            return spare(ProcessScan.withEnvironment(markers));
        }
        List<ProcessIdentity> found = new ArrayList<>();
        try {
            for (String pid : Files.readAllLines(unitProcs.get())) {
                long p = Long.parseLong(pid.trim());
                if (!spared.contains(p)) {
                    ProcessIdentity.of(p).filter(ProcessIdentity::isAlive).ifPresent(found::add);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return spare(ProcessScan.withEnvironment(markers)); // the cgroup is gone (the unit is stopping)
        }
        return found;
    }

    private List<ProcessIdentity> spare(List<ProcessIdentity> found) {
        return found.stream().filter(p -> !spared.contains(p.pid())).toList();
    }

    /**
     * SIGKILLs every leftover until none is left or AT_MOST has passed; called only while no
     * strategy of this runner runs (after its exit, before its start). Returns those it killed.
     */
    Set<ProcessIdentity> killAll(Duration atMost) throws InterruptedException {
        Set<ProcessIdentity> killed = new LinkedHashSet<>();
        long deadline = System.nanoTime() + atMost.toNanos();
        for (int round = 0; round < ROUNDS && System.nanoTime() < deadline; round++) {
            List<ProcessIdentity> alive = find();
            if (alive.isEmpty()) {
                return killed;
            }
            for (ProcessIdentity process : alive) {
                if (process.signal(Signal.KILL)) {
                    killed.add(process);
                }
            }
            while (alive.stream().anyMatch(ProcessIdentity::isAlive) && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
        }
        return killed;
    }
}
