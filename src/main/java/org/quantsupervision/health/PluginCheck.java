package org.quantsupervision.health;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.quantsupervision.process.Commands;

/**
 * A custom check: any executable that follows the Nagios plugin convention (exit 0 OK, 1
 * WARNING, 2 CRITICAL, 3 UNKNOWN; the first line of output, before any '|', says why). It runs as
 * the checker's account (never root) with the strategy's env.conf variables, and is killed at
 * PLUGIN_TIMEOUT.
 */
record PluginCheck(String name, List<String> command) implements Check {
    /** More of a plugin's output than this is not read: only its first line is used. */
    private static final int MAX_OUTPUT = 8192;

    @Override
    public CheckResult run(CheckContext c) {
        long timeout = c.config().pluginTimeout().toMillis();
        ProcessBuilder builder = new ProcessBuilder(command);
        // A clean environment: nothing of the checker's own (a root shell's under sudo, the
        // health unit's), a system PATH, the strategy's name, and only those of its settings that
        // PLUGIN_ENV names. The plugin runs as the checker (quant-health), which reads every
        // strategy's settings: handing it the strategy's whole environment would let a
        // PYTHONPATH or LD_PRELOAD there load code the strategy's account wrote into the checker.
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("LANG", "C.UTF-8");
        env.putAll(c.config().pluginEnvironment());
        env.put("QUANT_SUPERVISION_STRATEGY", c.strategy().name().value());
        Commands.Result result;
        try {
            result = Commands.run(builder, c.config().pluginTimeout(), MAX_OUTPUT);
        } catch (Commands.TimedOut e) {
            return CheckResult.of(name, Status.UNKNOWN, command.get(0) + " gave no result within " + timeout + " ms");
        } catch (IOException e) {
            return CheckResult.of(name, Status.UNKNOWN, "cannot run " + command.get(0) + ": " + e.getMessage());
        }
        String first = result.output().lines().findFirst().orElse("").strip();
        int bar = first.indexOf('|');
        String text = (bar >= 0 ? first.substring(0, bar) : first).strip();
        int exit = result.status();
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
    }
}
