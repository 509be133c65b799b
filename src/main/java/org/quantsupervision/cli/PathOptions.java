package org.quantsupervision.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** Where settings, runtime state, health state and logs live: the installed layout, overridable (tests, demo). */
final class PathOptions {
    @Option(names = "--config-dir", paramLabel = "DIR", defaultValue = "/etc/strategies",
            description = "Where NAME/env.conf is (default: ${DEFAULT-VALUE}).")
    Path configDir;

    @Option(names = "--runtime-dir", paramLabel = "DIR", defaultValue = "/run/quant-supervision",
            description = "Lock and runner.json go to DIR/NAME/ (default: ${DEFAULT-VALUE}).")
    Path runtimeDir;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "/var/lib/quant-supervision",
            description = "Events and health state go to DIR/NAME/ (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--health-dir", paramLabel = "DIR", defaultValue = "/var/lib/quant-supervision-health",
            description = "The health checker's own state and events go to DIR/NAME/ (default: ${DEFAULT-VALUE}).")
    Path healthDir;

    @Option(names = "--log-dir", paramLabel = "DIR", defaultValue = "/var/log/quant-supervision",
            description = "Without a journal, the strategy's output goes to DIR/NAME/strategy.log "
                    + "(default: ${DEFAULT-VALUE}).")
    Path logDir;
}
