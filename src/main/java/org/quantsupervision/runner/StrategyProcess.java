package org.quantsupervision.runner;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.quantsupervision.clock.BootClock;
import org.quantsupervision.clock.Moment;
import org.quantsupervision.config.StrategyConfig;
import org.quantsupervision.control.ProcessIdentity;
import org.quantsupervision.control.Signal;

/**
 * One run of the strategy: its process, started as the leader of a new session and process
 * group (through setsid(1), which execs in place: the pid stays the strategy's), so that
 * signals reach whatever the strategy forks, and its output.
 */
final class StrategyProcess {
    /** Variables of the runner's own service manager that must not leak into the strategy. */
    private static final Set<String> NOT_INHERITED = Set.of("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID",
            "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "QUANT_SUPERVISION_JAVA_OPTS", "JAVA_TOOL_OPTIONS");
    private static final String SETSID = "/usr/bin/setsid";
    /**
     * setpriv(1) sets the parent-death signal and execs in place, like setsid: the kernel sends
     * SIGTERM to the strategy the moment its runner dies (kill -9, the OOM killer), so that a
     * strategy is never left trading without a runner; it stops as on any stop, and the next
     * runner SIGKILLs whatever of it is left before it starts another. Not there, or too old
     * (util-linux before 2.33: RHEL 8), the strategy runs without it and the next runner's scan
     * is the only bound. Not needed, nor possible, in a systemd unit: there the unit's cgroup is
     * killed when its runner dies, and setpriv's capset(2) is outside the unit's system calls.
     */
    static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    private final Process process;
    private final ProcessIdentity identity;
    private final long startedNanos;
    /** For runner.json: the checker measures its grace from it (see Moment). */
    private final Moment startedAt;
    private final List<Thread> pumps;

    private StrategyProcess(Process process, ProcessIdentity identity, List<Thread> pumps) {
        this.process = process;
        this.identity = identity;
        this.pumps = pumps;
        this.startedNanos = System.nanoTime();
        this.startedAt = BootClock.SYSTEM.now();
    }

    /**
     * Starts the strategy with the runner's environment (less the service manager's variables),
     * env.conf's variables and EXTRA ("K=V": markers, its own NOTIFY_SOCKET), through PREFIX
     * (setpriv's, or nothing). LOG null means its output goes where the runner's goes (the
     * journal, under systemd: lossless, and attributed to the unit); else each line goes to LOG.
     */
    static StrategyProcess start(StrategyConfig config, Map<String, String> inherited, List<String> extra,
            RotatingLog log, List<String> prefix) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(SETSID);
        command.addAll(config.command());
        ProcessBuilder builder = new ProcessBuilder(command).directory(config.directory().toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(environment(config, inherited));
        for (String assignment : extra) {
            int eq = assignment.indexOf('=');
            env.put(assignment.substring(0, eq), assignment.substring(eq + 1));
        }
        if (log == null) {
            builder.redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
        }
        builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process process = builder.start();
        ProcessIdentity identity = ProcessIdentity.of(process.pid())
                .orElse(new ProcessIdentity(process.pid(), -1)); // exited already: onExit tells
        List<Thread> pumps = List.of();
        if (log != null) {
            pumps = List.of(pump(process.getInputStream(), log, "stdout"), pump(process.getErrorStream(), log, "stderr"));
        }
        return new StrategyProcess(process, identity, pumps);
    }

    /**
     * The strategy's environment: the runner's (INHERITED), less its service manager's
     * variables, and env.conf's variables; the markers and its own NOTIFY_SOCKET come on top.
     */
    static Map<String, String> environment(StrategyConfig config, Map<String, String> inherited) {
        Map<String, String> env = new java.util.TreeMap<>();
        inherited.forEach((k, v) -> {
            if (!NOT_INHERITED.contains(k)) {
                env.put(k, v);
            }
        });
        env.putAll(config.environment());
        return env;
    }

    /** SETPRIV's "--pdeathsig TERM" prefix if it has that option, else nothing. */
    static List<String> parentDeathSignal(Path setpriv) {
        if (!Files.isExecutable(setpriv)) {
            return List.of();
        }
        try {
            Process help = new ProcessBuilder(setpriv.toString(), "--help").redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            String text = new String(help.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            help.waitFor();
            return text.contains("--pdeathsig") ? List.of(setpriv.toString(), "--pdeathsig", "TERM") : List.of();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /**
     * Copies lines from IN to LOG until the strategy closes its end, so no last line is lost; a
     * line longer than 64 KiB is written in pieces of that size.
     */
    private static Thread pump(InputStream in, RotatingLog log, String which) {
        return Thread.ofPlatform().daemon().name("strategy-" + which).start(() -> {
            byte[] buffer = new byte[8192];
            byte[] line = new byte[65536];
            int length = 0;
            try (in) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    for (int i = 0; i < n; i++) {
                        byte b = buffer[i];
                        if (b == '\n' || length == line.length) {
                            log.writeLine(line, length);
                            length = 0;
                            if (b == '\n') {
                                continue;
                            }
                        }
                        line[length++] = b;
                    }
                }
                if (length > 0) {
                    log.writeLine(line, length); // a last line without newline, before a crash
                }
            } catch (IOException e) {
                // the pipe broke: the strategy is gone (the log never throws: it counts what it drops)
            }
        });
    }

    /**
     * Calls ON_EXIT with the exit status once the strategy has exited, from a thread of its own.
     * Not {@link Process#onExit()}: it completes through the common ForkJoinPool, which has one
     * worker on a 2-core host, so any task blocking there (seen in the tests) delayed the exit
     * event, and a stop waiting for it, for ever.
     */
    void whenExited(java.util.function.IntConsumer onExit) {
        Thread.ofPlatform().daemon().name("exit-" + process.pid()).start(() -> {
            while (true) {
                try {
                    onExit.accept(process.waitFor());
                    return;
                } catch (InterruptedException e) {
                    // nobody interrupts this thread; keep waiting
                }
            }
        });
    }

    ProcessIdentity identity() {
        return identity;
    }

    long pid() {
        return process.pid();
    }

    Moment startedAt() {
        return startedAt;
    }

    long startedAtMillis() {
        return startedAt.wallMillis();
    }

    Duration uptime() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** True if the process is stopped (SIGSTOP, a debugger): alive, but making no progress. */
    boolean isStopped() {
        return identity.state().map(s -> s == 'T' || s == 't').orElse(false);
    }

    /** Waits for the output of an exited strategy to be written, briefly. */
    void drainOutput(Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        for (Thread pump : pumps) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                pump.join(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** SIGTERM to the strategy's process group, and SIGCONT in case it is stopped (SIGSTOP). */
    void terminate() {
        identity.signalGroup(Signal.TERM);
        identity.signalGroup(Signal.CONT);
    }

    /** SIGKILL to the strategy's process group: it did not exit within STOP_TIMEOUT of SIGTERM. */
    void kill() {
        identity.signalGroup(Signal.KILL);
    }

    /** SIGKILL to what the strategy forked and left behind: no stray copy may keep trading. */
    void killLeftovers() {
        identity.signalGroupLeftovers(Signal.KILL);
    }

    /** Sends SIGNAL to the strategy's process group (SIGHUP: reload). */
    void signal(Signal signal) {
        identity.signalGroup(signal);
    }
}
