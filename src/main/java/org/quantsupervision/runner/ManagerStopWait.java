package org.quantsupervision.runner;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.quantsupervision.config.ConfigException;
import org.quantsupervision.config.StrategyConfig;
import org.quantsupervision.manager.Manager;
import org.quantsupervision.manager.SupervisorProgram;

/**
 * Whether the manager above waits long enough for the runner's stop: STOP_COMMAND, then
 * STOP_TIMEOUT (StrategyConfig.managerStopDeadline()). Under systemd the runner extends
 * TimeoutStopSec= itself at every stop. supervisord's stopwaitsecs= is fixed in the program
 * file, and a stop it cuts short SIGKILLs the strategy in the middle of cancelling its orders,
 * so a runner whose hooks do not fit refuses to start, saying what to run.
 */
final class ManagerStopWait {
    private ManagerStopWait() {
    }

    /** Throws when MANAGER is supervisord and its program file's stopwaitsecs= is shorter than CONFIG needs. */
    static void check(StrategyConfig config, Manager manager) throws ConfigException {
        check(config, manager, SupervisorProgram.fileOf(config.name().value()));
    }

    /** {@link #check(StrategyConfig, Manager)} with the program file at FILE. */
    static void check(StrategyConfig config, Manager manager, Path file) throws ConfigException {
        if (!manager.kind().equals("supervisord")) {
            return;
        }
        String name = config.name().value();
        Optional<Map<String, String>> program;
        try {
            program = SupervisorProgram.read(file, "quant-strategy-" + name);
        } catch (IOException e) {
            return; // not this account's to read: doctor, run by root, checks the same
        }
        if (program.isEmpty()) {
            return; // a program file of someone else's making: doctor says so
        }
        String wait = program.get().getOrDefault("stopwaitsecs", "10").strip();
        long seconds;
        try {
            seconds = Long.parseLong(wait);
        } catch (NumberFormatException e) {
            return; // supervisord itself refuses to load such a file
        }
        Duration needed = config.managerStopDeadline();
        if (seconds < needed.toSeconds()) {
            throw new ConfigException(file, 0, "stopwaitsecs=" + seconds + " is shorter than this strategy's stop needs: "
                    + config.stopHook().map(h -> h.key().key() + "_TIMEOUT " + h.timeout().toSeconds() + " s + ").orElse("")
                    + "STOP_TIMEOUT " + config.stopTimeout().toSeconds() + " s + 20 s = " + needed.toSeconds()
                    + " s (supervisord would SIGKILL it mid-stop); expected stopwaitsecs=" + needed.toSeconds()
                    + " or more: run `quant-supervision enable " + name + " --via supervisor`, which writes it");
        }
    }
}
