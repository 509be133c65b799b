package org.quantsupervision.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prometheus' text exposition format (version 0.0.4), the one writer of both the textfile that
 * node_exporter collects ({@code health --prometheus-dir}) and {@code serve}'s /metrics.
 *
 * <p>Written by hand, not with a client library: the format is a documented page of rules
 * (families grouped under one HELP and TYPE, label values escaped, values as Go floats), these
 * are gauges and counters only, and the client libraries bring a registry, collectors and three
 * jars into a runtime that has no other use for them. Prometheus' own parser checks the output
 * ({@code promtool check metrics}, PrometheusFormatTest and tests/container/serve).
 *
 * <p>Samples may be added in any order: a family's lines come out together, in the order its
 * first sample was added, as the format requires.
 */
public final class Exposition {
    /** Metric and label names: Prometheus' data model. */
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final java.util.regex.Pattern LABEL = java.util.regex.Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private record Family(String type, String help, List<String> samples) {
    }

    private final Map<String, Family> families = new LinkedHashMap<>();

    /** A value that can go up and down. LABELS: name, value, name, value... */
    public Exposition gauge(String name, String help, double value, String... labels) {
        return sample("gauge", name, help, value, labels);
    }

    /** A count that only grows (from 0 when its process starts again): NAME ends in _total. */
    public Exposition counter(String name, String help, double value, String... labels) {
        if (!name.endsWith("_total")) {
            throw new IllegalArgumentException("a counter's name ends in _total: " + name);
        }
        return sample("counter", name, help, value, labels);
    }

    private Exposition sample(String type, String name, String help, double value, String... labels) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a metric name: " + name);
        }
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name, value pairs: " + name);
        }
        Family family = families.computeIfAbsent(name, n -> new Family(type, help, new ArrayList<>()));
        if (!family.type().equals(type)) {
            throw new IllegalArgumentException(name + " is a " + family.type() + ", not a " + type);
        }
        StringBuilder line = new StringBuilder(name);
        for (int i = 0; i < labels.length; i += 2) {
            if (!LABEL.matcher(labels[i]).matches() || labels[i].startsWith("__")) {
                throw new IllegalArgumentException("not a label name: " + labels[i]);
            }
            line.append(i == 0 ? '{' : ',').append(labels[i]).append("=\"").append(escapeLabel(labels[i + 1])).append('"');
        }
        if (labels.length > 0) {
            line.append('}');
        }
        family.samples().add(line.append(' ').append(value(value)).toString());
        return this;
    }

    /** Whether a sample of NAME was added. */
    public boolean has(String name) {
        return families.containsKey(name);
    }

    public String text() {
        StringBuilder out = new StringBuilder();
        families.forEach((name, f) -> {
            out.append("# HELP ").append(name).append(' ').append(escapeHelp(f.help())).append('\n');
            out.append("# TYPE ").append(name).append(' ').append(f.type()).append('\n');
            f.samples().forEach(s -> out.append(s).append('\n'));
        });
        return out.toString();
    }

    /** A value as Go's ParseFloat reads it: whole numbers without a point, others with up to 3 decimals. */
    public static String value(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
                : new java.math.BigDecimal(String.format(java.util.Locale.ROOT, "%.3f", v)).stripTrailingZeros()
                        .toPlainString();
    }

    private static String escapeLabel(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String escapeHelp(String v) {
        return v.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
