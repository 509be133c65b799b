package org.quantsupervision.etcd;

/**
 * A call to etcd that did not succeed. {@link #kind()} tells whether trying again may help
 * ({@link Kind#UNAVAILABLE}: the election must read it as "cannot confirm") or not (every other
 * kind: the settings, the credentials or etcd's answer are wrong, and stay so).
 *
 * <p>The message is one line naming the call and the cause. It never holds a password, a token
 * or key material: the messages are built here from etcd's own error text (which names no
 * credential), the endpoint and the file paths, never from a request body.
 */
public final class EtcdException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What went wrong, by what the caller can do about it. */
    public enum Kind {
        /**
         * No endpoint answered within the request timeout: refused, timed out, no leader or no
         * quorum ("etcdserver: request timed out", gRPC UNAVAILABLE or DEADLINE_EXCEEDED), too
         * many requests, or a stream that broke. The only retryable kind.
         */
        UNAVAILABLE,
        /** etcd refused the user, the password or the permission (wrong password, a key outside the role's range). */
        AUTH,
        /** The TLS material cannot be used (unreadable, not PEM, a PKCS#1 key), or no handshake succeeded (untrusted certificate, a name not in its SANs, a client certificate refused). */
        TLS,
        /** The lease named by a put or a create does not exist (expired or revoked). */
        LEASE_GONE,
        /** etcd rejected the request for another reason (an invalid argument, a compacted revision). */
        REJECTED,
        /** The answer was not what etcd's gateway sends (not JSON, a missing field, an unexpected HTTP status). */
        PROTOCOL
    }

    private final Kind kind;
    /** etcd said the token is no longer valid: {@code TokenAuth} authenticates again, once. */
    private final boolean staleToken;

    public EtcdException(Kind kind, String message) {
        this(kind, message, false);
    }

    EtcdException(Kind kind, String message, boolean staleToken) {
        super(message);
        this.kind = kind;
        this.staleToken = staleToken;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether the same call may succeed later: only {@link Kind#UNAVAILABLE}. */
    public boolean retryable() {
        return kind == Kind.UNAVAILABLE;
    }

    boolean staleToken() {
        return staleToken;
    }
}
