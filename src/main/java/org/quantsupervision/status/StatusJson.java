package org.quantsupervision.status;

import org.quantsupervision.json.Json;
import org.quantsupervision.record.RunnerRecord;

/** {@code status --json}: the same facts for tools. */
public final class StatusJson {
    private StatusJson() {
    }

    private static boolean isJsonObject(String line) {
        try (tools.jackson.core.JsonParser p = Json.parser(line)) {
            if (p.nextToken() != tools.jackson.core.JsonToken.START_OBJECT) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    public static String format(HostStatus host) {
        String json = Json.text(g -> {
            g.writeStartObject();
            g.writeBooleanProperty("systemd", host.systemd());
            g.writeStringProperty("health_service", host.healthService());
            // 0.1.0's name, from when a timer ran the checks: the same text, for tools that read it.
            g.writeStringProperty("health_timer", host.healthService());
            g.writeArrayPropertyStart("strategies");
            for (StrategyStatus s : host.strategies()) {
                g.writeStartObject();
                g.writeStringProperty("name", s.name());
                g.writeStringProperty("manager", s.manager());
                g.writeBooleanProperty("runner_alive", s.runnerAlive());
                g.writeBooleanProperty("strategy_alive", s.strategyAlive());
                if (s.runner().isPresent()) {
                    RunnerRecord r = s.runner().get();
                    g.writeObjectPropertyStart("runner");
                    g.writeStringProperty("state", r.state().name());
                    g.writeNumberProperty("pid", r.runnerPid());
                    g.writeNumberProperty("strategy_pid", r.childPid());
                    g.writeNumberProperty("strategy_started_at", r.childStartedAtMillis());
                    g.writeNumberProperty("restarts", r.restarts());
                    g.writeNumberProperty("crash_streak", r.crashStreak());
                    g.writeNumberProperty("backoff_ms", r.backoffMillis());
                    g.writeEndObject();
                    r.failover().ifPresent(f -> {
                        g.writeObjectPropertyStart("failover");
                        g.writeStringProperty("role", f.role());
                        g.writeStringProperty("leader", f.leader());
                        g.writeNumberProperty("epoch", f.epoch());
                        g.writeEndObject();
                    });
                }
                s.halt().ifPresent(h -> {
                    g.writeObjectPropertyStart("halt");
                    g.writeStringProperty("by", h.by());
                    if (h.at() != null) {
                        g.writeStringProperty("at", h.at().toString());
                    }
                    g.writeStringProperty("reason", h.reason());
                    g.writeEndObject();
                });
                g.writeObjectPropertyStart("crashes");
                g.writeNumberProperty("last_hour", s.crashes().lastHour());
                g.writeNumberProperty("last_24h", s.crashes().lastDay());
                s.crashes().last().ifPresent(last -> {
                    g.writeObjectPropertyStart("last");
                    g.writeStringProperty("time", last.time().toString());
                    g.writeStringProperty("how", last.how());
                    g.writeNumberProperty("uptime_ms", last.uptimeMillis());
                    g.writeStringProperty("message", last.message());
                    g.writeEndObject();
                });
                g.writeEndObject();
                s.heartbeatAge().ifPresent(age -> g.writeNumberProperty("heartbeat_age_ms", age.toMillis()));
                s.usage().ifPresent(u -> {
                    g.writeObjectPropertyStart("usage");
                    g.writeNumberProperty("rss_bytes", u.bytes());
                    g.writeNumberProperty("cpu_ms", u.cpuMillis());
                    g.writeNumberProperty("processes", u.processes());
                    g.writeEndObject();
                });
                s.health().ifPresent(h -> {
                    g.writeObjectPropertyStart("health");
                    g.writeStringProperty("status", h.status().name());
                    g.writeNumberProperty("written_at", h.writtenMillis());
                    g.writeObjectPropertyStart("checks");
                    h.checks().forEach((name, c) -> {
                        g.writeObjectPropertyStart(name);
                        g.writeStringProperty("status", c.status().name());
                        g.writeNumberProperty("consecutive_failures", c.consecutive());
                        g.writeBooleanProperty("incident", c.incident());
                        g.writeEndObject();
                    });
                    g.writeEndObject();
                    g.writeEndObject();
                });
                g.writeArrayPropertyStart("events");
                for (String event : s.events()) {
                    if (isJsonObject(event)) {
                        g.writeRawValue(event); // each line of events.jsonl is a JSON object
                    } else {
                        g.writeString(event); // a torn line: kept as text, the document stays valid
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
        return json + "\n";
    }
}
