package org.quantsupervision.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A command the runner runs at a point of the strategy's life, with the strategy's environment,
 * killed at its timeout: STOP_COMMAND before a deliberate stop's SIGTERM (cancel the open
 * orders, flatten), CRASH_COMMAND after a crash and before the restart.
 */
public record Hook(Setting key, List<String> command, Duration timeout) {

    /** The hook set by COMMAND, bounded by TIMEOUT, if COMMAND is set. */
    static Optional<Hook> read(ConfigKeys keys, Setting command, Setting timeout) throws ConfigException {
        List<String> words = keys.words(command);
        if (words.isEmpty()) {
            return Optional.empty();
        }
        if (!words.get(0).startsWith("/")) {
            throw keys.error(command, ConfigKeys.quoted(words.get(0)) + " is not an absolute path; expected the "
                    + "program's absolute path, then its arguments (no shell, no PATH lookup)");
        }
        Duration limit = keys.duration(timeout);
        if (limit.isZero()) {
            throw keys.error(timeout, "0 leaves " + command.key() + " no time to run; expected a duration, e.g. 10s");
        }
        return Optional.of(new Hook(command, List.copyOf(words), limit));
    }

    /** The timeout of HOOK, zero when there is none. */
    static Duration timeoutOf(Optional<Hook> hook) {
        return hook.map(Hook::timeout).orElse(Duration.ZERO);
    }
}
