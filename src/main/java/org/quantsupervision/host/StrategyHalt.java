package org.quantsupervision.host;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import org.quantsupervision.config.StrategyConfig;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.manager.StrategyOwnership;
import org.quantsupervision.process.ProcessScan;
import org.quantsupervision.process.ProcessTree;
import org.quantsupervision.record.HaltMarker;
import org.quantsupervision.record.RunnerPaths;
import org.quantsupervision.record.RunnerRecord;
import org.quantsupervision.record.RunnerState;

/**
 * The kill switch, root's half ({@code halt} and {@code resume}): the halt file in each
 * strategy's configuration directory, written or removed, and the wait until each runner has
 * done what the file asks. The runner's half is monitor.c ({@code check_halt()}: STOP_COMMAND,
 * the stop, HALTED; the file's removal starts the strategy again; every start looks first, so
 * the halt holds across reboots, restarts and upgrades).
 *
 * <p>Root writes into /etc/strategies/NAME only once it and its parent are checked to be
 * directories that no other account can write, as {@code enable} does, and creates the file
 * without following a link: no other account can make root write or replace a file elsewhere.
 */
public final class StrategyHalt {
    /** How often the runners' records are read while waiting. */
    private static final Duration POLL = Duration.ofMillis(100);
    /** A resume's wait beyond START_GRACE: the runner's inotify wake-up, the start itself. */
    private static final Duration START_MARGIN = Duration.ofSeconds(30);
    /** What to do about a configuration directory that another account could write. */
    private static final String ROOT_ONLY_FIX = "make it root's and 0755 (chown root:root, chmod 0755), "
            + "as quant-supervision enable does, and halt again";
    private static final Set<PosixFilePermission> MARKER_MODE = PosixFilePermissions.fromString("rw-r--r--");

    private final Path configRoot;
    private final Path runtimeRoot;
    private final Path stateRoot;
    private final Path logRoot;
    private final StrategyGroups groups;

    public StrategyHalt(Path configRoot, Path runtimeRoot, Path stateRoot, Path logRoot, StrategyGroups groups) {
        this.configRoot = configRoot;
        this.runtimeRoot = runtimeRoot;
        this.stateRoot = stateRoot;
        this.logRoot = logRoot;
        this.groups = groups;
    }

    /**
     * The strategies TARGET names: itself, if /etc/strategies/TARGET is a directory, else the
     * members of the group TARGET under systemd and supervisord, sorted.
     */
    public List<StrategyName> resolve(String target) throws IOException {
        if (Files.isDirectory(configRoot.resolve(target), LinkOption.NOFOLLOW_LINKS)) {
            return List.of(new StrategyName(target));
        }
        Set<String> members = new TreeSet<>(groups.systemdMembers(target));
        members.addAll(groups.supervisorMembers(target));
        if (members.isEmpty()) {
            throw new StrategyActions.UnknownTargetException(target + " is neither a strategy (no "
                    + configRoot.resolve(target) + ") nor a group (quant-supervision enable NAME --group " + target + ")");
        }
        List<StrategyName> names = new ArrayList<>();
        for (String m : members) {
            names.add(new StrategyName(m));
        }
        return names;
    }

    /** NAME's halt file. */
    public Path haltFile(StrategyName name) {
        return StrategyConfig.haltFileOf(configRoot, name);
    }

    /**
     * Halts NAME: writes MARKER as its halt file, root:root 0644, atomically (a temporary file in
     * the same directory, then a link to the final name, which fails if one is there: a second
     * halt, even a concurrent one, never replaces the first's who and why).
     *
     * @return the marker already there (then nothing was written), or empty if MARKER was written
     */
    public Optional<HaltMarker> halt(StrategyName name, HaltMarker marker) throws IOException {
        Path file = haltFile(name);
        Path dir = file.getParent();
        StrategySetup.requireRootOnly(configRoot, ROOT_ONLY_FIX);
        StrategySetup.requireRootOnly(dir, ROOT_ONLY_FIX);
        Optional<HaltMarker> existing = HaltMarker.read(file);
        if (existing.isPresent()) {
            return existing;
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            // Not a regular file (the runner ignores it): only root could have put it in this directory.
            throw new IOException(file + " is there but not a regular file: remove it, then halt again");
        }
        Path tmp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Files.deleteIfExists(tmp); // a crashed halt's; the directory is root's, so it is its own
        try {
            try (FileChannel out = FileChannel.open(tmp, Set.of(StandardOpenOption.WRITE,
                    StandardOpenOption.CREATE_NEW, LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(MARKER_MODE))) {
                out.write(ByteBuffer.wrap(marker.json()));
                out.force(true);
            }
            PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            UserPrincipalLookupService lookup = tmp.getFileSystem().getUserPrincipalLookupService();
            String self = System.getProperty("user.name"); // root; a test host's own account
            view.setOwner(lookup.lookupPrincipalByName(self));
            view.setGroup(lookup.lookupPrincipalByGroupName(self.equals("root") ? "root"
                    : Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).group().getName()));
            view.setPermissions(MARKER_MODE); // whatever the umask
            try {
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException e) {
                return Optional.of(HaltMarker.read(file).orElse(marker)); // another halt got there first
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return Optional.empty();
    }

    /**
     * Resumes NAME: removes its halt file.
     *
     * @return the marker removed, or empty if NAME was not halted
     */
    public Optional<HaltMarker> resume(StrategyName name) throws IOException {
        Path file = haltFile(name);
        StrategySetup.requireRootOnly(configRoot, ROOT_ONLY_FIX);
        StrategySetup.requireRootOnly(file.getParent(), ROOT_ONLY_FIX);
        Optional<HaltMarker> marker = HaltMarker.read(file);
        try {
            Files.delete(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return marker.or(() -> Optional.of(new HaltMarker("?", null, "")));
    }

    /** Whether a wait ended in what was asked for, and its line for the command's output. */
    public record Outcome(StrategyName name, boolean done, String line) {
    }

    /** What a wait waits for. */
    public enum Goal { HALTED, RUNNING }

    /**
     * Waits until every one of NAMES has reached GOAL, each within its own deadline (a halt: the
     * strategy's stop deadline, STOP_COMMAND_TIMEOUT + STOP_TIMEOUT + a margin, the time a
     * manager gives its runner to stop; a resume: START_GRACE + 30 s), telling SETTLED each
     * outcome as it comes.
     *
     * <p>HALTED means confirmed, not read from runner.json alone, which the strategy's account
     * writes: the record says HALTED with no strategy, the runner it names is NAME's (in its unit,
     * or supervisord's child, checked as status does) and has no child left, and no process
     * carries NAME's markers. A strategy whose runner is not running counts as halted too: the
     * file keeps it from starting. RUNNING is {@link RunnerRecord#isRunning()}.
     */
    public List<Outcome> await(List<StrategyName> names, Goal goal, Consumer<Outcome> settled)
            throws InterruptedException {
        Map<StrategyName, Long> deadlines = new LinkedHashMap<>();
        long start = System.nanoTime();
        for (StrategyName n : names) {
            Path env = configRoot.resolve(n.value()).resolve("env.conf");
            Duration d = goal == Goal.HALTED ? StrategyConfig.managerStopDeadlineOf(env)
                    : StrategyConfig.startGraceOf(env).plus(START_MARGIN);
            deadlines.put(n, start + d.toNanos());
        }
        List<Outcome> outcomes = new ArrayList<>();
        while (!deadlines.isEmpty()) {
            long now = System.nanoTime();
            for (var it = deadlines.entrySet().iterator(); it.hasNext();) {
                var e = it.next();
                StrategyName n = e.getKey();
                String seconds = String.format("%.1f s", (now - start) / 1e9);
                Optional<Outcome> o = goal == Goal.HALTED ? halted(n, seconds) : running(n, seconds);
                if (o.isEmpty() && now - e.getValue() > 0) {
                    o = Optional.of(new Outcome(n, false, n + ": NOT " + (goal == Goal.HALTED ? "halted" : "running")
                            + " within " + Duration.ofNanos(e.getValue() - start).toSeconds() + " s: "
                            + where(n)));
                }
                if (o.isPresent()) {
                    outcomes.add(o.get());
                    settled.accept(o.get());
                    it.remove();
                }
            }
            if (!deadlines.isEmpty()) {
                Thread.sleep(POLL.toMillis());
            }
        }
        return outcomes;
    }

    private RunnerPaths paths(StrategyName n) {
        return RunnerPaths.of(n, runtimeRoot, stateRoot, logRoot);
    }

    private Optional<Outcome> halted(StrategyName n, String seconds) {
        Optional<RunnerRecord> record = RunnerRecord.readFrom(paths(n).statusFile());
        if (record.isEmpty() || !record.get().runner().isAlive()) {
            if (!ProcessScan.withEnvironment(paths(n).markers(n)).isEmpty()) {
                return Optional.empty(); // no runner, but something of NAME's still runs
            }
            return Optional.of(new Outcome(n, true, n + ": halted (no runner running; the halt file keeps it from "
                    + "starting)"));
        }
        RunnerRecord r = record.get();
        if (r.state() != RunnerState.HALTED || r.childPid() != 0
                || StrategyOwnership.runnerProblem(n.value(), r.runner()).isPresent()
                || ProcessTree.usage(r.runnerPid(), false).processes() > 1
                || !ProcessScan.withEnvironment(paths(n).markers(n)).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Outcome(n, true, n + ": halted after " + seconds + " (runner " + r.runnerPid()
                + " HALTED, no strategy process)"));
    }

    private Optional<Outcome> running(StrategyName n, String seconds) {
        Optional<RunnerRecord> record = RunnerRecord.readFrom(paths(n).statusFile());
        if (record.isEmpty() || !record.get().runner().isAlive()) {
            return Optional.of(new Outcome(n, true, n + ": resumed; not running: start it with quant-supervision start "
                    + n));
        }
        RunnerRecord r = record.get();
        if (!r.isRunning()) {
            return Optional.empty();
        }
        return Optional.of(new Outcome(n, true, n + ": resumed, RUNNING after " + seconds + " (strategy pid "
                + r.childPid() + ")"));
    }

    /** Where NAME's runner is, for a wait that timed out. */
    private String where(StrategyName n) {
        Optional<RunnerRecord> record = RunnerRecord.readFrom(paths(n).statusFile());
        if (record.isEmpty()) {
            return "no runner.json";
        }
        RunnerRecord r = record.get();
        Optional<String> problem = StrategyOwnership.runnerProblem(n.value(), r.runner());
        if (problem.isPresent()) {
            return "runner.json says " + r.state() + ", but " + problem.get();
        }
        List<String> marked = ProcessScan.withEnvironment(paths(n).markers(n)).stream()
                .map(p -> Long.toString(p.pid())).toList();
        return "runner " + r.runnerPid() + " is " + r.state() + (r.childPid() != 0 ? ", strategy pid " + r.childPid()
                : "") + (marked.isEmpty() ? "" : ", processes of " + n + " still running: " + String.join(" ", marked));
    }
}
