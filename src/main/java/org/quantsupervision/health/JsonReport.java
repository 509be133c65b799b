package org.quantsupervision.health;

import java.util.List;

import org.quantsupervision.json.Json;

import tools.jackson.core.JsonGenerator;

/** {@code --format json}: one object for the run, for scripts and dashboards. */
public final class JsonReport {
    private JsonReport() {
    }

    public static String format(String host, List<StrategyReport> reports) {
        Status overall = reports.stream().map(StrategyReport::status).reduce(Status.OK, Status::worse);
        String json = Json.text(g -> {
            g.writeStartObject();
            g.writeStringProperty("host", host);
            g.writeStringProperty("status", overall.name());
            g.writeArrayPropertyStart("strategies");
            for (StrategyReport r : reports) {
                g.writeStartObject();
                g.writeStringProperty("strategy", r.strategy());
                g.writeStringProperty("time", r.time().toString());
                g.writeStringProperty("status", r.status().name());
                g.writeArrayPropertyStart("checks");
                for (CheckResult c : r.results()) {
                    g.writeStartObject();
                    g.writeStringProperty("name", c.name());
                    g.writeStringProperty("status", c.status().name());
                    g.writeStringProperty("message", c.message());
                    // An expected failure: status OK, message "MAINTENANCE: <what failed>" (see CheckResult).
                    g.writeBooleanProperty("maintenance", c.maintenance());
                    g.writeNumberProperty("consecutive_failures", r.consecutive().getOrDefault(c.name(), 0));
                    g.writeNumberProperty("duration_us", c.micros());
                    g.writeObjectPropertyStart("metrics");
                    for (Metric m : c.metrics()) {
                        g.writeNumberProperty(m.label(), m.value());
                    }
                    g.writeEndObject();
                    g.writeEndObject();
                }
                g.writeEndArray();
                strings(g, "actions", r.actions());
                strings(g, "notes", r.notes());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
        return json + "\n";
    }

    private static void strings(JsonGenerator g, String name, List<String> values) {
        g.writeArrayPropertyStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}
