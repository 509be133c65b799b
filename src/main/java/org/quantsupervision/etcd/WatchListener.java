package org.quantsupervision.etcd;

/**
 * Receives a watch's events, in etcd's order, then exactly one end, all on the watch's own
 * (virtual) thread, never on the HTTP client's: a slow listener delays only its own watch.
 * A listener must not throw: an exception from {@link #onEvent} ends the watch as
 * {@link Watch#close()} would ({@link #onEnd} with CLOSED follows) and is then rethrown on the
 * watch's thread.
 */
public interface WatchListener {
    void onEvent(WatchEvent event);

    void onEnd(WatchEnd end);
}
