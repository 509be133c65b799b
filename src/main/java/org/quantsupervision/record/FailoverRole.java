package org.quantsupervision.record;

/**
 * runner.json's {@code failover} object, written only in failover mode: this host's ROLE
 * ("leader" or "standby"), the EPOCH (the leader key's create revision: ours as the leader, the
 * leader's as a standby; 0 unknown), the LEADER's host ("" or "-" unknown), since when (SINCE_MS,
 * wall clock) that leader, or none, is known, and how many OTHERS hosts campaign (-1 unknown).
 */
public record FailoverRole(String role, long epoch, String leader, long sinceMillis, int others) {
    public boolean isLeader() {
        return role.equals("leader");
    }

    /** Whether any host is known to lead (this one or another). */
    public boolean leaderKnown() {
        return isLeader() || !(leader.isEmpty() || leader.equals("-"));
    }
}
