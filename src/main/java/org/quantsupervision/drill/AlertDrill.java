package org.quantsupervision.drill;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.quantsupervision.alert.Alert;
import org.quantsupervision.alert.AlertSender;
import org.quantsupervision.config.AlertTargets;

/**
 * The article's test 4, "verify the alert was sent to your webhook", without breaking anything:
 * a test alert goes through every configured channel exactly as a real one would (same payload,
 * timeout and retries), and each channel's HTTP result is reported. PagerDuty then gets the
 * resolve for it, so the test page closes itself.
 */
public final class AlertDrill {
    /** The check name of the test alert, and so of its PagerDuty dedup key. */
    static final String CHECK = "drill";

    private final AlertSender sender;
    private final DrillReport.StepListener listener;

    public AlertDrill(AlertSender sender, DrillReport.StepListener listener) {
        this.sender = sender;
        this.listener = listener;
    }

    public DrillReport run(String host, String strategy, String manager, AlertTargets targets) {
        DrillReport report = new DrillReport("alert", strategy, manager, listener);
        List<String> channels = AlertSender.channelNames(targets);
        if (channels.isEmpty()) {
            return report.fail("no alert channel configured: set SLACK_WEBHOOK_URL, PAGERDUTY_ROUTING_KEY or "
                    + "ALERT_WEBHOOK_URL in env.conf");
        }
        Alert test = new Alert(host, strategy, CHECK, "WARNING", false,
                "quant-supervision drill: test alert for " + strategy + " on " + host + ", no action needed", Instant.now());
        long t0 = System.nanoTime();
        Set<String> failed = new HashSet<>();
        for (AlertSender.Delivery d : sender.send(test, targets, Set.copyOf(channels))) {
            report.step(d.channel(), d.millis(), describe(d));
            if (!d.delivered()) {
                failed.add(d.channel());
            }
        }
        if (channels.contains("pagerduty") && !failed.contains("pagerduty")) {
            Alert resolve = new Alert(host, strategy, CHECK, "OK", true,
                    "quant-supervision drill: test over", Instant.now());
            AlertSender.Delivery d = sender.send(resolve, targets, Set.of("pagerduty")).get(0);
            report.step("pagerduty-resolve", (System.nanoTime() - t0) / 1_000_000, describe(d));
            if (!d.delivered()) {
                failed.add("pagerduty-resolve");
            }
        }
        return failed.isEmpty() ? report.pass("delivered to " + String.join(", ", channels))
                : report.fail("not delivered: " + String.join(", ", failed.stream().sorted().toList()));
    }

    /** Channel and cause only: the URL or key is a secret. */
    private static String describe(AlertSender.Delivery d) {
        String answer = d.httpStatus() == 0 ? "no answer" : "HTTP " + d.httpStatus();
        return (d.delivered() ? "delivered, " + answer : "NOT delivered: " + d.error())
                + " after " + d.attempts() + (d.attempts() == 1 ? " attempt" : " attempts");
    }
}
