package org.quantsupervision.failover;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.quantsupervision.config.FailoverConfig;
import org.quantsupervision.etcd.EtcdClient;
import org.quantsupervision.etcd.EtcdException;
import org.quantsupervision.etcd.KeyValue;
import org.quantsupervision.etcd.Listing;

/**
 * One strategy as etcd sees it, across every host (`status --cluster`): who leads, in which
 * epoch, since when, and which hosts campaign (a live member key each).
 */
public record ClusterView(String name, Optional<HostRecord> leader, long epoch, List<HostRecord> members,
        Optional<HostRecord> handover) {

    /** Reads NAME's keys in one range. */
    public static ClusterView read(EtcdClient etcd, FailoverConfig config, String name) throws EtcdException {
        FailoverKeys keys = FailoverKeys.of(config, name);
        Listing l = etcd.getPrefix(keys.strategy());
        Optional<HostRecord> leader = Optional.empty();
        Optional<HostRecord> handover = Optional.empty();
        long epoch = 0;
        List<HostRecord> members = new ArrayList<>();
        for (KeyValue kv : l.keyValues()) {
            if (kv.key().equals(keys.leader())) {
                leader = Optional.of(HostRecord.parse(kv.value()));
                epoch = kv.createRevision();
            } else if (kv.key().equals(keys.handover())) {
                handover = Optional.of(HostRecord.parse(kv.value()));
            } else if (kv.key().startsWith(keys.members())) {
                members.add(HostRecord.parse(kv.value()));
            }
        }
        return new ClusterView(name, leader, epoch, List.copyOf(members), handover);
    }

    /** One line: "NAME  leader b (epoch 8) since 2026-12-03T09:17:20Z; hosts: a standby, b leader". */
    public String line() {
        StringBuilder b = new StringBuilder(name).append("  ");
        if (leader.isPresent()) {
            b.append("leader ").append(leader.get().host()).append(" (epoch ").append(epoch).append(") since ")
                    .append(Instant.ofEpochMilli(leader.get().sinceMs()));
        } else {
            b.append("NO LEADER: nothing trades it");
        }
        b.append("; hosts: ");
        if (members.isEmpty()) {
            b.append("none campaigning");
        }
        for (int i = 0; i < members.size(); i++) {
            HostRecord m = members.get(i);
            b.append(i == 0 ? "" : ", ").append(m.host()).append(' ').append(m.role());
        }
        handover.ifPresent(h -> b.append("; handover asked from ").append(h.host()).append(" to ")
                .append(h.to().isEmpty() ? "any other host" : h.to()));
        return b.toString();
    }
}
