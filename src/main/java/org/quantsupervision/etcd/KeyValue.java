package org.quantsupervision.etcd;

import java.util.Arrays;
import java.util.Objects;

/**
 * A key as etcd stores it. The revisions are etcd's store revisions: CREATE_REVISION is the
 * revision that created this incarnation of the key (a key deleted and created again gets a
 * larger one, so it names one holder of an election key), MOD_REVISION the last change. LEASE
 * is 0 when the key has none. In a DELETE event only the key and MOD_REVISION (the deletion's
 * revision) are set.
 */
// The value is a byte array: equals, hashCode and toString are by content, the accessor copies.
@SuppressWarnings("ArrayRecordComponent")
public record KeyValue(String key, byte[] value, long createRevision, long modRevision, long lease) {
    public KeyValue {
        Objects.requireNonNull(key, "key");
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyValue k && key.equals(k.key) && Arrays.equals(value, k.value)
                && createRevision == k.createRevision && modRevision == k.modRevision && lease == k.lease;
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, Arrays.hashCode(value), createRevision, modRevision, lease);
    }

    /** The value's length only: a value is the application's, and may be long. */
    @Override
    public String toString() {
        return "KeyValue[key=" + key + ", value=" + value.length + " bytes, createRevision=" + createRevision
                + ", modRevision=" + modRevision + ", lease=" + lease + "]";
    }
}
