package org.quantsupervision.etcd;

import java.util.List;

/**
 * The keys of a prefix, in key order, and the store's REVISION they were read at: a watch from
 * REVISION + 1 misses no change after this read.
 */
public record Listing(List<KeyValue> keyValues, long revision) {
    public Listing {
        keyValues = List.copyOf(keyValues);
    }
}
