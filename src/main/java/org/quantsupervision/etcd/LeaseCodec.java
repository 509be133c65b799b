package org.quantsupervision.etcd;

import java.time.Duration;
import java.util.Optional;

import org.quantsupervision.json.Json;

/**
 * The JSON of the lease calls (rpc.proto's LeaseGrantRequest, LeaseKeepAliveRequest,
 * LeaseRevokeRequest). Their fields are named "ID" and "TTL" (seconds) in the proto, and so in
 * the gateway's JSON.
 */
final class LeaseCodec {
    static final String GRANT = "/v3/lease/grant";
    static final String KEEPALIVE = "/v3/lease/keepalive";
    static final String REVOKE = "/v3/lease/revoke";

    private LeaseCodec() {
    }

    /** TTL in whole seconds, rounded up: etcd counts leases in seconds. */
    static byte[] grant(Duration ttl) {
        long seconds = Math.max(1, ttl.toSeconds() + (ttl.toNanosPart() == 0 ? 0 : 1));
        return Json.bytes(g -> {
            g.writeStartObject();
            g.writeStringProperty("TTL", Long.toString(seconds));
            g.writeEndObject();
        });
    }

    /** The body of keepalive and revoke: the lease's ID. */
    static byte[] id(long lease) {
        return Json.bytes(g -> {
            g.writeStartObject();
            g.writeStringProperty("ID", Long.toString(lease));
            g.writeEndObject();
        });
    }

    static Lease granted(Reply r) throws EtcdException {
        String error = r.string("error");
        if (!error.isEmpty()) {
            throw new EtcdException(EtcdException.Kind.REJECTED, "etcd refused " + GRANT + ": " + error);
        }
        long id = r.int64("ID");
        if (id == 0) {
            throw Reply.malformed(GRANT, "no lease ID");
        }
        return new Lease(id, Duration.ofSeconds(r.int64("TTL")));
    }

    /** The TTL a renewal set; empty when etcd has no such lease (it answers TTL 0, left out of the JSON). */
    static Optional<Duration> renewed(Reply r) throws EtcdException {
        long ttl = r.int64("TTL");
        return ttl > 0 ? Optional.of(Duration.ofSeconds(ttl)) : Optional.empty();
    }
}
