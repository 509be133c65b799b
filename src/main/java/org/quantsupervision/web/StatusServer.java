package org.quantsupervision.web;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.quantsupervision.status.HostStatus;
import org.quantsupervision.status.StatusJson;
import org.quantsupervision.status.StatusMetrics;

/**
 * {@code serve}: the status page, {@code /api/status} and {@code /metrics} over the JDK's own
 * HTTP server (jdk.httpserver, in the runtime image already), read-only: every answer is drawn
 * from a fresh {@link HostStatus}, and no request can change anything, because no handler does.
 *
 * <p>What a request gets, in this order: 401 without the credential (when one is configured, for
 * every path, so that nothing is learnt without it); 421 for a Host header that is not a loopback
 * name on a listener without a credential (a DNS-rebinding page in an operator's browser would
 * otherwise read the status from 127.0.0.1); 404 for any path but the three; 405 for any method
 * but GET and HEAD.
 */
public final class StatusServer implements AutoCloseable {
    /** Requests served at once: a page costs milliseconds; more would only let a flood cost more. */
    private static final int THREADS = 2;

    static {
        // jdk.httpserver reads a request's headers on a worker thread and, by default, waits for
        // them for ever: two connections that send one byte each would hold both threads (any
        // local account can connect to loopback, the strategy's too). Its own limits, read once
        // when the server class is first used: a request's headers within 5 s, its answer
        // written within 30 s, at most 32 connections, 16 KiB of headers.
        setDefault("sun.net.httpserver.maxReqTime", "5");
        setDefault("sun.net.httpserver.maxRspTime", "30");
        setDefault("jdk.httpserver.maxConnections", "32");
        setDefault("sun.net.httpserver.maxReqHeaderSize", "16384");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private final List<HttpServer> servers = new ArrayList<>();
    private final ExecutorService executor;
    private final Optional<Credential> credential;
    private final Supplier<HostStatus> status;
    private final StatusPage page;

    /**
     * Binds every address in LISTEN (nothing is served until {@link #start()}).
     *
     * @param status gathers the dashboard afresh for each request
     * @throws IOException when an address cannot be bound (in use, not this host's)
     */
    public StatusServer(List<InetSocketAddress> listen, Optional<Credential> credential, Supplier<HostStatus> status,
            StatusPage page) throws IOException {
        this.credential = credential;
        this.status = status;
        this.page = page;
        this.executor = Executors.newFixedThreadPool(THREADS, Thread.ofPlatform().name("serve-", 0).daemon().factory());
        try {
            for (InetSocketAddress address : listen) {
                HttpServer server = HttpServer.create(address, 16);
                server.createContext("/", this::handle);
                server.setExecutor(executor);
                servers.add(server);
            }
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    public void start() {
        servers.forEach(HttpServer::start);
    }

    /** The bound addresses (with the port the system chose for port 0). */
    public List<InetSocketAddress> addresses() {
        return servers.stream().map(HttpServer::getAddress).toList();
    }

    @Override
    public void close() {
        servers.forEach(s -> s.stop(0));
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (credential.isPresent()
                    && !credential.get().admits(Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")))) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"quant-supervision\", charset=\"UTF-8\"");
                plain(exchange, 401, "401 the status needs the token of serve's --token-file (basic auth: any user, "
                        + "the token as the password; or Authorization: Bearer TOKEN)\n");
                return;
            }
            if (credential.isEmpty() && !loopbackHost(exchange.getRequestHeaders().getFirst("Host"))) {
                plain(exchange, 421, "421 this server answers only to localhost, 127.0.0.1 and [::1]\n");
                return;
            }
            Optional<Route> route = Route.of(exchange.getRequestURI().getRawPath());
            if (route.isEmpty()) {
                plain(exchange, 404, "404 not found: the paths are /, /api/status and /metrics\n");
                return;
            }
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                plain(exchange, 405, "405 method not allowed: this server is read-only (GET, HEAD)\n");
                return;
            }
            long start = System.nanoTime();
            HostStatus host = status.get();
            long collected = System.nanoTime();
            String body = switch (route.get()) {
                case PAGE -> page.render(host, Instant.now());
                case STATUS -> StatusJson.format(host);
                case METRICS -> StatusMetrics.format(host);
            };
            long rendered = System.nanoTime();
            exchange.getResponseHeaders().set("Server-Timing", String.format(Locale.ROOT,
                    "collect;dur=%.2f, render;dur=%.2f", (collected - start) / 1e6, (rendered - collected) / 1e6));
            if (route.get() == Route.PAGE) {
                exchange.getResponseHeaders().set("Content-Security-Policy", page.contentSecurityPolicy());
                exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
            }
            send(exchange, 200, route.get().contentType, body);
        } catch (RuntimeException e) {
            // A bug must not kill the server's thread silently: the request gets a 500, the journal the reason.
            System.err.println("serve: " + exchange.getRequestURI().getRawPath() + ": " + e);
            try {
                plain(exchange, 500, "500 internal error (a bug: the journal has its line)\n");
            } catch (IOException | RuntimeException ignored) {
                // the headers were sent already: the connection is closed below
            }
        }
    }

    /** Whether a Host header names the loopback: localhost, 127.0.0.1 or [::1], with or without a port. */
    static boolean loopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[::1]")) {
            h = h.substring(5);
        } else {
            int colon = h.indexOf(':');
            String name = colon < 0 ? h : h.substring(0, colon);
            if (!name.equals("localhost") && !name.equals("127.0.0.1")) {
                return false;
            }
            h = colon < 0 ? "" : h.substring(colon);
        }
        return h.isEmpty() || h.matches(":[0-9]{1,5}");
    }

    private static void plain(HttpExchange exchange, int code, String text) throws IOException {
        send(exchange, code, "text/plain; charset=utf-8", text);
    }

    private static void send(HttpExchange exchange, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(code, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
