package org.quantsupervision.alert;

import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.quantsupervision.config.AlertTargets;

/**
 * Delivers an alert to every configured channel at once, each with a timeout per attempt and a
 * bounded number of retries, so that a dead endpoint costs at most
 * timeout × (1 + retries) plus the pauses, never the checker's whole interval.
 *
 * <p>Failures are reported by channel name and cause (HTTP status, timeout, refused) only: the
 * JDK's exception messages can carry the URL, and webhook URLs and routing keys are secrets.
 */
public final class AlertSender {
    private static final Duration FIRST_PAUSE = Duration.ofMillis(250);

    private final HttpClient client;
    private final Duration timeout;

    /**
     * One delivery's outcome; ERROR is empty when it was delivered. HTTP_STATUS is the last
     * answer's status (0 if none came), MILLIS the time spent on every attempt and pause.
     */
    public record Delivery(String channel, boolean delivered, int attempts, String error, int httpStatus, long millis) {
    }

    public AlertSender(HttpClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    /** A client for alerts: its connect timeout is the per-attempt timeout. */
    public static HttpClient client(Duration timeout) {
        return HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Sends ALERT to the channels of TARGETS named in ONLY; returns one delivery per channel, in order. */
    public List<Delivery> send(Alert alert, AlertTargets targets, java.util.Set<String> only) {
        List<AlertChannel> channels = channels(targets).stream().filter(c -> only.contains(c.name())).toList();
        List<CompletableFuture<Delivery>> pending = new ArrayList<>();
        for (AlertChannel channel : channels) {
            pending.add(CompletableFuture.supplyAsync(() -> deliver(channel, alert, targets.retries()),
                    command -> Thread.ofPlatform().daemon().name("alert-" + channel.name()).start(command)));
        }
        List<Delivery> result = new ArrayList<>();
        for (CompletableFuture<Delivery> p : pending) {
            try {
                result.add(p.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return result;
            } catch (ExecutionException e) {
                result.add(new Delivery("?", false, 0,
                        "internal error: " + e.getCause().getClass().getSimpleName(), 0, 0));
            }
        }
        return result;
    }

    /** The names of the channels TARGETS configures ("slack", "pagerduty", "webhook"). */
    public static List<String> channelNames(AlertTargets targets) {
        return channels(targets).stream().map(AlertChannel::name).toList();
    }

    static List<AlertChannel> channels(AlertTargets targets) {
        List<AlertChannel> channels = new ArrayList<>();
        targets.slack().ifPresent(uri -> channels.add(new SlackChannel(uri)));
        targets.pagerDutyKey().ifPresent(key -> channels.add(new PagerDutyChannel(targets.pagerDutyUrl(), key)));
        targets.webhook().ifPresent(uri -> channels.add(new WebhookChannel(uri)));
        return channels;
    }

    private Delivery deliver(AlertChannel channel, Alert alert, int retries) {
        HttpRequest request = HttpRequest.newBuilder(channel.uri())
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "quant-supervision")
                .POST(HttpRequest.BodyPublishers.ofByteArray(channel.body(alert)))
                .build();
        long started = System.nanoTime();
        String error = "";
        int status = 0;
        Duration pause = FIRST_PAUSE;
        for (int attempt = 1; attempt <= 1 + retries; attempt++) {
            try {
                HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                status = response.statusCode();
                if (status / 100 == 2) {
                    return new Delivery(channel.name(), true, attempt, "", status, millisSince(started));
                }
                error = "HTTP " + status;
                // A 4xx other than 408/429 means a bad key or payload: repeating it cannot help.
                if (status / 100 == 4 && status != 408 && status != 429) {
                    return new Delivery(channel.name(), false, attempt, error, status, millisSince(started));
                }
            } catch (HttpConnectTimeoutException e) {
                error = "no connection within " + timeout.toMillis() + " ms";
            } catch (HttpTimeoutException e) {
                error = "no answer within " + timeout.toMillis() + " ms";
            } catch (ConnectException e) {
                error = "connection refused";
            } catch (java.io.IOException e) {
                error = "I/O error (" + e.getClass().getSimpleName() + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Delivery(channel.name(), false, attempt, "interrupted", status, millisSince(started));
            }
            if (attempt <= retries) {
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Delivery(channel.name(), false, attempt, error, status, millisSince(started));
                }
                pause = pause.multipliedBy(2);
            }
        }
        return new Delivery(channel.name(), false, 1 + retries, error, status, millisSince(started));
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
