package org.quantsupervision.record;

import java.nio.file.Path;
import java.util.List;

import org.quantsupervision.config.StrategyName;

/** Where one strategy's runner keeps its lock, state, events and (without a journal) logs. */
public record RunnerPaths(Path runtimeDir, Path stateDir, Path logDir) {

    /** The installed layout: /run, /var/lib and /var/log/quant-supervision/NAME (roots overridable for tests). */
    public static RunnerPaths of(StrategyName name, Path runtimeRoot, Path stateRoot, Path logRoot) {
        return new RunnerPaths(runtimeRoot.resolve(name.value()), stateRoot.resolve(name.value()),
                logRoot.resolve(name.value()));
    }

    public Path lockFile() {
        return runtimeDir.resolve("runner.lock");
    }

    public Path statusFile() {
        return runtimeDir.resolve("runner.json");
    }

    /**
     * Where the health checker asks the runner to replace its strategy (one short line: why).
     * Under supervisord this is the checker's restart action: supervisord's control socket stays
     * root's, instead of handing its whole XML-RPC API to the strategies' account.
     */
    public Path restartRequest() {
        return runtimeDir.resolve("restart-request");
    }

    /**
     * The variables the runner marks NAME's strategy with (and so whatever it forks): how a
     * strategy left behind by a dead runner is found (runner/Takeover), and how {@code halt}
     * confirms that nothing of NAME's runs any more.
     */
    public List<String> markers(StrategyName name) {
        return List.of("QUANT_SUPERVISION_STRATEGY=" + name, "QUANT_SUPERVISION_RUNTIME_DIR=" + runtimeDir);
    }
}
