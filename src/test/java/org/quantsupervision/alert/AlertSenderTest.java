package org.quantsupervision.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.quantsupervision.config.AlertTargets;

class AlertSenderTest {
    private static final String ROUTING_KEY = "R0UT1NGKEYSECRET00000000000000";
    private static final Set<String> ALL = Set.of("slack", "pagerduty", "webhook");
    private static final Alert ALERT = new Alert("host1", "mean-reversion", "freshness", "CRITICAL", Alert.Kind.TRIGGER,
            "data stale: state file 2m00s old (limit 1m00s)", Instant.parse("2026-11-29T10:00:00Z"));

    private static AlertTargets targets(URI slack, URI pagerDuty, URI webhook, Duration timeout, int retries) {
        return new AlertTargets(Optional.ofNullable(slack), Optional.of(ROUTING_KEY), pagerDuty,
                Optional.ofNullable(webhook), timeout, retries);
    }

    @Test
    void eachChannelGetsItsOwnPayload() throws Exception {
        try (Receiver r = Receiver.answering(200); Receiver pd = Receiver.answering(202)) {
            AlertTargets t = targets(r.uri("/services/T0/B0/SLACKSECRET"), pd.uri("/v2/enqueue"), r.uri("/hook"),
                    Duration.ofSeconds(2), 0);
            List<AlertSender.Delivery> d = new AlertSender(AlertSender.client(Duration.ofSeconds(2)), Duration.ofSeconds(2))
                    .send(ALERT, t, ALL);
            assertEquals(3, d.size());
            assertTrue(d.stream().allMatch(AlertSender.Delivery::delivered), d.toString());
            String slack = r.requests().stream().filter(q -> q.path().startsWith("/services")).findFirst().orElseThrow().body();
            assertTrue(slack.contains("\"text\":\"[mean-reversion] Health check failed: freshness CRITICAL on host1"), slack);
            assertTrue(slack.contains("\"color\":\"danger\"") && slack.contains("\"attachments\":[{"), slack);
            String hook = r.requests().stream().filter(q -> q.path().equals("/hook")).findFirst().orElseThrow().body();
            assertTrue(hook.contains("\"event\":\"trigger\"") && hook.contains("\"status\":\"CRITICAL\""), hook);
            String trigger = pd.requests().get(0).body();
            assertTrue(trigger.contains("\"routing_key\":\"" + ROUTING_KEY + "\""), trigger);
            assertTrue(trigger.contains("\"event_action\":\"trigger\""), trigger);
            assertTrue(trigger.contains("\"dedup_key\":\"quant-supervision/host1/mean-reversion/freshness\""), trigger);
            assertTrue(trigger.contains("\"severity\":\"critical\"") && trigger.contains("\"source\":\"host1\""), trigger);

            Alert resolve = new Alert("host1", "mean-reversion", "freshness", "CRITICAL", Alert.Kind.RESOLVE, "recovered",
                    ALERT.time().plusSeconds(90));
            new AlertSender(AlertSender.client(Duration.ofSeconds(2)), Duration.ofSeconds(2)).send(resolve, t, Set.of("pagerduty"));
            String resolved = pd.requests().get(1).body();
            assertTrue(resolved.contains("\"event_action\":\"resolve\"")
                    && resolved.contains("\"dedup_key\":\"quant-supervision/host1/mean-reversion/freshness\""), resolved);
            assertFalse(resolved.contains("payload"), "a resolve needs only the key: " + resolved);
        }
    }

    @Test
    void aServerErrorIsRetriedAndABadRequestIsNot() throws Exception {
        AtomicInteger n = new AtomicInteger();
        try (Receiver flaky = new Receiver(() -> n.incrementAndGet() == 1 ? 503 : 200);
                Receiver wrong = Receiver.answering(400)) {
            AlertSender sender = new AlertSender(AlertSender.client(Duration.ofSeconds(2)), Duration.ofSeconds(2));
            AlertSender.Delivery ok = sender.send(ALERT, targets(null, wrong.uri("/v2/enqueue"), flaky.uri("/hook"),
                    Duration.ofSeconds(2), 2), Set.of("webhook")).get(0);
            assertTrue(ok.delivered());
            assertEquals(2, ok.attempts());
            AlertSender.Delivery bad = sender.send(ALERT, targets(null, wrong.uri("/v2/enqueue"), null,
                    Duration.ofSeconds(2), 2), Set.of("pagerduty")).get(0);
            assertFalse(bad.delivered());
            assertEquals(1, bad.attempts(), "a 400 is not retried");
            assertEquals("HTTP 400", bad.error());
        }
    }

    @Test
    void aReceiverThatNeverAnswersCostsAtMostTheTimeoutsAndNamesNoSecret() throws Exception {
        // Accepts connections (the kernel does) and never answers.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            URI secretUrl = URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/services/T0/B0/SLACKSECRET");
            URI refused;
            try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                refused = URI.create("http://127.0.0.1:" + closed.getLocalPort() + "/hook/HOOKSECRET");
            }
            Duration timeout = Duration.ofMillis(300);
            long started = System.nanoTime();
            List<AlertSender.Delivery> d = new AlertSender(AlertSender.client(timeout), timeout)
                    .send(ALERT, targets(secretUrl, secretUrl, refused, timeout, 2), ALL);
            long ms = (System.nanoTime() - started) / 1_000_000;
            // 3 attempts of 300 ms plus pauses of 250 and 500 ms, channels in parallel: about 1.65 s.
            assertTrue(ms < 3000, "bounded: " + ms + " ms");
            assertTrue(ms >= 1600, "all three attempts were made: " + ms + " ms");
            for (AlertSender.Delivery delivery : d) {
                assertFalse(delivery.delivered());
                assertEquals(3, delivery.attempts());
                assertFalse(delivery.error().contains("SECRET") || delivery.error().contains(ROUTING_KEY)
                        || delivery.error().contains("127.0.0.1"), delivery.error());
            }
            assertEquals("no answer within 300 ms", d.get(0).error());
            assertEquals("connection refused", d.get(2).error());
        }
    }
}
