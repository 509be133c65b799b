package org.quantsupervision.runner;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.quantsupervision.config.StrategyConfig;

/** The strategy's environment, as the plan hands it to the monitor (which adds the markers and its NOTIFY_SOCKET). */
final class StrategyEnvironment {
    /** Variables of the runner's own service manager and JVM that must not leak into the strategy. */
    private static final Set<String> NOT_INHERITED = Set.of("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID",
            "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "QUANT_SUPERVISION_JAVA_OPTS", "JAVA_TOOL_OPTIONS");

    private StrategyEnvironment() {
    }

    /**
     * The runner's environment (INHERITED), less its service manager's variables, and env.conf's
     * variables on top.
     */
    static Map<String, String> of(StrategyConfig config, Map<String, String> inherited) {
        Map<String, String> env = new TreeMap<>();
        inherited.forEach((k, v) -> {
            if (!NOT_INHERITED.contains(k)) {
                env.put(k, v);
            }
        });
        env.putAll(config.environment());
        return env;
    }
}
