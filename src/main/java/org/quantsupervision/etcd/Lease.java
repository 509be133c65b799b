package org.quantsupervision.etcd;

import java.time.Duration;

/**
 * A lease etcd granted: its ID and the TTL etcd chose, which may be longer than the one asked
 * for (etcd raises a TTL below its minimum, 1.5 election timeouts, to that minimum).
 */
public record Lease(long id, Duration ttl) {
}
