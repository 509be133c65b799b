package org.quantsupervision.etcd;

/**
 * One endpoint could not serve one attempt (refused, timed out, a TLS handshake failed, or etcd
 * answered with a retryable error such as "no leader"): {@link Endpoints} moves to the next.
 * Never leaves the package; REASON is for the final {@link EtcdException}'s message.
 */
final class EndpointFailed extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean tls;

    EndpointFailed(String reason, boolean tls) {
        super(reason, null, false, false);
        this.tls = tls;
    }

    /** The failure was the TLS handshake's: trying the same endpoint again will not help. */
    boolean tls() {
        return tls;
    }
}
