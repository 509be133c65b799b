package org.quantsupervision.etcd;

/**
 * An open watch (from {@link EtcdClient#watch}). Its listener hears the events, then one
 * {@link WatchEnd}. {@link #close()} ends it at once: the stream is closed, the listener hears
 * CLOSED, and close() waits up to a second for that, so that no event follows its return
 * (unless the listener is blocked for longer in a call).
 */
public final class Watch implements AutoCloseable {
    private final WatchStream stream;

    Watch(WatchStream stream) {
        this.stream = stream;
    }

    /** The store's revision when etcd created the watch: with start revision 0, events come after it. */
    public long revision() {
        return stream.revision();
    }

    @Override
    public void close() {
        stream.close();
    }
}
