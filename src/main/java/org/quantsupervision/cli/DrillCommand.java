package org.quantsupervision.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.quantsupervision.alert.AlertSender;
import org.quantsupervision.config.ConfigException;
import org.quantsupervision.config.FailoverConfig;
import org.quantsupervision.config.HealthConfig;
import org.quantsupervision.config.HostAlerts;
import org.quantsupervision.config.StrategyAccount;
import org.quantsupervision.config.StrategyConfig;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.drill.AlertDrill;
import org.quantsupervision.drill.DrillReport;
import org.quantsupervision.drill.FailoverDrill;
import org.quantsupervision.drill.ProcessDrills;
import org.quantsupervision.etcd.EtcdClient;
import org.quantsupervision.etcd.EtcdException;
import org.quantsupervision.failover.EtcdAccess;
import org.quantsupervision.failover.FailoverKeys;
import org.quantsupervision.failover.HostRecord;
import org.quantsupervision.health.StrategyHealth;
import org.quantsupervision.json.Json;
import org.quantsupervision.manager.StrategyOwnership;
import org.quantsupervision.process.ProcessIdentity;
import org.quantsupervision.record.FailoverRole;
import org.quantsupervision.record.RunnerPaths;
import org.quantsupervision.record.RunnerRecord;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drill NAME DRILL}: the article's recovery tests, run for real against the live strategy and timed. */
@Command(name = "drill", mixinStandardHelpOptions = true,
        description = {"Run a recovery drill on strategy NAME for real and time it: crash (kill -9 the strategy), "
                + "hang (SIGSTOP it), manager-crash (kill -9 its runner; systemd or supervisord starts a new one, "
                + "and the drill checks that two copies never run at once), failover (on the host that leads a "
                + "FAILOVER=yes strategy: kill -9 its runner and time until another host holds the leader key, checking "
                + "that this host's strategy ended first) or alert (a test alert through every "
                + "configured channel, with each HTTP result). A process drill ends when the strategy runs again "
                + "and every health check is OK, or fails at --timeout; it never leaves the strategy stopped.",
            "While the strategy runs and its market is open (MARKET_SESSIONS or MARKET_DAYS, MARKET_HOURS, MARKET_HOLIDAYS), "
                + "a drill is refused without --yes. It prints what it is about to do first."})
final class DrillCommand implements Callable<Integer> {
    static final List<String> DRILLS = List.of("crash", "hang", "manager-crash", "failover", "alert");

    /** For the help text and shell completion. */
    static final class Drills implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return DRILLS.iterator();
        }
    }

    @Parameters(index = "0", paramLabel = "NAME", description = "The strategy to drill.")
    String name;

    @Parameters(index = "1", paramLabel = "DRILL", completionCandidates = Drills.class,
            description = "${COMPLETION-CANDIDATES}")
    String drill;

    @Option(names = "--yes", description = "Drill even while the strategy is live in market hours.")
    boolean yes;

    @Option(names = "--timeout", paramLabel = "SPAN", defaultValue = "2min",
            description = "Give up waiting for recovery after SPAN (default: ${DEFAULT-VALUE}; a hang under systemd "
                    + "takes HEARTBEAT_MAX_AGE plus up to the unit's WatchdogSec=30s).")
    String timeout;

    @Option(names = "--json", description = "Print the report as one JSON object.")
    boolean json;

    @Mixin
    PathOptions paths;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        StrategyName strategy = ConfiguredStrategies.named(List.of(name), "drill", ExitCodes.USAGE).get(0);
        if (!DRILLS.contains(drill)) {
            throw new ExitException(ExitCodes.USAGE, "drill: unknown drill '" + drill + "'; expected one of "
                    + String.join(", ", DRILLS));
        }
        Duration limit;
        try {
            limit = HealthConfig.span(timeout);
        } catch (IllegalArgumentException e) {
            throw new ExitException(ExitCodes.USAGE, "drill: --timeout '" + timeout + "' " + e.getMessage());
        }
        Path envConf = paths.configDir.resolve(strategy.value()).resolve("env.conf");
        StrategyAccount account = StrategyAccount.of(strategy, paths.stateDir);
        // The alert drill goes the checker's way (its alerts.conf is the checker's to read); the
        // process drills signal the strategy, as its own account.
        boolean alert = drill.equals("alert");
        String owner = alert ? Admin.becomeHealthChecker() : Admin.becomeStrategyAccount(account);
        StrategyConfig config;
        HealthConfig health;
        try {
            config = StrategyConfig.load(strategy, paths.configDir, owner, account);
            health = HealthConfig.from(config, envConf, paths.logDir, paths.stateDir,
                    alert ? HostAlerts.load(HostAlerts.FILE, owner) : HostAlerts.NONE);
        } catch (ConfigException e) {
            throw new ExitException(ExitCodes.CONFIG, "drill: " + e.getMessage());
        }
        RunnerPaths runner = RunnerPaths.of(strategy, paths.runtimeDir, paths.stateDir, paths.logDir);
        Optional<RunnerRecord> before = RunnerRecord.readFrom(runner.statusFile()).filter(RunnerRecord::isRunning); // what a process drill disturbs
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter progress = json ? new PrintWriter(new StringWriter()) : out;
        String n = strategy.value();

        if (!drill.equals("alert") && before.isEmpty()) {
            throw new ExitException(ExitCodes.FAILURE, "drill: " + n + " is not running (no live runner with a RUNNING "
                    + "strategy in " + runner.statusFile() + "): start it first (quant-supervision status " + n + ")");
        }
        if (before.isPresent()) {
            // runner.json is the strategy account's to write: never signal a pid it names unchecked.
            RunnerRecord s = before.get();
            ProcessIdentity runnerProcess = s.runner();
            Optional<String> foreign = StrategyOwnership.runnerProblem(n, runnerProcess)
                    .or(() -> StrategyOwnership.strategyProblem(runnerProcess,
                            s.strategy()));
            if (foreign.isPresent()) {
                throw new ExitException(ExitCodes.FAILURE, "drill: refused: " + runner.statusFile() + " names "
                        + "processes that are not " + n + "'s: " + foreign.get());
            }
        }
        progress.println("drill " + drill + " on " + n + before.map(s -> " (" + managerText(s) + ")").orElse("")
                + ": " + plan(before, config.heartbeatMaxAge(), limit));
        progress.flush();
        if (before.isPresent() && health.market().isOpen(Instant.now()) && !yes) {
            throw new ExitException(ExitCodes.REFUSED, "drill: " + n + " is live and its market is open "
                    + "(MARKET_SESSIONS or MARKET_DAYS, MARKET_HOURS in " + envConf + "): add --yes to drill it anyway");
        }

        DrillReport.StepListener listener = step -> {
            progress.printf("  %7s  %-17s %s%n", step.millis() < 0 ? "" : step.millis() + " ms", step.event(),
                    step.detail());
            progress.flush();
        };
        DrillReport report;
        Thread main = Thread.currentThread();
        try (AutoCloseable handlers = Signals.onStop(signal -> main.interrupt())) {
            if (drill.equals("alert")) {
                report = new AlertDrill(new AlertSender(AlertSender.client(health.alerts().timeout()),
                        health.alerts().timeout()), listener)
                        .run(HealthCommand.hostName(), n, before.map(s -> s.manager().kind()).orElse("none"),
                                health.alerts());
            } else {
                StrategyHealth checker = new StrategyHealth(paths.configDir, paths.runtimeDir, paths.stateDir,
                        paths.logDir, paths.healthDir, owner, HostAlerts.NONE, HealthCommand.hostName(), StrategyHealth.NO_ALERTS, false);
                ProcessDrills drills = new ProcessDrills(runner.statusFile(), () -> checker.check(strategy), limit,
                        listener);
                report = switch (drill) {
                    case "crash" -> drills.crash(before.get());
                    case "hang" -> drills.hang(before.get(), config.heartbeatMaxAge());
                    case "failover" -> failover(config, before.get(), limit, listener);
                    default -> drills.managerCrash(before.get());
                };
            }
        } catch (InterruptedException e) {
            throw new ExitException(ExitCodes.FAILURE, "drill: interrupted (a stopped strategy was sent SIGCONT)");
        }
        if (json) {
            out.println(toJson(report));
        } else {
            out.println((report.passed() ? "PASS" : "FAIL") + " drill " + drill + " " + n + ": " + report.verdict());
        }
        return report.passed() ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    /** drill failover: on the leading host only, with NAME's own etcd settings. */
    private DrillReport failover(StrategyConfig config, RunnerRecord before, Duration limit,
            DrillReport.StepListener listener) throws InterruptedException {
        FailoverConfig f = config.failover();
        if (!f.enabled()) {
            throw new ExitException(ExitCodes.CONFIG, "drill: " + name + " is not in failover mode (FAILOVER=yes)");
        }
        FailoverRole role = before.failover().filter(FailoverRole::isLeader).orElseThrow(() -> new ExitException(
                ExitCodes.FAILURE, "drill: this host does not lead " + name + ": run the drill on the leader ("
                        + before.failover().map(FailoverRole::leader).orElse("?") + ")"));
        try (EtcdClient etcd = EtcdAccess.open(f)) {
            FailoverKeys keys = FailoverKeys.of(f, name);
            FailoverDrill.LeaderProbe probe = () -> etcd.get(keys.leader()).map(kv ->
                    new FailoverDrill.Leadership(HostRecord.parse(kv.value()).host(), kv.createRevision()));
            return new FailoverDrill(probe, limit, listener).run(before, f.host(), role.epoch());
        } catch (EtcdException e) {
            throw new ExitException(ExitCodes.FAILURE, "drill: etcd: " + e.getMessage());
        }
    }

    private String plan(Optional<RunnerRecord> before, Duration heartbeatMaxAge, Duration limit) {
        String wait = "then wait up to " + limit.toSeconds() + " s for a new process, RUNNING and every health check OK";
        return switch (drill) {
            case "crash" -> "kill -9 of strategy pid " + before.get().childPid() + "; " + wait;
            case "hang" -> "SIGSTOP of strategy pid " + before.get().childPid() + " (hung after HEARTBEAT_MAX_AGE="
                    + heartbeatMaxAge.toSeconds() + " s); " + wait + " (SIGCONT if it is not replaced)";
            case "manager-crash" -> "kill -9 of runner pid " + before.get().runnerPid() + "; " + wait
                    + ", checking that two copies never run";
            case "failover" -> "kill -9 of runner pid " + before.get().runnerPid() + " (this host leads); then wait up to "
                    + limit.toSeconds() + " s for another host to take the leader key, checking this host's strategy "
                    + "ended first";
            default -> "a test alert (WARNING, check 'drill') through every configured channel";
        };
    }

    private static String managerText(RunnerRecord s) {
        return switch (s.manager().kind()) {
            case "systemd" -> "systemd " + s.manager().unit();
            case "supervisord" -> "supervisord " + s.manager().supervisorProcess();
            default -> "runner started by hand";
        };
    }

    private static String toJson(DrillReport report) {
        return Json.text(g -> {
            g.writeStartObject();
            g.writeStringProperty("drill", report.drill());
            g.writeStringProperty("strategy", report.strategy());
            g.writeStringProperty("manager", report.manager());
            g.writeBooleanProperty("passed", report.passed());
            g.writeStringProperty("verdict", report.verdict());
            g.writeArrayPropertyStart("steps");
            for (DrillReport.Step step : report.steps()) {
                g.writeStartObject();
                g.writeStringProperty("event", step.event());
                g.writeNumberProperty("ms", step.millis());
                g.writeStringProperty("detail", step.detail());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }
}
