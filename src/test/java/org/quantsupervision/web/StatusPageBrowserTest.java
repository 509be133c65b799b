package org.quantsupervision.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.runner.Installation;
import org.quantsupervision.runner.MonitorProcess;

/**
 * The status page as a person sees it: {@code serve} (the real command, through the launcher)
 * over two real runners, one of whose strategies crashed once and was restarted, opened in
 * headless Chromium (Debian's chromium). The DOM Chromium built is checked for what the screen
 * shows: each name and state, the crash and its restart on the crashed strategy's timeline,
 * the checks of a health run; the screenshot is kept (target/artifacts/status-page.png, which
 * tests/run copies out and names). Secrets planted in env.conf appear in no answer.
 */
@Tag("chromium")
class StatusPageBrowserTest {
    private static final String SECRET = "sk-live-0123456789abcdefSECRET";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;
    private final List<MonitorProcess> runners = new ArrayList<>();
    private Process serve;

    @AfterEach
    void stop() throws Exception {
        if (serve != null) {
            serve.destroy();
            serve.waitFor(20, TimeUnit.SECONDS);
        }
        for (MonitorProcess r : runners) {
            r.close();
        }
    }

    private void configure(String name, String script) throws IOException {
        Path program = Files.writeString(dir.resolve(name + ".sh"), script);
        Path conf = Files.createDirectories(dir.resolve("etc").resolve(name)).resolve("env.conf");
        Files.writeString(conf, "STRATEGY_COMMAND=/bin/sh " + program + "\nSTRATEGY_DIRECTORY=" + dir
                + "\nSTART_GRACE=100ms\nSTOP_TIMEOUT=2s\nTICKDB_API_KEY=" + SECRET + "\nBROKER_PASSWORD=" + SECRET
                + "-2\nREQUIRED_ENV=TICKDB_API_KEY\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
    }

    private List<String> dirs() {
        return List.of("--config-dir", dir.resolve("etc").toString(), "--runtime-dir", dir.resolve("run").toString(),
                "--state-dir", dir.resolve("lib").toString(), "--health-dir", dir.resolve("health").toString(),
                "--log-dir", dir.resolve("log").toString());
    }

    @Test
    void chromiumShowsEveryStrategysStateAndTheCrashedOnesRestartOnItsTimeline() throws Exception {
        configure("steady", "while :; do sleep 0.2; done\n");
        // crashes once, 1 s after its first start; runs from its restart on
        Path marker = dir.resolve("crashed-once");
        configure("crashy", "if [ ! -e " + marker + " ]; then sleep 1; : > " + marker
                + "; echo 'book desync' >&2; exit 3; fi\nwhile :; do sleep 0.2; done\n");
        runners.add(MonitorProcess.start(new StrategyName("steady"), dir));
        runners.add(MonitorProcess.start(new StrategyName("crashy"), dir));
        waitFor(() -> Files.readString(dir.resolve("run/crashy/runner.json")).contains("\"restarts\":1")
                && Files.readString(dir.resolve("run/crashy/runner.json")).contains("\"state\":\"RUNNING\"")
                && Files.readString(dir.resolve("run/steady/runner.json")).contains("\"state\":\"RUNNING\""),
                "both running, crashy restarted once");
        // one health round, so that the page has checks to show
        Path textfiles = Files.createDirectories(dir.resolve("textfiles"));
        List<String> health = new ArrayList<>(List.of(Installation.launcher().toString(), "health", "--all",
                "--prometheus-dir", textfiles.toString()));
        health.addAll(dirs());
        ProcessBuilder round = new ProcessBuilder(health).redirectErrorStream(true)
                .redirectOutput(dir.resolve("health.out").toFile());
        round.environment().clear();
        round.environment().putAll(Installation.environment());
        Process checked = round.start();
        assertTrue(checked.waitFor(60, TimeUnit.SECONDS), "a health round ends");
        // the textfile node_exporter collects: the same writer, the same parser's verdict
        String textfile = Files.readString(textfiles.resolve("quant-supervision-crashy.prom"));
        promtool(textfile);
        assertTrue(textfile.contains("quant_supervision_check_status{strategy=\"crashy\",check=\"process\"} 0\n"),
                textfile);

        List<String> command = new ArrayList<>(List.of(Installation.launcher().toString(), "serve", "--listen",
                "127.0.0.1:0"));
        command.addAll(dirs());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(Installation.environment());
        serve = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        Matcher m = Pattern.compile("serve: listening on (http://127\\.0\\.0\\.1:\\d+/)").matcher(line == null ? "" : line);
        assertTrue(m.find(), "serve's first line: " + line);
        String url = m.group(1);

        Path artifacts = Files.createDirectories(Path.of(System.getProperty("quant-supervision.artifacts",
                dir.resolve("artifacts").toString())));
        Path screenshot = artifacts.resolve("status-page.png");
        Files.deleteIfExists(screenshot);
        String dom = chromium("--dump-dom", url);
        chromium("--screenshot=" + screenshot, "--window-size=1500,900", url);

        for (String name : List.of("steady", "crashy")) {
            String row = row(dom, name);
            assertTrue(row.contains(">" + name + "</td>"), "the name in its row: " + row);
            assertTrue(row.contains("<span class=\"state ok\">RUNNING</span>"), name + " is RUNNING: " + row);
        }
        String crashy = row(dom, "crashy");
        assertTrue(crashy.contains("class=\"mark crashed\""), "a crash mark on crashy's timeline: " + crashy);
        assertTrue(Pattern.compile("\\d\\d:\\d\\d:\\d\\d crashed \\(status 3\\), restarted by the runner").matcher(crashy)
                .find(), "the crash, and the restart after it, said in words: " + crashy);
        assertTrue(crashy.contains("<td class=\"num\">0 / 1</td>") || crashy.contains("<td class=\"num\">1 / 1</td>"),
                "one crash in 24 h: " + crashy);
        assertFalse(row(dom, "steady").contains("class=\"mark "), "steady's timeline is empty");
        assertTrue(dom.contains("<td>process</td>"), "the health run's process check is listed: " + dom);
        assertTrue(Files.size(screenshot) > 10_000, "a screenshot of the page: " + Files.size(screenshot) + " bytes");
        System.out.println("status page screenshot: " + screenshot);

        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("", "api/status", "metrics")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), path);
            assertFalse(r.body().contains("sk-live-0123456789"), "no secret in /" + path + ": " + r.body());
            if (path.equals("metrics")) {
                promtool(r.body());
                assertTrue(r.body().contains("quant_supervision_strategy_restarts_total{strategy=\"crashy\"} 1\n"), r.body());
                assertTrue(r.body().contains("quant_supervision_check_status{strategy=\"steady\",check=\"process\"} 0\n"),
                        r.body());
            }
        }
        assertFalse(dom.contains("sk-live-0123456789"), "no secret in the page as rendered");
    }

    /** Prometheus' own parser and linter over a scrape: no error, no lint finding. */
    private void promtool(String metrics) throws Exception {
        Path file = Files.writeString(dir.resolve("metrics.txt"), metrics);
        Process p = new ProcessBuilder("/usr/bin/promtool", "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool ends");
        assertEquals(0, p.exitValue(), "promtool check metrics:\n" + said + "\n" + metrics);
        assertEquals("", said.strip(), "promtool's findings");
    }

    /** The table row of strategy NAME in the DOM. */
    private static String row(String dom, String name) {
        int start = dom.indexOf("<tr id=\"strategy-" + name + "\">");
        assertTrue(start >= 0, "a row for " + name + " in:\n" + dom);
        return dom.substring(start, dom.indexOf("</tr>", start));
    }

    /** Runs headless Chromium with ARGS; its standard output (the DOM, for --dump-dom). */
    private String chromium(String... args) throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM), "Debian's chromium is installed (tests/setup)");
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--no-first-run", "--user-data-dir=" + dir.resolve("chromium-profile"),
                "--virtual-time-budget=2000"));
        command.addAll(List.of(args));
        Path log = dir.resolve("chromium.log");
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            fail("chromium " + String.join(" ", args) + " failed:\n" + Files.readString(log));
        }
        return text;
    }

    private interface Condition {
        boolean holds() throws IOException;
    }

    private static void waitFor(Condition condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (IOException e) {
                // not written yet
            }
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }
}
