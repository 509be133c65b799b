package org.quantsupervision.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deadline of a call when no endpoint answers, without etcd: one endpoint is a loopback
 * socket that takes connections and never answers (a hung member), one a closed port (a dead
 * one). The call must fail as UNAVAILABLE within the request timeout, having tried both.
 */
class EndpointFailoverTest {
    /** What the JDK may take past the deadline to abandon an exchange, and the scheduler's slack. */
    static final Duration SLACK = Duration.ofMillis(300);

    @TempDir
    Path dir;

    @Test
    void aCallToHungAndDeadEndpointsFailsRetryablyWithinItsTimeout() throws Exception {
        try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            URI dead = deadEndpoint();
            URI silent = URI.create("http://127.0.0.1:" + hung.getLocalPort());
            Duration timeout = Duration.ofSeconds(1);
            try (EtcdClient client = EtcdClient.open(new EtcdSettings(List.of(silent, dead), timeout,
                    Optional.empty(), Optional.empty()))) {
                for (int call = 0; call < 2; call++) {
                    long start = System.nanoTime();
                    EtcdException e = assertThrows(EtcdException.class, () -> client.get("/k"));
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    assertEquals(EtcdException.Kind.UNAVAILABLE, e.kind(), e.getMessage());
                    assertTrue(e.retryable());
                    assertTrue(took.compareTo(timeout.plus(SLACK)) <= 0, "took " + took);
                    assertTrue(took.compareTo(timeout.minus(SLACK)) >= 0, "gave up early, after " + took);
                    assertTrue(e.getMessage().contains(silent + ": no answer") && e.getMessage().contains(dead
                            + ": cannot connect"), e.getMessage());
                }
            }
        }
    }

    @Test
    void openingWithAUserAuthenticatesWithinTheTimeoutToo() throws Exception {
        Path password = Files.writeString(dir.resolve("password"), "s3cret-pass\n");
        try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Duration timeout = Duration.ofMillis(700);
            long start = System.nanoTime();
            EtcdException e = assertThrows(EtcdException.class, () -> EtcdClient.open(new EtcdSettings(
                    List.of(URI.create("http://127.0.0.1:" + hung.getLocalPort())), timeout, Optional.empty(),
                    Optional.of(new EtcdSettings.Auth("app", password)))));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(EtcdException.Kind.UNAVAILABLE, e.kind(), e.getMessage());
            assertTrue(took.compareTo(timeout.plus(SLACK)) <= 0, "took " + took);
            assertTrue(e.getMessage().contains("/v3/auth/authenticate") && !e.getMessage().contains("s3cret"),
                    e.getMessage());
        }
    }

    /** A loopback port nothing listens on. */
    static URI deadEndpoint() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
    }
}
