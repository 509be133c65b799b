package org.quantsupervision.record;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Optional;

import org.quantsupervision.json.Json;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The kill switch's file, /etc/strategies/NAME/halted ({@code StrategyConfig.haltFileOf}): its
 * presence as a regular file is what the runner obeys (monitor.c {@code halt_file_present()});
 * its content, {@code {"by":USER,"at":ISO-8601,"reason":TEXT}}, is for people: the health check,
 * status and doctor show who halted the strategy, when and why. root writes it
 * ({@code host/StrategyHalt}); anyone may read it.
 *
 * @param at when it was halted; null if the file does not say (written by hand)
 */
public record HaltMarker(String by, Instant at, String reason) {
    /** More than a marker ever holds (a reason is one line). */
    private static final int MAX_BYTES = 1 << 14;

    /**
     * The marker at FILE, if the runner would see one there: a regular file (the monitor
     * ignores a symlink or a directory of that name). A file that is not our JSON, such as one
     * made with touch(1), still halts: it is shown as halted by an unknown hand.
     */
    public static Optional<HaltMarker> read(Path file) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(new HaltMarker("?", null, "the halt file cannot be read: " + e.getMessage()));
        }
        if (!a.isRegularFile()) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = UntrustedFile.read(file, MAX_BYTES);
        } catch (NoSuchFileException e) {
            return Optional.empty(); // resumed meanwhile
        } catch (IOException e) {
            return Optional.of(new HaltMarker("?", null, "the halt file cannot be read: " + e.getMessage()));
        }
        return Optional.of(parse(bytes, Instant.ofEpochMilli(a.lastModifiedTime().toMillis())));
    }

    /** BYTES as a marker; what they do not say is unknown ("?"), the time the file's MTIME. */
    static HaltMarker parse(byte[] bytes, Instant mtime) {
        String by = "?", reason = "";
        Instant at = null;
        try (JsonParser p = Json.parser(bytes)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String field = p.currentName();
                    JsonToken t = p.nextToken();
                    if (t != JsonToken.VALUE_STRING) {
                        p.skipChildren();
                        continue;
                    }
                    switch (field) {
                        case "by" -> by = p.getString();
                        case "at" -> at = Instant.parse(p.getString());
                        case "reason" -> reason = p.getString();
                        default -> { }
                    }
                }
            }
        } catch (RuntimeException e) { // not our JSON (DateTimeParseException, Jackson's): still a halt
            return new HaltMarker(by, at != null ? at : mtime, reason.isEmpty() ? "(the halt file is not "
                    + "quant-supervision's JSON)" : reason);
        }
        return new HaltMarker(by, at != null ? at : mtime, reason);
    }

    /** The file's content, one line of JSON. */
    public byte[] json() {
        return (Json.text(g -> {
            g.writeStartObject();
            g.writeStringProperty("by", by);
            g.writeStringProperty("at", at.toString());
            g.writeStringProperty("reason", reason);
            g.writeEndObject();
        }) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** "by alice at 2026-12-02T16:00:00Z: drill", for the health check, status and doctor. */
    public String describe() {
        return "by " + by + " at " + (at == null ? "an unknown time" : at.toString())
                + (reason.isEmpty() ? " (no reason given)" : ": " + reason);
    }
}
