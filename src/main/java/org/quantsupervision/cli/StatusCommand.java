package org.quantsupervision.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import org.quantsupervision.config.ConfigException;
import org.quantsupervision.config.FailoverConfig;
import org.quantsupervision.config.HealthConfig;
import org.quantsupervision.config.StrategyAccount;
import org.quantsupervision.config.StrategyConfig;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.etcd.EtcdClient;
import org.quantsupervision.etcd.EtcdException;
import org.quantsupervision.failover.ClusterView;
import org.quantsupervision.failover.EtcdAccess;
import org.quantsupervision.record.FailoverRole;
import org.quantsupervision.record.RunnerRecord;
import org.quantsupervision.record.RunnerState;
import org.quantsupervision.status.HostStatus;
import org.quantsupervision.status.StatusCollector;
import org.quantsupervision.status.StatusJson;
import org.quantsupervision.status.StatusTable;
import org.quantsupervision.status.StrategyStatus;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code status}: the dashboard of every layer at a glance (the article's status.sh, from the sources). */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show every strategy across systemd, supervisord, the runner and the health checker: "
                + "manager state, runner and strategy pids, uptime, restarts, last exit, memory and CPU of the "
                + "strategy's processes, the latest health results and recent events.")
final class StatusCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Strategies to show (default: all configured).")
    List<String> names = List.of();

    @Option(names = "--json", description = "One JSON document, for tools.")
    boolean json;

    @Option(names = "--cluster", description = "Failover strategies (FAILOVER=yes) as etcd sees them: every host's "
            + "role, the leader and its epoch.")
    boolean cluster;

    @Option(names = "--watch", paramLabel = "SPAN", arity = "0..1", fallbackValue = "2s",
            description = "Redraw every SPAN (default 2s) until interrupted.")
    String watch;

    @Mixin
    PathOptions paths;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Duration every = null;
        if (watch != null) {
            try {
                every = HealthConfig.span(watch);
            } catch (IllegalArgumentException e) {
                throw new ExitException(ExitCodes.USAGE, "status: --watch '" + watch + "' " + e.getMessage());
            }
        }
        if (cluster) {
            return cluster(out, err);
        }
        StatusCollector collector = new StatusCollector(paths.configDir, paths.runtimeDir, paths.stateDir, paths.logDir, paths.healthDir);
        // Colour only for a person at a terminal, and never when NO_COLOR is set (no-color.org).
        // isTerminal() decides; the null check stays: the image links no jdk.internal.le, and there
        // console() is null off a terminal.
        @SuppressWarnings("SystemConsoleNull")
        boolean colour = System.console() != null && System.console().isTerminal() && System.getenv("NO_COLOR") == null
                && !"dumb".equals(System.getenv("TERM"));
        while (true) {
            List<StrategyName> strategies = names.isEmpty()
                    ? ConfiguredStrategies.all(paths.configDir, "status", ExitCodes.FAILURE, err)
                    : ConfiguredStrategies.named(names, "status", ExitCodes.USAGE);
            HostStatus host = collector.collect(strategies);
            if (every != null && colour) {
                out.print("\u001b[H\u001b[2J"); // clear the screen between frames
            }
            out.print(json ? StatusJson.format(host) : new StatusTable(colour).format(host, Instant.now()));
            out.flush();
            if (every == null) {
                return host.strategies().stream().allMatch(StatusCommand::running) ? ExitCodes.OK : ExitCodes.FAILURE;
            }
            Thread.sleep(every);
        }
    }

    /** A strategy doing its job: running, or standing by while another host leads (failover). */
    private static boolean running(StrategyStatus s) {
        boolean running = s.strategyAlive() && s.runner().map(r -> r.state() == RunnerState.RUNNING).orElse(false);
        boolean standingBy = s.runnerAlive() && s.runner().filter(r -> r.state() == RunnerState.STANDBY)
                .flatMap(RunnerRecord::failover).map(FailoverRole::leaderKnown).orElse(false);
        return running || standingBy;
    }

    /** --cluster: each failover strategy's keys, read with its own etcd settings; 0 when every one has a leader. */
    private int cluster(PrintWriter out, PrintWriter err) {
        List<StrategyName> strategies = names.isEmpty()
                ? ConfiguredStrategies.all(paths.configDir, "status", ExitCodes.FAILURE, err)
                : ConfiguredStrategies.named(names, "status", ExitCodes.USAGE);
        boolean allLed = true;
        int shown = 0;
        for (StrategyName n : strategies) {
            FailoverConfig config;
            try {
                config = StrategyConfig.load(n, paths.configDir, System.getProperty("user.name"),
                        StrategyAccount.of(n, paths.stateDir)).failover();
            } catch (ConfigException e) {
                err.println("status: " + e.getMessage());
                allLed = false;
                continue;
            }
            if (!config.enabled()) {
                continue;
            }
            shown++;
            try (EtcdClient etcd = EtcdAccess.open(config)) {
                ClusterView v = ClusterView.read(etcd, config, n.value());
                out.println(v.line());
                allLed &= v.leader().isPresent();
            } catch (EtcdException e) {
                out.println(n.value() + "  etcd: " + e.getMessage());
                allLed = false;
            }
        }
        if (shown == 0) {
            out.println("no strategy is in failover mode (FAILOVER=yes)");
        }
        out.flush();
        return allLed ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
