package org.quantsupervision.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.quantsupervision.config.StrategyName;
import org.quantsupervision.host.StrategyGroups;
import org.quantsupervision.host.StrategySetup;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code disable NAME}: stop a strategy and keep it from starting at boot; its config stays. */
@Command(name = "disable", mixinStandardHelpOptions = true,
        description = "Stop strategy NAME and unregister it from systemd or supervisord; /etc/strategies/NAME "
                + "(settings and secrets), its state and its logs are kept. Needs root.")
final class DisableCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAME", description = "The strategy.")
    String name;

    @Mixin
    PathOptions paths;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        StrategyName strategy = ConfiguredStrategies.named(List.of(name), "disable", ExitCodes.USAGE).get(0);
        Admin.requireRoot("disable");
        String n = strategy.value();
        StrategySetup setup = new StrategySetup(paths.configDir, paths.runtimeDir, paths.stateDir, paths.logDir, Path.of("/dev/null"),
                StrategyGroups.installed(), org.quantsupervision.config.StrategyAccount.of(strategy, paths.stateDir));
        PrintWriter out = spec.commandLine().getOut();
        try {
            if (Files.exists(StrategySetup.supervisorConf(n))) {
                setup.disableSupervisor(n);
            }
            if (StrategySetup.underSystemd(n)) {
                setup.disableSystemd(n);
            }
        } catch (IOException e) {
            setup.done().forEach(out::println);
            throw new ExitException(ExitCodes.FAILURE, "disable: " + e.getMessage());
        }
        if (setup.done().isEmpty()) {
            out.println(n + " is not enabled under systemd or supervisord: nothing to do");
        }
        setup.done().forEach(out::println);
        out.println("kept " + paths.configDir.resolve(n) + " (settings and secrets), state and logs");
        return ExitCodes.OK;
    }
}
