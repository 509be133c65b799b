package org.quantsupervision.alert;

import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/** Builds a small JSON document with Jackson's streaming generator (escaping done right). */
final class JsonBody {
    private static final JsonFactory JSON = new JsonFactory();

    private JsonBody() {
    }

    static byte[] of(Consumer<JsonGenerator> writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            writer.accept(g);
        }
        return out.toByteArray();
    }
}
