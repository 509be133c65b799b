package org.quantsupervision.json;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.util.function.Consumer;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The one writer (and reader) of the JSON that quant-supervision writes: runner.json's readers,
 * events.jsonl, health.json, the --json outputs of health, status, doctor and drill, and the
 * alert payloads, all through one factory of Jackson's streaming API, so escaping and the
 * generator's life (flushed and closed whatever the writer does) are decided here once. Each
 * caller writes its own fields: those are its documented format (the C monitor reads
 * runner.json's plan, 0.1.0 wrote health.json), which a data-binding library would derive from
 * field names, at the price of its reflection on every start of a short-lived command.
 * StateRuleCheck keeps a factory of its own: it reads a strategy's file under stricter limits.
 */
public final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {
    }

    /** WRITER's document, as UTF-8 bytes. */
    public static byte[] bytes(Consumer<JsonGenerator> writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            writer.accept(g);
        }
        return out.toByteArray();
    }

    /** WRITER's document, as text. */
    public static String text(Consumer<JsonGenerator> writer) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            writer.accept(g);
        }
        return out.toString();
    }

    /** A parser of BYTES (the caller closes it). */
    public static JsonParser parser(byte[] bytes) {
        return FACTORY.createParser(ObjectReadContext.empty(), bytes);
    }

    /** A parser of TEXT (the caller closes it). */
    public static JsonParser parser(String text) {
        return FACTORY.createParser(ObjectReadContext.empty(), text);
    }
}
