package org.quantsupervision.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.quantsupervision.health.HealthSummary;
import org.quantsupervision.health.Status;
import org.quantsupervision.record.FailoverRole;
import org.quantsupervision.record.RunnerEvent;
import org.quantsupervision.record.RunnerRecord;
import org.quantsupervision.status.Headline;
import org.quantsupervision.status.HostStatus;
import org.quantsupervision.status.StrategyStatus;

/**
 * The status page: one table row per strategy (group, state, manager, role, uptime, restarts,
 * crashes, the last 24 hours as a timeline, health), the checks, open incidents and the latest
 * events. Server-rendered HTML with one inline style sheet and an inline SVG per timeline: no
 * script, no external asset (the host may have no internet), and a meta refresh that works with
 * JavaScript off.
 */
public final class StatusPage {
    /** How often the page reloads itself; a health round is every 30 s, a crash shows at the next load. */
    static final int REFRESH_SECONDS = 10;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");
    private static final String STYLE = """
            body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#1d232a;background:#fafbfc}
            h1{font-size:1.4em;margin:0}h2{font-size:1.1em;margin:1.5em 0 .4em}
            .sub{color:#5b6570;margin:.2em 0 1em}
            table{border-collapse:collapse;background:#fff;border:1px solid #d6dbe0}
            th,td{padding:.35em .6em;border-bottom:1px solid #e6e9ec;text-align:left;vertical-align:top}
            th{background:#f0f2f4;font-weight:600;white-space:nowrap}
            td.num{text-align:right}.name{font-weight:600}
            .state{font-weight:700;padding:.05em .45em;border-radius:3px;white-space:nowrap}
            .ok{background:#d8f3dc;color:#14532d}.warning{background:#fff3c4;color:#713f12}
            .critical{background:#fde2e1;color:#7f1d1d}.unknown{background:#e8e8e8;color:#333}
            svg.timeline{background:#f4f6f8;border:1px solid #d6dbe0;display:block}
            .crashed{fill:#d62828}.replaced{fill:#f77f00}.gave-up{fill:#000}.halted,.resumed{fill:#6c757d}
            .leader,.standby,.fenced,.handed-over{fill:#1d4ed8}.restart{fill:#7c3aed}
            .tick{stroke:#c3c9cf}.last{color:#5b6570;font-size:.9em}
            .events td{font-family:ui-monospace,monospace;font-size:.9em}
            """;
    private static final String CSP = "default-src 'none'; style-src 'sha256-" + sha256(STYLE)
            + "'; img-src 'none'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    private final String hostName;
    private final Function<String, Optional<String>> groupOf;
    private final ZoneId zone;

    /**
     * @param groupOf the group (quant-strategy-group@GROUP.target, or supervisord's group) a strategy is in
     */
    public StatusPage(String hostName, Function<String, Optional<String>> groupOf, ZoneId zone) {
        this.hostName = hostName;
        this.groupOf = groupOf;
        this.zone = zone;
    }

    /** The policy that lets the page's own style sheet in and nothing else (no script, no frame, no form). */
    String contentSecurityPolicy() {
        return CSP;
    }

    public String render(HostStatus host, Instant now) {
        StringBuilder h = new StringBuilder(16384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"refresh\" content=\"").append(REFRESH_SECONDS).append("\">")
                .append("<meta name=\"viewport\" content=\"width=device-width\">")
                .append("<title>").append(esc(hostName)).append(" · quant-supervision</title>")
                .append("<style>").append(STYLE).append("</style></head><body>\n");
        h.append("<h1>").append(esc(hostName)).append("</h1><p class=\"sub\">")
                .append(host.strategies().size()).append(host.strategies().size() == 1 ? " strategy" : " strategies")
                .append(" · as of ").append(esc(DATE_TIME.format(now.atZone(zone))))
                .append(" · refreshes every ").append(REFRESH_SECONDS).append(" s · health service: ")
                .append(esc(host.healthService())).append("</p>\n");
        if (host.strategies().isEmpty()) {
            h.append("<p>No strategies configured (add /etc/strategies/NAME/env.conf).</p>");
        } else {
            // each strategy's group looked up once (the unit files, supervisord's conf) for both tables
            Map<String, Optional<String>> groups = new java.util.HashMap<>();
            host.strategies().forEach(s -> groups.put(s.name(), groupOf.apply(s.name())));
            strategies(h, host.strategies(), groups, now);
            groups(h, host.strategies(), groups);
            checks(h, host.strategies());
            incidents(h, host.strategies());
            events(h, host.strategies());
        }
        return h.append("</body></html>\n").toString();
    }

    private void strategies(StringBuilder h, List<StrategyStatus> strategies, Map<String, Optional<String>> groupOf,
            Instant now) {
        h.append("<h2>Strategies</h2><table class=\"strategies\"><thead><tr><th>Strategy</th><th>Group</th>")
                .append("<th>State</th><th>Manager</th><th>Role</th><th>Uptime</th><th>Restarts</th>")
                .append("<th>Crashes 1 h / 24 h</th><th>Last 24 hours</th><th>Health</th></tr></thead><tbody>\n");
        for (StrategyStatus s : strategies) {
            Headline state = Headline.of(s);
            Optional<RunnerRecord> r = s.runner();
            h.append("<tr id=\"strategy-").append(esc(s.name())).append("\"><td class=\"name\">").append(esc(s.name()))
                    .append("</td><td>").append(esc(groupOf.get(s.name()).orElse("-"))).append("</td><td>")
                    .append("<span class=\"state ").append(css(state.level())).append("\">").append(esc(state.text()))
                    .append("</span>").append(esc(state.detail()))
                    .append("</td><td>").append(esc(s.manager())).append("</td><td>").append(esc(role(s)))
                    .append("</td><td class=\"num\">").append(s.strategyAlive() && r.isPresent()
                            ? human(Duration.between(Instant.ofEpochMilli(r.get().childStartedAtMillis()), now)) : "-")
                    .append("</td><td class=\"num\">").append(r.map(x -> Integer.toString(x.restarts())).orElse("-"))
                    .append("</td><td class=\"num\">").append(s.crashes().lastHour()).append(" / ")
                    .append(s.crashes().lastDay()).append("</td><td>");
            timeline(h, s.crashes().day(), now);
            h.append("</td><td>").append(s.health().map(x -> "<span class=\"state " + css(x.status()) + "\">"
                    + x.status() + "</span> " + esc(ago(now, x.writtenMillis()))).orElse("no health run yet"))
                    .append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    /** Each group (enable --group) with its members' states: a group is started and stopped as one. */
    private static void groups(StringBuilder h, List<StrategyStatus> strategies, Map<String, Optional<String>> groupOf) {
        Map<String, List<StrategyStatus>> groups = new java.util.TreeMap<>();
        for (StrategyStatus s : strategies) {
            groupOf.get(s.name()).ifPresent(g -> groups.computeIfAbsent(g, k -> new java.util.ArrayList<>()).add(s));
        }
        if (groups.isEmpty()) {
            return;
        }
        h.append("<h2>Groups</h2><table class=\"groups\"><thead><tr><th>Group</th><th>State</th><th>Members</th>")
                .append("</tr></thead><tbody>\n");
        groups.forEach((group, members) -> {
            Status worst = members.stream().map(m -> Headline.of(m).level()).reduce(Status.OK, Status::worse);
            h.append("<tr id=\"group-").append(esc(group)).append("\"><td class=\"name\">").append(esc(group))
                    .append("</td><td><span class=\"state ").append(css(worst)).append("\">").append(worst)
                    .append("</span></td><td>");
            for (StrategyStatus m : members) {
                Headline state = Headline.of(m);
                h.append(esc(m.name())).append(" <span class=\"state ").append(css(state.level())).append("\">")
                        .append(esc(state.text())).append("</span> ");
            }
            h.append("</td></tr>\n");
        });
        h.append("</tbody></table>\n");
    }

    /** 24 hours, now at the right edge, a tick every 6 hours, a mark per notable event (its text on hover). */
    private void timeline(StringBuilder h, List<RunnerEvent> day, Instant now) {
        final int width = 288; // 5 minutes a pixel
        Instant from = now.minus(Duration.ofDays(1));
        h.append("<svg class=\"timeline\" width=\"").append(width).append("\" height=\"18\" viewBox=\"0 0 ")
                .append(width).append(" 18\" role=\"img\"><title>the last 24 hours</title>");
        for (int t = 1; t < 4; t++) {
            h.append("<line class=\"tick\" x1=\"").append(t * width / 4).append("\" x2=\"").append(t * width / 4)
                    .append("\" y1=\"0\" y2=\"18\"/>");
        }
        for (int i = 0; i < day.size(); i++) {
            RunnerEvent e = day.get(i);
            double x = Math.max(0, Math.min(width - 3, Duration.between(from, e.time()).toSeconds() / 300.0 - 1.5));
            h.append("<rect class=\"mark ").append(css(e.event())).append("\" x=\"")
                    .append(String.format(java.util.Locale.ROOT, "%.1f", x))
                    .append("\" y=\"2\" width=\"3\" height=\"14\"><title>").append(esc(markText(day, i))).append("</title></rect>");
        }
        h.append("</svg>");
        if (!day.isEmpty()) {
            h.append("<div class=\"last\">").append(esc(markText(day, day.size() - 1))).append("</div>");
        }
    }

    /** A mark's words: when, what, and for the end of a run, that the runner started it again. */
    private String markText(List<RunnerEvent> day, int i) {
        RunnerEvent e = day.get(i);
        String what = switch (e.event()) {
            case "crashed" -> "crashed (" + e.how() + ")";
            case "replaced" -> "replaced (no progress)";
            case "restart" -> "restarted by the health checker";
            default -> e.event();
        };
        boolean ended = e.event().equals("crashed") || e.event().equals("replaced");
        boolean gaveUp = i + 1 < day.size() && day.get(i + 1).event().equals("gave-up");
        return when(CLOCK, e.time()) + " " + what + (ended ? gaveUp ? ", then the runner gave up"
                : ", restarted by the runner" : "");
    }

    private void checks(StringBuilder h, List<StrategyStatus> strategies) {
        h.append("<h2>Health checks</h2><table class=\"checks\"><thead><tr><th>Strategy</th><th>Check</th>")
                .append("<th>Last result</th><th>Failures in a row</th><th>Incident</th></tr></thead><tbody>\n");
        for (StrategyStatus s : strategies) {
            if (s.health().isEmpty()) {
                h.append("<tr><td class=\"name\">").append(esc(s.name()))
                        .append("</td><td colspan=\"4\">no health run yet</td></tr>\n");
                continue;
            }
            for (Map.Entry<String, HealthSummary.Check> c : s.health().get().checks().entrySet()) {
                h.append("<tr><td class=\"name\">").append(esc(s.name())).append("</td><td>").append(esc(c.getKey()))
                        .append("</td><td><span class=\"state ").append(css(c.getValue().status())).append("\">")
                        .append(c.getValue().status()).append("</span></td><td class=\"num\">")
                        .append(c.getValue().consecutive()).append("</td><td>")
                        .append(c.getValue().incident() ? "open" : "-").append("</td></tr>\n");
            }
        }
        h.append("</tbody></table>\n");
    }

    private void incidents(StringBuilder h, List<StrategyStatus> strategies) {
        StringBuilder rows = new StringBuilder();
        for (StrategyStatus s : strategies) {
            s.health().ifPresent(x -> x.checks().forEach((check, c) -> {
                if (c.incident()) {
                    rows.append("<li><span class=\"name\">").append(esc(s.name())).append("</span> ").append(esc(check))
                            .append(": <span class=\"state ").append(css(c.status())).append("\">").append(c.status())
                            .append("</span></li>");
                }
            }));
        }
        h.append("<h2>Open incidents</h2>").append(rows.isEmpty() ? "<p>None.</p>" : "<ul class=\"incidents\">" + rows
                + "</ul>").append('\n');
    }

    private void events(StringBuilder h, List<StrategyStatus> strategies) {
        record Owned(String strategy, RunnerEvent event) {
        }
        List<Owned> all = new java.util.ArrayList<>();
        for (StrategyStatus s : strategies) {
            for (String line : s.events()) {
                RunnerEvent.parse(line).ifPresent(e -> all.add(new Owned(s.name(), e)));
            }
        }
        all.sort(java.util.Comparator.comparing((Owned o) -> o.event().time()).reversed());
        h.append("<h2>Latest events</h2><table class=\"events\"><thead><tr><th>Time</th><th>Strategy</th>")
                .append("<th>Event</th><th>Message</th></tr></thead><tbody>\n");
        for (Owned o : all.subList(0, Math.min(all.size(), 20))) {
            RunnerEvent e = o.event();
            h.append("<tr><td>").append(esc(when(DATE_TIME, e.time()))).append("</td><td>")
                    .append(esc(o.strategy())).append("</td><td>").append(esc(e.event())).append("</td><td>")
                    .append(esc(e.message())).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    /** A time in the host's zone; one no calendar holds (a forged event's year 1000000000) as written. */
    private String when(DateTimeFormatter format, Instant time) {
        try {
            return format.format(time.atZone(zone));
        } catch (java.time.DateTimeException e) {
            return time.toString();
        }
    }

    private static String role(StrategyStatus s) {
        return s.runner().flatMap(RunnerRecord::failover).map((FailoverRole f) -> f.isLeader()
                ? "leader, epoch " + f.epoch() : f.leaderKnown() ? "standby (leader " + f.leader() + ")" : "standby, no leader")
                .orElse("-");
    }

    private static String css(Status status) {
        return status.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** An event name as a class: only its letters and dashes (the names are the runner's, the file the strategy's). */
    private static String css(String event) {
        return event.replaceAll("[^a-z-]", "");
    }

    private static String ago(Instant now, long millis) {
        return "as of " + human(Duration.between(Instant.ofEpochMilli(millis), now)) + " ago";
    }

    private static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s < 60 ? s + "s" : s < 3600 ? s / 60 + "m" + s % 60 + "s" : s < 86400 ? s / 3600 + "h" + (s % 3600) / 60 + "m"
                : s / 86400 + "d" + (s % 86400) / 3600 + "h";
    }

    /** HTML text and attribute values: every character that could end either. */
    static String esc(String text) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String sha256(String text) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is in every JDK", e);
        }
    }
}
