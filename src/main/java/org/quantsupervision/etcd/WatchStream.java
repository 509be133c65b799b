package org.quantsupervision.etcd;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One watch's HTTP stream and the virtual thread that reads it: the first frame confirms the
 * watch (or refuses it), every later one goes to the listener. The thread is the only caller
 * of the listener. The stream is never reopened here: a broken one ends the watch (BROKEN), and
 * the caller decides.
 *
 * <p>Closing closes the response's InputStream, which wakes the thread's blocked read (the JDK's
 * stream queues its end-of-stream marker on close) and drops the connection.
 */
final class WatchStream {
    private final String what;
    private final InputStream body;
    private final WatchListener listener;
    /** The client's open watches: this one from its confirmation to its end. */
    private final Set<WatchStream> open;
    /** The created frame's revision, or why the watch was not created. */
    private final CompletableFuture<Long> created = new CompletableFuture<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean closed;
    private Thread thread;

    private WatchStream(String what, InputStream body, WatchListener listener, Set<WatchStream> open) {
        this.what = what;
        this.body = body;
        this.listener = listener;
        this.open = open;
    }

    /**
     * One attempt at BASE, within SHARE: the stream once etcd confirmed the watch, in OPEN
     * until it ends.
     */
    static WatchStream open(HttpClient http, URI base, byte[] request, Optional<String> token, Duration share,
            String what, WatchListener listener, Set<WatchStream> open) throws EndpointFailed, EtcdException {
        long start = System.nanoTime();
        CompletableFuture<HttpResponse<InputStream>> pending = http.sendAsync(
                Transport.request(base, WatchCodec.WATCH, request, token, share), HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> response = Transport.await(pending, share, WatchCodec.WATCH);
        WatchStream s = new WatchStream(what, response.body(), listener, open);
        s.thread = Thread.ofVirtual().name("etcd-watch").start(() -> s.read(response.statusCode()));
        s.awaitCreated(share.minusNanos(System.nanoTime() - start));
        return s;
    }

    private void awaitCreated(Duration left) throws EndpointFailed, EtcdException {
        try {
            created.get(Math.max(0, left.toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (created.completeExceptionally(abandoned())) {
                closeStream();
                throw new EndpointFailed("no watch confirmation within the time left", false);
            }
            awaitCreated(Duration.ZERO); // confirmed or refused just now
        } catch (InterruptedException e) {
            created.completeExceptionally(abandoned());
            closeStream();
            Thread.currentThread().interrupt();
            throw new EtcdException(EtcdException.Kind.UNAVAILABLE, "interrupted while opening " + what);
        } catch (ExecutionException e) {
            closeStream();
            switch (e.getCause()) {
                case EndpointFailed f -> throw f;
                case EtcdException x -> throw x;
                default -> throw new EndpointFailed("the stream failed: " + e.getCause(), false);
            }
        }
    }

    /** The opener gave up on this attempt: the thread ends without a word to the listener. */
    private static EndpointFailed abandoned() {
        return new EndpointFailed("abandoned", false);
    }

    /** The revision of the store when the watch was created. */
    long revision() {
        return created.join();
    }

    private void read(int status) {
        try {
            if (status != 200) {
                byte[] answer = body.readNBytes(1 << 16);
                GatewayError.reply(WatchCodec.WATCH, status, answer);
                throw Reply.malformed(WatchCodec.WATCH, "HTTP " + status + " without an error");
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.isBlank() && !take(WatchCodec.frame(line))) {
                    return;
                }
            }
            fail(new EndpointFailed("the stream ended", false));
        } catch (IOException e) {
            fail(new EndpointFailed("the stream broke: " + e.getMessage(), false));
        } catch (EndpointFailed | EtcdException e) {
            fail(e);
        }
    }

    /** Whether to read on after FRAME. */
    private boolean take(WatchCodec.Frame frame) throws EtcdException {
        if (!created.isDone()) {
            if (!frame.created()) {
                throw Reply.malformed(WatchCodec.WATCH, "the first frame does not confirm the watch");
            }
            if (frame.canceled()) {
                created.completeExceptionally(refusal(frame.cancelReason()));
                closeStream();
                return false;
            }
            open.add(this); // before the confirmation: end() can only come after it, on this thread
            if (!created.complete(frame.revision())) {
                open.remove(this);
                closeStream(); // abandoned by the opener meanwhile
                return false;
            }
            return true;
        }
        for (WatchEvent event : frame.events()) {
            if (closed) {
                end(WatchEnd.closed());
                return false;
            }
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                closed = true;
                end(WatchEnd.closed());
                throw e;
            }
        }
        if (frame.canceled()) {
            end(frame.compactRevision() > 0 ? WatchEnd.compacted(frame.compactRevision())
                    : WatchEnd.canceled(asEtcd(refusal(frame.cancelReason()))));
            return false;
        }
        return true;
    }

    /** What etcd's CANCEL_REASON means (as the thrown or returned exception). */
    private Exception refusal(String reason) {
        try {
            return GatewayError.cancelReason(what, reason.isEmpty() ? "canceled by etcd" : reason);
        } catch (EtcdException e) {
            return e;
        }
    }

    private EtcdException asEtcd(Exception e) {
        return e instanceof EtcdException x ? x
                : new EtcdException(EtcdException.Kind.UNAVAILABLE, "etcd's " + what + " broke: " + e.getMessage());
    }

    /** The stream failed with E: before the confirmation the attempt failed, after it the watch is BROKEN. */
    private void fail(Exception e) {
        if (created.completeExceptionally(e)) {
            closeStream();
        } else if (!created.isCompletedExceptionally()) {
            end(WatchEnd.broken(asEtcd(e)));
        }
    }

    /** The one end of a created watch: CLOSED whatever happened if it was closed. */
    private void end(WatchEnd why) {
        if (ended.compareAndSet(false, true)) {
            closeStream();
            try {
                listener.onEnd(closed ? WatchEnd.closed() : why);
            } finally {
                open.remove(this);
            }
        }
    }

    /**
     * Ends the watch: the thread stops reading and tells the listener CLOSED. Waits up to a
     * second for it (not when called from the listener itself), so that no event comes after.
     */
    void close() {
        closed = true;
        closeStream();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void closeStream() {
        try {
            body.close();
        } catch (IOException e) {
            // closing a response stream: nothing left to do
        }
    }
}
