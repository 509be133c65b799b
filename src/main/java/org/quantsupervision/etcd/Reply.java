package org.quantsupervision.etcd;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.quantsupervision.json.Json;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * One JSON object of etcd's gateway, read whole (through json/Json's streaming factory) so that
 * the codecs can take the nested fields they need (a txn's responses, a range's kvs) by name.
 * The gateway writes proto3 JSON: a field at its zero value is left out, int64 fields are
 * strings, bytes are base64. So an absent field reads as 0, false, "" or empty bytes, as in
 * the proto; a field of the wrong type is a {@link EtcdException.Kind#PROTOCOL} error naming
 * the call and the field, never the content (an authenticate reply holds a token).
 */
final class Reply {
    private static final Reply EMPTY = new Reply("", Map.of());

    private final String call;
    private final Map<String, Object> fields;

    private Reply(String call, Map<String, Object> fields) {
        this.call = call;
        this.fields = fields;
    }

    /** BODY, an object, as the reply to CALL (a gateway path). */
    static Reply parse(String call, byte[] body) throws EtcdException {
        try (JsonParser p = Json.parser(body)) {
            return read(call, p);
        } catch (JacksonException e) {
            throw malformed(call, "not JSON");
        }
    }

    /** LINE, an object, as one frame of CALL's stream. */
    static Reply parse(String call, String line) throws EtcdException {
        try (JsonParser p = Json.parser(line)) {
            return read(call, p);
        } catch (JacksonException e) {
            throw malformed(call, "not JSON");
        }
    }

    private static Reply read(String call, JsonParser p) throws EtcdException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw malformed(call, "not a JSON object");
        }
        Reply r = new Reply(call, object(p));
        if (p.nextToken() != null) {
            throw malformed(call, "more than one JSON value");
        }
        return r;
    }

    private static Map<String, Object> object(JsonParser p) {
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            p.nextToken();
            Object v = value(p);
            if (v != null) {
                m.put(name, v);
            }
        }
        return m;
    }

    private static Object value(JsonParser p) {
        return switch (p.currentToken()) {
            case START_OBJECT -> object(p);
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(p));
                }
                yield list;
            }
            case VALUE_STRING -> p.getString();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getNumberValue();
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            default -> null; // null
        };
    }

    boolean has(String name) {
        return fields.containsKey(name);
    }

    /** The object NAME; an empty one if absent. */
    @SuppressWarnings("unchecked") // object() makes every nested object a Map<String, Object>
    Reply object(String name) throws EtcdException {
        Object v = fields.get(name);
        if (v == null) {
            return EMPTY;
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw malformed(call, "field " + name + " is not an object");
        }
        return new Reply(call, (Map<String, Object>) m);
    }

    /** The array of objects NAME; empty if absent. */
    @SuppressWarnings("unchecked")
    List<Reply> objects(String name) throws EtcdException {
        Object v = fields.get(name);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list)) {
            throw malformed(call, "field " + name + " is not an array");
        }
        List<Reply> result = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> m)) {
                throw malformed(call, "field " + name + " is not an array of objects");
            }
            result.add(new Reply(call, (Map<String, Object>) m));
        }
        return result;
    }

    /** The int64 NAME (a JSON string, as the gateway writes int64, or a number); 0 if absent. */
    long int64(String name) throws EtcdException {
        Object v = fields.get(name);
        try {
            return switch (v) {
                case null -> 0;
                case String s -> Long.parseLong(s);
                case Long l -> l;
                case Integer i -> i;
                default -> throw malformed(call, "field " + name + " is not an integer");
            };
        } catch (NumberFormatException e) {
            throw malformed(call, "field " + name + " is not an integer");
        }
    }

    boolean bool(String name) throws EtcdException {
        Object v = fields.get(name);
        if (v == null) {
            return false;
        }
        if (!(v instanceof Boolean b)) {
            throw malformed(call, "field " + name + " is not a boolean");
        }
        return b;
    }

    /** The string NAME; "" if absent. */
    String string(String name) throws EtcdException {
        Object v = fields.get(name);
        if (v == null) {
            return "";
        }
        if (!(v instanceof String s)) {
            throw malformed(call, "field " + name + " is not a string");
        }
        return s;
    }

    /** The bytes NAME (base64); empty if absent. */
    byte[] bytes(String name) throws EtcdException {
        try {
            return Base64.getDecoder().decode(string(name));
        } catch (IllegalArgumentException e) {
            throw malformed(call, "field " + name + " is not base64");
        }
    }

    static EtcdException malformed(String call, String what) {
        return new EtcdException(EtcdException.Kind.PROTOCOL, "malformed reply from etcd to " + call + ": " + what);
    }
}
