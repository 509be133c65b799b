package org.quantsupervision.alert;

import java.net.URI;

import org.quantsupervision.json.Json;

/**
 * A Slack incoming webhook, with the reference article's payload: a text line and an attachment
 * of fields (red for a failure, green for the recovery); an update is a message of its own
 * (Slack has no incidents to fold it into), the last output lines a code block.
 */
record SlackChannel(URI uri) implements AlertChannel {

    @Override
    public String name() {
        return "slack";
    }

    @Override
    public byte[] body(Alert alert) {
        // The kill switch's alert is an operator's act, not a check: its summary is the message.
        String text = alert.strategy().equals(KillSwitchAlert.SUBJECT)
                ? "[" + alert.strategy() + "] " + alert.summary() + " (on " + alert.host() + " at " + alert.time() + ")"
                : switch (alert.kind()) {
                    case TRIGGER -> "[" + alert.strategy() + "] Health check failed: " + alert.check() + " "
                            + alert.status() + " on " + alert.host() + " at " + alert.time();
                    case UPDATE -> "[" + alert.strategy() + "] Still failing: " + alert.check() + " " + alert.status()
                            + " on " + alert.host() + " at " + alert.time();
                    case RESOLVE -> "[" + alert.strategy() + "] Recovered: " + alert.check() + " on " + alert.host()
                            + " at " + alert.time();
                };
        return Json.bytes(g -> {
            g.writeStartObject();
            g.writeStringProperty("text", text);
            g.writeArrayPropertyStart("attachments");
            g.writeStartObject();
            g.writeStringProperty("color", alert.resolve() ? "good" : "CRITICAL".equals(alert.status()) ? "danger" : "warning");
            g.writeStringProperty("fallback", text);
            g.writeArrayPropertyStart("fields");
            field(g, "Check", alert.check());
            field(g, "Status", alert.resolve() ? "OK" : alert.status());
            field(g, "Host", alert.host());
            field(g, "Timestamp", alert.time().toString());
            g.writeStartObject();
            g.writeStringProperty("title", "Details");
            g.writeStringProperty("value", alert.summary());
            g.writeBooleanProperty("short", false);
            g.writeEndObject();
            if (!alert.details().isEmpty()) {
                g.writeStartObject();
                g.writeStringProperty("title", "Last output");
                // A code block: output is shown as written, not as Slack markup (a fence in it cannot end the block).
                g.writeStringProperty("value", "```\n" + String.join("\n", alert.details()).replace("```", "'''")
                        + "\n```");
                g.writeBooleanProperty("short", false);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void field(tools.jackson.core.JsonGenerator g, String title, String value) {
        g.writeStartObject();
        g.writeStringProperty("title", title);
        g.writeStringProperty("value", value);
        g.writeBooleanProperty("short", true);
        g.writeEndObject();
    }
}
