package org.quantsupervision.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every env.conf key, once: its name, type, default, the layer that reads it and a line of
 * documentation. The config classes read through it ({@link ConfigKeys}), {@code enable}'s
 * template ({@link EnvConfTemplate}) and the man page's key list (the docs build step) are
 * written from it, and SettingsDocumentedTest fails when README's table says otherwise. A new key
 * is added here first.
 *
 * <p>Defaults are written as env.conf would hold them; {@code NAME} stands for the strategy's name.
 * An empty default means the key is unset: the feature it configures is off.
 */
public enum Setting {
    // ---- the runner -----------------------------------------------------------------------------
    STRATEGY_COMMAND(Layer.RUNNER, Kind.COMMAND, "/opt/strategies/NAME/venv/bin/python /opt/strategies/NAME/main.py",
            "the strategy's program (an absolute path) and its arguments, split at blanks; no shell"),
    STRATEGY_DIRECTORY(Layer.RUNNER, Kind.PATH, "/opt/strategies/NAME", "its working directory"),
    REQUIRED_ENV(Layer.RUNNER, Kind.NAMES, "",
            "variables that must be set and not empty, e.g. TICKDB_API_KEY; the runner names the missing ones"),
    HEARTBEAT_FILE(Layer.RUNNER, Kind.PATH, "", "a file the strategy touches while it makes progress"),
    HEARTBEAT_MAX_AGE(Layer.RUNNER, Kind.DURATION, "20s",
            "no progress for this long (heartbeat unchanged, process stopped, WATCHDOG=1 no longer sent): hung, replaced"),
    START_GRACE(Layer.RUNNER, Kind.DURATION, "3s",
            "up this long counts as started (READY=1), unless the strategy sends READY=1 itself"),
    RESTART_DELAY_INITIAL(Layer.RUNNER, Kind.DURATION, "100ms",
            "back-off after the second crash in a row (the first restarts at once), doubling"),
    RESTART_DELAY_MAX(Layer.RUNNER, Kind.DURATION, "30s", "the back-off's ceiling"),
    RESTART_RESET_AFTER(Layer.RUNNER, Kind.DURATION, "60s", "a run this long forgets earlier crashes"),
    GIVE_UP_AFTER(Layer.RUNNER, Kind.COUNT, "10",
            "that many crashes within GIVE_UP_WINDOW: the runner gives up (exit 69) until quant-supervision start"),
    GIVE_UP_WINDOW(Layer.RUNNER, Kind.DURATION, "5min", "the span GIVE_UP_AFTER counts crashes in"),
    STOP_TIMEOUT(Layer.RUNNER, Kind.DURATION, "10s",
            "SIGTERM to SIGKILL of the strategy's process group; the managers wait this (+ STOP_COMMAND_TIMEOUT) + 20 s, 30 s at least"),
    STOP_COMMAND(Layer.RUNNER, Kind.COMMAND, "",
            "runs before SIGTERM at every deliberate stop (stop, restart, a health restart, halt, an upgrade, a give-up), "
                    + "e.g. cancel the open orders: absolute path and arguments, the strategy's environment; the stop goes on if it fails"),
    STOP_COMMAND_TIMEOUT(Layer.RUNNER, Kind.DURATION, "10s", "STOP_COMMAND is killed after this; the managers wait for it too"),
    CRASH_COMMAND(Layer.RUNNER, Kind.COMMAND, "",
            "runs after the strategy exits unexpectedly and before it is restarted (cancel-on-crash): absolute path and arguments"),
    CRASH_COMMAND_TIMEOUT(Layer.RUNNER, Kind.DURATION, "10s", "CRASH_COMMAND is killed after this; the restart waits at most this long"),
    LOG_MAX_BYTES(Layer.RUNNER, Kind.SIZE, "50M",
            "rotation size of /var/log/quant-supervision/NAME/strategy.log (when the output is not the journal)"),
    LOG_BACKUPS(Layer.RUNNER, Kind.COUNT, "10", "rotated log files kept"),

    // ---- the runner's failover mode (FailoverConfig; ARCHITECTURE.md section 3, "Failover") -----
    FAILOVER(Layer.RUNNER, Kind.YES_NO, "no",
            "run the strategy only while this host holds its leader key in etcd; the other hosts stand by"),
    FAILOVER_ETCD_ENDPOINTS(Layer.RUNNER, Kind.URLS, "",
            "the etcd cluster's client URLs, e.g. https://10.0.0.1:2379 https://10.0.0.2:2379 https://10.0.0.3:2379"),
    FAILOVER_ETCD_CA(Layer.RUNNER, Kind.PATH, "", "the CA certificate (PEM) that signed the etcd members' certificates"),
    FAILOVER_ETCD_CERT(Layer.RUNNER, Kind.PATH, "", "this client's certificate (PEM), for etcd's --client-cert-auth"),
    FAILOVER_ETCD_KEY(Layer.RUNNER, Kind.PATH, "", "its private key (PEM, PKCS#8), readable by the strategy's account only"),
    FAILOVER_ETCD_USER(Layer.RUNNER, Kind.WORD, "", "an etcd user whose role may write under FAILOVER_ETCD_PREFIX"),
    FAILOVER_ETCD_PASSWORD_FILE(Layer.RUNNER, Kind.PATH, "", "a file holding that user's password (never the password itself)"),
    FAILOVER_ETCD_PREFIX(Layer.RUNNER, Kind.WORD, "/quant-supervision/", "the keys' prefix: PREFIX strategies/NAME/leader ..."),
    FAILOVER_HOST(Layer.RUNNER, Kind.WORD, "", "this host's name in the election; unset: the host name"),
    FAILOVER_TTL(Layer.RUNNER, Kind.DURATION, "10s",
            "the leader's lease: a standby takes over at most this long after the leader stops renewing it"),
    FAILOVER_RENEW(Layer.RUNNER, Kind.DURATION, "1s", "how often the leader renews its lease"),
    FAILOVER_ETCD_TIMEOUT(Layer.RUNNER, Kind.DURATION, "2s", "one etcd call at most, across all its endpoints"),
    FAILOVER_FENCE_TIMEOUT(Layer.RUNNER, Kind.DURATION, "1s",
            "a fence's SIGTERM to its SIGKILL; with the others it must satisfy RENEW + 2 x ETCD_TIMEOUT + FENCE_TIMEOUT "
                    + "+ 0.35 s <= 0.99 x TTL"),

    // ---- the health checker ---------------------------------------------------------------------
    STATE_FILE(Layer.HEALTH, Kind.PATH, "",
            "the strategy's JSON state file: its age is the freshness check, its fields feed RULE_ keys"),
    DATA_MAX_AGE(Layer.HEALTH, Kind.DURATION, "60s", "an older state file while the market is open is CRITICAL"),
    MARKET_SESSIONS(Layer.HEALTH, Kind.SPANS, "",
            "when the market trades, in spans that may cross days, e.g. Sun 18:00-Fri 17:00 America/Chicago or "
                    + "Mon-Fri 09:30-16:00; instead of MARKET_DAYS and MARKET_HOURS"),
    MARKET_DAYS(Layer.HEALTH, Kind.DAYS, "Mon-Sun", "trading days, e.g. Mon-Fri or Mon,Wed,Fri"),
    MARKET_HOURS(Layer.HEALTH, Kind.SESSION, "00:00-24:00",
            "each trading day's session, e.g. 09:30-16:00; 18:00-17:00 is the day's start to 17:00 and 18:00 to its end"),
    MARKET_TIMEZONE(Layer.HEALTH, Kind.ZONE, "UTC", "the session's time zone, e.g. America/New_York"),
    MARKET_HOLIDAYS(Layer.HEALTH, Kind.DATES, "",
            "closed dates in the market's zone, YYYY-MM-DD, blank or comma separated; or the absolute path of a file "
                    + "of them, one a line, YYYY-MM-DD HH:MM for an early close"),
    MAINTENANCE(Layer.HEALTH, Kind.SPANS, "",
            "the venue's maintenance windows, e.g. Sat 22:00-Sun 06:00 America/New_York: failures of "
                    + "MAINTENANCE_CHECKS are expected then (shown as MAINTENANCE, not counted, no alert, no restart)"),
    MAINTENANCE_CHECKS(Layer.HEALTH, Kind.NAMES, "freshness api", "the checks whose failures MAINTENANCE windows expect"),
    API_CHECK_URL(Layer.HEALTH, Kind.URL, "", "a GET of this URL must answer API_CHECK_STATUS within API_CHECK_TIMEOUT"),
    GATEWAY_CHECK_URL(Layer.HEALTH, Kind.URL, "", "the article's name of API_CHECK_URL, read when that is unset"),
    API_CHECK_TIMEOUT(Layer.HEALTH, Kind.DURATION, "5s", "bounds the whole request: connection, headers and body"),
    API_CHECK_STATUS(Layer.HEALTH, Kind.COUNT, "200", "the HTTP status the API must answer"),
    MEMORY_WARNING(Layer.HEALTH, Kind.SIZE, "2560M", "resident memory of the strategy's process tree: WARNING above"),
    MEMORY_CRITICAL(Layer.HEALTH, Kind.SIZE, "3072M", "CRITICAL above"),
    ERROR_LOG_FILE(Layer.HEALTH, Kind.PATH, "/var/log/quant-supervision/NAME/strategy.log",
            "the log the error-rate check reads (the default is the runner's when its output is not the journal)"),
    ERROR_PATTERN(Layer.HEALTH, Kind.PATTERN, "ERROR|CRITICAL", "a regular expression; a matching line counts"),
    ERROR_LINES(Layer.HEALTH, Kind.COUNT, "1000", "how many of the log's last lines are looked at"),
    ERROR_WARNING(Layer.HEALTH, Kind.WHOLE, "2", "more matching lines than this: WARNING"),
    ERROR_CRITICAL(Layer.HEALTH, Kind.WHOLE, "100", "more matching lines than this: CRITICAL"),
    DISK_WARNING(Layer.HEALTH, Kind.PERCENT, "90", "percent used of the file systems the strategy writes to: WARNING"),
    DISK_CRITICAL(Layer.HEALTH, Kind.PERCENT, "95", "CRITICAL at this percent used"),
    CHECK_LABEL(Layer.HEALTH, Kind.COMMAND, "",
            "a Nagios plugin, check-label: absolute path and arguments", "CHECK_EXAMPLE=/usr/lib/nagios/plugins/check_dummy 0 fine"),
    PLUGIN_TIMEOUT(Layer.HEALTH, Kind.DURATION, "10s", "a plugin running longer is UNKNOWN, and killed"),
    PLUGIN_ENV(Layer.HEALTH, Kind.NAMES, "", "the strategy's settings its plugins get in their environment"),
    RULE_LABEL(Layer.HEALTH, Kind.RULE, "",
            "a rule on the state file, rule-label: POINTER OP VALUE [warning|critical]", "RULE_IN_ERROR=/positions_in_error > 0"),
    HEALTH_FAILURES(Layer.HEALTH, Kind.COUNT, "3", "CRITICAL runs of a check in a row before the alert and restart"),
    HEALTH_FLAP_CHANGES(Layer.HEALTH, Kind.COUNT, "5",
            "that many status changes within HEALTH_FLAP_WINDOW is flapping: one alert, no restarts"),
    HEALTH_FLAP_WINDOW(Layer.HEALTH, Kind.DURATION, "10min", "the span HEALTH_FLAP_CHANGES counts in"),
    HEALTH_GRACE(Layer.HEALTH, Kind.DURATION, "60s", "after a strategy (re)starts, failures are shown, not counted"),
    HEALTH_RESTART(Layer.HEALTH, Kind.YES_NO, "yes", "whether the checker restarts a failing strategy"),
    HEALTH_RESTART_ON(Layer.HEALTH, Kind.NAMES, "process freshness memory gave-up", "the checks whose failure restarts"),
    HEALTH_RESTART_COOLDOWN(Layer.HEALTH, Kind.DURATION, "5min", "at most one restart per this span"),
    RESTART_AT(Layer.HEALTH, Kind.TIMES, "",
            "a restart of the strategy at these local times (with STOP_COMMAND), e.g. Sun 17:15 America/New_York "
                    + "or daily 06:00; done by the health checker's first round after the time, skipped when that is "
                    + "more than 5 min late"),
    CRASH_UPDATE_INTERVAL(Layer.HEALTH, Kind.DURATION, "10min",
            "further crashes (or hook failures) of an open incident are told in one update per this span"),
    CRASH_RESOLVE_AFTER(Layer.HEALTH, Kind.DURATION, "1h", "a crash incident resolves after this long without one"),

    // ---- the health checker's alerts (also in /etc/quant-supervision/alerts.conf) -----------------
    SLACK_WEBHOOK_URL(Layer.ALERTS, Kind.SECRET_URL, "", "a Slack incoming webhook"),
    WEBHOOK_URL(Layer.ALERTS, Kind.SECRET_URL, "", "the article's name of SLACK_WEBHOOK_URL, read when that is unset"),
    PAGERDUTY_ROUTING_KEY(Layer.ALERTS, Kind.SECRET, "", "a PagerDuty Events API v2 integration (routing) key"),
    PAGERDUTY_EVENTS_URL(Layer.ALERTS, Kind.SECRET_URL, "https://events.pagerduty.com/v2/enqueue",
            "the Events API v2 endpoint (for a proxy)"),
    ALERT_WEBHOOK_URL(Layer.ALERTS, Kind.SECRET_URL, "", "any receiver of the JSON alert"),
    ALERT_TIMEOUT(Layer.ALERTS, Kind.DURATION, "3s", "one delivery attempt's connect and answer timeout"),
    ALERT_RETRIES(Layer.ALERTS, Kind.WHOLE, "2", "further attempts after a failed one");

    /** Who reads a key. */
    public enum Layer {
        RUNNER("the runner"), HEALTH("the health checker"), ALERTS("the health checker's alerts");

        private final String reader;

        Layer(String reader) {
            this.reader = reader;
        }

        public String reader() {
            return reader;
        }
    }

    /** What a key holds, and how it is written. */
    public enum Kind {
        COMMAND("absolute path, then arguments"),
        PATH("a path"),
        NAMES("names, blank separated"),
        DURATION("a span: ms, s, min, h; a bare number is seconds"),
        COUNT("a whole number, 1 or more"),
        WHOLE("a whole number, 0 or more"),
        PERCENT("a percentage, 1 to 100"),
        SIZE("a size: K, M, G"),
        YES_NO("yes or no"),
        DAYS("days of the week"),
        SESSION("HH:MM-HH:MM"),
        ZONE("a time zone"),
        DATES("dates, YYYY-MM-DD, or a file's absolute path"),
        SPANS("DAY HH:MM-DAY HH:MM or DAYS HH:MM-HH:MM, comma separated, then an optional time zone"),
        TIMES("DAYS HH:MM (or daily HH:MM), comma separated, then an optional time zone"),
        URL("an http(s) URL"),
        URLS("http(s) URLs, blank separated"),
        WORD("a word, no blanks"),
        PATTERN("a regular expression"),
        RULE("POINTER OP VALUE [warning|critical]"),
        /** A channel's secret: never in the strategy's environment, a plugin's, or a message. */
        SECRET("a secret"),
        SECRET_URL("an http(s) URL, a secret");

        private final String written;

        Kind(String written) {
            this.written = written;
        }

        /** How a value is written, for the man page. */
        public String written() {
            return written;
        }
    }

    private final Layer layer;
    private final Kind kind;
    private final String defaultValue;
    private final String doc;
    /** For a family (CHECK_LABEL, RULE_LABEL): an example line; the key itself is never set. */
    private final String example;

    Setting(Layer layer, Kind kind, String defaultValue, String doc) {
        this(layer, kind, defaultValue, doc, null);
    }

    Setting(Layer layer, Kind kind, String defaultValue, String doc, String example) {
        this.layer = layer;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.doc = doc;
        this.example = example;
    }

    /** The name in env.conf; for a family, its pattern (CHECK_LABEL: any key CHECK_*). */
    public String key() {
        return name();
    }

    public Layer layer() {
        return layer;
    }

    public Kind kind() {
        return kind;
    }

    /** The default as env.conf would write it, NAME for the strategy's name; empty: unset. */
    public String defaultValue() {
        return defaultValue;
    }

    /** The default for strategy NAME. */
    public String defaultFor(String name) {
        return defaultValue.replace("NAME", name);
    }

    public String doc() {
        return doc;
    }

    /** A family of keys (CHECK_*, RULE_*), set under names of the admin's choosing. */
    public boolean isFamily() {
        return example != null;
    }

    /** The family's prefix, "CHECK_" for CHECK_LABEL. */
    public String prefix() {
        return key().substring(0, key().indexOf('_') + 1);
    }

    public Optional<String> example() {
        return Optional.ofNullable(example);
    }

    /** The health checker's alone: withheld from the strategy's environment and its plugins'. */
    public boolean isSecret() {
        return kind == Kind.SECRET || kind == Kind.SECRET_URL;
    }

    /** The settings LAYER reads, in order. */
    public static List<Setting> of(Layer layer) {
        return Arrays.stream(values()).filter(s -> s.layer == layer).toList();
    }
}
