package org.quantsupervision.clock;

import java.time.Instant;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * A {@link Moment} in runner.json and health.json: {@code {"wall_ms": …, "monotonic_ms": …,
 * "boot_id": "…"}}. The files keep their 0.1.0 field of epoch milliseconds beside it, for people,
 * {@code status} and older readers; a file without this object is read by that field alone.
 */
public final class MomentJson {
    private MomentJson() {
    }

    /** Writes MOMENT as the property NAME; nothing for {@link Moment#NEVER}, which old fields say as 0. */
    public static void write(JsonGenerator g, String name, Moment moment) {
        if (moment.isNever()) {
            return;
        }
        g.writeObjectPropertyStart(name);
        writeFields(g, moment);
        g.writeEndObject();
    }

    /** Writes MOMENT as an element of an array. */
    public static void write(JsonGenerator g, Moment moment) {
        g.writeStartObject();
        writeFields(g, moment);
        g.writeEndObject();
    }

    private static void writeFields(JsonGenerator g, Moment moment) {
        g.writeNumberProperty("wall_ms", moment.wallMillis());
        g.writeNumberProperty("monotonic_ms", moment.monotonicMillis());
        g.writeStringProperty("boot_id", moment.bootId());
    }

    /** The moment whose START_OBJECT is P's current token; unknown fields are skipped. */
    public static Moment read(JsonParser p) {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new IllegalStateException("expected a moment object, found " + p.currentToken());
        }
        long wall = 0, monotonic = 0;
        String boot = "";
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "wall_ms" -> wall = p.getLongValue();
                case "monotonic_ms" -> monotonic = p.getLongValue();
                case "boot_id" -> boot = p.getString();
                default -> p.skipChildren();
            }
        }
        return new Moment(Instant.ofEpochMilli(wall), monotonic, boot);
    }
}
