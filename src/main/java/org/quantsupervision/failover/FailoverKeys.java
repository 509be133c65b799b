package org.quantsupervision.failover;

import org.quantsupervision.config.FailoverConfig;

/**
 * Where a strategy's election lives in etcd, under FAILOVER_ETCD_PREFIX (default
 * {@code /quant-supervision/}):
 * <pre>
 *   PREFIX strategies/NAME/leader          the holder's {@link HostRecord}, on its lease: whoever
 *                                          created it leads; its create revision is the epoch
 *   PREFIX strategies/NAME/members/HOST    every campaigning host's record, on its lease (a live standby)
 *   PREFIX strategies/NAME/handover        a planned switchover (`quant-supervision failover`), on a
 *                                          short lease of its own
 * </pre>
 * An etcd role per strategy may be limited to {@code PREFIX strategies/NAME/}: one strategy's
 * credentials then reach no other's election.
 */
public record FailoverKeys(String strategy) {
    public static FailoverKeys of(FailoverConfig config, String name) {
        return new FailoverKeys(config.prefix() + "strategies/" + name + "/");
    }

    /** Every strategy's keys: for `status --cluster`. */
    public static String allStrategies(FailoverConfig config) {
        return config.prefix() + "strategies/";
    }

    public String leader() {
        return strategy + "leader";
    }

    public String members() {
        return strategy + "members/";
    }

    public String member(String host) {
        return members() + host;
    }

    public String handover() {
        return strategy + "handover";
    }
}
