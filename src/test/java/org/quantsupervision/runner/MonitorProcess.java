package org.quantsupervision.runner;

import org.quantsupervision.record.RunnerRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.quantsupervision.config.StrategyName;
import org.quantsupervision.notify.NotifyListener;

/**
 * The real runner in a process of its own, as systemd and supervisord start it: {@code
 * quant-supervision run NAME} through the package's launcher ({@link Installation}), which execs
 * the monitor; the monitor runs {@code prepare} in a JVM, then supervises the strategy. For the
 * tests of the runner and of what reads a running strategy (status, health, drill). The layout
 * under DIR is the one the commands' --*-dir options name in those tests: etc/NAME/env.conf,
 * run/, lib/, log/.
 *
 * <p>Its environment is only what a launch asks for: no manager above it unless a test plays
 * one (a NOTIFY_SOCKET this harness listens on, WATCHDOG_USEC), and no journal, so the
 * strategy's output goes to log/NAME/strategy.log. Its own output (standard error and output)
 * goes to a file, read with {@link #output}.
 */
public final class MonitorProcess implements AutoCloseable {
    /** Longer than any stop in these tests (STOP_TIMEOUT of a few seconds, and the JVM of prepare). */
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final Process process;
    private final Path output;
    private final Optional<NotifyListener> notifications;
    private final Path statusFile;

    private MonitorProcess(Process process, Path output, Optional<NotifyListener> notifications, Path statusFile) {
        this.process = process;
        this.output = output;
        this.notifications = notifications;
        this.statusFile = statusFile;
    }

    /** Starts NAME's runner from DIR/etc/NAME/env.conf, with nothing above it; returns at once. */
    public static MonitorProcess start(StrategyName name, Path dir) throws IOException {
        return launch(name, dir).start();
    }

    /** A launch of NAME's runner under DIR, to be set up, then started. */
    public static Launch launch(StrategyName name, Path dir) {
        return new Launch(name, dir);
    }

    /** How a runner is started: what runs it, what its manager would give it. */
    public static final class Launch {
        private final StrategyName name;
        private final Path dir;
        private final List<String> prefix = new ArrayList<>();
        private final Map<String, String> environment = new HashMap<>(Installation.environment());
        private boolean listen;
        private boolean journal;

        private Launch(StrategyName name, Path dir) {
            this.name = name;
            this.dir = dir;
        }

        /** Runs the launcher through COMMAND (which runs its arguments), as a manager of its own would. */
        public Launch through(String... command) {
            prefix.addAll(List.of(command));
            return this;
        }

        /** Listens on a NOTIFY_SOCKET, as systemd's Type=notify gives one. */
        public Launch notifySocket() {
            listen = true;
            return this;
        }

        /** Asks for WATCHDOG=1 every INTERVAL, as systemd's WatchdogSec= does; with a NOTIFY_SOCKET. */
        public Launch watchdog(Duration interval) {
            environment.put("WATCHDOG_USEC", Long.toString(interval.toNanos() / 1000));
            return notifySocket();
        }

        /** Makes the runner's standard output "the journal": JOURNAL_STREAM names it, as systemd's does. */
        public Launch journal() {
            journal = true;
            return this;
        }

        /** Sets KEY=VALUE in the runner's environment. */
        public Launch environment(String key, String value) {
            environment.put(key, value);
            return this;
        }

        public MonitorProcess start() throws IOException {
            Path output = Files.createTempFile(dir, "runner-", ".out");
            if (journal) {
                environment.put("JOURNAL_STREAM", Files.getAttribute(output, "unix:dev") + ":"
                        + Files.getAttribute(output, "unix:ino"));
            }
            Optional<NotifyListener> listener = Optional.empty();
            if (listen) {
                Path socket = Files.createTempFile(dir, "notify-", ".sock");
                Files.delete(socket); // a name of its own, for bind(2) to create
                listener = Optional.of(NotifyListener.bind(socket));
            }
            listener.ifPresent(l -> environment.put("NOTIFY_SOCKET", l.path().toString()));
            List<String> command = new ArrayList<>(prefix);
            command.addAll(List.of(Installation.launcher().toString(), "run", name.value(),
                    "--config-dir", dir.resolve("etc").toString(), "--runtime-dir", dir.resolve("run").toString(),
                    "--state-dir", dir.resolve("lib").toString(), "--log-dir", dir.resolve("log").toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().clear();
            builder.environment().putAll(environment);
            try {
                return new MonitorProcess(builder.start(), output, listener,
                        dir.resolve("run").resolve(name.value()).resolve("runner.json"));
            } catch (IOException e) {
                if (listener.isPresent()) {
                    listener.get().close();
                }
                throw e;
            }
        }
    }

    /** The pid of what was started: the runner, unless a launch runs it through another command. */
    public long pid() {
        return process.pid();
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, as a manager's stop sends it; returns the exit status. */
    public int stop() throws InterruptedException {
        process.destroy();
        return waitFor(STOP_WAIT);
    }

    /** SIGKILL, and waits for the exit. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** The exit status, once it exited within AT_MOST; else an IllegalStateException. */
    public int waitFor(Duration atMost) throws InterruptedException {
        if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the runner did not exit within " + atMost + ":\n" + outputText());
        }
        return process.exitValue();
    }

    /** What the runner and its prepare wrote to standard error and output, line by line. */
    public List<String> output() {
        return outputText().lines().toList();
    }

    public String outputText() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The messages it sent to its NOTIFY_SOCKET; none without {@link Launch#notifySocket}. */
    public List<String> notifications() {
        return notifications.map(NotifyListener::messages).orElse(List.of());
    }

    /** Its runner.json, if there is one to read. */
    public Optional<RunnerRecord> snapshot() {
        return RunnerRecord.readFrom(statusFile);
    }

    /**
     * Stops the runner if it still runs (SIGKILL if it does not exit within the wait) and stops
     * listening; throws if the stop failed, so that a test never passes on a runner that could
     * not stop its strategy.
     */
    @Override
    public void close() throws Exception {
        try {
            if (process.isAlive()) {
                int status;
                try {
                    status = stop();
                } catch (IllegalStateException e) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    kill();
                    throw e;
                }
                if (status != 0) {
                    throw new IllegalStateException("the runner's stop exited " + status + ":\n" + outputText());
                }
            }
        } finally {
            if (notifications.isPresent()) {
                notifications.get().close();
            }
        }
    }
}
