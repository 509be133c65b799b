package org.quantsupervision.health;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
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
     * The request runs on a virtual thread, because interrupting a virtual thread that is blocked
     * on a socket closes the socket: that is what ends a request at its deadline. Nothing of
     * HttpURLConnection can: disconnect() waits for the reading thread to let go of the
     * connection's lock (measured: until the next byte or the read timeout), and interrupting a
     * platform thread leaves it reading.
     */
    @Override
    public CheckResult run(CheckContext c) {
        URI uri = c.config().apiUrl().orElseThrow();
        long timeout = c.config().apiTimeout().toMillis();
        CompletableFuture<CheckResult> answer = new CompletableFuture<>();
        Thread request = Thread.ofVirtual().name("api-check").start(() -> answer.complete(request(c, uri)));
        try {
            return answer.get(timeout, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            request.interrupt(); // closes its socket: the thread ends now, not when the server stops
            return CheckResult.of(NAME, Status.CRITICAL, uri.getHost() + ": no complete answer within " + timeout + " ms");
        } catch (InterruptedException e) {
            request.interrupt();
            Thread.currentThread().interrupt();
            return CheckResult.of(NAME, Status.UNKNOWN, uri.getHost() + ": interrupted (the strategy's deadline)");
        } catch (ExecutionException e) {
            return CheckResult.of(NAME, Status.UNKNOWN, "internal error: " + e.getCause());
        }
    }

    private static CheckResult request(CheckContext c, URI uri) {
        String host = uri.getHost();
        int timeout = (int) Math.min(Integer.MAX_VALUE, c.config().apiTimeout().toMillis());
        long started = System.nanoTime();
        HttpURLConnection connection = null;
        boolean connected = false;
        try {
            connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout(timeout);
            connection.setReadTimeout(timeout);
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setRequestProperty("User-Agent", "quant-supervision");
            connection.connect();
            connected = true;
            int status = connection.getResponseCode();
            if (drain(connection)) {
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
     * set-up; a longer body is cut off and the connection closed.
     *
     * @return true if the body was read to its end
     */
    private static boolean drain(HttpURLConnection connection) {
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
                if (total > 1 << 16) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false; // the status is what counts
        }
    }
}
