package org.quantsupervision.alert;

import java.net.URI;
import java.util.Locale;

import org.quantsupervision.json.Json;

/**
 * PagerDuty Events API v2: a trigger per incident with a stable dedup_key (PagerDuty folds
 * repeats into one incident), and a resolve with the same key when the check recovers. An
 * update is a trigger with the same key: PagerDuty adds it to the open incident's log and
 * pages no one again.
 */
record PagerDutyChannel(URI uri, String routingKey) implements AlertChannel {

    @Override
    public String name() {
        return "pagerduty";
    }

    @Override
    public byte[] body(Alert alert) {
        return Json.bytes(g -> {
            g.writeStartObject();
            g.writeStringProperty("routing_key", routingKey);
            g.writeStringProperty("event_action", alert.resolve() ? "resolve" : "trigger");
            g.writeStringProperty("dedup_key", alert.dedupKey());
            if (!alert.resolve()) {
                g.writeObjectPropertyStart("payload");
                g.writeStringProperty("summary", truncate("[" + alert.strategy() + "] " + alert.check() + " "
                        + alert.status() + ": " + alert.summary()));
                g.writeStringProperty("source", alert.host());
                g.writeStringProperty("severity", severity(alert.status()));
                g.writeStringProperty("timestamp", alert.time().toString());
                g.writeStringProperty("component", alert.strategy());
                g.writeStringProperty("group", "quant-supervision");
                g.writeStringProperty("class", alert.check());
                if (!alert.details().isEmpty()) {
                    g.writeObjectPropertyStart("custom_details");
                    g.writeArrayPropertyStart("output");
                    alert.details().forEach(g::writeString);
                    g.writeEndArray();
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        });
    }

    /** PagerDuty's severities are critical, error, warning, info. */
    private static String severity(String status) {
        return switch (status) {
            case "CRITICAL" -> "critical";
            case "WARNING" -> "warning";
            case "UNKNOWN" -> "error";
            default -> status.toLowerCase(Locale.ROOT);
        };
    }

    /** The API limits summary to 1024 characters. */
    private static String truncate(String s) {
        return s.length() <= 1024 ? s : s.substring(0, 1021) + "...";
    }
}
