package org.quantsupervision.cli;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.quantsupervision.config.ConfigException;
import org.quantsupervision.config.FailoverConfig;
import org.quantsupervision.config.StrategyAccount;
import org.quantsupervision.config.StrategyConfig;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.etcd.EtcdClient;
import org.quantsupervision.etcd.EtcdException;
import org.quantsupervision.failover.EtcdAccess;
import org.quantsupervision.failover.Switchover;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code failover NAME [--to HOST]}: a planned switchover of a failover strategy
 * (failover/Switchover). Run as root it becomes the strategy's account first, whose etcd
 * credentials env.conf names, as its runner does.
 */
@Command(name = "failover", mixinStandardHelpOptions = true,
        description = {"Hand strategy NAME (FAILOVER=yes) over to another host now, without waiting for its lease: "
                + "the leader runs STOP_COMMAND, stops its strategy and gives the leader key up; HOST (or any other "
                + "standby) takes it at once. Prints how long the handover took."})
final class FailoverCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "The strategy, configured in /etc/strategies/NAME/env.conf.")
    String name;

    @Option(names = "--to", paramLabel = "HOST", description = "The host to take over (its FAILOVER_HOST); default: "
            + "whichever standby is first.")
    String to;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long to wait for another host to lead (default: ${DEFAULT-VALUE}).")
    int waitSeconds;

    @Mixin
    PathOptions paths;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        StrategyName strategy;
        try {
            strategy = new StrategyName(name);
        } catch (IllegalArgumentException e) {
            throw new ExitException(ExitCodes.USAGE, "failover: " + e.getMessage());
        }
        StrategyAccount account = StrategyAccount.of(strategy, paths.stateDir);
        String user = Admin.becomeStrategyAccount(account);
        FailoverConfig config;
        try {
            config = StrategyConfig.load(strategy, paths.configDir, user, account).failover();
        } catch (ConfigException e) {
            throw new ExitException(ExitCodes.CONFIG, e.getMessage());
        }
        if (!config.enabled()) {
            throw new ExitException(ExitCodes.CONFIG, "failover: " + name + " is not in failover mode (FAILOVER=yes in "
                    + paths.configDir.resolve(name).resolve("env.conf") + ")");
        }
        try (EtcdClient etcd = EtcdAccess.open(config)) {
            Switchover.Outcome o = new Switchover(etcd, config, name).run(Optional.ofNullable(to),
                    Duration.ofSeconds(waitSeconds));
            (o.done() ? spec.commandLine().getOut() : spec.commandLine().getErr()).println("failover: " + name + ": "
                    + o.text());
            return o.done() ? ExitCodes.OK : ExitCodes.FAILURE;
        } catch (EtcdException e) {
            throw new ExitException(e.retryable() ? ExitCodes.FAILURE : ExitCodes.CONFIG, "failover: etcd: "
                    + e.getMessage());
        }
    }
}
