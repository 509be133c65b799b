package org.quantsupervision.drill;

import java.util.List;

import org.quantsupervision.alert.AlertSender;
import org.quantsupervision.alert.TestAlert;
import org.quantsupervision.config.AlertTargets;

/**
 * The article's test 4, "verify the alert was sent to your webhook", without breaking anything:
 * {@link TestAlert} through every configured channel, each channel's HTTP result a step of the
 * drill's report.
 */
public final class AlertDrill {
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
        List<String> failed = new java.util.ArrayList<>();
        for (TestAlert.Result r : TestAlert.send(sender, host, strategy, targets)) {
            report.step(r.step(), r.millis(), r.detail());
            if (!r.delivered()) {
                failed.add(r.step());
            }
        }
        return failed.isEmpty() ? report.pass("delivered to " + String.join(", ", channels))
                : report.fail("not delivered: " + String.join(", ", failed.stream().sorted().toList()));
    }
}
