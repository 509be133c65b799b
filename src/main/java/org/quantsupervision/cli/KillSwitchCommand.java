package org.quantsupervision.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

import org.quantsupervision.alert.Alert;
import org.quantsupervision.alert.AlertSender;
import org.quantsupervision.alert.KillSwitchAlert;
import org.quantsupervision.config.AlertTargets;
import org.quantsupervision.config.ConfigException;
import org.quantsupervision.config.HostAlerts;
import org.quantsupervision.config.StrategyAccount;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.host.StrategyActions;
import org.quantsupervision.host.StrategyGroups;
import org.quantsupervision.host.StrategyHalt;
import org.quantsupervision.identity.Account;
import org.quantsupervision.record.HaltMarker;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code halt|resume NAME|GROUP|--all}: the kill switch (host/StrategyHalt does the work, the
 * runners obey the file). Root only; operators get it through a sudoers rule for these two
 * commands (README). Each command sends one alert on the host's channels.
 */
abstract class KillSwitchCommand implements Callable<Integer> {
    /** The longest --reason: one line in an alert and a status line. */
    private static final int MAX_REASON = 500;

    @ArgGroup(multiplicity = "1")
    Selection selection;

    static final class Selection {
        @Parameters(paramLabel = "NAME|GROUP", description = "A strategy, or a group made with enable --group.")
        String target;

        @Option(names = "--all", required = true, description = "Every strategy under the config dir.")
        boolean all;
    }

    @Option(names = "--alerts-file", paramLabel = "FILE", defaultValue = HostAlerts.PATH,
            description = "The host's alert channels, where the one alert of this command goes (default: "
                    + "${DEFAULT-VALUE}).")
    Path alertsFile;

    @Mixin
    PathOptions paths;

    @Spec
    CommandSpec spec;

    /** This command's name, for messages. */
    abstract String command();

    @Override
    public Integer call() throws InterruptedException {
        if (!Admin.isRoot()) {
            throw new ExitException(ExitCodes.REFUSED, command() + ": needs root (sudo quant-supervision " + command()
                    + " ...; operators get it through a sudoers rule, see man quant-supervision-" + command() + ")");
        }
        refuseOtherPathsThroughSudo();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StrategyHalt kill = new StrategyHalt(paths.configDir, paths.runtimeDir, paths.stateDir, paths.logDir,
                StrategyGroups.installed());
        int status = act(kill, names(kill, err), operator(), out, err);
        out.flush();
        err.flush();
        return status;
    }

    /**
     * The sudoers rule lets operators run {@code halt *}: any arguments. Through sudo, the
     * options that move what root reads and writes (another --config-dir where "halted" files
     * land, another --alerts-file) are refused; they are root's own, for tests and odd layouts.
     */
    private void refuseOtherPathsThroughSudo() {
        if (System.getenv("SUDO_USER") == null) {
            return;
        }
        for (String option : List.of("--config-dir", "--runtime-dir", "--state-dir", "--health-dir", "--log-dir",
                "--alerts-file")) {
            if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                throw new ExitException(ExitCodes.REFUSED, command() + ": " + option + " is not for sudo: through sudo "
                        + command() + " acts on the installed layout only");
            }
        }
    }

    /** Does the command on NAMES as BY; its exit status. */
    abstract int act(StrategyHalt kill, List<StrategyName> names, String by, PrintWriter out, PrintWriter err)
            throws InterruptedException;

    private List<StrategyName> names(StrategyHalt kill, PrintWriter err) {
        if (selection.all) {
            List<StrategyName> all = ConfiguredStrategies.all(paths.configDir, command(), ExitCodes.FAILURE, err);
            if (all.isEmpty()) {
                throw new ExitException(ExitCodes.USAGE, command() + ": no strategy is configured under "
                        + paths.configDir + " (no DIR/NAME/env.conf)");
            }
            return all;
        }
        ConfiguredStrategies.named(List.of(selection.target), command(), ExitCodes.USAGE);
        try {
            return kill.resolve(selection.target);
        } catch (StrategyActions.UnknownTargetException e) {
            throw new ExitException(ExitCodes.USAGE, command() + ": " + e.getMessage());
        } catch (IOException e) {
            throw new ExitException(ExitCodes.FAILURE, command() + ": " + e.getMessage());
        }
    }

    /**
     * Who runs it: the operator sudo names (SUDO_USER), else this process's account. root may set
     * SUDO_USER to anything: the marker and the alert say who, for people, and prove nothing.
     */
    static String operator() {
        String sudo = System.getenv("SUDO_USER");
        return sudo != null && !sudo.isBlank() ? sudo : System.getProperty("user.name");
    }

    /** Sends ALERT in the background on the channels of the alerts file; its lines once joined. */
    CompletableFuture<List<String>> alert(Alert alert) {
        AlertTargets targets;
        try {
            targets = loadAlerts().targets();
        } catch (ConfigException e) {
            return CompletableFuture.completedFuture(List.of("no alert sent: " + e.getMessage()));
        }
        if (!targets.any()) {
            return CompletableFuture.completedFuture(List.of("no alert sent: no channel in " + alertsFile));
        }
        AlertSender sender = new AlertSender(AlertSender.client(targets.timeout()), targets.timeout());
        return CompletableFuture.supplyAsync(() -> KillSwitchAlert.send(sender, alert, targets),
                task -> Thread.ofPlatform().daemon().name("kill-switch-alert").start(task));
    }

    /**
     * alerts.conf, checked as the health checker reads it (root:quant-health 0640); on a host
     * without that account (a build host), as this account's own file.
     */
    private HostAlerts loadAlerts() throws ConfigException {
        String reader = Account.named(StrategyAccount.HEALTH_CHECKER).isPresent() ? StrategyAccount.HEALTH_CHECKER
                : System.getProperty("user.name");
        return HostAlerts.load(alertsFile, reader);
    }

    /** Prints the alert's lines once sent (its own retries bound it: ALERT_TIMEOUT x ALERT_RETRIES). */
    static void report(CompletableFuture<List<String>> alert, PrintWriter out) throws InterruptedException {
        try {
            alert.get().forEach(out::println);
        } catch (java.util.concurrent.ExecutionException e) {
            out.println("alert NOT sent: internal error " + e.getCause().getClass().getSimpleName());
        }
    }

    /** The names of OUTCOMES that did not reach their goal. */
    static List<String> failed(List<StrategyHalt.Outcome> outcomes) {
        return outcomes.stream().filter(o -> !o.done()).map(o -> o.name().value()).toList();
    }

    @Command(name = "halt", mixinStandardHelpOptions = true,
            description = {
                "The kill switch: halt strategy NAME, every member of GROUP, or --all. For each, the halt file "
                        + "/etc/strategies/NAME/halted is written; its runner runs STOP_COMMAND (cancel the orders, "
                        + "flatten), stops the strategy and stays up HALTED. The file keeps it stopped across "
                        + "restarts, reboots, health checks and upgrades, until quant-supervision resume.",
                "Waits for each runner, up to its stop deadline (STOP_COMMAND_TIMEOUT + STOP_TIMEOUT + 20 s, 30 s at "
                        + "least), one line per strategy as it halts. One alert on the host's channels "
                        + "(alerts.conf) says who halted what and why. Halting a halted strategy changes nothing: "
                        + "the first halt's reason stays.",
            })
    static final class Halt extends KillSwitchCommand {
        @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "",
                description = "Why, for the halt file, the alert, status and the health check (one line).")
        String reason;

        @Override
        String command() {
            return "halt";
        }

        @Override
        int act(StrategyHalt kill, List<StrategyName> names, String by, PrintWriter out, PrintWriter err)
                throws InterruptedException {
            if (reason.length() > MAX_REASON || reason.chars().anyMatch(Character::isISOControl)) {
                throw new ExitException(ExitCodes.USAGE, "halt: --reason: expected one line of at most " + MAX_REASON
                        + " characters, without control characters");
            }
            HaltMarker marker = new HaltMarker(by, Instant.now().truncatedTo(ChronoUnit.SECONDS), reason);
            List<StrategyName> written = new ArrayList<>();
            List<StrategyName> watched = new ArrayList<>();
            List<String> refused = new ArrayList<>();
            for (StrategyName n : names) {
                try {
                    Optional<HaltMarker> existing = kill.halt(n, marker);
                    if (existing.isPresent()) {
                        out.println(n + ": already halted " + existing.get().describe() + " (kept: halting again "
                                + "changes nothing)");
                    } else {
                        written.add(n);
                    }
                    watched.add(n);
                } catch (IOException e) {
                    err.println("quant-supervision: halt: " + n + ": " + e.getMessage());
                    refused.add(n.value());
                }
            }
            out.flush();
            CompletableFuture<List<String>> alert = written.isEmpty()
                    ? CompletableFuture.completedFuture(List.of("no alert sent: nothing newly halted"))
                    : alert(KillSwitchAlert.halted(HealthCommand.hostName(), by,
                            written.stream().map(StrategyName::value).toList(), reason, marker.at()));
            return finish(kill, watched, StrategyHalt.Goal.HALTED, alert, refused, "not halted", out, err);
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = {
                "Undo quant-supervision halt for strategy NAME, every member of GROUP, or --all: the halt file goes, "
                        + "and each runner starts its strategy at once.",
                "Waits for each to be RUNNING (up to START_GRACE + 30 s), one line per strategy; a strategy whose "
                        + "runner is not running is resumed but stays stopped until quant-supervision start NAME. One "
                        + "alert on the host's channels (alerts.conf) says who resumed what.",
            })
    static final class Resume extends KillSwitchCommand {
        @Override
        String command() {
            return "resume";
        }

        @Override
        int act(StrategyHalt kill, List<StrategyName> names, String by, PrintWriter out, PrintWriter err)
                throws InterruptedException {
            List<StrategyName> resumed = new ArrayList<>();
            List<String> refused = new ArrayList<>();
            for (StrategyName n : names) {
                try {
                    Optional<HaltMarker> removed = kill.resume(n);
                    if (removed.isPresent()) {
                        out.println(n + ": halt file removed (halted " + removed.get().describe() + ")");
                        resumed.add(n);
                    } else {
                        out.println(n + ": was not halted");
                    }
                } catch (IOException e) {
                    err.println("quant-supervision: resume: " + n + ": " + e.getMessage());
                    refused.add(n.value());
                }
            }
            out.flush();
            CompletableFuture<List<String>> alert = resumed.isEmpty()
                    ? CompletableFuture.completedFuture(List.of("no alert sent: nothing was halted"))
                    : alert(KillSwitchAlert.resumed(HealthCommand.hostName(), by,
                            resumed.stream().map(StrategyName::value).toList(), stillHalted(kill, err), Instant.now()));
            return finish(kill, resumed, StrategyHalt.Goal.RUNNING, alert, refused, "not running again", out, err);
        }

        /** The host's strategies still halted after this resume: the alert resolves only when none is. */
        private List<String> stillHalted(StrategyHalt kill, PrintWriter err) {
            List<String> halted = new ArrayList<>();
            for (StrategyName n : ConfiguredStrategies.all(paths.configDir, "resume", ExitCodes.FAILURE, err)) {
                if (HaltMarker.read(kill.haltFile(n)).isPresent()) {
                    halted.add(n.value());
                }
            }
            return halted;
        }
    }

    /**
     * Waits until each of NAMES reaches GOAL, a line each; then the alert's outcome; FAILURE naming
     * the strategies that did not (and REFUSED ones) as NOT_DONE.
     */
    int finish(StrategyHalt kill, List<StrategyName> names, StrategyHalt.Goal goal,
            CompletableFuture<List<String>> alert, List<String> refused, String notDone, PrintWriter out,
            PrintWriter err) throws InterruptedException {
        List<StrategyHalt.Outcome> outcomes = kill.await(names, goal, o -> {
            out.println(o.line());
            out.flush();
        });
        report(alert, out);
        List<String> late = new ArrayList<>(refused);
        late.addAll(failed(outcomes));
        if (!late.isEmpty()) {
            err.println("quant-supervision: " + command() + ": " + notDone + ": " + String.join(", ", late));
            return ExitCodes.FAILURE;
        }
        return ExitCodes.OK;
    }
}
