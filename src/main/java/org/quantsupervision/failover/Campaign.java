package org.quantsupervision.failover;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.quantsupervision.config.FailoverConfig;
import org.quantsupervision.etcd.CreateResult;
import org.quantsupervision.etcd.EtcdClient;
import org.quantsupervision.etcd.EtcdException;
import org.quantsupervision.etcd.KeyValue;
import org.quantsupervision.etcd.Lease;
import org.quantsupervision.etcd.Listing;
import org.quantsupervision.etcd.Watch;
import org.quantsupervision.etcd.WatchEnd;
import org.quantsupervision.etcd.WatchEvent;
import org.quantsupervision.etcd.WatchListener;

/**
 * One host's campaign for one strategy's leader key: {@code quant-supervision campaign NAME},
 * run by the monitor in failover mode. Every decision of the election is made here, on one
 * thread, from one inbox (the monitor's words, the watch's events, the clock):
 * <ul>
 * <li><b>Candidate.</b> Holds a lease of its own (kept alive every RENEW, with its member key
 * on it) and creates the leader key on it when the key is absent (a transaction on its create
 * revision: etcd decides who wins). It learns of the key's end from its watch at once, and from a
 * read every RENEW should the watch be broken. A handover to another host keeps it back.
 * <li><b>Leader.</b> Renews the lease every RENEW; each renewal answered, sent at t, tells the
 * monitor "leader EPOCH deadBy": deadBy = t + TTL x 0.99 - FENCE_MARGIN ({@link FailoverConfig}
 * has the inequality). The next renewal waits for the monitor's "ack": a monitor that is stopped
 * lets the lease lapse, so a standby takes over, and its fence guard kills the strategy first.
 * A renewal that fails is tried again at once, then every RENEW; the monitor fences at deadBy on
 * its own. A lease found gone, or the key deleted or recreated by someone else, is "standby":
 * the monitor fences at once.
 * <li><b>After a fence</b> the lease is revoked (best effort) and a new one is granted: a host
 * whose strategy was fenced leads again only by winning a new election, with a new epoch.
 * </ul>
 * The epoch is the leader key's create revision: etcd's revision only grows, so every new term
 * has a larger one (the fencing token).
 */
public final class Campaign {
    /** The inbox's contents. */
    private sealed interface Signal permits Word, Change, WatchEnded {
    }

    private record Word(String word) implements Signal {
    }

    private record Change(WatchEvent event) implements Signal {
    }

    private record WatchEnded(WatchEnd end) implements Signal {
    }

    private enum Role { CANDIDATE, LEADER, WITHDRAWN }

    /** A handover key lives this long (its own lease): a target that never comes does not block. */
    public static final Duration HANDOVER_TTL = Duration.ofSeconds(30);

    private final EtcdClient etcd;
    private final FailoverConfig config;
    private final FailoverKeys keys;
    private final String host;
    private final PrintStream log;
    private final LongSupplier nanos;
    private final BlockingQueue<Signal> inbox = new LinkedBlockingQueue<>();
    private MonitorLink monitor;

    private Role role = Role.CANDIDATE;
    private long lease;              // 0: none
    private long leaseConfirmedAt;   // nanos: the send time of its grant or last answered renewal
    private Duration leaseTtl = Duration.ZERO;
    private long epoch;
    private boolean acked = true;
    private boolean pinged;          // a ping is out, its pong not in
    private boolean ponged;
    private long nextRenewal;        // nanos
    private int renewalFailures;
    private Watch watch;
    private long seenRevision;       // the etcd revision our view of the keys is from
    private long watchAgainAt;       // nanos: a broken watch is made again from then
    private Optional<HostRecord> handover = Optional.empty();
    private long handoverRevision;
    private boolean campaignNow;
    private String toldLeader = "";
    private long toldEpoch = -1;
    private String lastNote = "";
    /** The hosts with a live member key (their lease), this one included; -1 told: none yet. */
    private final Set<String> members = new TreeSet<>();
    private int toldOthers = -1;

    public Campaign(EtcdClient etcd, FailoverConfig config, String name, PrintStream log, LongSupplier nanos) {
        this.etcd = etcd;
        this.config = config;
        this.keys = FailoverKeys.of(config, name);
        this.host = config.host();
        this.log = log;
        this.nanos = nanos;
    }

    /** The monitor's words go to the inbox; the link is made by the caller with {@link #word}. */
    public void attach(MonitorLink link) {
        this.monitor = link;
    }

    /** A word from the monitor (MonitorLink's reader thread). */
    public void word(String w) {
        inbox.add(new Word(w));
    }

    /** Runs until the monitor's input ends (see {@link #finish()}). */
    public void run() throws InterruptedException {
        for (;;) {
            long wait = step();
            Signal s = wait <= 0 ? inbox.poll() : inbox.poll(wait, TimeUnit.NANOSECONDS);
            while (s != null) {
                if (!handle(s)) {
                    finish();
                    return;
                }
                s = inbox.poll();
            }
        }
    }

    /** What is due now; returns how long the next step may wait (nanoseconds). */
    private long step() {
        if (role == Role.WITHDRAWN) {
            return TimeUnit.SECONDS.toNanos(60);
        }
        long now = nanos.getAsLong();
        try {
            if (lease == 0) {
                long sent = nanos.getAsLong();
                Lease granted = etcd.grantLease(config.ttl());
                lease = granted.id();
                nextRenewal = sent + config.renew().toNanos();
                confirmed(sent, granted.ttl());
                putMember();
                readMembers(); // before the watch: it starts from this read's revision
                ensureWatch();
                if (role == Role.CANDIDATE) {
                    campaign();
                }
            } else if (role == Role.CANDIDATE && campaignNow && acked) { // (an ack wakes this loop)
                campaignNow = false;
                campaign();
            } else if (role == Role.LEADER && acked && now >= nextRenewal && ponged) {
                renewAsLeader();
            } else if (role == Role.LEADER && acked && now >= nextRenewal && !pinged) {
                // first the monitor's word that it runs: a renewal for a stopped monitor would keep a
                // strategy nobody supervises leading for a whole TTL more
                pinged = true;
                monitor.ping();
            } else if (role == Role.CANDIDATE && now >= nextRenewal) {
                renewAsCandidate();
            }
            ensureWatch(); // again after a broken one (or made above already: then nothing)
            renewalFailures = 0;
            note("");
        } catch (EtcdException e) {
            if (e.kind() == EtcdException.Kind.LEASE_GONE) {
                lease = 0; // lapsed (or revoked by someone): a new one next step
            }
            renewalFailures++;
            note("etcd: " + e.getMessage());
            // a failed renewal is tried again at once, then every RENEW (the monitor fences on its own)
            nextRenewal = renewalFailures == 1 ? now : now + config.renew().toNanos();
            if (renewalFailures > 1) {
                return config.renew().toNanos();
            }
            return 0;
        }
        if (role == Role.LEADER && (!acked || (pinged && !ponged))) {
            return config.renew().toNanos(); // waiting for the monitor, however long: its answer wakes the loop
        }
        return Math.max(TimeUnit.MILLISECONDS.toNanos(1), nextRenewal - nanos.getAsLong());
    }

    /** One renewal of our lease, the next due a RENEW after it; whether the lease still lives. */
    private boolean renew() throws EtcdException {
        long sent = nanos.getAsLong();
        nextRenewal = sent + config.renew().toNanos();
        Optional<Duration> ttl = etcd.keepAlive(lease);
        ttl.ifPresent(t -> confirmed(sent, t));
        return ttl.isPresent();
    }

    /** etcd answered a grant or renewal sent at SENT with TTL: the lease lives at least that long from SENT. */
    private void confirmed(long sent, Duration ttl) {
        leaseConfirmedAt = sent;
        leaseTtl = shorter(ttl);
    }

    private void renewAsLeader() throws EtcdException {
        pinged = ponged = false;
        if (!renew()) {
            lost("the lease is gone (it expired before a renewal was answered)");
            return;
        }
        acked = false;
        monitor.leader(epoch, deadBy(), host);
    }

    private void renewAsCandidate() throws EtcdException {
        if (!renew()) {
            lease = 0; // a new one next step
            return;
        }
        // the watch may be broken without our knowing: look, once a RENEW
        Optional<KeyValue> holder = etcd.get(keys.leader());
        if (holder.isEmpty()) {
            campaign();
        } else {
            standby(holder.get());
        }
    }

    /** The strategy must be dead by then unless a later renewal is answered. */
    private long deadBy() {
        return leaseConfirmedAt + (long) (leaseTtl.toNanos() * (1 - FailoverConfig.CLOCK_DRIFT))
                - FailoverConfig.FENCE_MARGIN.toNanos();
    }

    /** The TTL to count on: ours, or etcd's when it says less (it raises a short one, never lowers). */
    private Duration shorter(Duration etcdSays) {
        return etcdSays.compareTo(config.ttl()) < 0 ? etcdSays : config.ttl();
    }

    /** Creates the leader key on our lease if nobody holds it and no handover keeps us back. */
    private void campaign() throws EtcdException {
        // not while the monitor has not answered our last line: a stopped monitor cannot run what
        // we would win (the next renewal would wait for it, and the lease lapse a TTL later)
        if (role != Role.CANDIDATE || lease == 0 || deferring() || !acked) {
            return;
        }
        HostRecord me = new HostRecord(host, "leader", System.currentTimeMillis(), "");
        CreateResult r;
        try {
            r = etcd.createIfAbsent(keys.leader(), me.bytes(), lease);
        } catch (EtcdException e) {
            if (e.kind() == EtcdException.Kind.LEASE_GONE) {
                lease = 0; // it lapsed while we could not renew it: a new one, then stand
                campaignNow = true;
                return;
            }
            throw e;
        }
        if (!r.created()) {
            standby(r.holder());
            return;
        }
        role = Role.LEADER;
        epoch = r.holder().createRevision();
        log.println("campaign: " + host + " leads, epoch " + epoch);
        if (handover.isPresent() && handover.get().to().equals(host)) {
            etcd.deleteIf(keys.handover(), handoverRevision); // done: it must not hold a later election back
            handover = Optional.empty();
        }
        putMember();
        // a fresh renewal, so the first deadline is a whole TTL away, not what is left of our candidacy's
        renewAsLeader();
    }

    /** Whether a planned switchover to another host holds us back. */
    private boolean deferring() {
        if (handover.isEmpty()) {
            return false;
        }
        HostRecord h = handover.get();
        return h.to().isEmpty() ? h.host().equals(host) : !h.to().equals(host);
    }

    private void standby(KeyValue holder) {
        HostRecord h = HostRecord.parse(holder.value());
        if (!h.host().equals(toldLeader) || holder.createRevision() != toldEpoch) {
            toldLeader = h.host();
            toldEpoch = holder.createRevision();
            acked = false;
            monitor.standby(holder.createRevision(), h.host());
        }
        seenRevision = Math.max(seenRevision, holder.modRevision());
    }

    /** The key is no longer ours (WHY): the monitor fences at once, and we stand again with a new lease. */
    private void lost(String why) {
        log.println("campaign: lost the lead (epoch " + epoch + "): " + why);
        role = Role.CANDIDATE;
        toldLeader = "";
        toldEpoch = -1;
        acked = false; // the monitor's answer to this line says it can act on what comes next
        monitor.standby(0, "-");
        revokeQuietly();
    }

    private void revokeQuietly() {
        if (lease != 0) {
            try {
                etcd.revoke(lease); // the leader key and our member key go with it
            } catch (EtcdException e) {
                log.println("campaign: could not revoke lease (it lapses instead): " + e.getMessage());
            }
        }
        lease = 0;
    }

    /** Gives the leader key up if it is still ours (its create revision is our epoch). */
    private void resign() {
        if (role == Role.LEADER) {
            try {
                etcd.deleteIf(keys.leader(), epoch);
            } catch (EtcdException e) {
                log.println("campaign: could not delete the leader key (it lapses with the lease): " + e.getMessage());
            }
        }
        role = Role.CANDIDATE;
    }

    private void putMember() throws EtcdException {
        if (lease != 0) {
            String r = role == Role.LEADER ? "leader" : "standby";
            etcd.put(keys.member(host), new HostRecord(host, r, System.currentTimeMillis(), "").bytes(), lease);
        }
    }

    /** The live members now, and the revision to watch from (nothing missed after it). */
    private void readMembers() throws EtcdException {
        Listing l = etcd.getPrefix(keys.members());
        members.clear();
        l.keyValues().forEach(kv -> members.add(kv.key().substring(keys.members().length())));
        if (watch == null) {
            seenRevision = Math.max(seenRevision, l.revision());
        }
        tellMembers();
    }

    /** How many other hosts stand by (or lead), for the health check's "no live standby". */
    private void tellMembers() {
        int others = (int) members.stream().filter(h -> !h.equals(host)).count();
        if (others != toldOthers) {
            toldOthers = others;
            monitor.members(others);
        }
    }

    private void ensureWatch() throws EtcdException {
        if (watch == null && nanos.getAsLong() >= watchAgainAt) {
            WatchListener l = new WatchListener() {
                @Override
                public void onEvent(WatchEvent e) {
                    inbox.add(new Change(e));
                }

                @Override
                public void onEnd(WatchEnd end) {
                    inbox.add(new WatchEnded(end));
                }
            };
            // from what we have seen (nothing missed across a reconnection), or from now at first
            watch = etcd.watch(keys.strategy(), true, seenRevision == 0 ? 0 : seenRevision + 1, l);
        }
    }

    /** Acts on S; false when the monitor's input has ended. */
    private boolean handle(Signal s) {
        switch (s) {
            case Word w -> {
                return onWord(w.word());
            }
            case Change c -> onChange(c.event());
            case WatchEnded e -> {
                watch = null;
                // not at once: a member without a leader ends every watch as it is made; the
                // renewals' reads see the key meanwhile
                watchAgainAt = nanos.getAsLong() + config.renew().toNanos();
                if (e.end().reason() == WatchEnd.Reason.COMPACTED) {
                    seenRevision = 0; // from now: what was missed, the next read shows
                }
                if (e.end().reason() != WatchEnd.Reason.CLOSED) {
                    log.println("campaign: watch ended (" + e.end().reason()
                            + e.end().error().map(x -> ": " + x.getMessage()).orElse("") + "): watching again");
                }
            }
        }
        return true;
    }

    private boolean onWord(String w) {
        switch (w) {
            case "ack" -> acked = true;
            case "pong" -> ponged = pinged;
            case "fenced" -> {
                // the strategy is down: the lease is not ours to trust any more, a new election decides
                if (role == Role.LEADER) {
                    log.println("campaign: fenced in epoch " + epoch + ": standing again with a new lease");
                }
                role = Role.CANDIDATE;
                acked = true;
                revokeQuietly();
            }
            case "released" -> {
                resign();
                acked = true;
            }
            case "withdraw" -> {
                resign();
                revokeQuietly();
                role = Role.WITHDRAWN;
                acked = true;
            }
            case "campaign" -> {
                if (role == Role.WITHDRAWN) {
                    role = Role.CANDIDATE;
                }
            }
            case MonitorLink.END -> {
                return false;
            }
            default -> log.println("campaign: unknown word from the monitor: " + w.replaceAll("\\p{Cntrl}", "?"));
        }
        return true;
    }

    private void onChange(WatchEvent e) {
        seenRevision = Math.max(seenRevision, e.kv().modRevision());
        String k = e.kv().key();
        boolean deleted = e.type() == WatchEvent.Type.DELETE;
        if (k.equals(keys.leader())) {
            if (deleted) {
                if (role == Role.LEADER) {
                    lost("the leader key was deleted");
                } else if (!toldLeader.equals(host)) {
                    campaignNow = true; // the old lease is gone: stand now, not at the next renewal
                }
                // else the key was this host's, of a runner before this one (killed, restarted): a
                // standby elsewhere is the better leader now; we stand at our next renewal
            } else if (role == Role.LEADER && e.kv().createRevision() != epoch) {
                lost("the leader key was created again by another");
            } else if (role != Role.LEADER) {
                standby(e.kv());
            }
        } else if (k.startsWith(keys.members())) {
            String h = k.substring(keys.members().length());
            if (deleted) {
                members.remove(h);
            } else {
                members.add(h);
            }
            tellMembers();
        } else if (k.equals(keys.handover())) {
            handover = deleted ? Optional.empty() : Optional.of(HostRecord.parse(e.kv().value()));
            handoverRevision = deleted ? 0 : e.kv().createRevision();
            if (role == Role.LEADER && handover.isPresent()) {
                HostRecord h = handover.get();
                if (!h.to().equals(host)) {
                    log.println("campaign: handover asked, to " + (h.to().isEmpty() ? "any other host" : h.to()));
                    monitor.handover(h.to().isEmpty() ? "*" : h.to());
                }
            } else if (deleted && role == Role.CANDIDATE) {
                campaignNow = true; // no longer held back
            }
        }
    }

    private void note(String text) {
        if (!text.equals(lastNote)) {
            lastNote = text;
            if (!text.isEmpty()) {
                log.println("campaign: " + text);
            }
            monitor.note(text.isEmpty() ? "-" : text);
        }
    }

    /**
     * The monitor's input ended. After its "withdraw" (a stop, a give-up: the strategy is dead)
     * the key and the lease are gone already. Without one the monitor died (kill -9, OOM) and its
     * strategy may not be dead yet (a unit's cgroup is killed, a parent-death signal is sent, the
     * guard kills: none of it at once): the key stays until the lease lapses, a whole TTL in
     * which it dies, rather than a standby starting beside it now.
     */
    private void finish() {
        if (watch != null) {
            watch.close();
        }
    }
}
