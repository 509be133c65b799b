package org.quantsupervision.runner;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.quantsupervision.config.StrategyConfig;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.notify.Notifier;

/**
 * A real runner on a thread of its own, for the tests of what reads a running strategy (status,
 * health, drill). The layout under DIR is the one the commands' --*-dir options name in those
 * tests: etc/NAME/env.conf, run/, lib/, log/. No manager above it, no notify socket.
 */
public final class InProcessRunner implements AutoCloseable {
    private final Runner runner;
    private final CompletableFuture<Boolean> ran = new CompletableFuture<>();

    private InProcessRunner(Runner runner) {
        this.runner = runner;
        Thread.ofPlatform().start(() -> {
            try {
                ran.complete(runner.run());
            } catch (Throwable e) {
                ran.completeExceptionally(e);
            }
        });
    }

    /** Starts NAME's runner from DIR/etc/NAME/env.conf; returns at once, before the strategy runs. */
    public static InProcessRunner start(StrategyName name, Path dir) throws Exception {
        StrategyConfig config = StrategyConfig.load(name, dir.resolve("etc"), System.getProperty("user.name"),
                org.quantsupervision.config.StrategyAccount.SHARED);
        return new InProcessRunner(new Runner(config,
                RunnerPaths.of(name, dir.resolve("run"), dir.resolve("lib"), dir.resolve("log")),
                Notifier.fromEnvironment(Map.of()), Map.of("PATH", "/usr/bin:/bin"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    }

    /** Stops the strategy and waits for the runner to return (rethrowing what it threw). */
    @Override
    public void close() throws Exception {
        runner.requestStop("test over");
        ran.get();
    }
}
