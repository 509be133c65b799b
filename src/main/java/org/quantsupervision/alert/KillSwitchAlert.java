package org.quantsupervision.alert;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.quantsupervision.config.AlertTargets;

/**
 * The one alert of a {@code halt} or {@code resume} command (not one per strategy: pulling the
 * kill switch on the whole book is one event), on the host's channels from alerts.conf only:
 * "halted by alice: a, b, c — reason". Nothing of a strategy's env.conf goes into it, neither its
 * channels nor its values; the names, the operator's name and the reason are the whole text.
 *
 * <p>One dedup key per host (quant-supervision/HOST/*kill-switch/halt): a halt triggers it (a
 * WARNING: someone pulled it on purpose, nothing failed), a resume that leaves nothing halted on
 * the host resolves it (PagerDuty's incident closes), one that leaves some halted updates it.
 */
public final class KillSwitchAlert {
    /**
     * The alert's "strategy": it is about the host's kill switch, whichever strategies it holds.
     * The leading '*' is no strategy's name (config/StrategyName), so no strategy's alert reads as this.
     */
    public static final String SUBJECT = "*kill-switch";
    public static final String CHECK = "halt";

    private KillSwitchAlert() {
    }

    /** "halted by BY: a, b, c — REASON". */
    public static Alert halted(String host, String by, List<String> names, String reason, Instant at) {
        return new Alert(host, SUBJECT, CHECK, "WARNING", Alert.Kind.TRIGGER, "halted by " + by + ": " + String.join(", ", names)
                + (reason.isEmpty() ? "" : " \u2014 " + reason), at);
    }

    /** "resumed by BY: a, b" and, with STILL_HALTED, which remain halted (else the incident resolves). */
    public static Alert resumed(String host, String by, List<String> names, List<String> stillHalted, Instant at) {
        String text = "resumed by " + by + ": " + String.join(", ", names);
        return stillHalted.isEmpty() ? new Alert(host, SUBJECT, CHECK, "OK", Alert.Kind.RESOLVE, text + "; nothing halted on " + host,
                at) : new Alert(host, SUBJECT, CHECK, "WARNING", Alert.Kind.UPDATE, text + "; still halted: "
                        + String.join(", ", stillHalted), at);
    }

    /** Sends ALERT to every channel of TARGETS through SENDER; one line per channel (never a URL or key). */
    public static List<String> send(AlertSender sender, Alert alert, AlertTargets targets) {
        List<String> lines = new ArrayList<>();
        for (AlertSender.Delivery d : sender.send(alert, targets, Set.copyOf(AlertSender.channelNames(targets)))) {
            lines.add("alert to " + d.channel() + ": " + (d.delivered() ? "delivered"
                    : "NOT delivered (" + d.error() + ", " + d.attempts() + (d.attempts() == 1 ? " attempt)"
                            : " attempts)")));
        }
        return lines;
    }
}
