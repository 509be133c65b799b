package org.quantsupervision.record;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.function.Consumer;

import org.quantsupervision.json.Json;

/**
 * Events the health checker turns into alerts (the runner itself sends none): one JSON object
 * per line in /var/lib/quant-supervision/NAME/events.jsonl, which survives reboots.
 */
public final class EventLog {
    private EventLog() {
    }

    public static void append(Path stateDir, String strategy, String event, String message, Consumer<String> onError) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        line.writeBytes(line(Instant.now(), strategy, event, message).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        line.write('\n');
        try {
            Files.createDirectories(stateDir);
            try (OutputStream out = Files.newOutputStream(stateDir.resolve("events.jsonl"),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                line.writeTo(out); // one write of one line: concurrent appenders do not interleave
            }
        } catch (IOException e) {
            onError.accept("could not record the event '" + event + "' in " + stateDir + ": " + e.getMessage());
        }
    }

    /** One event as a line of events.jsonl (without its newline): time first, so lines sort by time. */
    public static String line(Instant time, String strategy, String event, String message) {
        return Json.text(g -> {
            g.writeStartObject();
            g.writeStringProperty("time", time.toString());
            g.writeStringProperty("strategy", strategy);
            g.writeStringProperty("event", event);
            g.writeStringProperty("message", message);
            g.writeEndObject();
        });
    }
}
