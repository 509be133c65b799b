package org.quantsupervision.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import org.quantsupervision.host.StrategyActions;
import org.quantsupervision.host.StrategyGroups;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code start|stop|restart NAME|GROUP}: one strategy or a whole group, through the manager that runs it. */
abstract class ActionCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME|GROUP", description = "A strategy, or a group made with enable --group.")
    String target;

    @Mixin
    PathOptions paths;

    @Spec
    CommandSpec spec;

    abstract StrategyActions.Action action();

    @Override
    public Integer call() {
        String name = ConfiguredStrategies.named(List.of(target), action().name(), ExitCodes.USAGE).get(0).value();
        PrintWriter out = spec.commandLine().getOut();
        try {
            new StrategyActions(paths.configDir, StrategyGroups.installed()).apply(action(), name).forEach(out::println);
        } catch (StrategyActions.UnknownTargetException e) {
            throw new ExitException(ExitCodes.USAGE, action() + ": " + e.getMessage());
        } catch (IOException e) {
            throw new ExitException(ExitCodes.FAILURE, action() + ": " + e.getMessage());
        }
        return ExitCodes.OK;
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start strategy NAME, or every member of GROUP in its order, through systemd or supervisord.")
    static final class Start extends ActionCommand {
        @Override
        StrategyActions.Action action() {
            return StrategyActions.Action.start;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop strategy NAME, or every member of GROUP in reverse order, through systemd or "
                    + "supervisord. An enabled strategy starts again at boot: disable it to keep it stopped.")
    static final class Stop extends ActionCommand {
        @Override
        StrategyActions.Action action() {
            return StrategyActions.Action.stop;
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true,
            description = "Restart strategy NAME, or every member of GROUP (stopped in reverse order, started in "
                    + "order), through systemd or supervisord.")
    static final class Restart extends ActionCommand {
        @Override
        StrategyActions.Action action() {
            return StrategyActions.Action.restart;
        }
    }
}
