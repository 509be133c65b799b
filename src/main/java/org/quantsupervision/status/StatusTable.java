package org.quantsupervision.status;

import java.time.Duration;
import java.time.Instant;

import org.quantsupervision.health.HealthSummary;
import org.quantsupervision.health.Status;
import org.quantsupervision.record.RunnerRecord;

/** The dashboard for people: a block per strategy, colour on a terminal (green OK, yellow, red), plain when piped. */
public final class StatusTable {
    private final boolean colour;

    public StatusTable(boolean colour) {
        this.colour = colour;
    }

    public String format(HostStatus host, Instant now) {
        StringBuilder out = new StringBuilder();
        out.append("health service: ").append(host.healthService()).append('\n');
        if (host.strategies().isEmpty()) {
            out.append("no strategies configured (add /etc/strategies/NAME/env.conf)\n");
        }
        for (StrategyStatus s : host.strategies()) {
            out.append('\n').append(bold(s.name())).append("  ").append(headline(s)).append('\n');
            out.append("  manager  ").append(s.manager()).append('\n');
            s.runner().ifPresent(r -> out.append("  runner   ").append(runner(r, s, now)).append('\n'));
            s.halt().ifPresent(h -> out.append("  halted   ").append(h.describe()).append(" (quant-supervision resume ")
                    .append(s.name()).append(")\n"));
            s.crashes().last().ifPresent(last -> out.append("  crashes  ").append(s.crashes().lastHour())
                    .append(" in the last hour, ").append(s.crashes().lastDay()).append(" in 24 h; last ")
                    .append(ago(now, last.time().toEpochMilli())).append(": ").append(last.how()).append(" after ")
                    .append(human(Duration.ofMillis(Math.max(0, last.uptimeMillis())))).append(" up\n"));
            s.usage().ifPresent(u -> out.append("  usage    ").append(u.bytes() >> 20).append(" MB resident, ")
                    .append(u.cpuMillis() / 1000.0).append(" s CPU, ").append(u.processes()).append(" process")
                    .append(u.processes() == 1 ? "" : "es").append('\n'));
            if (s.health().isPresent()) {
                HealthSummary h = s.health().get();
                StringBuilder checks = new StringBuilder();
                h.checks().forEach((name, c) -> {
                    checks.append(checks.isEmpty() ? "" : ", ").append(name).append(' ').append(paint(c.status()));
                    if (c.consecutive() > 0) {
                        checks.append(" x").append(c.consecutive());
                    }
                    if (c.incident()) {
                        checks.append(" (incident open)");
                    }
                });
                out.append("  health   ").append(paint(h.status())).append(" as of ")
                        .append(ago(now, h.writtenMillis())).append(": ").append(checks).append('\n');
            } else {
                out.append("  health   no health run yet\n");
            }
            for (String event : s.events()) {
                out.append("  event    ").append(event).append('\n');
            }
        }
        return out.toString();
    }

    private String headline(StrategyStatus s) {
        Headline h = Headline.of(s);
        return paint(h.level(), h.text()) + h.detail();
    }

    private static String runner(RunnerRecord r, StrategyStatus s, Instant now) {
        StringBuilder b = new StringBuilder("pid ").append(r.runnerPid()).append(s.runnerAlive() ? "" : " (gone)")
                .append(", strategy pid ").append(r.childPid() == 0 ? "-" : Long.toString(r.childPid()));
        if (s.strategyAlive()) {
            b.append(" up ").append(human(Duration.between(Instant.ofEpochMilli(r.childStartedAtMillis()), now)));
        }
        b.append(", restarts ").append(r.restarts());
        if (r.lastExitSignal() != null) {
            b.append(", last exit signal ").append(r.lastExitSignal());
        } else if (r.lastExitCode() != null) {
            b.append(", last exit status ").append(r.lastExitCode());
        }
        if (r.backoffMillis() > 0) {
            b.append(", next start in ").append(r.backoffMillis()).append(" ms");
        }
        return b.toString();
    }

    private String paint(Status status) {
        return paint(status, status.name());
    }

    private String paint(Status status, String text) {
        if (!colour) {
            return text;
        }
        String code = switch (status) {
            case OK -> "32";
            case WARNING, UNKNOWN -> "33";
            case CRITICAL -> "31";
        };
        return "\u001b[" + code + "m" + text + "\u001b[0m";
    }

    private String bold(String text) {
        return colour ? "\u001b[1m" + text + "\u001b[0m" : text;
    }

    private static String ago(Instant now, long millis) {
        return human(Duration.between(Instant.ofEpochMilli(millis), now)) + " ago";
    }

    private static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s < 60 ? s + "s" : s < 3600 ? s / 60 + "m" + s % 60 + "s" : s / 3600 + "h" + (s % 3600) / 60 + "m";
    }
}
