package org.quantsupervision.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.quantsupervision.config.StrategyName;
import org.quantsupervision.health.HumanReport;
import org.quantsupervision.health.Status;
import org.quantsupervision.health.StrategyHealth;
import org.quantsupervision.health.StrategyReport;
import org.quantsupervision.process.Signal;
import org.quantsupervision.record.RunnerPaths;
import org.quantsupervision.record.RunnerRecord;
import org.quantsupervision.record.RunnerState;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: the whole stack on a sample strategy in a temporary directory, without root,
 * systemd or an installation. The real runner ({@code run}, through the launcher of this runtime
 * image) and the real health checker run it, on the same code paths as in production: only the
 * directories differ, and the runner has no manager above it. It crashes the strategy and hangs
 * it, and shows both coming back with the measured times.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a sample strategy under the real runner and health checker in a temporary directory "
                + "(no root, no systemd, nothing installed): kill it, hang it, and watch both recover.")
final class DemoCommand implements Callable<Integer> {
    private static final StrategyName NAME = new StrategyName("demo");
    /** Long enough for any start or recovery here, short enough that a broken demo ends. */
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    /** The sample strategy: rewrites its state file every 0.2 s (its heartbeat) and logs a tick a second. */
    private static final String STRATEGY = """
            #!/bin/sh
            # quant-supervision demo strategy
            echo "demo strategy started, pid $$"
            i=0
            while :; do
                printf '{"ticks": %d, "positions_in_error": 0}\\n' "$i" >"$STATE_FILE.tmp"
                mv "$STATE_FILE.tmp" "$STATE_FILE"
                i=$((i + 1))
                if [ $((i % 5)) -eq 0 ]; then echo "tick $i"; fi
                sleep 0.2
            done
            """;

    /** What the runner's environment loses: without them it runs under no manager and writes the strategy's log. */
    private static final List<String> MANAGER_VARIABLES = List.of("NOTIFY_SOCKET", "JOURNAL_STREAM", "WATCHDOG_USEC",
            "WATCHDOG_PID", "INVOCATION_ID", "SUPERVISOR_SERVER_URL", "SUPERVISOR_PROCESS_NAME");

    @Spec
    CommandSpec spec;

    private final Path launcher;
    private final Map<String, String> launcherEnvironment;

    /** The demo of this runtime image, whose launcher is bin/quant-supervision beside bin/java. */
    DemoCommand() {
        this(Path.of(System.getProperty("java.home"), "bin", "quant-supervision"), Map.of());
    }

    /** The demo with the runner started by LAUNCHER, with LAUNCHER_ENVIRONMENT on top of this process's. */
    DemoCommand(Path launcher, Map<String, String> launcherEnvironment) {
        this.launcher = launcher;
        this.launcherEnvironment = launcherEnvironment;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("quant-supervision-demo-");
        Thread main = Thread.currentThread();
        AutoCloseable handlers = Signals.onStop(signal -> main.interrupt()); // Ctrl-C: stop, clean up, exit
        Process runner = null;
        try {
            out.println("quant-supervision demo in " + dir + " (removed at the end)");
            Path config = writeConfig(dir);
            RunnerPaths paths = RunnerPaths.of(NAME, dir.resolve("run"), dir.resolve("lib"), dir.resolve("log"));
            out.println("  settings: " + config);
            long t0 = System.nanoTime();
            runner = start(dir);
            RunnerProcess running = new RunnerProcess(runner, paths, dir.resolve("runner.log"));
            RunnerRecord first = running.await(s -> s.state() == RunnerState.RUNNING);
            out.printf("%n1. the runner started the strategy: pid %d, RUNNING after %d ms%n", first.childPid(),
                    millisSince(t0));
            StrategyHealth health = new StrategyHealth(dir.resolve("etc"), dir.resolve("run"), dir.resolve("lib"),
                    dir.resolve("log"), dir.resolve("health"), System.getProperty("user.name"),
                    org.quantsupervision.config.HostAlerts.NONE, "demo-host", StrategyHealth.NO_ALERTS, true);
            StrategyReport ok = health.check(NAME);
            out.print(indent(HumanReport.format(List.of(ok))));

            out.printf("%n2. crash: kill -9 of strategy pid %d%n", first.childPid());
            long t1 = System.nanoTime();
            first.strategy().signal(Signal.KILL);
            RunnerRecord exec = running.await(s -> s.childPid() != 0 && s.childPid() != first.childPid());
            long crashMs = millisSince(t1);
            RunnerRecord second = running.await(s -> s.childPid() == exec.childPid() && s.state() == RunnerState.RUNNING);
            out.printf("   back: new pid %d started %d ms after the kill, RUNNING after %d ms (START_GRACE=300ms); "
                    + "restarts: %d%n", second.childPid(), crashMs, millisSince(t1), second.restarts());
            out.println("   health: " + health.check(NAME).summary());

            out.printf("%n3. hang: SIGSTOP of strategy pid %d (it stops writing its state file)%n", second.childPid());
            long t2 = System.nanoTime();
            second.strategy().signal(Signal.STOP);
            Thread.sleep(1300); // past DATA_MAX_AGE=1s, before HEARTBEAT_MAX_AGE=2s
            StrategyReport hung = health.check(NAME);
            out.println("   health after " + millisSince(t2) + " ms: " + hung.summary());
            RunnerRecord third = running.await(s -> s.childPid() != second.childPid() && s.state() == RunnerState.RUNNING);
            long hangMs = millisSince(t2);
            out.printf("   the runner replaced it (no progress for HEARTBEAT_MAX_AGE=2s): new pid %d RUNNING %d ms after "
                    + "the SIGSTOP%n", third.childPid(), hangMs);
            Thread.sleep(300); // a fresh state file
            StrategyReport recovered = health.check(NAME);
            out.println("   health: " + recovered.summary());

            boolean passed = ok.status() == Status.OK && hung.status() == Status.CRITICAL
                    && recovered.statusNow() == Status.OK; // its crash and hang stay reported: they happened
            out.printf("%nrecovery: crash %d ms, hang %d ms (of which 2 s is the hang limit); health %s -> %s -> %s"
                    + " (the crash stays reported by the crashes check until CRASH_RESOLVE_AFTER without one)%n",
                    crashMs, hangMs, ok.status(), hung.status(), recovered.statusNow());
            out.println("Under systemd or supervisord the same runner and checker run as quant-strategy@NAME "
                    + "and quant-supervision-health.service: see README.md.");
            return passed ? ExitCodes.OK : ExitCodes.FAILURE;
        } catch (InterruptedException e) {
            out.println("interrupted");
            return ExitCodes.FAILURE;
        } finally {
            if (runner != null) {
                stop(runner);
            }
            remove(dir);
            out.println("cleaned up: runner stopped, " + dir + " removed");
            out.flush();
            handlers.close();
        }
    }

    private static Path writeConfig(Path dir) throws IOException {
        Path script = dir.resolve("strategy.sh");
        Files.writeString(script, STRATEGY);
        Path conf = Files.createDirectories(dir.resolve("etc").resolve(NAME.value())).resolve("env.conf");
        Files.createFile(conf, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(conf, """
                # The demo strategy's settings: the same keys as /etc/strategies/NAME/env.conf.
                STRATEGY_COMMAND=/bin/sh %1$s
                STRATEGY_DIRECTORY=%2$s
                STATE_FILE=%2$s/state.json
                # The state file is also its heartbeat: no progress for 2 s means hung.
                HEARTBEAT_FILE=%2$s/state.json
                HEARTBEAT_MAX_AGE=2s
                START_GRACE=300ms
                STOP_TIMEOUT=2s
                DATA_MAX_AGE=1s
                RULE_POSITIONS_IN_ERROR=/positions_in_error > 0
                HEALTH_GRACE=0s
                HEALTH_RESTART=no
                """.formatted(script, dir));
        return conf;
    }

    /** `quant-supervision run demo` with the demo's directories, its output in DIR/runner.log. */
    private Process start(Path dir) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "run", NAME.value(),
                "--config-dir", dir.resolve("etc").toString(), "--runtime-dir", dir.resolve("run").toString(),
                "--state-dir", dir.resolve("lib").toString(), "--log-dir", dir.resolve("log").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("runner.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Map<String, String> env = builder.environment();
        env.keySet().removeAll(MANAGER_VARIABLES);
        env.putAll(launcherEnvironment);
        return builder.start();
    }

    /** The runner's stop, as a manager's: SIGTERM, and SIGKILL should it not exit within PATIENCE (or Ctrl-C again). */
    private static void stop(Process runner) {
        runner.destroy();
        try {
            if (runner.waitFor(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runner.descendants().forEach(ProcessHandle::destroyForcibly);
        runner.destroyForcibly();
    }

    /** The runner process, its runner.json and its output. */
    private record RunnerProcess(Process process, RunnerPaths paths, Path log) {
        /** The runner's state once it satisfies CONDITION. */
        RunnerRecord await(Predicate<RunnerRecord> condition) throws InterruptedException {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (System.nanoTime() < deadline && process.isAlive()) {
                Optional<RunnerRecord> s = RunnerRecord.readFrom(paths.statusFile());
                if (s.isPresent() && condition.test(s.get())) {
                    return s.get();
                }
                Thread.sleep(2);
            }
            String output;
            try {
                output = Files.readString(log);
            } catch (IOException e) {
                output = e.toString();
            }
            throw new ExitException(ExitCodes.FAILURE, "demo: the runner did not get there within "
                    + PATIENCE.toSeconds() + " s" + (process.isAlive() ? "" : " (it exited " + process.exitValue()
                    + ")") + "; it said:\n" + output);
        }
    }

    private static String indent(String text) {
        return text.lines().map(l -> "   " + l + "\n").reduce("", String::concat);
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static void remove(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a file still being written by a dying process: leave the rest to the temp cleaner
        }
    }
}
