package org.quantsupervision.record;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.quantsupervision.json.Json;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * One line of the runner's events.jsonl, as the monitor writes it (src/main/c/monitor/records.c):
 * time, event, message and, for an exit or a hook, the details of it. The file belongs to the
 * strategy's account, so a line is read as untrusted: any line may be forged or torn, texts are
 * cut to what the monitor itself would write, and what cannot be read is no event.
 *
 * @param exitCode the exit status, or -1 (killed by a signal, or not an exit)
 * @param signal the signal that ended it, or -1
 * @param uptimeMillis how long the process ran, or -1
 * @param output its last lines of output, oldest first (at most {@link #MAX_OUTPUT_LINES})
 */
public record RunnerEvent(Instant time, String event, String message, long pid, int exitCode, int signal,
        boolean coreDumped, long uptimeMillis, String hook, List<String> output) {

    /** The monitor keeps 20 lines of 300 bytes (lastlines.h); a forged line gets no more room. */
    public static final int MAX_OUTPUT_LINES = 20;
    private static final int MAX_LINE = 300;
    private static final int MAX_MESSAGE = 1000;

    /** LINE as an event, if it is one. */
    public static Optional<RunnerEvent> parse(String line) {
        String time = null;
        String event = null;
        String message = "";
        long pid = 0;
        int exitCode = -1;
        int signal = -1;
        boolean core = false;
        long uptime = -1;
        String hook = "";
        List<String> output = new ArrayList<>();
        try (JsonParser p = Json.parser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "time" -> time = p.getString();
                    case "event" -> event = p.getString();
                    case "message" -> message = cut(p.getString(), MAX_MESSAGE);
                    case "pid" -> pid = p.getLongValue();
                    case "exit_code" -> exitCode = p.getIntValue();
                    case "signal" -> signal = p.getIntValue();
                    case "core_dumped" -> core = p.getBooleanValue();
                    case "uptime_ms" -> uptime = p.getLongValue();
                    case "hook" -> hook = cut(p.getString(), MAX_LINE);
                    case "output" -> {
                        if (value != JsonToken.START_ARRAY) {
                            return Optional.empty();
                        }
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            output.add(cut(p.getString(), MAX_LINE));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (time == null || event == null) {
                return Optional.empty();
            }
            List<String> last = output.subList(Math.max(0, output.size() - MAX_OUTPUT_LINES), output.size());
            return Optional.of(new RunnerEvent(Instant.parse(time), event, message, pid, exitCode, signal, core, uptime,
                    hook, List.copyOf(last)));
        } catch (RuntimeException e) {
            return Optional.empty(); // torn (the last line while it is written) or not ours
        }
    }

    /** "status 1", "signal 11 (core dumped)": how a process ended, or "" for an event that is not an exit. */
    public String how() {
        if (signal >= 0) {
            return "signal " + signal + (coreDumped ? " (core dumped)" : "");
        }
        return exitCode >= 0 ? "status " + exitCode : "";
    }

    private static String cut(String s, int max) {
        return s == null ? "" : s.length() <= max ? s : s.substring(0, max);
    }
}
