package org.quantsupervision.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantsupervision.alert.AlertSender;
import org.quantsupervision.alert.Receiver;
import org.quantsupervision.config.StrategyAccount;
import org.quantsupervision.config.StrategyName;

/**
 * The checklist on strategies under supervisord (no systemd needed): a well set-up one passes
 * every item it can, a misconfigured one fails exactly the items that are wrong, with no secret
 * in any message.
 */
class StrategyDoctorTest {
    @TempDir
    Path dir;

    private Layout layout() {
        return new Layout(dir.resolve("etc"), dir.resolve("systemd"), n -> dir.resolve("supervisor").resolve(n + ".conf"),
                n -> new StrategyAccount(System.getProperty("user.name"), "quant-group"), dir.resolve("alerts.conf"), false);
    }

    private void strategy(String name, String mode, String env, String program, String code) throws IOException {
        Path conf = Files.createDirectories(dir.resolve("etc").resolve(name)).resolve("env.conf");
        Path codeDir = Files.createDirectories(dir.resolve("code").resolve(name));
        Files.writeString(codeDir.resolve("main.py"), code);
        Files.writeString(conf, "STRATEGY_COMMAND=/usr/bin/python3 " + codeDir.resolve("main.py") + "\nSTRATEGY_DIRECTORY="
                + codeDir + "\n" + env);
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString(mode));
        Files.createDirectories(dir.resolve("supervisor"));
        Files.writeString(dir.resolve("supervisor").resolve(name + ".conf"), "[program:quant-strategy-" + name + "]\n"
                + "command=/usr/bin/quant-supervision run " + name + " ; the runner\n" + program + "\n[group:other]\nuser=root\n");
    }

    private static Map<String, Finding> byItem(List<Finding> findings) {
        return findings.stream().collect(Collectors.toMap(Finding::item, f -> f, (a, b) -> a));
    }

    private static List<String> failed(List<Finding> findings) {
        return findings.stream().filter(f -> f.grade() == Finding.Grade.FAIL).map(Finding::item).toList();
    }

    @Test
    void aHaltedStrategyIsAWarnSayingWhoHaltedItWhenAndWhy() throws Exception {
        strategy("held", "rw-------", "", "user=quant-user\n", "pass\n");
        StrategyDoctor doctor = new StrategyDoctor(layout(), Optional.empty(), "h");
        assertEquals(Finding.Grade.PASS, byItem(doctor.check(new StrategyName("held"))).get("kill switch").grade());
        Files.writeString(dir.resolve("etc/held/halted"), "{\"by\":\"alice\",\"at\":\"2026-12-02T16:00:00Z\","
                + "\"reason\":\"venue outage\"}\n");
        Finding f = byItem(doctor.check(new StrategyName("held"))).get("kill switch");
        assertEquals(Finding.Grade.WARN, f.grade());
        assertTrue(f.message().startsWith("halted by alice at 2026-12-02T16:00:00Z: venue outage"), f.message());
        assertEquals("quant-supervision resume held once it may trade again", f.fix());
    }

    @Test
    void aWellSetUpStrategyPassesAndItsWebhookIsOnlyConnectedTo() throws Exception {
        try (Receiver webhook = Receiver.answering(200)) {
            strategy("good", "rw-------", "TICKDB_API_KEY=tk_live_0123456789abcdef\nHEARTBEAT_FILE=/tmp/hb\n"
                    + "ALERT_WEBHOOK_URL=" + webhook.uri("/hook/secret-part") + "\n",
                    "user=quant-user\nstartsecs=5\nstartretries=5\nstdout_logfile_maxbytes=10MB\nstdout_logfile_backups=5\nstopwaitsecs=30\n",
                    "import os\nkey = os.environ['TICKDB_API_KEY']\ntoken_url = 'https://example.invalid/token'\n");
            List<Finding> findings = new StrategyDoctor(layout(), Optional.empty(), "h").check(new StrategyName("good"));
            assertEquals(List.of(), failed(findings), findings.toString());
            Map<String, Finding> items = byItem(findings);
            assertEquals(Finding.Grade.PASS, items.get("runs as non-root").grade());
            assertEquals(Finding.Grade.PASS, items.get("no secrets in code or units").grade());
            assertEquals(Finding.Grade.WARN, items.get("resource limits").grade(), "supervisord has no memory limit");
            // Reachable, but from env.conf, which the strategy reads: a warning to move it to alerts.conf.
            assertEquals(Finding.Grade.WARN, items.get("alerts configured").grade());
            assertTrue(items.get("alerts configured").message().startsWith("webhook reachable (nothing sent"));
            assertTrue(items.get("alerts configured").message().contains("ALERT_WEBHOOK_URL in "), items.toString());
            assertTrue(items.get("alerts configured").fix().contains("/etc/quant-supervision/alerts.conf"));
            assertEquals(0, webhook.requests().size(), "doctor without --send-test-alert sends nothing");

            AlertSender sender = new AlertSender(AlertSender.client(Duration.ofSeconds(2)), Duration.ofSeconds(2));
            List<Finding> sent = new StrategyDoctor(layout(), Optional.of(sender), "h").check(new StrategyName("good"));
            assertEquals(Finding.Grade.WARN, byItem(sent).get("alerts configured").grade(), sent.toString());
            assertEquals(1, webhook.requests().size(), "--send-test-alert sends one");
        }
    }

    @Test
    void aMisconfiguredStrategyFailsExactlyWhatIsWrongAndNoMessageHoldsASecret() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        strategy("bad", "rw-r--r--", "TICKDB_API_KEY=tk_live_0123456789abcdef\n",
                "user=root\nstdout_logfile_maxbytes=0\n",
                "KEY = 'tk_live_0123456789abcdef'\nclient(api_key=\"ZmFrZWtleWZha2VrZXlmYWtl\")\n");
        List<Finding> findings = new StrategyDoctor(layout(), Optional.empty(), "h").check(new StrategyName("bad"));
        assertEquals(List.of("env.conf " + "root:quant-group 0640", "runs as non-root", "log rotation", "stop deadline",
                "no secrets in code or units", "alerts configured"), failed(findings), findings.toString());
        Map<String, Finding> items = byItem(findings);
        assertTrue(items.get("env.conf " + "root:quant-group 0640").message().contains("mode 0644"));
        String secrets = items.get("no secrets in code or units").message();
        assertTrue(secrets.contains("main.py:1 (the value of TICKDB_API_KEY from env.conf)"), secrets);
        assertTrue(secrets.contains("main.py:2 (a literal assigned to api_key)"), secrets);
        assertEquals(Finding.Grade.WARN, items.get("hang detection").grade());
        for (Finding f : findings) {
            assertFalse((f.message() + f.fix()).contains("tk_live"), f.toString());
            assertFalse((f.message() + f.fix()).contains("ZmFrZWtl"), f.toString());
        }

        // An unreachable webhook fails too, naming the channel and host but not the URL's path.
        Path conf = dir.resolve("etc/bad/env.conf");
        Files.writeString(conf, Files.readString(conf) + "ALERT_WEBHOOK_URL=http://127.0.0.1:" + closedPort
                + "/hook/secret-part\n");
        Finding alerts = byItem(new StrategyDoctor(layout(), Optional.empty(), "h").check(new StrategyName("bad")))
                .get("alerts configured");
        assertEquals(Finding.Grade.FAIL, alerts.grade());
        assertEquals("webhook: cannot connect to 127.0.0.1:" + closedPort + " (ConnectException)", alerts.message());
    }

    @Test
    void theSecretSearchReadsOnlyWhatTheStrategysAccountCould() throws Exception {
        // Root runs doctor over the directory env.conf names, searching for values env.conf
        // sets: a hit in a file its account cannot read would tell it what the file holds.
        String account = "nobody";
        assumeTrue(Files.readString(Path.of("/etc/passwd")).contains("\nnobody:"), "no account nobody here");
        strategy("probe", "rw-------", "TICKDB_API_KEY=tk_live_0123456789abcdef\n", "user=" + account + "\nstartsecs=5\n",
                "KEY = 'tk_live_0123456789abcdef'\n");
        Path code = dir.resolve("code/probe");
        Files.writeString(code.resolve("root-only.txt"), "tk_live_0123456789abcdef\n");
        Files.setPosixFilePermissions(code.resolve("root-only.txt"), PosixFilePermissions.fromString("rw-------"));
        Path hidden = Files.createDirectories(code.resolve("hidden"));
        Files.writeString(hidden.resolve("notes.txt"), "tk_live_0123456789abcdef\n");
        Files.setPosixFilePermissions(hidden, PosixFilePermissions.fromString("rwx------"));
        for (Path d : List.of(dir, dir.resolve("code"), code)) {
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Layout layout = new Layout(dir.resolve("etc"), dir.resolve("systemd"),
                n -> dir.resolve("supervisor").resolve(n + ".conf"), n -> new StrategyAccount(account, "quant-group"),
                dir.resolve("alerts.conf"), false);
        Finding secrets = byItem(new StrategyDoctor(layout, Optional.empty(), "h").check(new StrategyName("probe")))
                .get("no secrets in code or units");
        assertEquals(Finding.Grade.FAIL, secrets.grade(), secrets.toString());
        assertTrue(secrets.message().contains("main.py:1 (the value of TICKDB_API_KEY from env.conf)"), secrets.message());
        assertFalse(secrets.message().contains("root-only.txt"), secrets.message());
        assertFalse(secrets.message().contains("notes.txt"), secrets.message());
        assertTrue(secrets.message().endsWith("; 2 files or directories skipped: not readable by nobody"),
                secrets.message());
    }

    @Test
    void aStrategyUnderNoManagerFailsEnabledAtBoot() throws Exception {
        strategy("loose", "rw-------", "", "user=quant-user", "");
        Files.delete(dir.resolve("supervisor").resolve("loose.conf"));
        Map<String, Finding> items = byItem(new StrategyDoctor(layout(), Optional.empty(), "h")
                .check(new StrategyName("loose")));
        assertEquals(Finding.Grade.FAIL, items.get("enabled at boot").grade());
        assertEquals("quant-supervision enable loose", items.get("enabled at boot").fix());
    }
}
