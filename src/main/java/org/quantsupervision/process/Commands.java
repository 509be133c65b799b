package org.quantsupervision.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an administration command (systemctl, supervisorctl) with a deadline and keeps its output.
 * The output is drained on a thread of its own while the deadline runs: reading it on the caller's
 * thread would wait for the end of the output, that is for a hung command, whatever the deadline.
 */
public final class Commands {
    /** More output than this is not kept: only the first line is ever shown. */
    private static final int MAX_OUTPUT = 1 << 20;

    private Commands() {
    }

    /** The exit status and the combined output of one command. */
    public record Result(int status, String output) {
        public boolean ok() {
            return status == 0;
        }

        /** The first line of the output, for a one-line error. */
        public String firstLine() {
            return output.lines().findFirst().orElse("(no output)");
        }
    }

    /** The command did not finish in time: it and whatever it started were killed. */
    public static final class TimedOut extends IOException {
        private static final long serialVersionUID = 1L;

        TimedOut(String message) {
            super(message);
        }
    }

    /** Runs COMMAND (stdin /dev/null, stderr into stdout); kills it and fails after TIMEOUT. */
    public static Result run(List<String> command, Duration timeout) throws IOException {
        return run(new ProcessBuilder(command), timeout, MAX_OUTPUT);
    }

    /**
     * {@code systemctl ARGS} that must succeed: a failure is an IOException with the command, its
     * exit status and first line of output and, when ARGS name a unit, where that unit's log is.
     */
    public static Result systemctl(List<String> args, Duration timeout) throws IOException {
        Result r = run(prefixed("systemctl", args), timeout);
        if (!r.ok()) {
            String log = args.stream().filter(a -> a.endsWith(".service") || a.endsWith(".target")).findFirst()
                    .map(unit -> " (see journalctl -u " + unit + ")").orElse("");
            throw new IOException("systemctl " + String.join(" ", args) + " failed (exit " + r.status() + "): "
                    + r.firstLine() + log);
        }
        return r;
    }

    /**
     * {@code supervisorctl ARGS} that must succeed. supervisorctl exits 0 on some errors, so ERROR in
     * its output is a failure too.
     */
    public static Result supervisorctl(List<String> args, Duration timeout) throws IOException {
        Result r = run(prefixed("supervisorctl", args), timeout);
        // Stopping a program that is not running (it gave up: EXITED; FATAL; stopped) is done, as
        // systemctl stop of an inactive unit is; supervisorctl calls it "ERROR (not running)".
        boolean stoppedAlready = args.getFirst().equals("stop") && r.output().lines()
                .filter(l -> l.contains("ERROR")).allMatch(l -> l.contains("ERROR (not running)"));
        if (!stoppedAlready && (!r.ok() || r.output().contains("ERROR"))) {
            throw new IOException("supervisorctl " + String.join(" ", args) + " failed: " + r.firstLine()
                    + " (is supervisord running? systemctl status supervisor)");
        }
        return r;
    }

    private static List<String> prefixed(String program, List<String> args) {
        List<String> command = new java.util.ArrayList<>(List.of(program));
        command.addAll(args);
        return command;
    }

    /**
     * Runs BUILDER's command (its environment as set; stdin /dev/null, stderr into stdout), keeping at
     * most MAX_BYTES of output. After TIMEOUT the command and its descendants are killed and
     * {@link TimedOut} is thrown.
     */
    public static Result run(ProcessBuilder builder, Duration timeout, int maxBytes) throws IOException {
        List<String> command = builder.command();
        Process p = builder.redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread drain = Thread.ofPlatform().daemon().name("command-output").start(() -> {
            try (InputStream in = p.getInputStream()) {
                byte[] buffer = new byte[8192];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    synchronized (output) {
                        if (output.size() < maxBytes) {
                            output.write(buffer, 0, Math.min(n, maxBytes - output.size()));
                        }
                    }
                }
            } catch (IOException e) {
                // closed when the command is killed
            }
        });
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new TimedOut(String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s");
            }
            drain.join(1000); // the rest of the output, unless a child the command left behind holds the pipe
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted: " + String.join(" ", command));
        }
        synchronized (output) {
            return new Result(p.exitValue(), output.toString(StandardCharsets.UTF_8));
        }
    }
}
