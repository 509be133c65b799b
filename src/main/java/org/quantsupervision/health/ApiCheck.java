package org.quantsupervision.health;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Can the strategy's API be reached? A GET of API_CHECK_URL (the article's GATEWAY_CHECK_URL)
 * must answer API_CHECK_STATUS within API_CHECK_TIMEOUT, the whole request: connection,
 * headers and body (an API that sends a byte a second never fails a per-read timeout). Messages
 * name the host only: the path or query of such a URL often carries an API key.
 *
 * <p>HttpURLConnection rather than java.net.http: the latter sets up TLS when the client is built,
 * even for an http:// URL, which would cost every run of the checker more than the check itself
 * (measured here: 300 ms against 100 ms for a first request to a loopback server).
 */
final class ApiCheck implements Check {
    static final String NAME = "api";

    @Override
    public String name() {
        return NAME;
    }

    /**
     * The request runs on a thread of its own, so that the check returns at its deadline whatever
     * the server does. A platform thread, not a virtual one: a virtual thread's socket I/O starts
     * the JDK's poller thread, which then waits in epoll_wait for good, and HotSpot's exit waits
     * up to 300 ms for every thread in native code (VM_Exit::wait_for_threads_in_native_to_block):
     * the one-shot command took 0.5 s instead of 0.2 (bench/health), and the resident checker
     * kept the virtual-thread scheduler's carrier threads besides.
     *
     * <p>A request past its deadline is abandoned, then ended ({@link Request#abandon}): its
     * thread makes no new connection and stops reading the body at the next read (a server that
     * drips its answer), and disconnect() closes its socket, tried again every 100 ms until the
     * thread has ended, because it does nothing before the connection exists (DNS, the TCP
     * connect). So what the server does cannot keep the thread: it ends within API_CHECK_TIMEOUT
     * (its connect and read timeouts) of its deadline, DNS aside, which no Java thread can cut
     * short (tested: HealthBoundsTest, a server that drips its headers).
     */
    @Override
    public CheckResult run(CheckContext c) {
        URI uri = c.config().apiUrl().orElseThrow();
        long timeout = c.config().apiTimeout().toMillis();
        Request request = new Request();
        CompletableFuture<CheckResult> answer = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().daemon().name("api-check").start(() -> {
            try {
                answer.complete(request(c, uri, request));
            } catch (Throwable e) {
                answer.completeExceptionally(e);
            }
        });
        try {
            return answer.get(timeout, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            request.abandon(thread);
            return CheckResult.of(NAME, Status.CRITICAL, uri.getHost() + ": no complete answer within " + timeout + " ms");
        } catch (InterruptedException e) {
            request.abandon(thread);
            Thread.currentThread().interrupt();
            return CheckResult.of(NAME, Status.UNKNOWN, uri.getHost() + ": interrupted (the strategy's deadline)");
        } catch (ExecutionException e) {
            return CheckResult.of(NAME, Status.UNKNOWN, "internal error: " + e.getCause());
        }
    }

    /** One request's connection, and whether the check has given up on it. */
    private static final class Request {
        private static final Duration RETRY = Duration.ofMillis(100);

        private HttpURLConnection connection;
        private boolean abandoned;

        /** The request's thread: records its connection; false if the check gave up before. */
        synchronized boolean opened(HttpURLConnection c) {
            connection = c;
            return !abandoned;
        }

        synchronized boolean abandoned() {
            return abandoned;
        }

        /**
         * The check's thread, at the deadline: the request's THREAD is to stop, and its socket is
         * closed, on a thread of its own: disconnect() waits for a body read in progress (until
         * the next byte or the read timeout), and does nothing until the connection exists.
         */
        void abandon(Thread thread) {
            HttpURLConnection c;
            synchronized (this) {
                abandoned = true;
                c = connection;
            }
            if (c == null) {
                return; // opened() tells the request's thread, before it connects
            }
            Thread.ofPlatform().daemon().name("api-check-abort").start(() -> {
                try {
                    do {
                        try {
                            c.disconnect();
                        } catch (RuntimeException e) {
                            // HttpURLConnection is not meant for two threads: a disconnect racing
                            // the request's own steps may throw. The next try comes in 100 ms.
                        }
                    } while (!thread.join(RETRY));
                } catch (InterruptedException e) {
                    // Nothing interrupts this thread; were it to happen, the request still ends
                    // by its own timeouts unless its server drips.
                }
            });
        }
    }

    private static CheckResult request(CheckContext c, URI uri, Request request) {
        String host = uri.getHost();
        int timeout = (int) Math.min(Integer.MAX_VALUE, c.config().apiTimeout().toMillis());
        long started = System.nanoTime();
        HttpURLConnection connection = null;
        boolean connected = false;
        try {
            connection = (HttpURLConnection) uri.toURL().openConnection();
            if (!request.opened(connection)) {
                return CheckResult.of(NAME, Status.UNKNOWN, host + ": abandoned");
            }
            connection.setConnectTimeout(timeout);
            connection.setReadTimeout(timeout);
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setRequestProperty("User-Agent", "quant-supervision");
            connection.connect();
            connected = true;
            if (request.abandoned()) {
                return CheckResult.of(NAME, Status.UNKNOWN, host + ": abandoned");
            }
            int status = connection.getResponseCode();
            if (drain(connection, request)) {
                connection = null; // read to the end: the connection stays open for the next round (keep-alive)
            }
            long ms = (System.nanoTime() - started) / 1_000_000;
            Metric metric = new Metric("api_latency", ms / 1000.0, "s", Double.NaN, timeout / 1000.0);
            if (status != c.config().apiStatus()) {
                return CheckResult.of(NAME, Status.CRITICAL, host + " answered HTTP " + status + " (expected "
                        + c.config().apiStatus() + ")", metric);
            }
            return CheckResult.of(NAME, Status.OK, host + " answered HTTP " + status + " in " + ms + " ms", metric);
        } catch (SocketTimeoutException e) {
            return CheckResult.of(NAME, Status.CRITICAL, host + ": no " + (connected ? "answer" : "connection")
                    + " within " + timeout + " ms");
        } catch (ConnectException e) {
            return CheckResult.of(NAME, Status.CRITICAL, host + ": connection refused");
        } catch (UnknownHostException e) {
            return CheckResult.of(NAME, Status.CRITICAL, host + ": unknown host (DNS)");
        } catch (IOException | IllegalArgumentException e) {
            return CheckResult.of(NAME, Status.CRITICAL, host + ": " + e.getClass().getSimpleName());
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    /**
     * Reads and drops the body, up to 64 KB. Read to its end and closed, the connection goes back
     * to the JDK's keep-alive cache, and the resident mode's next round skips the TCP (and TLS)
     * set-up; a longer body, or one still coming when the check gave up on the request, is cut
     * off and the connection closed.
     *
     * @return true if the body was read to its end
     */
    private static boolean drain(HttpURLConnection connection, Request request) {
        try (InputStream in = connection.getResponseCode() >= 400 ? connection.getErrorStream()
                : connection.getInputStream()) {
            if (in == null) {
                return true;
            }
            byte[] buffer = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > 1 << 16 || request.abandoned()) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false; // the status is what counts
        }
    }
}
