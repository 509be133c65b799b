package org.quantsupervision.failover;

import java.time.Duration;
import java.util.Optional;

import org.quantsupervision.config.FailoverConfig;
import org.quantsupervision.etcd.EtcdClient;
import org.quantsupervision.etcd.EtcdException;
import org.quantsupervision.etcd.KeyValue;
import org.quantsupervision.etcd.Lease;

/**
 * A planned switchover of one strategy ({@code quant-supervision failover NAME [--to HOST]}): the
 * handover key, on a lease of its own ({@link Campaign#HANDOVER_TTL}), asks the leader to stop
 * its strategy as a deliberate stop (STOP_COMMAND first) and give the key up; the target (or any
 * other standby) takes it at once, without waiting for a TTL. Then this waits until another host
 * holds the key.
 */
public final class Switchover {
    /** How it went. */
    public record Outcome(boolean done, String text) {
    }

    private final EtcdClient etcd;
    private final FailoverKeys keys;

    public Switchover(EtcdClient etcd, FailoverConfig config, String name) {
        this.etcd = etcd;
        this.keys = FailoverKeys.of(config, name);
    }

    /** Hands the strategy over to TO (empty: any other host), waiting at most WAIT. */
    public Outcome run(Optional<String> to, Duration wait) throws EtcdException, InterruptedException {
        Optional<KeyValue> leader = etcd.get(keys.leader());
        if (leader.isEmpty()) {
            return new Outcome(false, "no host leads: nothing to hand over (a standby takes it by itself)");
        }
        HostRecord from = HostRecord.parse(leader.get().value());
        long epoch = leader.get().createRevision();
        if (to.isPresent() && to.get().equals(from.host())) {
            return new Outcome(true, to.get() + " leads already (epoch " + epoch + ")");
        }
        if (to.isPresent() && etcd.get(keys.member(to.get())).isEmpty()) {
            return new Outcome(false, to.get() + " is not standing by (no live member key "
                    + keys.member(to.get()) + "): start its runner first");
        }
        long started = System.nanoTime();
        Lease lease = etcd.grantLease(Campaign.HANDOVER_TTL);
        etcd.put(keys.handover(), new HostRecord(from.host(), "handover", System.currentTimeMillis(), to.orElse(""))
                .bytes(), lease.id());
        long deadline = started + wait.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                Optional<KeyValue> now = etcd.get(keys.leader());
                if (now.isPresent() && now.get().createRevision() != epoch) {
                    HostRecord h = HostRecord.parse(now.get().value());
                    long ms = (System.nanoTime() - started) / 1_000_000;
                    return new Outcome(true, "handed over from " + from.host() + " (epoch " + epoch + ") to " + h.host()
                            + " (epoch " + now.get().createRevision() + ") in " + ms + " ms");
                }
                Thread.sleep(50);
            }
        } finally {
            etcd.revoke(lease.id()); // the request goes, done or not: it must not hold a later election back
        }
        return new Outcome(false, "no other host took " + keys.leader() + " within " + wait.toSeconds() + " s ("
                + from.host() + " led, epoch " + epoch + "); the request was withdrawn");
    }
}
