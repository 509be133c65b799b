package org.quantsupervision.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.util.concurrent.Callable;

import org.quantsupervision.config.FailoverConfig;
import org.quantsupervision.etcd.EtcdClient;
import org.quantsupervision.etcd.EtcdException;
import org.quantsupervision.failover.Campaign;
import org.quantsupervision.failover.EtcdAccess;
import org.quantsupervision.failover.MonitorLink;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code campaign NAME}: the monitor's campaigner in failover mode (src/main/c/monitor/failover.h):
 * campaigns for NAME's leader key in etcd and tells the monitor, on standard output, when this
 * host may run the strategy; the monitor's answers come on standard input. Not for people:
 * hidden from help. Its own lines go to standard error (the runner's log).
 */
@Command(name = "campaign", hidden = true, mixinStandardHelpOptions = true,
        description = "Campaign for strategy NAME's leader key in etcd, for its monitor (internal).")
final class CampaignCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAME", description = "The strategy, configured in /etc/strategies/NAME/env.conf.")
    String name;

    @Mixin
    PathOptions paths;

    @Override
    public Integer call() throws Exception {
        FailoverConfig config = StrategyRun.load(name, paths).config().failover();
        if (!config.enabled()) {
            throw new ExitException(ExitCodes.CONFIG, "campaign: " + name + " is not in failover mode (FAILOVER=yes)");
        }
        try (EtcdClient etcd = EtcdAccess.open(config)) {
            Campaign campaign = new Campaign(etcd, config, name, System.err, System::nanoTime);
            campaign.attach(new MonitorLink(System.in, new FileOutputStream(FileDescriptor.out), campaign::word));
            campaign.run();
        } catch (EtcdException e) {
            // bad TLS material, refused credentials: the monitor starts another after its back-off
            throw new ExitException(ExitCodes.CONFIG, "campaign: " + e.getMessage());
        }
        return ExitCodes.OK;
    }
}
