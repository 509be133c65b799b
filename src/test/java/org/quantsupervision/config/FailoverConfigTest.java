package org.quantsupervision.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class FailoverConfigTest {
    private static final Path FILE = Path.of("/etc/strategies/mr/env.conf");

    private static Map<String, String> on(String... more) {
        Map<String, String> env = new HashMap<>(Map.of("FAILOVER", "yes",
                "FAILOVER_ETCD_ENDPOINTS", "http://10.0.0.1:2379 http://10.0.0.2:2379/", "FAILOVER_HOST", "trade-a"));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    private static String refused(Map<String, String> env) {
        return assertThrows(ConfigException.class, () -> FailoverConfig.from(FILE, env)).getMessage();
    }

    @Test
    void offByDefaultNeedsNothing() throws ConfigException {
        assertFalse(FailoverConfig.from(FILE, Map.of()).enabled());
        assertFalse(StrategyConfig.from(new StrategyName("mr"), FILE, Map.of()).failover().enabled());
    }

    @Test
    void defaultsSatisfyTheInequality() throws ConfigException {
        FailoverConfig c = FailoverConfig.from(FILE, on());
        assertTrue(c.enabled());
        assertEquals(List.of(URI.create("http://10.0.0.1:2379"), URI.create("http://10.0.0.2:2379")), c.endpoints());
        assertEquals(Duration.ofSeconds(10), c.ttl());
        assertEquals(Duration.ofMillis(6350), c.worstRenewal());
        assertEquals(Duration.ofMillis(9900), c.trustedTtl());
        assertEquals("/quant-supervision/", c.prefix());
        assertEquals("trade-a", c.host());
    }

    @Test
    void theFastProfileIsAccepted() throws ConfigException {
        FailoverConfig c = FailoverConfig.from(FILE, on("FAILOVER_TTL", "3s", "FAILOVER_RENEW", "500ms",
                "FAILOVER_ETCD_TIMEOUT", "500ms", "FAILOVER_FENCE_TIMEOUT", "500ms"));
        assertEquals(Duration.ofMillis(2350), c.worstRenewal());
        assertTrue(c.worstRenewal().compareTo(c.trustedTtl()) <= 0);
    }

    @Test
    void aTimingThatBreaksTheInequalityIsRefusedWithTheSum() {
        String m = refused(on("FAILOVER_TTL", "3s"));
        assertTrue(m.startsWith(FILE + ": FAILOVER_TTL: "), m);
        assertTrue(m.contains("= 6.35 s exceeds 0.99 x FAILOVER_TTL = 2.97 s"), m);
        // the edge: with the other defaults ETCD_TIMEOUT may be 3.775 s (1 + 7.55 + 1 + 0.35 = 9.9), not 1 ms more
        assertTrue(refused(on("FAILOVER_ETCD_TIMEOUT", "3776ms")).contains("exceeds"));
        assertDoesNotThrow(() -> FailoverConfig.from(FILE, on("FAILOVER_ETCD_TIMEOUT", "3775ms")));
        assertTrue(refused(on("FAILOVER_TTL", "1s")).contains("expected 2s or more"));
    }

    @Test
    void badKeysAreNamed() {
        assertTrue(refused(on("FAILOVER_ETCD_ENDPOINTS", "")).contains("FAILOVER_ETCD_ENDPOINTS: is not set"));
        assertTrue(refused(on("FAILOVER_ETCD_ENDPOINTS", "10.0.0.1:2379")).contains("is not an etcd client URL"));
        assertTrue(refused(on("FAILOVER_ETCD_ENDPOINTS", "http://u:pw@10.0.0.1:2379")).contains("is not an etcd client URL"));
        assertTrue(refused(on("FAILOVER_ETCD_CERT", "/etc/strategies/mr/c.pem")).contains("FAILOVER_ETCD_KEY"));
        assertTrue(refused(on("FAILOVER_ETCD_USER", "mr")).contains("FAILOVER_ETCD_PASSWORD_FILE"));
        assertTrue(refused(on("FAILOVER_ETCD_PASSWORD_FILE", "pw")).contains("is not an absolute path"));
        assertTrue(refused(on("FAILOVER_ETCD_CA", "/ca.pem")).contains("no endpoint is https://"));
        assertTrue(refused(on("FAILOVER_ETCD_PREFIX", "qs")).contains("is not a key prefix"));
        assertTrue(refused(on("FAILOVER_HOST", "a b")).contains("is not a host name"));
    }

    @Test
    void aClientCertificateNeedsTheCa() {
        String m = refused(on("FAILOVER_ETCD_ENDPOINTS", "https://10.0.0.1:2379", "FAILOVER_ETCD_CERT", "/c.pem",
                "FAILOVER_ETCD_KEY", "/k.pem"));
        assertTrue(m.contains("FAILOVER_ETCD_CA: is not set"), m);
    }
}
