package org.quantsupervision.failover;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.quantsupervision.json.Json;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The value of a leader or member key: which host, its role, since when (wall clock, ms), and
 * for a handover, the host asked to take over ({@code to}, empty for any other). Read from etcd,
 * where any holder of the strategy's credentials may write, so it is parsed as untrusted: an
 * unreadable record is a host named "?".
 */
public record HostRecord(String host, String role, long sinceMs, String to) {
    private static final int MAX_TEXT = 253;

    public byte[] bytes() {
        return Json.bytes(g -> {
            g.writeStartObject();
            g.writeStringProperty("host", host);
            g.writeStringProperty("role", role);
            g.writeNumberProperty("since", sinceMs);
            if (!to.isEmpty()) {
                g.writeStringProperty("to", to);
            }
            g.writeEndObject();
        });
    }

    public static HostRecord parse(byte[] value) {
        String host = "?", role = "", to = "";
        long since = 0;
        try (JsonParser p = Json.parser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new HostRecord("?", "", 0, "");
            }
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "host" -> host = text(p, t).orElse("?");
                    case "role" -> role = text(p, t).orElse("");
                    case "to" -> to = text(p, t).orElse("");
                    case "since" -> since = t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : 0;
                    default -> p.skipChildren();
                }
            }
        } catch (JacksonException e) {
            return new HostRecord("?", "", 0, "");
        }
        return new HostRecord(host, role, since, to);
    }

    /** A string value, printable and bounded; anything else is none. */
    private static Optional<String> text(JsonParser p, JsonToken t) {
        if (t != JsonToken.VALUE_STRING) {
            p.skipChildren();
            return Optional.empty();
        }
        String s = p.getString();
        if (s.isEmpty() || s.length() > MAX_TEXT || !s.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return Optional.empty();
        }
        return Optional.of(s);
    }

    @Override
    public String toString() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }
}
