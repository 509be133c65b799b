package org.quantsupervision.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import org.quantsupervision.alert.AlertSender;
import org.quantsupervision.health.HealthRun;
import org.quantsupervision.health.HumanReport;
import org.quantsupervision.health.JsonReport;
import org.quantsupervision.health.NagiosReport;
import org.quantsupervision.health.PrometheusTextfile;
import org.quantsupervision.health.ResidentChecker;
import org.quantsupervision.health.Status;
import org.quantsupervision.health.StrategyHealth;
import org.quantsupervision.health.StrategyReport;
import org.quantsupervision.config.ConfigException;
import org.quantsupervision.config.HostAlerts;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.notify.Notifier;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code health NAME... | --all}: quant-supervision-health.service runs it resident ({@code
 * --interval 30s}); cron, Nagios and people run it once.
 */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = {
            "Check the health of strategies: process, data freshness (market hours), API, memory, error rate, "
                    + "disk, runner give-ups, Nagios plugins (CHECK_*) and state-file rules (RULE_*), all "
                    + "configured in env.conf. A check CRITICAL for HEALTH_FAILURES runs in a row raises one alert "
                    + "(Slack, PagerDuty, webhook) and has the strategy's runner replace it; "
                    + "the alert is resolved when the check recovers. State: /var/lib/quant-supervision-health/NAME/health.json.",
        })
final class HealthCommand implements Callable<Integer> {

    @ArgGroup(multiplicity = "1")
    Selection selection;

    static final class Selection {
        @Parameters(paramLabel = "NAME", arity = "1..*", description = "Strategies to check.")
        List<String> names;

        @Option(names = "--all", required = true, description = "Check every strategy under the config dir.")
        boolean all;
    }

    enum Format { human, json, nagios }

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "human",
            description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--prometheus-dir", paramLabel = "DIR",
            description = "Also write DIR/quant-supervision-NAME.prom for node_exporter's textfile collector.")
    Path prometheusDir;

    @Option(names = "--interval", paramLabel = "SPAN",
            description = "Keep running: check every SPAN (e.g. 30s), printing only changes; SIGHUP checks at once, "
                    + "SIGTERM stops it after the round in progress. Under systemd it reports READY=1 once the first "
                    + "round is done, and STATUS= and WATCHDOG=1 after each.")
    String interval;

    @Option(names = "--alerts-file", paramLabel = "FILE", defaultValue = HostAlerts.PATH,
            description = "The host's alert channels, for every strategy (default: ${DEFAULT-VALUE}; read for every round).")
    Path alertsFile;

    @Option(names = "--no-act", description = "Only look: no alerts, no restarts, no state written.")
    boolean noAct;

    @Option(names = "--deadline", paramLabel = "SPAN", defaultValue = "60s",
            description = "A strategy whose check takes longer is reported UNKNOWN, saying where it was; the "
                    + "others are not held up (default: ${DEFAULT-VALUE}; a round never takes more than 100s).")
    String deadline;

    enum ExitStatus { nagios, service }

    @Option(names = "--exit-status", paramLabel = "MODE", defaultValue = "nagios",
            description = "nagios: the worst strategy's status (0-3); service: 0 whatever the results (they are "
                    + "in the output), so that a non-zero status means the checker itself failed: "
                    + "3 out of memory, 70 internal error (default: ${DEFAULT-VALUE}).")
    ExitStatus exitStatus;

    @Mixin
    PathOptions paths;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Duration every = null;
        if (interval != null) {
            try {
                every = org.quantsupervision.config.HealthConfig.span(interval);
            } catch (IllegalArgumentException e) {
                throw new ExitException(ExitCodes.UNKNOWN, "health: --interval '" + interval + "' " + e.getMessage());
            }
            if (every.isZero()) {
                throw new ExitException(ExitCodes.UNKNOWN, "health: --interval must be more than 0");
            }
        }
        Duration perStrategy;
        try {
            perStrategy = org.quantsupervision.config.HealthConfig.span(deadline);
        } catch (IllegalArgumentException e) {
            throw new ExitException(ExitCodes.UNKNOWN, "health: --deadline '" + deadline + "' " + e.getMessage());
        }
        if (perStrategy.isZero()) {
            throw new ExitException(ExitCodes.UNKNOWN, "health: --deadline must be more than 0");
        }
        String host = hostName();
        // Its state readable by the group quant-health (operators' status), whoever ran it: the
        // unit says UMask=0027, root's shell usually 022.
        org.quantsupervision.identity.FileCreationMask.set(0027);
        String checker = Admin.becomeHealthChecker();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // A look without consequences sends nothing: an operator's --no-act needs no alerts.conf.
        AlertsFile alerts = new AlertsFile(noAct ? null : alertsFile, checker, err);
        // The host's channels are set before each round (round() below), from alerts.conf as it is then.
        StrategyHealth strategies = new StrategyHealth(paths.configDir, paths.runtimeDir, paths.stateDir,
                paths.logDir, paths.healthDir, checker, HostAlerts.NONE, host, new AlertClient(), !noAct);
        HealthRun health = new HealthRun(strategies, HealthRun.PARALLEL, perStrategy, HealthRun.BUDGET);
        if (every == null) {
            List<StrategyReport> reports = round(health, strategies, alerts, err);
            print(out, host, reports);
            Status worst = reports.stream().map(StrategyReport::status).reduce(Status.OK, Status::worse);
            // Under the unit, results are the output's and the alerts' business: a status of 3
            // there is the JVM's own for -XX:+ExitOnOutOfMemoryError, which must fail the unit.
            return exitStatus == ExitStatus.service ? ExitCodes.OK : worst.code();
        }
        ResidentChecker resident = new ResidentChecker(every, Notifier.fromEnvironment(System.getenv()),
                () -> round(health, strategies, alerts, err), changed -> print(out, host, changed));
        Signals.onStop(resident::requestStop);
        Signals.onReload(resident::requestRound);
        resident.run();
        return ExitCodes.OK;
    }

    /** One round: the host's alert channels read again, every strategy checked, the Prometheus files written. */
    private List<StrategyReport> round(HealthRun health, StrategyHealth strategies, AlertsFile alerts, PrintWriter err) {
        strategies.hostAlerts(alerts.read());
        List<StrategyReport> reports = health.check(names(err));
        for (StrategyReport report : reports) {
            if (prometheusDir != null) {
                try {
                    PrometheusTextfile.write(prometheusDir, report);
                } catch (IOException e) {
                    err.println("quant-supervision: health: cannot write the Prometheus file in " + prometheusDir
                            + ": " + e.getMessage());
                }
            }
        }
        err.flush();
        return reports;
    }

    private void print(PrintWriter out, String host, List<StrategyReport> reports) {
        out.print(switch (format) {
            case human -> HumanReport.format(reports);
            case json -> JsonReport.format(host, reports);
            case nagios -> NagiosReport.format(reports);
        });
        out.flush();
    }

    /** The strategies to check: as named, or every directory of the config dir with an env.conf. */
    private List<StrategyName> names(PrintWriter err) {
        return selection.all ? ConfiguredStrategies.all(paths.configDir, "health", ExitCodes.UNKNOWN, err)
                : ConfiguredStrategies.named(selection.names, "health", ExitCodes.UNKNOWN);
    }

    /**
     * The host's alert channels, read again for every round: a resident checker picks up an edited
     * alerts.conf without a restart, for the price of reading a file of a few lines (env.conf
     * files, read every round too, are only stat'ed unless they changed). A file that cannot be
     * used leaves each strategy the channels of its own env.conf; the problem is reported when it
     * appears or changes, and its end too, not every round.
     */
    private static final class AlertsFile {
        /** Null for a look without consequences (--no-act): no channels. */
        private final Path file;
        private final String user;
        private final PrintWriter err;
        /** The problem last reported; null while the file is usable. */
        private String problem;

        AlertsFile(Path file, String user, PrintWriter err) {
            this.file = file;
            this.user = user;
            this.err = err;
        }

        HostAlerts read() {
            if (file == null) {
                return HostAlerts.NONE;
            }
            try {
                HostAlerts alerts = HostAlerts.load(file, user);
                if (problem != null) {
                    err.println("health: " + file + " is usable again: its alert channels apply from this round");
                    problem = null;
                }
                return alerts;
            } catch (ConfigException e) {
                // Checks and restarts still run: one bad line must not blind the checker for every strategy.
                if (!e.getMessage().equals(problem)) {
                    err.println("health: " + e.getMessage() + "; alerts go only to channels set in each env.conf "
                            + "until it is fixed");
                    problem = e.getMessage();
                }
                return HostAlerts.NONE;
            }
        }
    }

    /**
     * The alerts' HTTP client, built when the first alert is sent (most runs send none) and then
     * kept for the life of the process (--interval reuses its connections and threads).
     */
    private static final class AlertClient implements java.util.function.Supplier<java.net.http.HttpClient> {
        private java.net.http.HttpClient client;

        @Override
        public synchronized java.net.http.HttpClient get() {
            if (client == null) {
                client = AlertSender.client(Duration.ofSeconds(5));
            }
            return client;
        }
    }

    /** The kernel's host name (no DNS lookup, which can hang when the resolver is down). */
    static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
