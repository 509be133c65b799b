package org.quantsupervision.alert;

import java.net.URI;

import org.quantsupervision.json.Json;

/** Any HTTP receiver: one flat JSON object per alert, documented in the man page. */
record WebhookChannel(URI uri) implements AlertChannel {

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public byte[] body(Alert alert) {
        return Json.bytes(g -> {
            g.writeStartObject();
            g.writeStringProperty("source", "quant-supervision");
            g.writeStringProperty("event", alert.kind().name().toLowerCase(java.util.Locale.ROOT));
            g.writeStringProperty("host", alert.host());
            g.writeStringProperty("strategy", alert.strategy());
            g.writeStringProperty("check", alert.check());
            g.writeStringProperty("status", alert.resolve() ? "OK" : alert.status());
            g.writeStringProperty("summary", alert.summary());
            g.writeStringProperty("time", alert.time().toString());
            g.writeStringProperty("dedup_key", alert.dedupKey());
            if (!alert.details().isEmpty()) {
                g.writeArrayPropertyStart("output");
                alert.details().forEach(g::writeString);
                g.writeEndArray();
            }
            g.writeEndObject();
        });
    }
}
