package org.quantsupervision.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;

/**
 * Where alerts go. The URLs and the routing key are secrets (whoever has them can post to the
 * channel or page the on-call), so they live only in env.conf (0640 root:quant-group) and appear in no message:
 * errors name the key, never the value.
 *
 * @param slack Slack incoming webhook (SLACK_WEBHOOK_URL; the article's WEBHOOK_URL is read too)
 * @param pagerDutyKey PagerDuty Events API v2 integration (routing) key
 * @param pagerDutyUrl the Events API v2 endpoint (overridable for a proxy or a test receiver)
 * @param webhook any receiver of the generic JSON payload
 * @param timeout connect and answer timeout of one attempt
 * @param retries further attempts after a failed one
 */
public record AlertTargets(Optional<URI> slack, Optional<String> pagerDutyKey, URI pagerDutyUrl,
        Optional<URI> webhook, Duration timeout, int retries) {
    /**
     * The keys that hold the channels' secrets: the health checker's alone. They are never passed
     * into the strategy's environment or a plugin's, where any process of the strategy's account
     * (/proc/PID/environ) could read them and page the on-call or resolve a real incident.
     */
    public static final java.util.Set<String> SECRET_KEYS = java.util.Arrays.stream(Setting.values())
            .filter(Setting::isSecret).map(Setting::key).collect(java.util.stream.Collectors.toUnmodifiableSet());

    public boolean any() {
        return slack.isPresent() || pagerDutyKey.isPresent() || webhook.isPresent();
    }

    static AlertTargets parse(ConfigKeys keys) throws ConfigException {
        Setting slackKey = keys.optional(Setting.SLACK_WEBHOOK_URL).isPresent() ? Setting.SLACK_WEBHOOK_URL
                : Setting.WEBHOOK_URL;
        return new AlertTargets(
                url(keys, slackKey),
                keys.optional(Setting.PAGERDUTY_ROUTING_KEY),
                url(keys, Setting.PAGERDUTY_EVENTS_URL).orElse(URI.create(Setting.PAGERDUTY_EVENTS_URL.defaultValue())),
                url(keys, Setting.ALERT_WEBHOOK_URL),
                keys.duration(Setting.ALERT_TIMEOUT),
                keys.whole(Setting.ALERT_RETRIES));
    }

    /** An http(s) URL under KEY; the value is never quoted in the error (it may carry a token). */
    static Optional<URI> url(ConfigKeys keys, Setting key) throws ConfigException {
        Optional<String> text = keys.optional(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(text.get());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw keys.error(key, "not an http:// or https:// URL with a host (the value is not shown: it may "
                + "hold a secret)");
    }
}
