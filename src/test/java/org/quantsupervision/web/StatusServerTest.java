package org.quantsupervision.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quantsupervision.status.HostStatus;
import org.quantsupervision.status.StatusJson;

/**
 * The server's rules, over real sockets: three documented GETs, everything else 404 or 405,
 * the Host check of a loopback listener, the credential of any other, and /api/status the very
 * document {@code status --json} prints.
 */
class StatusServerTest {
    private static final HostStatus HOST = new HostStatus(false, "cron", List.of());
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private StatusServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    private int start(Optional<Credential> credential) throws IOException {
        server = new StatusServer(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)), credential,
                () -> HOST, new StatusPage("testhost", n -> Optional.empty(), ZoneOffset.UTC));
        server.start();
        return server.addresses().get(0).getPort();
    }

    /** One raw HTTP/1.1 exchange: the status line and the rest. Raw, so that Host and the method are ours to choose. */
    private static String request(int port, String method, String path, String... headers) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            StringBuilder r = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
            boolean host = false;
            for (String h : headers) {
                r.append(h).append("\r\n");
                host |= h.startsWith("Host:");
            }
            if (!host) {
                r.append("Host: 127.0.0.1:").append(port).append("\r\n");
            }
            r.append("Connection: close\r\nContent-Length: 0\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(r.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int code(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void onlyTheThreeDocumentedGetsAreServed() throws Exception {
        int port = start(Optional.empty());
        for (String path : List.of("/", "/api/status", "/metrics")) {
            assertEquals(200, code(request(port, "GET", path)), path);
            assertEquals(200, code(request(port, "HEAD", path)), "HEAD " + path);
            for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE")) {
                String r = request(port, method, path);
                assertEquals(405, code(r), method + " " + path + ":\n" + r);
                assertTrue(r.contains("Allow: GET, HEAD"), r);
            }
        }
        for (String path : List.of("/index.html", "/api/status/", "/metrics/", "//metrics", "/api", "/%2e%2e/etc/passwd",
                "/api/status?x=1&y=2/../..", "/../metrics", "/rpc2", "/RPC2", "/logtail/x")) {
            String r = request(port, "GET", path);
            int expected = path.startsWith("/api/status?") ? 200 : 404; // a query string is no other path
            assertEquals(expected, code(r), path + ":\n" + r);
            assertEquals(expected == 200 ? 405 : 404, code(request(port, "POST", path)), "POST " + path);
        }
        String page = request(port, "GET", "/");
        String headers = page.substring(0, page.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT);
        assertTrue(headers.contains("content-security-policy: default-src 'none'; style-src 'sha256-"), page);
        assertTrue(headers.contains("server-timing: collect;dur="), page);
        assertTrue(headers.contains("x-frame-options: deny") && headers.contains("x-content-type-options: nosniff"), page);
        assertTrue(body(page).contains("<meta http-equiv=\"refresh\""), "refreshes itself without JavaScript");
        assertFalse(body(page).contains("<script"), "no script");
        assertEquals(StatusJson.format(HOST), body(request(port, "GET", "/api/status")),
                "/api/status is status --json's document");
    }

    @Test
    void aLoopbackListenerAnswersOnlyToLoopbackHostNames() throws Exception {
        int port = start(Optional.empty());
        for (String host : List.of("localhost", "localhost:" + port, "127.0.0.1", "[::1]:" + port)) {
            assertEquals(200, code(request(port, "GET", "/metrics", "Host: " + host)), host);
        }
        // a DNS-rebinding page: its own name, resolved to 127.0.0.1
        for (String host : List.of("attacker.example", "attacker.example:" + port, "127.0.0.1.attacker.example",
                "localhost.attacker.example", "[::1]x", "127.0.0.1:80:80")) {
            assertEquals(421, code(request(port, "GET", "/api/status", "Host: " + host)), host);
        }
    }

    @Test
    void withACredentialEveryPathNeedsTheToken() throws Exception {
        int port = start(Optional.of(Credential.of((TOKEN + "\n").getBytes(StandardCharsets.UTF_8))));
        for (String path : List.of("/", "/api/status", "/metrics", "/nothing")) {
            String r = request(port, "GET", path);
            assertEquals(401, code(r), path);
            assertTrue(r.toLowerCase(java.util.Locale.ROOT).contains("www-authenticate: basic realm=\"quant-supervision\""), r);
            assertEquals(401, code(request(port, "GET", path, "Authorization: Bearer " + TOKEN + "x")), path);
            assertEquals(401, code(request(port, "GET", path, "Authorization: Basic "
                    + Base64.getEncoder().encodeToString(("ops:" + TOKEN.substring(1)).getBytes(StandardCharsets.UTF_8)))));
        }
        assertEquals(200, code(request(port, "GET", "/metrics", "Authorization: Bearer " + TOKEN)));
        assertEquals(200, code(request(port, "GET", "/", "Host: status.desk.example", "Authorization: Basic "
                + Base64.getEncoder().encodeToString(("ops:" + TOKEN).getBytes(StandardCharsets.UTF_8)))),
                "with the token, any Host (a reverse proxy's)");
        assertEquals(404, code(request(port, "GET", "/nothing", "Authorization: Bearer " + TOKEN)));
        assertEquals(405, code(request(port, "POST", "/", "Authorization: Bearer " + TOKEN)));
    }

    @Test
    void aShortOrBlankTokenIsRefused() {
        for (String file : List.of("", "\n", "short\n", "0123456789 abcdef0123456789\n")) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> Credential.of(file.getBytes(StandardCharsets.UTF_8)));
            assertTrue(e.getMessage().contains("at least " + Credential.MIN_LENGTH), e.getMessage());
        }
    }
}
