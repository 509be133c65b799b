package org.quantsupervision.health;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.List;

import org.quantsupervision.json.Json;
import org.quantsupervision.record.RunnerRecord;
import org.quantsupervision.record.RunnerState;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Did the runner give up on the strategy (too many crashes in GIVE_UP_WINDOW)? The runner
 * records a "gave-up" event in events.jsonl; it stays CRITICAL until the strategy has been
 * started again after it.
 */
final class GiveUpCheck implements Check {
    static final String NAME = "gave-up";
    /** Only recent events matter; the file's tail bounds the read. */
    private static final int LINES = 200;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CheckResult run(CheckContext c) {
        java.nio.file.Path events = c.paths().stateDir().resolve("events.jsonl");
        if (!java.nio.file.Files.exists(events)) {
            return CheckResult.of(NAME, Status.OK, "the runner never gave up"); // without an exception per round
        }
        List<String> lines;
        try {
            lines = FileTail.lastLines(events, LINES, 1 << 20);
        } catch (NoSuchFileException e) {
            return CheckResult.of(NAME, Status.OK, "the runner never gave up");
        } catch (IOException e) {
            return CheckResult.of(NAME, Status.UNKNOWN, "cannot read events.jsonl: " + e.getMessage());
        }
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (!lines.get(i).contains("\"gave-up\"")) {
                continue; // parse only the candidates: most events are the checker's own
            }
            String[] event = parse(lines.get(i));
            if (event == null || !"gave-up".equals(event[1])) {
                continue;
            }
            Instant at = Instant.parse(event[0]);
            RunnerRecord r = c.runner().orElse(null);
            if (r != null && r.childStartedAtMillis() > at.toEpochMilli() && r.state() != RunnerState.FATAL) {
                return CheckResult.of(NAME, Status.OK, "started again since the runner gave up at " + at);
            }
            return CheckResult.of(NAME, Status.CRITICAL, "the runner gave up at " + at + ": " + event[2]);
        }
        return CheckResult.of(NAME, Status.OK, "the runner has not given up");
    }

    /** time, event, message of one line, or null if it is not an event. */
    private static String[] parse(String line) {
        String[] result = {null, null, ""};
        try (JsonParser p = Json.parser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "time" -> result[0] = p.getString();
                    case "event" -> result[1] = p.getString();
                    case "message" -> result[2] = p.getString();
                    default -> p.skipChildren();
                }
            }
        } catch (RuntimeException e) {
            return null; // a torn last line
        }
        return result[0] == null ? null : result;
    }
}
