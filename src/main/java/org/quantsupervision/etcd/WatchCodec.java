package org.quantsupervision.etcd;

import java.util.ArrayList;
import java.util.List;
import java.util.Base64;

import org.quantsupervision.json.Json;

/**
 * The JSON of a watch: the WatchCreateRequest sent as the POST's body (the gateway turns the
 * body into the stream's one request and keeps the watch open after it), and the frames of the
 * answer, one JSON object per line, each {@code {"result":WatchResponse}} or a stream error
 * {@code {"error":{...}}}. Seen from etcd 3.4.23: first {@code created:true} (with
 * {@code canceled:true} and a cancel_reason if etcd refused the watch); then events; a
 * compacted start revision gives {@code canceled:true} with {@code compact_revision}.
 */
final class WatchCodec {
    static final String WATCH = "/v3/watch";

    /** One frame of the stream. REVISION: its header's (0 in a compaction's frame). */
    record Frame(boolean created, boolean canceled, long compactRevision, String cancelReason, long revision,
            List<WatchEvent> events) {
    }

    private WatchCodec() {
    }

    /** Watch KEY, or every key under it when PREFIX, from START_REVISION (0: from now). */
    static byte[] create(String key, boolean prefix, long startRevision) {
        byte[] k = KvCodec.utf8(key);
        return Json.bytes(g -> {
            g.writeStartObject();
            g.writeName("create_request");
            g.writeStartObject();
            g.writeStringProperty("key", Base64.getEncoder().encodeToString(k.length == 0 ? new byte[] {0} : k));
            if (prefix) {
                g.writeStringProperty("range_end", Base64.getEncoder().encodeToString(KvCodec.prefixEnd(k)));
            }
            if (startRevision > 0) {
                g.writeStringProperty("start_revision", Long.toString(startRevision));
            }
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    /** LINE as a frame; an error frame is thrown as {@link GatewayError#failure} says. */
    static Frame frame(String line) throws EndpointFailed, EtcdException {
        Reply r = GatewayError.frame(WATCH, Reply.parse(WATCH, line));
        List<WatchEvent> events = new ArrayList<>();
        for (Reply e : r.objects("events")) {
            WatchEvent.Type type = switch (e.string("type")) {
                case "", "PUT" -> WatchEvent.Type.PUT; // PUT is the enum's zero: left out
                case "DELETE" -> WatchEvent.Type.DELETE;
                default -> throw Reply.malformed(WATCH, "event type " + e.string("type"));
            };
            events.add(new WatchEvent(type, KvCodec.keyValue(e.object("kv"))));
        }
        return new Frame(r.bool("created"), r.bool("canceled"), r.int64("compact_revision"),
                r.string("cancel_reason"), KvCodec.revision(r), events);
    }
}
