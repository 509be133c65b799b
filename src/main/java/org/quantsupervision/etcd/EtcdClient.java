package org.quantsupervision.etcd;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A client of etcd's v3 API, through its JSON gateway: leases, keys, the two transactions an
 * election needs, and watches. Thread-safe; one per process is enough.
 *
 * <p><b>Time.</b> Every call but a watch's stream is bounded by the settings' request timeout:
 * one deadline for the whole call, the failover across endpoints and a re-authentication
 * included. A call returns or throws within the request timeout plus the few milliseconds the
 * HTTP client takes to abandon an exchange ({@link Endpoints} says how the time is shared among
 * the endpoints). {@code open} takes as long when a user is set (it authenticates), no time
 * otherwise. {@code watch} is bounded the same way until etcd confirms the watch.
 *
 * <p><b>Failures.</b> Every call throws {@link EtcdException}: {@code UNAVAILABLE} when no
 * endpoint answered in time (refused, timed out, no leader, no quorum), which is the only
 * retryable kind and means "not known"; {@code AUTH} (wrong password, no permission on the
 * key), {@code TLS}, {@code LEASE_GONE}, {@code REJECTED} and {@code PROTOCOL} otherwise, as
 * each method says. Reads are linearizable (etcd's default): a member cut off from the quorum
 * does not answer them, so an old value is never read as current.
 *
 * <p><b>A retried write.</b> An attempt that timed out may have been applied before the next
 * endpoint is tried. For {@link #put} and {@link #revoke} that is harmless (the same write
 * again); {@link #createIfAbsent} sees its own earlier write and reports it as created; a
 * {@link #grantLease} may leave one unused lease, which expires after its TTL;
 * {@link #deleteIf} may answer false for a key it did delete.
 */
public final class EtcdClient implements AutoCloseable {
    private final Duration timeout;
    private final Transport transport;
    private final TokenAuth auth;
    private final Set<WatchStream> watches = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private EtcdClient(EtcdSettings settings, Transport transport) {
        this.timeout = settings.requestTimeout();
        this.transport = transport;
        this.auth = new TokenAuth(settings.auth(), transport);
    }

    /**
     * A client for SETTINGS. Throws TLS when a TLS file cannot be used (unreadable, not PEM, a
     * PKCS#1 key, a key that is not the certificate's); when a user is set it authenticates,
     * and throws AUTH (the password file cannot be read, etcd refuses the user or has no
     * authentication on) or UNAVAILABLE.
     */
    public static EtcdClient open(EtcdSettings settings) throws EtcdException {
        Transport transport = new Transport(settings, settings.tls().isPresent()
                ? Optional.of(TlsContext.of(settings.tls().get())) : Optional.empty());
        EtcdClient client = new EtcdClient(settings, transport);
        try {
            client.auth.start(Deadline.after(settings.requestTimeout()));
        } catch (EtcdException e) {
            transport.close();
            throw e;
        }
        return client;
    }

    /**
     * A new lease of TTL (whole seconds, rounded up; etcd may raise it to its minimum, which the
     * result says). Throws UNAVAILABLE, or REJECTED.
     */
    public Lease grantLease(Duration ttl) throws EtcdException {
        return LeaseCodec.granted(call(LeaseCodec.GRANT, LeaseCodec.grant(ttl)));
    }

    /**
     * Renews LEASE: the TTL it has again, counted by etcd's leader from the renewal, which
     * happened after this call began, so the lease lives at least until the call's start plus
     * the TTL (unless revoked); empty when etcd has no such lease (expired, revoked): one POST,
     * whose stream etcd closes after its one answer. Throws UNAVAILABLE (then the lease's state
     * is not known: it lives until its last renewal's end at least).
     */
    public Optional<Duration> keepAlive(long lease) throws EtcdException {
        return LeaseCodec.renewed(call(LeaseCodec.KEEPALIVE, LeaseCodec.id(lease)));
    }

    /** Revokes LEASE and deletes its keys; a lease that is already gone is no error. Throws UNAVAILABLE. */
    public void revoke(long lease) throws EtcdException {
        try {
            call(LeaseCodec.REVOKE, LeaseCodec.id(lease));
        } catch (EtcdException e) {
            if (e.kind() != EtcdException.Kind.LEASE_GONE) {
                throw e;
            }
        }
    }

    /**
     * In one transaction: if KEY does not exist (create_revision 0), puts VALUE with LEASE (0:
     * none); otherwise reads the holder. An earlier attempt of this call that was applied (the
     * key holds VALUE with this LEASE) counts as created. Throws LEASE_GONE when LEASE does not
     * exist, AUTH outside the user's permissions, UNAVAILABLE.
     */
    public CreateResult createIfAbsent(String key, byte[] value, long lease) throws EtcdException {
        byte[] v = value.clone();
        Reply r = call(KvCodec.TXN, KvCodec.createIfAbsent(key, v, lease));
        long revision = KvCodec.revision(r);
        if (r.bool("succeeded")) {
            return new CreateResult(true, new KeyValue(key, v, revision, revision, lease), revision);
        }
        List<KeyValue> holders = KvCodec.txnRange(r);
        if (holders.isEmpty()) {
            throw Reply.malformed(KvCodec.TXN, "the key exists but the failed branch read none");
        }
        KeyValue holder = holders.get(0);
        boolean ours = lease != 0 && holder.lease() == lease && Arrays.equals(holder.value(), v);
        return new CreateResult(ours, holder, revision);
    }

    /** KEY, if it exists. Throws AUTH outside the user's permissions, UNAVAILABLE. */
    public Optional<KeyValue> get(String key) throws EtcdException {
        List<KeyValue> kvs = KvCodec.keyValues(call(KvCodec.RANGE, KvCodec.range(KvCodec.utf8(key), Optional.empty())));
        return kvs.stream().findFirst();
    }

    /** The keys starting with PREFIX ("" for all), in key order, and the revision read at. Throws as {@link #get}. */
    public Listing getPrefix(String prefix) throws EtcdException {
        byte[] p = KvCodec.utf8(prefix);
        Reply r = call(KvCodec.RANGE, KvCodec.range(p, Optional.of(KvCodec.prefixEnd(p))));
        return new Listing(KvCodec.keyValues(r), KvCodec.revision(r));
    }

    /** Puts VALUE at KEY with LEASE (0: none). Throws LEASE_GONE, AUTH, UNAVAILABLE. */
    public void put(String key, byte[] value, long lease) throws EtcdException {
        call(KvCodec.PUT, KvCodec.put(key, value, lease));
    }

    /**
     * Deletes KEY if CREATE_REVISION is its create_revision (the holder it names still holds it):
     * true if this call deleted it, false if the key is gone or is another creation. Throws AUTH, UNAVAILABLE.
     */
    public boolean deleteIf(String key, long createRevision) throws EtcdException {
        if (createRevision <= 0) {
            throw new IllegalArgumentException("deleteIf: expected a create revision > 0, got " + createRevision);
        }
        return call(KvCodec.TXN, KvCodec.deleteIf(key, createRevision)).bool("succeeded");
    }

    /**
     * Watches KEY (every key under it when PREFIX) from START_REVISION (0: changes after now;
     * a read's revision + 1 misses nothing after that read). Returns once etcd confirmed the
     * watch; LISTENER then hears the events and one end (see {@link WatchEnd}). A stream that
     * breaks is not reopened. The member ends the watch (BROKEN, UNAVAILABLE: "no leader") when
     * it loses its leader, a few election timeouts after; but a member that is merely slow, or
     * a network that drops packets without a reset, leaves a watch open and silent: keep the
     * lease's renewals, not the watch, as the proof that etcd is reachable. Throws AUTH (no
     * permission), UNAVAILABLE (no leader either).
     */
    public Watch watch(String key, boolean prefix, long startRevision, WatchListener listener) throws EtcdException {
        ensureOpen();
        byte[] request = WatchCodec.create(key, prefix, startRevision);
        String what = "watch of " + key + (prefix ? "*" : "");
        Deadline deadline = Deadline.after(timeout);
        return new Watch(auth.with(deadline, token -> transport.endpoints().failover(deadline, WatchCodec.WATCH,
                (base, share) -> WatchStream.open(transport.http(), base, request, token, share, what, listener,
                        watches))));
    }

    private Reply call(String path, byte[] body) throws EtcdException {
        ensureOpen();
        Deadline deadline = Deadline.after(timeout);
        return auth.with(deadline, token -> transport.post(path, body, token, deadline));
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the etcd client is closed");
        }
    }

    /** Closes every watch (their listeners hear CLOSED) and the connections. */
    @Override
    public void close() {
        closed = true;
        for (WatchStream w : List.copyOf(watches)) {
            w.close();
        }
        transport.close();
    }
}
