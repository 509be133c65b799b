package org.quantsupervision.etcd;

import java.util.Optional;

/**
 * Why a watch ended; its listener hears one, last.
 *
 * @param compactRevision for COMPACTED: the oldest revision etcd still has (read the keys
 *     again, then watch from the read's revision + 1); 0 otherwise
 * @param error for BROKEN: what broke (its kind is UNAVAILABLE for a stream that ended or
 *     failed, PROTOCOL for a frame that was not the gateway's); for CANCELED: etcd's reason
 */
public record WatchEnd(Reason reason, long compactRevision, Optional<EtcdException> error) {
    public enum Reason {
        /** {@link Watch#close()} or {@link EtcdClient#close()} ended it. */
        CLOSED,
        /** The revisions it was to send from were compacted away. */
        COMPACTED,
        /** etcd canceled it (for instance the user lost the permission). */
        CANCELED,
        /** The stream failed or ended (the member stopped, the connection broke): not reopened here. */
        BROKEN
    }

    static WatchEnd closed() {
        return new WatchEnd(Reason.CLOSED, 0, Optional.empty());
    }

    static WatchEnd compacted(long revision) {
        return new WatchEnd(Reason.COMPACTED, revision, Optional.empty());
    }

    static WatchEnd canceled(EtcdException why) {
        return new WatchEnd(Reason.CANCELED, 0, Optional.of(why));
    }

    static WatchEnd broken(EtcdException why) {
        return new WatchEnd(Reason.BROKEN, 0, Optional.of(why));
    }
}
