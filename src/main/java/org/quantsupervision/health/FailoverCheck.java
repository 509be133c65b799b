package org.quantsupervision.health;

import java.time.Duration;
import java.util.Optional;

import org.quantsupervision.config.FailoverConfig;
import org.quantsupervision.record.FailoverRole;
import org.quantsupervision.record.RunnerRecord;

/**
 * Failover mode (FAILOVER=yes), on every host, from this host's runner.json (no etcd credentials
 * needed): CRITICAL when no host is known to lead for longer than FAILOVER_TTL (nothing trades the
 * strategy: etcd without quorum, or no host can take it); WARNING when this host leads and no
 * other host campaigns (a failure of this host is not covered); OK otherwise.
 */
final class FailoverCheck implements Check {
    static final String NAME = "failover";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CheckResult run(CheckContext c) {
        FailoverConfig config = c.strategy().failover();
        Optional<RunnerRecord> runner = c.runner().filter(r -> r.runner().isAlive());
        Optional<FailoverRole> role = runner.flatMap(RunnerRecord::failover);
        if (role.isEmpty()) {
            return CheckResult.of(NAME, Status.OK, "no runner of this host campaigns (the process check says why)");
        }
        FailoverRole f = role.get();
        Metric others = Metric.of("failover_standbys", Math.max(f.others(), 0), "");
        Metric epoch = Metric.of("failover_epoch", (double) f.epoch(), "");
        if (!f.leaderKnown()) {
            Duration none = Duration.ofMillis(Math.max(0, c.now().toEpochMilli() - f.sinceMillis()));
            Status s = none.compareTo(config.ttl()) > 0 ? Status.CRITICAL : Status.WARNING;
            return CheckResult.of(NAME, s, "no host leads " + c.strategy().name() + " for " + none.toSeconds()
                    + " s (FAILOVER_TTL " + config.ttl().toSeconds() + " s): nothing trades it; "
                    + "is etcd reachable with a quorum? (systemctl status quant-strategy@" + c.strategy().name() + ")",
                    others, epoch);
        }
        if (f.isLeader() && f.others() == 0) {
            return CheckResult.of(NAME, Status.WARNING, "this host leads (epoch " + f.epoch()
                    + ") and no other host stands by: a failure here is not covered", others, epoch);
        }
        String who = f.isLeader() ? "this host leads (epoch " + f.epoch() + ")"
                : "standing by; " + f.leader() + " leads (epoch " + f.epoch() + ")";
        return CheckResult.of(NAME, Status.OK, who + ", " + (f.others() < 0 ? "?" : Integer.toString(f.others()))
                + " other host" + (f.others() == 1 ? "" : "s") + " campaigning", others, epoch);
    }
}
