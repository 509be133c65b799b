package org.quantsupervision.alert;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.quantsupervision.config.AlertTargets;

/**
 * A test alert through every configured channel, exactly as a real one would go (same payload,
 * timeout and retries), and the resolve for it on PagerDuty, so the test page closes itself: the
 * article's test 4, for `drill alert` and `doctor --send-test-alert` alike.
 */
public final class TestAlert {
    /** The check name of the test alert, and so of its PagerDuty dedup key. */
    public static final String CHECK = "drill";

    /** One delivery: STEP is the channel, or pagerduty-resolve; DETAIL says how it went, never the URL or key. */
    public record Result(String step, long millis, String detail, boolean delivered) {
    }

    private TestAlert() {
    }

    /** Sends it for STRATEGY on HOST to TARGETS' channels, through SENDER; empty without a channel. */
    public static List<Result> send(AlertSender sender, String host, String strategy, AlertTargets targets) {
        List<String> channels = AlertSender.channelNames(targets);
        List<Result> results = new ArrayList<>();
        if (channels.isEmpty()) {
            return results;
        }
        Alert test = new Alert(host, strategy, CHECK, "WARNING", Alert.Kind.TRIGGER,
                "quant-supervision drill: test alert for " + strategy + " on " + host + ", no action needed", Instant.now());
        long t0 = System.nanoTime();
        boolean pagerDutyGotIt = false;
        for (AlertSender.Delivery d : sender.send(test, targets, Set.copyOf(channels))) {
            results.add(new Result(d.channel(), d.millis(), describe(d), d.delivered()));
            pagerDutyGotIt |= d.channel().equals("pagerduty") && d.delivered();
        }
        if (pagerDutyGotIt) {
            Alert resolve = new Alert(host, strategy, CHECK, "OK", Alert.Kind.RESOLVE, "quant-supervision drill: test over", Instant.now());
            AlertSender.Delivery d = sender.send(resolve, targets, Set.of("pagerduty")).get(0);
            results.add(new Result("pagerduty-resolve", (System.nanoTime() - t0) / 1_000_000, describe(d), d.delivered()));
        }
        return results;
    }

    private static String describe(AlertSender.Delivery d) {
        String answer = d.httpStatus() == 0 ? "no answer" : "HTTP " + d.httpStatus();
        return (d.delivered() ? "delivered, " + answer : "NOT delivered: " + d.error())
                + " after " + d.attempts() + (d.attempts() == 1 ? " attempt" : " attempts");
    }
}
