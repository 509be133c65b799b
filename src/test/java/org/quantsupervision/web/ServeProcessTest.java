package org.quantsupervision.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantsupervision.runner.Installation;

/** {@code serve} as its own process (the launcher, as the unit runs it): its refusals and its limits. */
class ServeProcessTest {
    @TempDir
    Path dir;
    private Process serve;
    private final List<Socket> held = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Socket s : held) {
            s.close();
        }
        if (serve != null) {
            serve.destroy();
            serve.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private Process start(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(Installation.launcher().toString(), "serve"));
        command.addAll(List.of(options));
        command.addAll(List.of("--config-dir", dir.resolve("etc").toString(), "--runtime-dir",
                dir.resolve("run").toString(), "--state-dir", dir.resolve("lib").toString(), "--health-dir",
                dir.resolve("health").toString(), "--log-dir", dir.resolve("log").toString()));
        dir.resolve("etc").toFile().mkdirs();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(Installation.environment());
        return builder.start();
    }

    @Test
    void anAddressBeyondLoopbackWithoutATokenIsRefusedBeforeItListens() throws Exception {
        Process p = start("--listen", "0.0.0.0:0");
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(78, p.exitValue(), said);
        assertTrue(said.contains("serve: --listen 0.0.0.0:0 is not a loopback address and no --token-file was given"),
                said);
        Process bad = start("--listen", "127.0.0.1:http");
        String usage = new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(bad.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, bad.exitValue(), usage);
        assertTrue(usage.contains("expected HOST:PORT"), usage);
    }

    /**
     * Slowloris, as any local account can play it: connections that send one byte of a request
     * and nothing more. The server's two threads would wait on them for ever; it closes them after
     * its 5 s and answers the next request.
     */
    @Test
    void halfSentRequestsDoNotHoldTheServer() throws Exception {
        serve = start("--listen", "127.0.0.1:0");
        BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        Matcher m = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/").matcher(line == null ? "" : line);
        assertTrue(m.find(), "serve's first line: " + line);
        int port = Integer.parseInt(m.group(1));
        for (int i = 0; i < 6; i++) {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
            OutputStream o = s.getOutputStream();
            o.write('G');
            o.flush();
            held.add(s);
        }
        long start = System.nanoTime();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + port + "/metrics")).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(200, r.statusCode());
        assertTrue(ms < 12_000, "answered after " + ms + " ms");
        for (Socket s : held) {
            s.setSoTimeout(10_000);
            int read;
            try {
                read = s.getInputStream().read();
            } catch (java.net.SocketException e) {
                read = -1; // reset: closed with our unread byte in its buffer
            }
            assertEquals(-1, read, "the half-sent request's connection is closed by the server");
        }
    }
}
