package org.quantsupervision.cli;

import java.io.PrintWriter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        footerHeading = "%nFiles:%n",
        footer = {
            "  /etc/strategies/NAME/env.conf  settings and secrets (0640 root:quant-group)",
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

    /**
     * The subcommands by name, in the order help lists them. Named here rather than read from
     * their annotations, which would build the annotation objects start-up is saving (a test
     * checks that the names match).
     */
    static final Map<String, Class<?>> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("run", RunCommand.class);
        SUBCOMMANDS.put("prepare", PrepareCommand.class);
        SUBCOMMANDS.put("campaign", CampaignCommand.class);
        SUBCOMMANDS.put("health", HealthCommand.class);
        SUBCOMMANDS.put("status", StatusCommand.class);
        SUBCOMMANDS.put("serve", ServeCommand.class);
        SUBCOMMANDS.put("enable", EnableCommand.class);
        SUBCOMMANDS.put("disable", DisableCommand.class);
        SUBCOMMANDS.put("start", ActionCommand.Start.class);
        SUBCOMMANDS.put("stop", ActionCommand.Stop.class);
        SUBCOMMANDS.put("restart", ActionCommand.Restart.class);
        SUBCOMMANDS.put("halt", KillSwitchCommand.Halt.class);
        SUBCOMMANDS.put("resume", KillSwitchCommand.Resume.class);
        SUBCOMMANDS.put("failover", FailoverCommand.class);
        SUBCOMMANDS.put("doctor", DoctorCommand.class);
        SUBCOMMANDS.put("drill", DrillCommand.class);
        SUBCOMMANDS.put("demo", DemoCommand.class);
        SUBCOMMANDS.put("help", CommandLine.HelpCommand.class);
    }

    /** The whole command line, every subcommand built: for help, the man pages and tests. */
    public static CommandLine commandLine() {
        return commandLine(SUBCOMMANDS.keySet());
    }

    /**
     * The command line for ARGS. When they start with a subcommand's name (other than help), only
     * that subcommand is built: picocli reads every option's annotations through reflection, and
     * building all twelve took a third of a health check's start-up. Anything else (no argument,
     * --help, help, a typo that deserves suggestions) gets the whole command line.
     */
    public static CommandLine forArguments(String... args) {
        if (args.length > 0 && SUBCOMMANDS.containsKey(args[0]) && !args[0].equals("help")) {
            return commandLine(List.of(args[0]));
        }
        return commandLine();
    }

    /** The one factory of the command line, with its error handling. */
    private static CommandLine commandLine(Collection<String> subcommands) {
        CommandLine commandLine = new CommandLine(new QuantSupervision());
        for (String name : subcommands) {
            commandLine.addSubcommand(name, SUBCOMMANDS.get(name));
        }
        ExitCodes.describe(commandLine.getCommandSpec());
        commandLine.getSubcommands().values().forEach(sub -> ExitCodes.describe(sub.getCommandSpec()));
        commandLine.setExecutionExceptionHandler(QuantSupervision::handle);
        // picocli's handler prints the error and the usage; the status is the command's own.
        CommandLine.IParameterExceptionHandler standard = commandLine.getParameterExceptionHandler();
        commandLine.setParameterExceptionHandler((e, args) -> {
            standard.handleParseException(e, args);
            return ExitCodes.usage(e.getCommandLine().getCommandName());
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
