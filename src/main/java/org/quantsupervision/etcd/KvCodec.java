package org.quantsupervision.etcd;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.quantsupervision.json.Json;

import tools.jackson.core.JsonGenerator;

/**
 * The JSON of the key-value calls, as etcd's rpc.proto defines them (RangeRequest, PutRequest,
 * TxnRequest with Compare, RequestOp, and their responses), in the gateway's proto3 JSON: keys
 * and values base64, int64 as strings, enums by name, proto field names.
 */
final class KvCodec {
    static final String RANGE = "/v3/kv/range";
    static final String PUT = "/v3/kv/put";
    static final String TXN = "/v3/kv/txn";

    private KvCodec() {
    }

    static byte[] utf8(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * The range_end that makes a range of every key starting with PREFIX: PREFIX with its last
     * byte below 0xff incremented (the bytes after it dropped), as clientv3's GetPrefixRangeEnd;
     * "\0" (every key) when there is none, so an empty prefix reads all keys.
     */
    static byte[] prefixEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if ((prefix[i] & 0xff) != 0xff) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return new byte[] {0};
    }

    /** A RangeRequest of KEY, or of KEY's prefix with RANGE_END. */
    static byte[] range(byte[] key, Optional<byte[]> rangeEnd) {
        return Json.bytes(g -> {
            g.writeStartObject();
            writeRange(g, key, rangeEnd);
            g.writeEndObject();
        });
    }

    private static void writeRange(JsonGenerator g, byte[] key, Optional<byte[]> rangeEnd) {
        // An empty key (the empty prefix) is "\0": etcd refuses an empty one.
        g.writeStringProperty("key", b64(key.length == 0 ? new byte[] {0} : key));
        rangeEnd.ifPresent(end -> g.writeStringProperty("range_end", b64(end)));
    }

    static byte[] put(String key, byte[] value, long lease) {
        return Json.bytes(g -> {
            g.writeStartObject();
            writePut(g, key, value, lease);
            g.writeEndObject();
        });
    }

    private static void writePut(JsonGenerator g, String key, byte[] value, long lease) {
        g.writeStringProperty("key", b64(utf8(key)));
        g.writeStringProperty("value", b64(value));
        if (lease != 0) {
            g.writeStringProperty("lease", Long.toString(lease));
        }
    }

    /** If KEY's create_revision is CREATE_REVISION (0: the key is absent): SUCCESS, else: FAILURE. */
    private static void writeCompare(JsonGenerator g, String key, long createRevision) {
        g.writeName("compare");
        g.writeStartArray();
        g.writeStartObject();
        g.writeStringProperty("target", "CREATE");
        g.writeStringProperty("result", "EQUAL");
        g.writeStringProperty("key", b64(utf8(key)));
        g.writeStringProperty("create_revision", Long.toString(createRevision));
        g.writeEndObject();
        g.writeEndArray();
    }

    /** The txn of createIfAbsent: absent, put with the lease; present, read the holder. */
    static byte[] createIfAbsent(String key, byte[] value, long lease) {
        return Json.bytes(g -> {
            g.writeStartObject();
            writeCompare(g, key, 0);
            g.writeName("success");
            g.writeStartArray();
            g.writeStartObject();
            g.writeName("request_put");
            g.writeStartObject();
            writePut(g, key, value, lease);
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndArray();
            g.writeName("failure");
            g.writeStartArray();
            g.writeStartObject();
            g.writeName("request_range");
            g.writeStartObject();
            writeRange(g, utf8(key), Optional.empty());
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** The txn of deleteIf: KEY deleted if CREATE_REVISION is its create_revision. */
    static byte[] deleteIf(String key, long createRevision) {
        return Json.bytes(g -> {
            g.writeStartObject();
            writeCompare(g, key, createRevision);
            g.writeName("success");
            g.writeStartArray();
            g.writeStartObject();
            g.writeName("request_delete_range");
            g.writeStartObject();
            g.writeStringProperty("key", b64(utf8(key)));
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** The header's revision: the store's revision when etcd answered. */
    static long revision(Reply r) throws EtcdException {
        return r.object("header").int64("revision");
    }

    /** A range reply's kvs. */
    static List<KeyValue> keyValues(Reply range) throws EtcdException {
        List<KeyValue> result = new ArrayList<>();
        for (Reply kv : range.objects("kvs")) {
            result.add(keyValue(kv));
        }
        return result;
    }

    /** An mvccpb.KeyValue (in a range reply or a watch event). */
    static KeyValue keyValue(Reply kv) throws EtcdException {
        return new KeyValue(new String(kv.bytes("key"), StandardCharsets.UTF_8), kv.bytes("value"),
                kv.int64("create_revision"), kv.int64("mod_revision"), kv.int64("lease"));
    }

    /** A txn reply's first response of the range kind: the failure branch's read. */
    static List<KeyValue> txnRange(Reply txn) throws EtcdException {
        List<Reply> responses = txn.objects("responses");
        if (responses.isEmpty() || !responses.get(0).has("response_range")) {
            throw Reply.malformed(TXN, "no response_range in the failed branch");
        }
        return keyValues(responses.get(0).object("response_range"));
    }
}
