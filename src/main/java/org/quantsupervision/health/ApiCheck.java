package org.quantsupervision.health;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Can the strategy's API be reached? A GET of API_CHECK_URL (the article's GATEWAY_CHECK_URL)
 * must answer API_CHECK_STATUS within API_CHECK_TIMEOUT. Messages name the host only: the
 * path or query of such a URL often carries an API key.
 *
 * <p>HttpURLConnection rather than java.net.http: the latter sets up TLS when the client is built,
 * even for an http:// URL, which would cost every run of the checker more than the check itself.
 */
final class ApiCheck implements Check {
    static final String NAME = "api";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CheckResult run(CheckContext c) {
        URI uri = c.config().apiUrl().orElseThrow();
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
