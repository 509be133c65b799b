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
            drain(connection);
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

    /** Reads and drops the body (bounded), so a kept-alive connection could be reused. */
    private static void drain(HttpURLConnection connection) {
        try (InputStream in = connection.getResponseCode() >= 400 ? connection.getErrorStream()
                : connection.getInputStream()) {
            if (in != null) {
                in.skipNBytes(Math.min(in.available(), 1 << 16));
            }
        } catch (IOException e) {
            // the status is what counts
        }
    }
}
