package org.quantsupervision.alert;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import com.sun.net.httpserver.HttpServer;

/**
 * A loopback HTTP server standing in for Slack, PagerDuty, a webhook or an API: it records every
 * request's path and body and answers with the status STATUSES gives for the n-th request.
 */
public final class Receiver implements AutoCloseable {
    public record Request(String method, String path, String body) {
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger count = new AtomicInteger();

    public Receiver(IntSupplier statuses) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    new String(body, StandardCharsets.UTF_8)));
            count.incrementAndGet();
            exchange.sendResponseHeaders(statuses.getAsInt(), -1);
            exchange.close();
        });
        server.start();
    }

    /** Answers every request with STATUS. */
    public static Receiver answering(int status) throws IOException {
        return new Receiver(() -> status);
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
