package org.quantsupervision.health;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;

/**
 * Can the strategy's API be reached? A GET of API_CHECK_URL (the article's GATEWAY_CHECK_URL)
 * must answer API_CHECK_STATUS within API_CHECK_TIMEOUT. Messages name the host only: the
 * path or query of such a URL often carries an API key.
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
        long timeout = c.config().apiTimeout().toMillis();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(c.config().apiTimeout())
                .header("User-Agent", "quant-supervision").GET().build();
        long started = System.nanoTime();
        try {
            HttpResponse<Void> response = c.http().send(request, HttpResponse.BodyHandlers.discarding());
            long ms = (System.nanoTime() - started) / 1_000_000;
            Metric metric = new Metric("api_latency", ms / 1000.0, "s", Double.NaN, timeout / 1000.0);
            if (response.statusCode() != c.config().apiStatus()) {
                return CheckResult.of(NAME, Status.CRITICAL, host + " answered HTTP " + response.statusCode()
                        + " (expected " + c.config().apiStatus() + ")", metric);
            }
            return CheckResult.of(NAME, Status.OK, host + " answered HTTP " + response.statusCode() + " in " + ms + " ms",
                    metric);
        } catch (HttpConnectTimeoutException e) {
            return CheckResult.of(NAME, Status.CRITICAL, host + ": no connection within " + timeout + " ms");
        } catch (HttpTimeoutException e) {
            return CheckResult.of(NAME, Status.CRITICAL, host + ": no answer within " + timeout + " ms");
        } catch (ConnectException e) {
            return CheckResult.of(NAME, Status.CRITICAL, host + ": connection refused");
        } catch (IOException e) {
            return CheckResult.of(NAME, Status.CRITICAL, host + ": " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CheckResult.of(NAME, Status.UNKNOWN, "interrupted");
        }
    }
}
