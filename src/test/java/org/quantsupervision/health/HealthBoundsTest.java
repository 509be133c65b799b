package org.quantsupervision.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantsupervision.config.HostAlerts;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.process.ProcessIdentity;

import com.sun.net.httpserver.HttpServer;

/**
 * One bad strategy among good ones, with real files, FIFOs, processes and a loopback API that
 * drips its answer: the bad one is UNKNOWN or CRITICAL with the reason, the good ones OK, and the
 * round ends in bounded time. The good strategies' "runner" is this JVM and their "strategy" a
 * real sleep process, recorded in runner.json as a runner records them.
 */
class HealthBoundsTest {
    @TempDir
    Path dir;
    private Process strategy;
    private HttpServer drip;

    @BeforeEach
    void processes() throws IOException {
        strategy = new ProcessBuilder("sleep", "600").start();
    }

    @AfterEach
    void stop() {
        strategy.destroyForcibly();
        if (drip != null) {
            drip.stop(0);
        }
    }

    /** NAME with a live runner, a fresh STATE_FILE with a rule, and a short log, plus LINES. */
    private void good(String name, String... lines) throws IOException {
        Path state = Files.createDirectories(dir.resolve("lib").resolve(name)).resolve("state.json");
        Files.writeString(state, "{\"positions_in_error\": []}\n");
        Path log = Files.createDirectories(dir.resolve("log").resolve(name)).resolve("app.log");
        Files.writeString(log, "INFO start\nINFO tick\n");
        List<String> all = new ArrayList<>(List.of("STATE_FILE=" + state, "RULE_IN_ERROR=/positions_in_error > 0",
                "ERROR_LOG_FILE=" + log));
        all.addAll(List.of(lines));
        envConf(name, all);
        runnerJson(name);
    }

    private void envConf(String name, List<String> lines) throws IOException {
        Path conf = Files.createDirectories(dir.resolve("etc").resolve(name)).resolve("env.conf");
        Files.writeString(conf, "STRATEGY_DIRECTORY=" + dir + "\n" + String.join("\n", lines) + "\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
    }

    private void runnerJson(String name) throws IOException {
        ProcessIdentity runner = ProcessIdentity.of(ProcessHandle.current().pid()).orElseThrow();
        ProcessIdentity child = ProcessIdentity.of(strategy.pid()).orElseThrow();
        long now = System.currentTimeMillis();
        Path file = Files.createDirectories(dir.resolve("run").resolve(name)).resolve("runner.json");
        Files.writeString(file, "{\"name\":\"" + name + "\",\"state\":\"RUNNING\",\"runner_pid\":" + runner.pid()
                + ",\"runner_start_time\":" + runner.startTime() + ",\"child_pid\":" + child.pid()
                + ",\"child_start_time\":" + child.startTime() + ",\"child_started_at\":" + (now - 120_000)
                + ",\"restarts\":0,\"crash_streak\":0,\"updated_at\":" + now + "}");
    }

    private Path mkfifo(Path path) throws Exception {
        Files.createDirectories(path.getParent());
        assertEquals(0, new ProcessBuilder("mkfifo", path.toString()).start().waitFor());
        return path;
    }

    /** A loopback API that sends its headers, then one byte a second for a minute. */
    private URI drippingApi() throws IOException {
        drip = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        drip.setExecutor(Executors.newCachedThreadPool());
        drip.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream body = exchange.getResponseBody()) {
                for (int i = 0; i < 60; i++) {
                    body.write('.');
                    body.flush();
                    Thread.sleep(1000);
                }
            } catch (IOException | InterruptedException e) {
                // the checker hung up
            }
        });
        drip.start();
        return URI.create("http://127.0.0.1:" + drip.getAddress().getPort() + "/v1/health");
    }

    private StrategyHealth health() {
        return new StrategyHealth(dir.resolve("etc"), dir.resolve("run"), dir.resolve("lib"), dir.resolve("log"),
                dir.resolve("health"), System.getProperty("user.name"), HostAlerts.NONE, "host1",
                StrategyHealth.NO_ALERTS, false);
    }

    private static List<StrategyName> names(String... names) {
        return java.util.Arrays.stream(names).map(StrategyName::new).toList();
    }

    private static Map<String, CheckResult> byName(StrategyReport report) {
        Map<String, CheckResult> m = new LinkedHashMap<>();
        report.results().forEach(r -> m.put(r.name(), r));
        return m;
    }

    private static final String[] TEN = {"good-1", "good-2", "good-3", "good-4", "bad", "good-5", "good-6", "good-7",
        "good-8", "good-9"};

    @Test
    void fifosAtTheLogAndStateFileAndADrippingApiMakeOnlyThatStrategyFail() throws Exception {
        for (String name : TEN) {
            if (!name.equals("bad")) {
                good(name);
            }
        }
        Path state = mkfifo(dir.resolve("lib/bad/state.json"));
        Path log = mkfifo(dir.resolve("log/bad/app.log"));
        envConf("bad", List.of("STATE_FILE=" + state, "RULE_IN_ERROR=/positions_in_error > 0", "ERROR_LOG_FILE=" + log,
                "API_CHECK_URL=" + drippingApi(), "API_CHECK_TIMEOUT=2s"));
        runnerJson("bad");
        long started = System.nanoTime();
        List<StrategyReport> reports = new HealthRun(health(), HealthRun.PARALLEL, Duration.ofSeconds(10),
                HealthRun.BUDGET).check(names(TEN));
        long ms = (System.nanoTime() - started) / 1_000_000;
        System.out.println("HealthBoundsTest: FIFOs and a dripping API next to 9 good strategies: " + ms + " ms\n"
                + HumanReport.format(reports));
        assertEquals(List.of(TEN), reports.stream().map(StrategyReport::strategy).toList());
        for (StrategyReport r : reports) {
            if (!r.strategy().equals("bad")) {
                assertEquals(Status.OK, r.status(), HumanReport.format(List.of(r)));
            }
        }
        Map<String, CheckResult> bad = byName(reports.get(4));
        assertEquals(Status.CRITICAL, reports.get(4).status());
        String fifo = "is not a regular file (a FIFO, socket or device): not read";
        assertEquals("cannot read " + log + ": " + fifo, bad.get("error-rate").message());
        assertEquals(Status.UNKNOWN, bad.get("error-rate").status());
        assertEquals("cannot read STATE_FILE " + state + ": " + fifo, bad.get("rule-in-error").message());
        assertEquals("cannot read STATE_FILE " + state + ": " + fifo, bad.get("freshness").message());
        assertEquals(Status.CRITICAL, bad.get("api").status());
        assertEquals("127.0.0.1: no complete answer within 2000 ms", bad.get("api").message());
        // The API's 2 s, not a minute of dripping; the others meanwhile.
        assertTrue(ms < 4000, "the round took " + ms + " ms");
    }

    /**
     * A server that sends its status line, then header bytes five a second, for ever: the check
     * is CRITICAL at its timeout, and the abandoned request's thread ends too, instead of reading
     * headers as long as the server sends them (one more thread and socket every round).
     */
    @Test
    void aRequestAbandonedInItsHeadersEndsItsThread() throws Exception {
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            Thread dripper = Thread.ofPlatform().daemon().start(() -> {
                try (java.net.Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    out.write("HTTP/1.1 200 OK\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                    while (true) {
                        out.write('a');
                        out.flush();
                        Thread.sleep(200);
                    }
                } catch (IOException | InterruptedException e) {
                    // the checker hung up
                }
            });
            good("slow", "API_CHECK_URL=http://127.0.0.1:" + server.getLocalPort() + "/v1/health", "API_CHECK_TIMEOUT=1s");
            CheckResult api = byName(health().check(new StrategyName("slow"))).get("api");
            assertEquals(Status.CRITICAL, api.status());
            assertEquals("127.0.0.1: no complete answer within 1000 ms", api.message());
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (requestThreads() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(0, requestThreads(), "an api-check thread is still running 3 s after the deadline");
            dripper.join(Duration.ofSeconds(3));
            assertTrue(!dripper.isAlive(), "the server still has the connection: its socket was not closed");
        }
    }

    private static long requestThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("api-check")).count();
    }

    @Test
    void aTwoHundredMegabyteStateFileIsRefusedUnread() throws Exception {
        good("big");
        Path state = dir.resolve("lib/big/state.json");
        try (RandomAccessFile raf = new RandomAccessFile(state.toFile(), "rw")) {
            raf.setLength(200L << 20); // sparse: reading it would take seconds and the heap
        }
        long started = System.nanoTime();
        StrategyReport report = health().check(new StrategyName("big"));
        long ms = (System.nanoTime() - started) / 1_000_000;
        CheckResult rule = byName(report).get("rule-in-error");
        assertEquals(Status.UNKNOWN, rule.status());
        assertEquals("cannot read STATE_FILE " + state + ": is 209715200 bytes, larger than the limit of 4194304 bytes: "
                + "not read", rule.message());
        assertEquals(Status.OK, byName(report).get("freshness").status(), "its age is still judged");
        assertTrue(ms < 2000, ms + " ms");
    }

    @Test
    void aStateFileThatGrowsPastTheBoundWhileItIsReadFailsAtTheBound() throws Exception {
        Path state = Files.writeString(dir.resolve("state.json"), "[1,2,3,4]\n");
        try (var in = org.quantsupervision.record.UntrustedFile.stream(state, 10)) {
            Files.writeString(state, "[5,6,7,8]\n", StandardOpenOption.APPEND); // after the size was checked
            IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, in::readAllBytes);
            assertEquals("is more than 10 bytes, larger than the limit of 10 bytes: not read further", e.getMessage());
        }
    }

    @Test
    void aHungCheckIsUnknownWithinTheDeadlineWhileNineOthersAreOk() throws Exception {
        for (String name : TEN) {
            if (name.equals("bad")) {
                // A plugin that hangs, allowed longer than the strategy's deadline.
                good(name, "CHECK_HANG=/bin/sleep 30", "PLUGIN_TIMEOUT=60s");
            } else {
                good(name);
            }
        }
        long started = System.nanoTime();
        List<StrategyReport> reports = new HealthRun(health(), HealthRun.PARALLEL, Duration.ofSeconds(2),
                HealthRun.BUDGET).check(names(TEN));
        long ms = (System.nanoTime() - started) / 1_000_000;
        System.out.println("HealthBoundsTest: a hung check next to 9 good strategies: " + ms + " ms");
        for (StrategyReport r : reports) {
            if (r.strategy().equals("bad")) {
                assertEquals(Status.UNKNOWN, r.status());
                assertEquals("deadline", r.results().get(0).name());
                assertEquals("the check did not finish within 2 s (at: check-hang)", r.results().get(0).message());
            } else {
                assertEquals(Status.OK, r.status(), HumanReport.format(List.of(r)));
            }
        }
        assertTrue(ms >= 2000 && ms < 3000, "the round took " + ms + " ms");
    }

    @Test
    void aOneMegabyteLogLineAndLongLinesFitTheCheckersHeap() throws Exception {
        StringBuilder line = new StringBuilder("2026-11-29 ERROR dump ");
        line.append("x".repeat(12 * 1024 - line.length())).append('\n');
        String twelveKb = line.toString();
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            String name = "long-" + i;
            names.add(name);
            good(name, "ERROR_WARNING=2000", "ERROR_CRITICAL=2000", "ERROR_LINES=1002");
            Path log = dir.resolve("log").resolve(name).resolve("app.log");
            try (OutputStream out = Files.newOutputStream(log, StandardOpenOption.APPEND)) {
                out.write(("INFO " + "y".repeat(1 << 20) + " ERROR at the end\n").getBytes(StandardCharsets.US_ASCII));
                for (int l = 0; l < 1000; l++) {
                    out.write(twelveKb.getBytes(StandardCharsets.US_ASCII));
                }
                out.write(("INFO " + "z".repeat(1 << 20) + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        }
        // As the launcher runs the checker: a 32 MB heap that exits 3 on OutOfMemoryError. Eight
        // strategies at once with 12 MB of log lines each took ~12 KB lines to an OutOfMemoryError before.
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Xmx32m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
                "-p", System.getProperty("jdk.module.path"), "-m", "org.quantsupervision/org.quantsupervision.cli.Main",
                "health", "--config-dir", dir.resolve("etc").toString(), "--runtime-dir", dir.resolve("run").toString(),
                "--state-dir", dir.resolve("lib").toString(), "--health-dir", dir.resolve("health").toString(),
                "--log-dir", dir.resolve("log").toString(), "--all", "--no-act"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        for (String name : names) {
            assertTrue(out.contains(name + ": OK"), out);
        }
        // The 1 MB line's ERROR lies beyond the kept 4 KiB; the 12 KB lines' at their start.
        assertTrue(out.contains("1000 of the last 1002 log lines match ERROR|CRITICAL (1002 longer than 4096 bytes: "
                + "their start only)"), out);
    }
}
