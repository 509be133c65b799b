package org.quantsupervision.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A strategy's failover mode (FAILOVER=yes): the etcd cluster it campaigns in, this host's name,
 * and the lease's timing, checked against the one inequality that keeps two hosts from running
 * the strategy at once.
 *
 * <h2>The timing inequality</h2>
 * The leader renews its lease every RENEW; a renewal sent at t (its own CLOCK_MONOTONIC) and
 * answered keeps the lease alive in etcd until at least t + TTL on the etcd leader's clock, which
 * runs at most {@link #CLOCK_DRIFT} slower or faster than ours. So the leader's strategy must be
 * dead by {@code deadBy = t + TTL x (1 - CLOCK_DRIFT) - FENCE_MARGIN} unless a later renewal is
 * answered; the runner's fence sends SIGTERM at deadBy - FENCE_TIMEOUT - FENCE_KILL_SLACK and
 * SIGKILL at deadBy - FENCE_KILL_SLACK, and its fence guard SIGKILLs at deadBy should the runner
 * itself be stopped. A standby starts only once etcd has deleted the key, i.e. after the lease
 * expired. For a healthy leader never to fence, a renewal and one retry, each bounded by
 * ETCD_TIMEOUT, must be answered in time:
 * <pre>
 *   RENEW + 2 x ETCD_TIMEOUT + FENCE_TIMEOUT + FENCE_KILL_SLACK + FENCE_MARGIN <= TTL x (1 - CLOCK_DRIFT)
 *   defaults:  1 s + 2 x 2 s + 1 s + 0.1 s + 0.25 s = 6.35 s <= 9.9 s   (TTL 10 s)
 *   fast:      0.5 s + 2 x 0.5 s + 0.5 s + 0.35 s  = 2.35 s <= 2.97 s  (TTL 3 s)
 * </pre>
 * As Patroni's {@code loop_wait + 2 x retry_timeout <= ttl}, a configuration that breaks it is
 * refused. Assumed: the hosts do not suspend (CLOCK_MONOTONIC stops while suspended, etcd's
 * clock does not) and their clocks' rates differ by less than 1 %. A whole host frozen (a paused
 * VM) cannot fence itself: the epoch is the protection then (README, "Failover").
 */
public record FailoverConfig(
        boolean enabled,
        List<URI> endpoints,
        Optional<Path> ca,
        Optional<Path> cert,
        Optional<Path> key,
        Optional<String> user,
        Optional<Path> passwordFile,
        String prefix,
        String host,
        Duration ttl,
        Duration renew,
        Duration etcdTimeout,
        Duration fenceTimeout) {

    /** The clocks' rates may differ by this fraction (etcd's and ours). */
    public static final double CLOCK_DRIFT = 0.01;
    /** Room for the SIGKILL to take effect and for scheduling between deadBy and the lease's end. */
    public static final Duration FENCE_MARGIN = Duration.ofMillis(250);
    /** The runner's fence SIGKILL comes this long before deadBy, where its guard's comes. */
    public static final Duration FENCE_KILL_SLACK = Duration.ofMillis(100);
    /** etcd raises a shorter TTL to its own minimum (1.5 s with its default election timeout). */
    private static final Duration LEAST_TTL = Duration.ofSeconds(2);
    private static final Duration LEAST_RENEW = Duration.ofMillis(100);
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");
    private static final Pattern PREFIX = Pattern.compile("/([A-Za-z0-9._-]+/)*");

    /** Off: nothing of this is read, nothing of etcd is needed. */
    public static FailoverConfig off() {
        return new FailoverConfig(false, List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Setting.FAILOVER_ETCD_PREFIX.defaultValue(), "", Duration.ZERO,
                Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    /** FILE's failover keys, parsed ENV; FAILOVER=no (the default) is {@link #off()}. */
    public static FailoverConfig from(Path file, Map<String, String> env) throws ConfigException {
        ConfigKeys keys = new ConfigKeys(file, env);
        if (!keys.yesNo(Setting.FAILOVER)) {
            return off();
        }
        List<URI> endpoints = endpoints(keys);
        Optional<Path> ca = absolute(keys, Setting.FAILOVER_ETCD_CA);
        Optional<Path> cert = absolute(keys, Setting.FAILOVER_ETCD_CERT);
        Optional<Path> key = absolute(keys, Setting.FAILOVER_ETCD_KEY);
        if (cert.isPresent() != key.isPresent()) {
            throw keys.error(cert.isPresent() ? Setting.FAILOVER_ETCD_KEY : Setting.FAILOVER_ETCD_CERT,
                    "FAILOVER_ETCD_CERT and FAILOVER_ETCD_KEY go together; expected both or neither");
        }
        if (cert.isPresent() && ca.isEmpty()) {
            throw keys.error(Setting.FAILOVER_ETCD_CA,
                    "is not set; expected the CA certificate (PEM) of the etcd members, which a client certificate needs");
        }
        boolean tls = endpoints.stream().anyMatch(u -> u.getScheme().equals("https"));
        if ((ca.isPresent() || cert.isPresent()) && !tls) {
            throw keys.error(Setting.FAILOVER_ETCD_ENDPOINTS,
                    "certificates are set but no endpoint is https://; expected https:// endpoints");
        }
        Optional<String> user = keys.optional(Setting.FAILOVER_ETCD_USER);
        Optional<Path> password = absolute(keys, Setting.FAILOVER_ETCD_PASSWORD_FILE);
        if (user.isPresent() != password.isPresent()) {
            throw keys.error(user.isPresent() ? Setting.FAILOVER_ETCD_PASSWORD_FILE : Setting.FAILOVER_ETCD_USER,
                    "FAILOVER_ETCD_USER and FAILOVER_ETCD_PASSWORD_FILE go together; expected both or neither");
        }
        String prefix = keys.string(Setting.FAILOVER_ETCD_PREFIX);
        if (!PREFIX.matcher(prefix).matches()) {
            throw keys.error(Setting.FAILOVER_ETCD_PREFIX, ConfigKeys.quoted(prefix)
                    + " is not a key prefix; expected /words/ of letters, digits, '.', '_', '-', ending in /");
        }
        String host = keys.optional(Setting.FAILOVER_HOST).orElseGet(FailoverConfig::hostName);
        if (!HOST.matcher(host).matches()) {
            throw keys.error(Setting.FAILOVER_HOST, ConfigKeys.quoted(host)
                    + " is not a host name; expected letters, digits, '.', '_', '-' (set FAILOVER_HOST)");
        }
        FailoverConfig c = new FailoverConfig(true, endpoints, ca, cert, key, user, password, prefix, host,
                keys.duration(Setting.FAILOVER_TTL), keys.duration(Setting.FAILOVER_RENEW),
                keys.duration(Setting.FAILOVER_ETCD_TIMEOUT), keys.duration(Setting.FAILOVER_FENCE_TIMEOUT));
        c.checkTiming(keys);
        return c;
    }

    /** The leader key's own lease horizon, as the inequality reads it: TTL x (1 - CLOCK_DRIFT). */
    public Duration trustedTtl() {
        return Duration.ofNanos((long) (ttl.toNanos() * (1 - CLOCK_DRIFT)));
    }

    /** The left side of the inequality. */
    public Duration worstRenewal() {
        return renew.plus(etcdTimeout.multipliedBy(2)).plus(fenceTimeout).plus(FENCE_KILL_SLACK).plus(FENCE_MARGIN);
    }

    private void checkTiming(ConfigKeys keys) throws ConfigException {
        if (ttl.compareTo(LEAST_TTL) < 0) {
            throw keys.error(Setting.FAILOVER_TTL, text(ttl) + " is too short; expected 2s or more");
        }
        if (renew.compareTo(LEAST_RENEW) < 0 || etcdTimeout.compareTo(LEAST_RENEW) < 0) {
            throw keys.error(renew.compareTo(LEAST_RENEW) < 0 ? Setting.FAILOVER_RENEW : Setting.FAILOVER_ETCD_TIMEOUT,
                    "is too short; expected 100ms or more");
        }
        if (worstRenewal().compareTo(trustedTtl()) > 0) {
            throw keys.error(Setting.FAILOVER_TTL, "FAILOVER_RENEW + 2 x FAILOVER_ETCD_TIMEOUT + FAILOVER_FENCE_TIMEOUT + 0.35 s = "
                    + text(worstRenewal()) + " exceeds 0.99 x FAILOVER_TTL = " + text(trustedTtl())
                    + ": a leader could fence on one slow renewal; expected a longer TTL or shorter times "
                    + "(e.g. TTL 10s, RENEW 1s, ETCD_TIMEOUT 2s, FENCE_TIMEOUT 1s)");
        }
    }

    private static List<URI> endpoints(ConfigKeys keys) throws ConfigException {
        List<String> words = keys.words(Setting.FAILOVER_ETCD_ENDPOINTS);
        if (words.isEmpty()) {
            throw keys.error(Setting.FAILOVER_ETCD_ENDPOINTS,
                    "is not set; expected the etcd cluster's client URLs, e.g. https://10.0.0.1:2379 https://10.0.0.2:2379");
        }
        List<URI> out = new ArrayList<>();
        for (String w : words) {
            try {
                URI u = new URI(w);
                boolean bare = u.getRawPath() == null || u.getRawPath().isEmpty() || u.getRawPath().equals("/");
                if ((!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) || u.getHost() == null
                        || u.getRawUserInfo() != null || u.getRawQuery() != null || u.getRawFragment() != null || !bare) {
                    throw new URISyntaxException(w, "not a bare http(s) URL");
                }
                out.add(new URI(u.getScheme(), null, u.getHost(), u.getPort(), null, null, null));
            } catch (URISyntaxException e) {
                throw keys.error(Setting.FAILOVER_ETCD_ENDPOINTS,
                        ConfigKeys.quoted(w) + " is not an etcd client URL; expected http(s)://HOST:PORT");
            }
        }
        return List.copyOf(out);
    }

    private static Optional<Path> absolute(ConfigKeys keys, Setting s) throws ConfigException {
        Optional<String> v = keys.optional(s);
        if (v.isPresent() && !v.get().startsWith("/")) {
            throw keys.error(s, ConfigKeys.quoted(v.get()) + " is not an absolute path");
        }
        return v.map(Path::of);
    }

    /** "6.35 s". */
    private static String text(Duration d) {
        return java.math.BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
    }

    /** The kernel's host name (uname's nodename), as `hostname` prints it. */
    private static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "";
        }
    }
}
