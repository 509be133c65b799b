package org.quantsupervision.health;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A custom check: any executable that follows the Nagios plugin convention (exit 0 OK, 1
 * WARNING, 2 CRITICAL, 3 UNKNOWN; the first line of output, before any '|', says why). It runs as
 * the checker's account with the strategy's env.conf variables, and is killed at PLUGIN_TIMEOUT.
 */
record PluginCheck(String name, List<String> command) implements Check {
    /** More of a plugin's output than this is not read: only its first line is used. */
    private static final int MAX_OUTPUT = 8192;

    @Override
    public CheckResult run(CheckContext c) {
        long timeout = c.config().pluginTimeout().toMillis();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = builder.environment();
        env.putAll(c.strategy().environment());
        env.put("QUANT_SUPERVISION_STRATEGY", c.strategy().name().value());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return CheckResult.of(name, Status.UNKNOWN, "cannot run " + command.get(0) + ": " + e.getMessage());
        }
        try (InputStream out = process.getInputStream()) {
            byte[] output = readWithDeadline(out, process, timeout);
            if (process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return CheckResult.of(name, Status.UNKNOWN, command.get(0) + " gave no result within " + timeout + " ms");
            }
            String first = new String(output, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
            int bar = first.indexOf('|');
            String text = (bar >= 0 ? first.substring(0, bar) : first).strip();
            int exit = process.exitValue();
            Status status = switch (exit) {
                case 0 -> Status.OK;
                case 1 -> Status.WARNING;
                case 2 -> Status.CRITICAL;
                default -> Status.UNKNOWN;
            };
            if (exit > 3) {
                text = "exit status " + exit + " (a plugin exits 0 to 3)" + (text.isEmpty() ? "" : ": " + text);
            }
            return CheckResult.of(name, status, text.isEmpty() ? "(no output)" : text);
        } catch (IOException e) {
            process.destroyForcibly();
            return CheckResult.of(name, Status.UNKNOWN, "reading " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return CheckResult.of(name, Status.UNKNOWN, "interrupted");
        }
    }

    /**
     * The plugin's output up to MAX_OUTPUT bytes, returning when it exits or at the deadline. A
     * separate reader drains the pipe, so a plugin that writes a lot cannot block on it.
     */
    private static byte[] readWithDeadline(InputStream out, Process process, long timeoutMillis)
            throws IOException, InterruptedException {
        java.io.ByteArrayOutputStream collected = new java.io.ByteArrayOutputStream();
        Thread drain = Thread.ofPlatform().daemon().name("plugin-output").start(() -> {
            byte[] buffer = new byte[4096];
            try {
                int n;
                while ((n = out.read(buffer)) > 0) {
                    synchronized (collected) {
                        if (collected.size() < MAX_OUTPUT) {
                            collected.write(buffer, 0, Math.min(n, MAX_OUTPUT - collected.size()));
                        }
                    }
                }
            } catch (IOException e) {
                // closed on timeout
            }
        });
        if (process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            drain.join(1000);
        }
        synchronized (collected) {
            return collected.toByteArray();
        }
    }
}
