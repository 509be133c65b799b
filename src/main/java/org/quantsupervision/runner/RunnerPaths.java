package org.quantsupervision.runner;

import java.nio.file.Path;

import org.quantsupervision.config.StrategyName;

/** Where one strategy's runner keeps its lock, state, events and (without a journal) logs. */
public record RunnerPaths(Path runtimeDir, Path stateDir, Path logDir) {

    /** The installed layout: /run, /var/lib and /var/log/quant-supervision/NAME (roots overridable for tests). */
    public static RunnerPaths of(StrategyName name, Path runtimeRoot, Path stateRoot, Path logRoot) {
        return new RunnerPaths(runtimeRoot.resolve(name.value()), stateRoot.resolve(name.value()),
                logRoot.resolve(name.value()));
    }

    Path lockFile() {
        return runtimeDir.resolve("runner.lock");
    }

    public Path statusFile() {
        return runtimeDir.resolve("runner.json");
    }
}
