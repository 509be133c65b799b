package org.quantsupervision.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every call against one real etcd member (Debian's etcd-server, the version the failover mode
 * targets), over plain HTTP on loopback. Each test uses keys of its own.
 * Tagged: a newcomer's {@code mvn package} runs without etcd; tests/run, which .ci/run gives
 * it, runs these too.
 */
@Tag("etcd")
class EtcdClientTest {
    @TempDir
    static Path dir;
    private static EtcdCluster etcd;
    private static EtcdClient client;

    @BeforeAll
    static void start() throws Exception {
        etcd = EtcdCluster.start(dir, 1, Optional.empty());
        client = EtcdClient.open(etcd.settings(Duration.ofSeconds(3)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    /** Puts VALUE at KEY; the revision of that put. */
    private static long written(String key, String value) throws EtcdException {
        client.put(key, bytes(value), 0);
        return client.get(key).orElseThrow().modRevision();
    }

    @Test
    void putThenGetAndGetPrefixReadTheKeysWithTheirRevisions() throws Exception {
        client.put("/kv/b", bytes("two"), 0);
        client.put("/kv/a", bytes("one"), 0);
        client.put("/kvx", bytes("outside"), 0);
        KeyValue a = client.get("/kv/a").orElseThrow();
        assertArrayEquals(bytes("one"), a.value());
        assertEquals(a.createRevision(), a.modRevision());
        assertEquals(0, a.lease());
        assertEquals(Optional.empty(), client.get("/kv/none"));

        Listing listing = client.getPrefix("/kv/");
        assertEquals(List.of("/kv/a", "/kv/b"), listing.keyValues().stream().map(KeyValue::key).toList());
        assertTrue(listing.revision() >= a.modRevision(), listing.toString());

        client.put("/kv/a", bytes("one again"), 0);
        KeyValue again = client.get("/kv/a").orElseThrow();
        assertEquals(a.createRevision(), again.createRevision(), "the same incarnation");
        assertTrue(again.modRevision() > a.modRevision());
        assertTrue(client.getPrefix("").keyValues().size() >= 3, "the empty prefix lists every key");
    }

    @Test
    void aLeaseIsGrantedRenewedAndRevokedWithItsKeysAndAGoneLeaseIsNamedSo() throws Exception {
        Lease lease = client.grantLease(Duration.ofSeconds(5));
        assertNotEquals(0, lease.id());
        assertEquals(Duration.ofSeconds(5), lease.ttl());
        client.put("/lease/k", bytes("v"), lease.id());
        assertEquals(lease.id(), client.get("/lease/k").orElseThrow().lease());
        assertEquals(Optional.of(Duration.ofSeconds(5)), client.keepAlive(lease.id()));

        client.revoke(lease.id());
        assertEquals(Optional.empty(), client.get("/lease/k"), "revoking deletes the lease's keys");
        assertEquals(Optional.empty(), client.keepAlive(lease.id()), "a revoked lease cannot be renewed");
        client.revoke(lease.id()); // a lease already gone is no error

        EtcdException put = assertThrows(EtcdException.class, () -> client.put("/lease/k", bytes("v"), lease.id()));
        assertEquals(EtcdException.Kind.LEASE_GONE, put.kind(), put.getMessage());
        assertFalse(put.retryable());
        EtcdException create = assertThrows(EtcdException.class,
                () -> client.createIfAbsent("/lease/k", bytes("v"), lease.id()));
        assertEquals(EtcdException.Kind.LEASE_GONE, create.kind(), create.getMessage());
    }

    @Test
    void theSecondCreateFailsAndNamesTheHolderAndARecreationHasALaterCreateRevision() throws Exception {
        Lease first = client.grantLease(Duration.ofSeconds(30));
        Lease second = client.grantLease(Duration.ofSeconds(30));
        CreateResult won = client.createIfAbsent("/election/leader", bytes("host-a"), first.id());
        assertTrue(won.created());
        assertEquals(won.revision(), won.holder().createRevision());
        assertEquals(first.id(), won.holder().lease());
        assertEquals(won.holder(), client.get("/election/leader").orElseThrow());

        CreateResult lost = client.createIfAbsent("/election/leader", bytes("host-b"), second.id());
        assertFalse(lost.created());
        assertEquals(won.holder().createRevision(), lost.holder().createRevision());
        assertArrayEquals(bytes("host-a"), lost.holder().value());
        assertEquals(first.id(), lost.holder().lease());
        assertTrue(lost.revision() >= won.revision());

        // The same create again (as a retry after a timeout would be) finds its own write.
        assertTrue(client.createIfAbsent("/election/leader", bytes("host-a"), first.id()).created());

        assertFalse(client.deleteIf("/election/leader", won.holder().createRevision() + 1000), "another creation");
        assertTrue(client.deleteIf("/election/leader", won.holder().createRevision()));
        assertFalse(client.deleteIf("/election/leader", won.holder().createRevision()), "already deleted");
        assertEquals(Optional.empty(), client.get("/election/leader"));

        CreateResult next = client.createIfAbsent("/election/leader", bytes("host-b"), second.id());
        assertTrue(next.created());
        assertTrue(next.holder().createRevision() > won.holder().createRevision(), "revisions only grow");
        client.revoke(first.id());
        client.revoke(second.id());
    }

    @Test
    void aWatchSeesPutsAndTheDeleteOfAnExpiredLeaseWithinItsTtlAndTheLeaseIsThenGone() throws Exception {
        Lease lease = client.grantLease(Duration.ofSeconds(2));
        long granted = System.nanoTime();
        RecordingListener heard = new RecordingListener();
        try (Watch w = client.watch("/expiry/leader", false, 0, heard)) {
            assertTrue(w.revision() > 0);
            CreateResult c = client.createIfAbsent("/expiry/leader", bytes("me"), lease.id());
            WatchEvent put = heard.expect(WatchEvent.Type.PUT, "/expiry/leader");
            assertEquals(c.holder(), put.kv());

            // No renewal: etcd deletes the key when the lease expires.
            WatchEvent deleted = heard.expect(WatchEvent.Type.DELETE, "/expiry/leader");
            long millis = (System.nanoTime() - granted) / 1_000_000;
            assertTrue(millis <= 3000, "deleted " + millis + " ms after the grant of a 2 s lease");
            assertTrue(deleted.kv().modRevision() > c.revision());
            assertEquals(Optional.empty(), client.keepAlive(lease.id()), "an expired lease cannot be renewed");
        }
    }

    @Test
    void aPrefixWatchFromARevisionReplaysTheChangesUnderThePrefixOnly() throws Exception {
        long from = written("/pw/a", "1");
        written("/pwx", "outside");
        written("/pw/b", "2");
        RecordingListener heard = new RecordingListener();
        try (Watch w = client.watch("/pw/", true, from, heard)) {
            assertArrayEquals(bytes("1"), heard.expect(WatchEvent.Type.PUT, "/pw/a").kv().value());
            heard.expect(WatchEvent.Type.PUT, "/pw/b");
            KeyValue b = client.get("/pw/b").orElseThrow();
            assertTrue(client.deleteIf("/pw/b", b.createRevision()));
            WatchEvent deleted = heard.expect(WatchEvent.Type.DELETE, "/pw/b");
            assertEquals(0, deleted.kv().value().length);
            Thread.sleep(200);
            assertEquals(List.of(), heard.drained(), "nothing else");
        }
    }

    @Test
    void closingAWatchEndsItOnceAtOnceAndNothingFollows() throws Exception {
        RecordingListener heard = new RecordingListener();
        Watch w = client.watch("/closing/k", false, 0, heard);
        client.put("/closing/k", bytes("1"), 0);
        heard.expect(WatchEvent.Type.PUT, "/closing/k");
        long start = System.nanoTime();
        w.close();
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "close() took over a second");
        assertTrue(heard.end.isDone(), "the end is heard before close() returns");
        assertEquals(WatchEnd.Reason.CLOSED, heard.ended(Duration.ofSeconds(1)).reason());
        client.put("/closing/k", bytes("2"), 0);
        Thread.sleep(200);
        assertEquals(List.of(), heard.drained(), "no event after close()");
        w.close(); // twice: nothing more
        assertEquals(1, heard.ends.get());
    }

    @Test
    void aWatchFromACompactedRevisionEndsCompacted() throws Exception {
        long old = written("/compact/k", "1");
        written("/compact/k", "2");
        long now = written("/compact/k", "3");
        etcd.etcdctl("compaction", Long.toString(now));
        RecordingListener heard = new RecordingListener();
        try (Watch w = client.watch("/compact/k", false, old, heard)) {
            WatchEnd end = heard.ended(Duration.ofSeconds(5));
            assertEquals(WatchEnd.Reason.COMPACTED, end.reason(), end.toString());
            assertEquals(now, end.compactRevision());
        }
        assertEquals(1, heard.ends.get(), "closing an ended watch says nothing more");
    }

    @Test
    void etcdsRefusalOfARequestIsDefinitive() {
        EtcdException e = assertThrows(EtcdException.class, () -> client.put("", bytes("v"), 0));
        assertEquals(EtcdException.Kind.REJECTED, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("/v3/kv/put"), e.getMessage());
    }
}
