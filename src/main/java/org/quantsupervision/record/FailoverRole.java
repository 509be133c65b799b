package org.quantsupervision.record;

/**
 * runner.json's {@code failover} object, written only in failover mode: this host's ROLE
 * ("leader" or "standby"), the EPOCH (the leader key's create revision: ours as the leader, the
 * leader's as a standby; 0 unknown) and the LEADER's host ("" or "-" unknown).
 */
public record FailoverRole(String role, long epoch, String leader) {
    public boolean isLeader() {
        return role.equals("leader");
    }
}
