package org.quantsupervision.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root command: lists the subcommands; run alone, prints usage. */
@Command(
        name = "quant-supervision",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Supervises trading strategies in three layers: systemd starts one runner per strategy "
                + "(quant-strategy@NAME.service); the runner restarts the strategy in milliseconds and pets the "
                + "watchdog only while the strategy makes progress; the health checker runs every 30 s.",
        subcommands = {
            RunCommand.class,
            HealthCommand.class,
            StatusCommand.class,
            EnableCommand.class,
            DisableCommand.class,
            ActionCommand.Start.class,
            ActionCommand.Stop.class,
            ActionCommand.Restart.class,
            DoctorCommand.class,
            DrillCommand.class,
            DemoCommand.class,
            CommandLine.HelpCommand.class,
        },
        exitCodeListHeading = "%nExit status:%n",
        footerHeading = "%nFiles:%n",
        footer = {
            "  /etc/strategies/NAME/env.conf  settings and secrets (0600 quant-user)",
            "  /run/quant-supervision/NAME/   runner state and lock",
            "  /var/lib/quant-supervision/    health state",
            "  /var/log/quant-supervision/    logs when not under systemd",
        })
public final class QuantSupervision implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new ExitException(ExitCodes.USAGE, "a subcommand is required (see above)");
    }

    /** The one factory of the command line, with its error handling; used by main and by tests. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new QuantSupervision());
        commandLine.getCommandSpec().usageMessage().exitCodeList(ExitCodes.helpList());
        commandLine.setExecutionExceptionHandler(QuantSupervision::handle);
        // health and doctor follow the Nagios plugin convention, where 2 means CRITICAL (FAIL): a
        // wrong command line there is UNKNOWN (3), as the plugin guidelines ask.
        CommandLine.IParameterExceptionHandler standard = commandLine.getParameterExceptionHandler();
        commandLine.setParameterExceptionHandler((e, args) -> {
            int status = standard.handleParseException(e, args);
            String command = e.getCommandLine().getCommandName();
            return command.equals("health") || command.equals("doctor") ? HealthCommand.UNKNOWN : status;
        });
        return commandLine;
    }

    private static int handle(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        if (e instanceof ExitException exit) {
            err.println("quant-supervision: " + exit.getMessage());
            err.flush();
            return exit.status();
        }
        // A bug: say so in one line, and give the trace only when asked (it may be long at 3 AM).
        err.println("quant-supervision: internal error: " + e);
        if (System.getenv("QUANT_SUPERVISION_DEBUG") != null) {
            e.printStackTrace(err);
        } else {
            err.println("quant-supervision: set QUANT_SUPERVISION_DEBUG=1 for the stack trace");
        }
        err.flush();
        return ExitCodes.SOFTWARE;
    }
}
