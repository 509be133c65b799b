package org.quantsupervision.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Endpoint failover against a real three-member cluster: a hung and a dead endpoint cost only
 * their share of the timeout and the one that answered is asked first next time; with one
 * member killed the calls go on; with two (no quorum) every call fails as UNAVAILABLE within
 * the request timeout, a watch on a killed member ends BROKEN, and so does one on the member
 * left without a leader.
 */
@Tag("etcd")
class EtcdClusterFailoverTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    @Test
    void hungAndDeadEndpointsCostTheirShareAndTheOneThatAnsweredIsAskedFirstNextTime() throws Exception {
        try (EtcdCluster etcd = EtcdCluster.start(dir, 1, Optional.empty());
                ServerSocket hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<URI> endpoints = List.of(URI.create("http://127.0.0.1:" + hung.getLocalPort()),
                    EndpointFailoverTest.deadEndpoint(), etcd.endpoint(0));
            try (EtcdClient client = EtcdClient.open(new EtcdSettings(endpoints, TIMEOUT, Optional.empty(),
                    Optional.empty()))) {
                long start = System.nanoTime();
                client.put("/f/k", "v".getBytes(UTF_8), 0);
                Duration first = Duration.ofNanos(System.nanoTime() - start);
                // The hung endpoint had a third of the budget, the dead one almost nothing.
                assertTrue(first.compareTo(TIMEOUT.dividedBy(3).minusMillis(100)) >= 0, "first call: " + first);
                assertTrue(first.compareTo(TIMEOUT.dividedBy(3).plusMillis(700)) <= 0, "first call: " + first);
                start = System.nanoTime();
                assertArrayEquals("v".getBytes(UTF_8), client.get("/f/k").orElseThrow().value());
                Duration second = Duration.ofNanos(System.nanoTime() - start);
                assertTrue(second.compareTo(Duration.ofMillis(500)) < 0, "second call: " + second);
            }
        }
    }

    @Test
    void oneMemberDownTheCallsGoOnTwoDownTheyFailRetryablyWithinTheTimeout() throws Exception {
        try (EtcdCluster etcd = EtcdCluster.start(dir, 3, Optional.empty());
                EtcdClient client = EtcdClient.open(etcd.settings(TIMEOUT))) {
            Lease lease = client.grantLease(Duration.ofSeconds(30));
            assertTrue(client.createIfAbsent("/c/leader", "a".getBytes(UTF_8), lease.id()).created());
            RecordingListener heard = new RecordingListener();
            client.watch("/c/", true, 0, heard); // on member 0, which answered first

            etcd.kill(0);
            WatchEnd end = heard.ended(Duration.ofSeconds(5));
            assertEquals(WatchEnd.Reason.BROKEN, end.reason(), end.toString());
            assertEquals(EtcdException.Kind.UNAVAILABLE, end.error().orElseThrow().kind());

            assertTrue(client.keepAlive(lease.id()).isPresent());
            client.put("/c/other", "b".getBytes(UTF_8), 0);
            assertEquals(lease.id(), client.get("/c/leader").orElseThrow().lease());
            RecordingListener second = new RecordingListener();
            try (Watch w = client.watch("/c/", true, 0, second)) {
                client.put("/c/other", "c".getBytes(UTF_8), 0);
                second.expect(WatchEvent.Type.PUT, "/c/other");
            }

            // A watch on the last member, which will have no leader.
            RecordingListener last = new RecordingListener();
            EtcdClient onLast = EtcdClient.open(new EtcdSettings(List.of(etcd.endpoint(2)), TIMEOUT, Optional.empty(),
                    Optional.empty()));
            onLast.watch("/c/", true, 0, last);

            etcd.kill(1);
            WatchEnd noLeader = last.ended(Duration.ofSeconds(10));
            assertEquals(WatchEnd.Reason.BROKEN, noLeader.reason(), noLeader.toString());
            EtcdException why = noLeader.error().orElseThrow();
            assertEquals(EtcdException.Kind.UNAVAILABLE, why.kind(), why.getMessage());
            assertTrue(why.getMessage().contains("no leader"), why.getMessage());
            onLast.close();
            List<Executable> calls = new ArrayList<>(List.of(() -> client.get("/c/leader"),
                    () -> client.put("/c/other", "d".getBytes(UTF_8), 0), () -> client.keepAlive(lease.id()),
                    () -> client.createIfAbsent("/c/new", "e".getBytes(UTF_8), lease.id()),
                    () -> client.watch("/c/", true, 0, new RecordingListener()).close()));
            for (Executable call : calls) {
                long start = System.nanoTime();
                EtcdException e = assertThrows(EtcdException.class, call);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertEquals(EtcdException.Kind.UNAVAILABLE, e.kind(), e.getMessage());
                assertTrue(took.compareTo(TIMEOUT.plus(EndpointFailoverTest.SLACK)) <= 0, "took " + took + ": "
                        + e.getMessage());
            }
        }
    }
}
