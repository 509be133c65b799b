package org.quantsupervision.etcd;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * The HTTP side: one client (HTTP/1.1: every watch holds a connection of its own, and the
 * gateway's streams are plain chunked responses), a POST to the gateway under one call's
 * deadline, and what a failed exchange means for the failover.
 *
 * <p>HttpRequest's timeout ends when the response headers arrive, so each attempt also waits
 * for the whole body with a bound ({@code get(share)}) and cancels the exchange past it (since
 * JDK 16 a cancel aborts the request). The JDK verifies the server's name against its
 * certificate's SANs (the endpoint identification algorithm "HTTPS" is on by default).
 */
final class Transport implements AutoCloseable {
    private final HttpClient http;
    private final Endpoints endpoints;

    Transport(EtcdSettings settings, Optional<SSLContext> tls) {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(settings.requestTimeout());
        tls.ifPresent(b::sslContext);
        this.http = b.build();
        this.endpoints = new Endpoints(settings.endpoints());
    }

    HttpClient http() {
        return http;
    }

    Endpoints endpoints() {
        return endpoints;
    }

    /** PATH's reply to BODY, from the first endpoint that answers before DEADLINE. */
    Reply post(String path, byte[] body, Optional<String> token, Deadline deadline) throws EtcdException {
        return endpoints.failover(deadline, path, (base, share) -> postOnce(base, path, body, token, share));
    }

    private Reply postOnce(URI base, String path, byte[] body, Optional<String> token, Duration share)
            throws EndpointFailed, EtcdException {
        CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(request(base, path, body, token, share),
                HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> response = await(pending, share, path);
        return GatewayError.reply(path, response.statusCode(), response.body());
    }

    /**
     * A POST of BODY to BASE + PATH, with the token if one is set, and etcd's "require leader"
     * metadata (the gateway passes a {@code Grpc-Metadata-} header on as gRPC metadata), which
     * clientv3 sets with WithRequireLeader: a member without a leader refuses the call at once
     * ("etcdserver: no leader", so the next endpoint is tried), and ends the watches it serves
     * when it loses its leader, instead of keeping them open and silent, cut off from the
     * cluster's changes.
     */
    static HttpRequest request(URI base, String path, byte[] body, Optional<String> token, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Content-Type", "application/json").header("Grpc-Metadata-hasleader", "true")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        // etcd reads the token from the "authorization" metadata the gateway makes of this header.
        token.ifPresent(t -> b.header("Authorization", t));
        return b.build();
    }

    /** PENDING's value within SHARE; a timeout, a refusal or a broken exchange is an endpoint failure. */
    static <T> T await(CompletableFuture<T> pending, Duration share, String path) throws EndpointFailed, EtcdException {
        try {
            return pending.get(share.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new EndpointFailed("no answer within " + share.toMillis() + " ms", false);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new EtcdException(EtcdException.Kind.UNAVAILABLE, "interrupted while waiting for etcd's answer to " + path);
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        }
    }

    /**
     * What an exchange's exception means. The JDK's messages name the endpoint at most (URLs
     * here hold no credentials, EtcdSettings refuses user info), never a header or a body.
     */
    static EndpointFailed failure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SSLException) {
                return new EndpointFailed("TLS: " + c.getMessage(), true);
            }
            if (c instanceof HttpConnectTimeoutException) {
                return new EndpointFailed("connect timed out", false);
            }
            if (c instanceof HttpTimeoutException) {
                return new EndpointFailed("no answer in time", false);
            }
            if (c instanceof ConnectException) {
                return new EndpointFailed("cannot connect: " + describe(c), false);
            }
        }
        return new EndpointFailed(t instanceof IOException ? "connection failed: " + describe(t)
                : "request failed: " + describe(t), false);
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** Ends every exchange, the watches' streams included. */
    @Override
    public void close() {
        http.shutdownNow();
    }
}
