package org.quantsupervision.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A watch's listener that keeps what it hears, for tests to wait on. */
final class RecordingListener implements WatchListener {
    final BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
    final CompletableFuture<WatchEnd> end = new CompletableFuture<>();
    final AtomicInteger ends = new AtomicInteger();
    private volatile boolean eventAfterEnd;

    @Override
    public void onEvent(WatchEvent event) {
        if (end.isDone()) {
            eventAfterEnd = true;
        }
        events.add(event);
    }

    @Override
    public void onEnd(WatchEnd why) {
        ends.incrementAndGet();
        end.complete(why);
    }

    /** The next event, within TIMEOUT. */
    WatchEvent next(Duration timeout) throws InterruptedException {
        WatchEvent e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(e, "no watch event within " + timeout + (end.isDone() ? "; the watch ended: " + end.join() : ""));
        return e;
    }

    /** Asserts the next event is TYPE on KEY. */
    WatchEvent expect(WatchEvent.Type type, String key) throws InterruptedException {
        WatchEvent e = next(Duration.ofSeconds(5));
        assertEquals(type, e.type(), e.toString());
        assertEquals(key, e.kv().key());
        return e;
    }

    /** The end, within TIMEOUT; asserts there was one only and no event after it. */
    WatchEnd ended(Duration timeout) throws Exception {
        WatchEnd e;
        try {
            e = end.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException x) {
            return fail("the watch did not end within " + timeout);
        }
        Thread.sleep(100);
        assertEquals(1, ends.get(), "ends heard");
        assertEquals(false, eventAfterEnd, "an event after the end");
        return e;
    }

    List<WatchEvent> drained() {
        List<WatchEvent> list = new java.util.ArrayList<>();
        events.drainTo(list);
        return list;
    }
}
