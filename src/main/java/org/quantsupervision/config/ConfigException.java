package org.quantsupervision.config;

import java.nio.file.Path;

/**
 * Invalid configuration. The message is one line that names the file, the line and the key
 * where known, and what is expected: "/etc/strategies/x/env.conf:12: STOP_TIMEOUT: 'ten' is
 * not a duration; expected e.g. 10s, 500ms, 2min". Values are never quoted for keys that may
 * hold secrets.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(Path file, int line, String message) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message);
    }
}
