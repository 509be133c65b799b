package org.quantsupervision.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantsupervision.config.FailoverConfig;
import org.quantsupervision.etcd.EtcdClient;
import org.quantsupervision.etcd.EtcdCluster;

/** `status --cluster`'s view of one strategy, read from a real etcd: the leader, its epoch, every host's role. */
@Tag("etcd")
class ClusterViewTest {
    @TempDir
    Path dir;

    @Test
    void showsTheLeaderItsEpochAndEveryCampaigningHost() throws Exception {
        try (EtcdCluster cluster = EtcdCluster.start(Files.createDirectories(dir.resolve("etcd")), 1, Optional.empty())) {
            FailoverConfig config = FailoverConfig.from(Path.of("/etc/strategies/mr/env.conf"), Map.of("FAILOVER", "yes",
                    "FAILOVER_ETCD_ENDPOINTS", String.join(" ", cluster.endpoints().stream().map(URI::toString).toList()),
                    "FAILOVER_HOST", "a"));
            try (EtcdClient etcd = EtcdAccess.open(config)) {
                FailoverKeys keys = FailoverKeys.of(config, "mr");
                assertTrue(ClusterView.read(etcd, config, "mr").line().contains("NO LEADER: nothing trades it"));
                long lease = etcd.grantLease(Duration.ofSeconds(10)).id();
                etcd.put(keys.member("a"), new HostRecord("a", "leader", 1_000, "").bytes(), lease);
                etcd.put(keys.member("b"), new HostRecord("b", "standby", 1_000, "").bytes(), lease);
                long epoch = etcd.createIfAbsent(keys.leader(), new HostRecord("a", "leader", 1_000, "").bytes(), lease)
                        .holder().createRevision();
                ClusterView v = ClusterView.read(etcd, config, "mr");
                assertEquals("a", v.leader().orElseThrow().host());
                assertEquals(epoch, v.epoch());
                assertEquals("mr  leader a (epoch " + epoch + ") since 1970-01-01T00:00:01Z; hosts: a leader, b standby",
                        v.line());
            }
        }
    }
}
