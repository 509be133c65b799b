package org.quantsupervision.etcd;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The members and the one that answered last, and the failover of one call across them within
 * its deadline.
 *
 * <p>How a call's budget is spent: the first round starts at the endpoint that answered last and
 * gives each endpoint an equal share of what remains (with N endpoints untried, the next gets
 * remaining / N), so a hung member costs at most its share and a refused one almost nothing,
 * its time going to the next. Once every endpoint was tried, they are tried again in turn, each
 * with all that remains, {@link #ROUND_PAUSE} apart, until the deadline: a member that is
 * electing a leader may answer a moment later. A round in which every endpoint failed its TLS
 * handshake ends the call at once (that does not mend itself). An attempt never outlives the
 * deadline, so a call ends within the request timeout plus the moment the HTTP client takes to
 * abandon an exchange.
 */
final class Endpoints {
    static final Duration ROUND_PAUSE = Duration.ofMillis(100);

    private final List<URI> uris;
    private final AtomicInteger preferred = new AtomicInteger();

    /** One attempt at BASE (an endpoint) that must end within SHARE. */
    interface Attempt<T> {
        T run(URI base, Duration share) throws EndpointFailed, EtcdException;
    }

    Endpoints(List<URI> uris) {
        this.uris = List.copyOf(uris);
    }

    /** ATTEMPT's result at the first endpoint where it succeeds; CALL names the call in the error. */
    <T> T failover(Deadline deadline, String call, Attempt<T> attempt) throws EtcdException {
        int n = uris.size();
        int first = preferred.get();
        Map<URI, String> failures = new LinkedHashMap<>();
        boolean roundAllTls = true;
        for (int tried = 0; !deadline.expired(); tried++) {
            if (tried > 0 && tried % n == 0) {
                if (roundAllTls) {
                    throw new EtcdException(EtcdException.Kind.TLS, "no TLS handshake with etcd succeeded for "
                            + call + ": " + describe(failures));
                }
                roundAllTls = true;
                pause(deadline);
                if (deadline.expired()) {
                    break;
                }
            }
            int index = (first + tried) % n;
            URI base = uris.get(index);
            Duration share = deadline.remaining().dividedBy(Math.max(1, n - tried));
            try {
                T result = attempt.run(base, share);
                preferred.set(index);
                return result;
            } catch (EndpointFailed e) {
                failures.put(base, e.getMessage());
                roundAllTls &= e.tls();
            }
        }
        throw new EtcdException(EtcdException.Kind.UNAVAILABLE, "no etcd endpoint answered " + call + " within "
                + deadline.budget().toMillis() + " ms: " + (failures.isEmpty() ? "no attempt" : describe(failures)));
    }

    private static String describe(Map<URI, String> failures) {
        return failures.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("; "));
    }

    private static void pause(Deadline deadline) throws EtcdException {
        long millis = Math.min(ROUND_PAUSE.toMillis(), deadline.remaining().toMillis());
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EtcdException(EtcdException.Kind.UNAVAILABLE, "interrupted while trying etcd's endpoints");
        }
    }
}
