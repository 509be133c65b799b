package org.quantsupervision.etcd;

/** One change a watch saw: a PUT (KV is the key's new state) or a DELETE (KV has the key and the deletion's revision). */
public record WatchEvent(Type type, KeyValue kv) {
    public enum Type { PUT, DELETE }
}
