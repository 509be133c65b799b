package org.quantsupervision.runner;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.quantsupervision.clock.Moment;
import org.quantsupervision.config.StrategyConfig;
import org.quantsupervision.control.Manager;
import org.quantsupervision.control.ProcessIdentity;
import org.quantsupervision.control.Signal;
import org.quantsupervision.notify.Notifier;
import org.quantsupervision.notify.NotifyProxy;

/**
 * Runs one strategy until told to stop: starts it, restarts it within milliseconds when it
 * dies (with back-off), replaces it when it hangs (without systemd's watchdog to do it), pets
 * the watchdog only while it makes progress, and holds the instance lock throughout.
 *
 * <p>One thread makes every decision, from a queue of events (the strategy exited, a signal
 * arrived) and a tick for the time-based ones, as supervisord's transition() does; every state
 * change goes through {@link #changeState}.
 */
public final class Runner {
    /** How often time-based decisions are looked at (grace, back-off, heartbeat, watchdog). */
    private static final Duration TICK = Duration.ofMillis(100);

    private final StrategyConfig config;
    private final RunnerPaths paths;
    private final Notifier notifier;
    private final Map<String, String> inheritedEnvironment;
    private final PrintStream log;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Backoff backoff;
    private final ProcessIdentity self;
    private final long parentPid;
    /** Who restarts this runner (recorded for the health checker's restart action). */
    private final Manager manager;
    private final Leftovers leftovers;
    private final Takeover takeover;
    /** HEARTBEAT_FILE's progress, if the strategy keeps one. */
    private final Optional<HeartbeatWatch> heartbeat;
    /** What the strategy is started through: setpriv's parent-death signal where no unit's cgroup ends it. */
    private final List<String> launchPrefix;

    /** STOPPED before the first start, as in supervisord. */
    private RunnerState state = RunnerState.STOPPED;
    private StrategyProcess child;
    private int generation;
    private int restarts;
    private Integer lastExitCode;
    private Integer lastExitSignal;
    private long restartAtNanos;
    private boolean ready;
    private long nextWatchdogNanos;
    private RotatingLog strategyLog;
    private NotifyProxy proxy;
    /** Whether the current strategy pings WATCHDOG=1 itself, and when it last did. */
    private boolean childPings;
    private long lastChildPingNanos;
    private String childStatus;
    /** When the strategy was first seen stopped (SIGSTOP), 0 while it is not. */
    private long stoppedSinceNanos;
    /** While STOPPING: when the strategy, sent SIGTERM, gets SIGKILL (a tick move), and whether it has. */
    private long killAtNanos;
    private boolean killSent;
    /** The stop being carried out, once {@link #beginStop} has taken it up. */
    private String stopWhy;

    /** What the decision thread reacts to. */
    /**
     * The first stop request, set by the signal handler's thread the moment it runs: whether a
     * stop is pending is decided from this, never from where its event stands in the queue.
     */
    private final java.util.concurrent.atomic.AtomicReference<String> stopRequested =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final java.util.concurrent.CountDownLatch stopSignalled = new java.util.concurrent.CountDownLatch(1);
    /**
     * How long a strategy's exit that a SIGTERM the runner did not send may have caused waits for
     * the runner's own stop request before it counts as a crash. systemd (KillMode=control-group) and supervisord
     * (stopasgroup) signal the runner and the strategy together, and the strategy's exit can be
     * seen first: restarting it then would start a copy during the stop, which may trade on
     * start-up. The handler's thread runs within milliseconds of the signal; a TERM from anyone
     * else only delays that restart by this much.
     */
    static final Duration STOP_SIGNAL_GRACE = Duration.ofMillis(250);

    sealed interface Event permits Exited, Stop, Reload, ChildNotified {
    }

    /** The strategy sent an sd_notify message to its own NOTIFY_SOCKET (the proxy). */
    record ChildNotified(String message) implements Event {
    }

    /** Run GENERATION of the strategy exited with STATUS (128+N for signal N, as the JDK reports it). */
    record Exited(int generation, int status) implements Event {
    }

    record Stop(String why) implements Event {
    }

    record Reload() implements Event {
    }

    public Runner(StrategyConfig config, RunnerPaths paths, Notifier notifier, Map<String, String> environment,
            PrintStream log) {
        this.config = config;
        this.paths = paths;
        this.notifier = notifier;
        this.inheritedEnvironment = environment;
        this.log = log;
        this.backoff = new Backoff(config.restartDelayInitial(), config.restartDelayMax(), config.restartResetAfter(),
                config.giveUpAfter(), config.giveUpWindow());
        this.self = ProcessIdentity.of(ProcessHandle.current().pid()).orElseThrow();
        this.parentPid = self.parentPid().orElse(0L);
        this.manager = Manager.detect(environment);
        this.leftovers = Leftovers.of(Takeover.markers(config, paths), manager);
        this.takeover = new Takeover(config, paths, leftovers, log);
        this.heartbeat = config.heartbeatFile().map(HeartbeatWatch::new);
        this.launchPrefix = leftovers.inUnitCgroup() ? List.of() : StrategyProcess.parentDeathSignal(StrategyProcess.SETPRIV);
    }

    /** Asks the runner to stop its strategy and return (from a signal handler or a test). */
    public void requestStop(String why) {
        stopRequested.compareAndSet(null, why);
        stopSignalled.countDown();
        events.add(new Stop(why));
    }

    /** Asks the runner to pass SIGHUP on to its strategy. */
    public void requestReload() {
        events.add(new Reload());
    }

    /**
     * Runs until stopped (returns true) or given up (returns false).
     *
     * @throws AlreadyRunningException if another runner supervises this strategy
     */
    public boolean run() throws IOException, InterruptedException, AlreadyRunningException {
        Files.createDirectories(paths.runtimeDir());
        try (InstanceLock lock = takeover.acquireLock()) {
            takeover.endOrphanedStrategy();
            RestartRequest.take(paths.restartRequest()); // asked of a runner that is gone: this one starts afresh
            CheckerAccess.grantRead(paths.stateDir().resolve("events.jsonl"), paths.logDir().resolve("strategy.log"));
            if (!JournalStream.isStandardOutput(inheritedEnvironment.get("JOURNAL_STREAM"))) {
                Files.createDirectories(paths.logDir());
                strategyLog = new RotatingLog(paths.logDir().resolve("strategy.log"), config.logMaxBytes(),
                        config.logBackups(), this::logTrouble);
            }
            proxy = NotifyProxy.open(paths.runtimeDir().resolve("notify.sock"),
                    message -> events.add(new ChildNotified(message)));
            if (stopRequested.get() != null) { // SIGTERM during start-up: never log in only to be stopped
                beginStop(stopRequested.get());
                return true;
            }
            startChild();
            return loop();
        } finally {
            if (proxy != null) {
                proxy.close();
            }
            if (strategyLog != null) {
                strategyLog.close();
            }
        }
    }

    /**
     * Handles events and ticks until the runner is STOPPED (returns true) or FATAL (false). Never
     * blocks for longer than a tick but to end leftovers: a stop, like the replacement of a hung
     * strategy, is the STOPPING state, whose SIGKILL deadline is a tick move, so that events,
     * watchdog pets and status go on meanwhile.
     */
    private boolean loop() throws InterruptedException, IOException {
        while (true) {
            Event event = events.poll(waitNanos(), TimeUnit.NANOSECONDS);
            if (event instanceof Exited exited && exited.generation() == generation) {
                onExited(exited.status());
            } else if (event instanceof Stop stop) {
                beginStop(stop.why());
            } else if (event instanceof ChildNotified notified) {
                onChildNotified(notified.message());
            } else if (event instanceof Reload) {
                if (strategyLog != null) {
                    strategyLog.reopen(); // after an outside rotation of strategy.log
                }
                if (child != null) {
                    say("SIGHUP passed on to the strategy (pid " + child.pid() + ")");
                    child.signal(Signal.HUP);
                }
            }
            if (state == RunnerState.STOPPED || state == RunnerState.FATAL) {
                return state == RunnerState.STOPPED;
            }
            tick();
        }
    }

    /**
     * The stop this exit is part of, if any: one already requested, or one that arrives within
     * STOP_SIGNAL_GRACE of an exit a stop's SIGTERM may have caused: death by SIGTERM, SIGINT or
     * SIGHUP, or a plain exit (a strategy that catches SIGTERM to flatten its positions exits 0 or
     * 1). A death by SIGKILL or a crash signal (SEGV, ABRT, BUS...) is no stop's doing: it is
     * restarted at once.
     */
    private Optional<String> stopping(int status) throws InterruptedException {
        boolean maybeStop = status < 128 || status == 128 + Signal.TERM.number() || status == 128 + Signal.INT.number()
                || status == 128 + Signal.HUP.number();
        if (stopRequested.get() == null && maybeStop) {
            stopSignalled.await(STOP_SIGNAL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
        return Optional.ofNullable(stopRequested.get());
    }

    /**
     * The strategy's own sd_notify message: READY=1 makes the runner ready at once (no need to
     * wait for START_GRACE), WATCHDOG=1 is its heartbeat from then on, WATCHDOG=trigger asks to
     * be replaced, STATUS= joins the runner's status line.
     */
    private void onChildNotified(String message) throws IOException {
        if (child == null) {
            return;
        }
        for (String line : message.split("\n")) {
            if (line.equals("READY=1") && state == RunnerState.STARTING) {
                becomeRunning();
            } else if (line.equals("WATCHDOG=1")) {
                childPings = true;
                lastChildPingNanos = System.nanoTime();
            } else if (line.equals("WATCHDOG=trigger")) {
                replace("it asked to be replaced (WATCHDOG=trigger)");
            } else if (line.startsWith("STATUS=")) {
                childStatus = line.substring("STATUS=".length());
                if (ready) {
                    notifier.status(summary());
                }
            }
        }
    }

    /** STARTING -> RUNNING, after START_GRACE or the strategy's own READY=1; READY=1 to systemd once. */
    private void becomeRunning() throws IOException {
        changeState(RunnerState.RUNNING);
        if (!ready) {
            ready = true;
            notifier.ready(summary());
        }
    }

    /**
     * How long to wait for the next event: a TICK, or less when a deadline falls sooner (the end
     * of START_GRACE, which sends READY=1; the end of a back-off, which restarts the strategy),
     * so that neither waits for the next tick (up to 100 ms late before).
     */
    private long waitNanos() {
        long wait = TICK.toNanos();
        if (state == RunnerState.STARTING && child != null) {
            wait = Math.min(wait, config.startGrace().minus(child.uptime()).toNanos());
        } else if (state == RunnerState.BACKOFF) {
            wait = Math.min(wait, restartAtNanos - System.nanoTime());
        } else if (state == RunnerState.STOPPING && child != null && !killSent) {
            wait = Math.min(wait, killAtNanos - System.nanoTime());
        }
        return Math.max(0, wait);
    }

    /** Time-based transitions, at every event and at least every TICK. */
    private void tick() throws IOException {
        long now = System.nanoTime();
        Optional<String> requested = (state == RunnerState.RUNNING || state == RunnerState.STARTING) && child != null
                ? RestartRequest.take(paths.restartRequest()) : Optional.empty();
        if (requested.isPresent()) {
            replace("the health checker asked for it (" + requested.get() + ")");
            return;
        }
        // Looked at once per tick (it reads /proc and the heartbeat file): both the supervisord
        // path below and the watchdog decide on the same answer.
        Optional<String> hang = state == RunnerState.RUNNING ? hangReason() : Optional.empty();
        switch (state) {
            case STARTING -> {
                // child is null while a failed exec's Exited event waits in the queue.
                if (child != null && child.uptime().compareTo(config.startGrace()) >= 0) {
                    becomeRunning();
                }
            }
            case BACKOFF -> {
                if (now >= restartAtNanos) {
                    startChild();
                }
            }
            case STOPPING -> {
                if (child != null && !killSent && now >= killAtNanos) {
                    say("strategy pid " + child.pid() + " did not exit within STOP_TIMEOUT ("
                            + config.stopTimeout().toSeconds() + " s): SIGKILL to its process group");
                    child.kill();
                    killSent = true;
                }
            }
            case RUNNING -> {
                if (hang.isPresent() && notifier.watchdogInterval().isEmpty()) {
                    // No watchdog to do it (supervisord): replace the hung strategy ourselves.
                    // Under systemd the watchdog below stops being petted and systemd restarts
                    // the whole unit, with its own limits and logging.
                    replace("it made no progress for " + config.heartbeatMaxAge().toSeconds() + " s (" + hang.get() + ")");
                }
            }
            default -> {
            }
        }
        Optional<Duration> interval = notifier.watchdogInterval();
        if (interval.isPresent() && now >= nextWatchdogNanos) {
            if (hang.isEmpty()) {
                notifier.watchdog();
            }
            nextWatchdogNanos = now + interval.get().toNanos() / 2;
        }
    }

    /**
     * Why the strategy makes no progress, if it makes none: stopped (SIGSTOP); or it pings
     * WATCHDOG=1 itself and stopped pinging; or, with HEARTBEAT_FILE set, the file has not
     * changed for HEARTBEAT_MAX_AGE (counted from the strategy's start at the earliest).
     * Every age here is on the monotonic clock: a wall-clock step changes none of them.
     */
    private Optional<String> hangReason() {
        if (child == null || !child.isAlive()) {
            return Optional.empty();
        }
        Duration maxAge = config.heartbeatMaxAge();
        if (child.isStopped()) {
            return stoppedSince().compareTo(maxAge) > 0 ? Optional.of("stopped") : Optional.empty();
        }
        stoppedSinceNanos = 0;
        if (childPings) {
            return System.nanoTime() - lastChildPingNanos > maxAge.toNanos()
                    ? Optional.of("stale heartbeat: no WATCHDOG=1") : Optional.empty();
        }
        return heartbeat.filter(h -> h.sinceProgress(System.nanoTime()).compareTo(maxAge) > 0)
                .map(h -> "stale heartbeat");
    }

    private Duration stoppedSince() {
        if (stoppedSinceNanos == 0) {
            stoppedSinceNanos = System.nanoTime();
        }
        return Duration.ofNanos(System.nanoTime() - stoppedSinceNanos);
    }

    /**
     * The strategy exited: if a stop is under way or its signal arrives within the grace (see
     * {@link #stopping}), the runner is STOPPED; else, a crash or the end of a replacement, the
     * strategy is restarted at once or after a back-off, or the runner gives up (FATAL).
     */
    private void onExited(int status) throws IOException, InterruptedException {
        StrategyProcess dead = child;
        long deadPid = dead == null ? 0 : dead.pid();
        Duration uptime = dead == null ? Duration.ZERO : dead.uptime();
        Optional<String> stop = stopping(status);
        if (dead != null) {
            dead.killLeftovers();
        }
        takeover.endLeftovers(deadPid);
        if (dead != null) {
            dead.drainOutput(Duration.ofMillis(200));
        }
        child = null;
        if (stop.isPresent()) {
            if (state != RunnerState.STOPPING) {
                say("strategy pid " + deadPid + " exited during the stop: not restarted");
            }
            beginStop(stop.get());
            return;
        }
        if (status > 128 && status < 128 + 65) { // the last crash's, for status
            lastExitSignal = status - 128;
            lastExitCode = null;
        } else {
            lastExitCode = status;
            lastExitSignal = null;
        }
        switch (backoff.crashed(System.nanoTime(), uptime)) {
            case Backoff.Restart restart when restart.delay().isZero() -> {
                say("strategy pid " + deadPid + " exited (" + exitText() + ") after " + millis(uptime)
                        + ": restarting");
                restarts++;
                startChild();
            }
            case Backoff.Restart restart -> {
                say("strategy pid " + deadPid + " exited (" + exitText() + ") after " + millis(uptime) + ", "
                        + backoff.streak() + " crashes in a row: restarting in " + millis(restart.delay()));
                restarts++;
                restartAtNanos = System.nanoTime() + restart.delay().toNanos();
                changeState(RunnerState.BACKOFF);
            }
            case Backoff.GiveUp giveUp -> {
                changeState(RunnerState.FATAL);
                String why = "gave up: " + giveUp.crashes() + " crashes within " + giveUp.within().toSeconds()
                        + " s, last " + exitText();
                say(why);
                EventLog.append(paths.stateDir(), config.name().value(), "gave-up", why, this::say);
                notifier.stopping(why);
            }
        }
    }

    /**
     * Replaces the running strategy because of WHY (a hang, the checker's request, its own
     * WATCHDOG=trigger): SIGTERM now, SIGKILL at the deadline; its exit counts as a crash, so
     * back-off applies.
     */
    private void replace(String why) throws IOException {
        if (child == null || state == RunnerState.STOPPING) {
            return;
        }
        say("replacing strategy pid " + child.pid() + ": " + why);
        terminateChild();
        changeState(RunnerState.STOPPING);
    }

    /** SIGTERM (and SIGCONT, should it be stopped) to the strategy's group; SIGKILL is due at STOP_TIMEOUT. */
    private void terminateChild() {
        child.terminate();
        killAtNanos = System.nanoTime() + config.stopTimeout().toNanos();
        killSent = false;
    }

    private void startChild() throws IOException {
        generation++;
        int mine = generation;
        try {
            List<String> extra = new java.util.ArrayList<>(Takeover.markers(config, paths));
            // The strategy's own notify socket (the proxy), and the ping interval it should keep.
            extra.add("NOTIFY_SOCKET=" + proxy.socketPath());
            extra.add("WATCHDOG_USEC=" + config.heartbeatMaxAge().toNanos() / 1000);
            childPings = false;
            childStatus = null;
            long startedNanos = System.nanoTime();
            child = StrategyProcess.start(config, inheritedEnvironment, extra, strategyLog, launchPrefix);
            heartbeat.ifPresent(h -> h.startedAt(startedNanos));
        } catch (IOException e) {
            // Cannot even exec (missing program, bad directory): a crash like any other.
            say("cannot start " + config.command().get(0) + ": " + e.getMessage());
            child = null;
            events.add(new Exited(mine, 127));
            changeState(RunnerState.STARTING);
            return;
        }
        child.whenExited(status -> events.add(new Exited(mine, status)));
        changeState(RunnerState.STARTING);
    }

    /**
     * A stop was asked for (WHY): SIGTERM to the strategy, which ends the run when it exits (or
     * gets SIGKILL at STOP_TIMEOUT, a tick move); with no strategy running, STOPPED at once. A
     * replacement under way becomes the stop: its deadline stands.
     */
    private void beginStop(String why) throws IOException, InterruptedException {
        if (stopWhy == null) {
            stopWhy = why;
            notifier.stopping("stopping: " + why);
            // TimeoutStopSec= is the unit's, STOP_TIMEOUT the strategy's: systemd must not SIGKILL a
            // strategy that is still flattening its positions.
            notifier.extendTimeout(config.managerStopDeadline());
            say("stopping (" + why + ")");
        }
        if (child == null) {
            if (state != RunnerState.STOPPING) {
                changeState(RunnerState.STOPPING);
            }
            takeover.endLeftovers(0);
            changeState(RunnerState.STOPPED);
            return;
        }
        if (state != RunnerState.STOPPING) {
            terminateChild();
            changeState(RunnerState.STOPPING);
        }
    }

    /** Moves to NEXT, which must allow the current state as its source (see RunnerState). */
    private void changeState(RunnerState next) throws IOException {
        if (!next.allowedFrom(state)) {
            throw new IllegalStateException("runner in state " + state + " cannot move to " + next);
        }
        state = next;
        snapshot().writeTo(paths.statusFile());
        if (ready) {
            notifier.status(summary());
        }
    }

    private StatusSnapshot snapshot() {
        ProcessIdentity childId = child == null ? null : child.identity();
        return new StatusSnapshot(config.name().value(), state, self.pid(), self.startTime(), parentPid,
                childId == null ? 0 : childId.pid(), childId == null ? 0 : childId.startTime(),
                child == null ? Moment.NEVER : child.startedAt(), restarts, backoff.streak(), lastExitCode, lastExitSignal,
                state == RunnerState.BACKOFF ? Math.max(0, (restartAtNanos - System.nanoTime()) / 1_000_000) : 0,
                System.currentTimeMillis(), manager);
    }

    /** One line for systemctl status. */
    private String summary() {
        String pid = child == null ? "none" : Long.toString(child.pid());
        return state.name().toLowerCase() + ", pid " + pid + ", restarts " + restarts
                + (lastExitCode == null && lastExitSignal == null ? "" : ", last exit " + exitText())
                + (childStatus == null ? "" : ": " + childStatus.replaceAll("\\p{Cntrl}", " "));
    }

    private String exitText() {
        if (lastExitSignal != null) {
            return "signal " + lastExitSignal;
        }
        return "status " + lastExitCode;
    }

    /** Lines of the strategy's output lost, or written again: in the runner's output and in events. */
    private void logTrouble(String message) {
        say(message);
        EventLog.append(paths.stateDir(), config.name().value(), "log-lines-lost", message, this::say);
    }

    private void say(String message) {
        log.println("quant-supervision[" + config.name() + "]: " + message);
        log.flush();
    }

    private static String millis(Duration d) {
        return d.toMillis() + " ms";
    }
}
