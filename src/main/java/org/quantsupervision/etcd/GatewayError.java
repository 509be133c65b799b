package org.quantsupervision.etcd;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * etcd's errors as the gateway reports them, sorted into what the caller can do.
 *
 * <p>Three shapes carry one (seen from etcd 3.4.23): a unary call's non-200 answer
 * {@code {"error":TEXT,"message":TEXT,"code":GRPC_CODE}}; a stream's frame
 * {@code {"error":{"grpc_code":N,"http_code":N,"message":TEXT,"http_status":TEXT}}} (with HTTP
 * status 200 after a first frame, the error's own status before one); and a
 * watch's cancel_reason {@code rpc error: code = NAME desc = TEXT}. The gRPC code decides:
 * UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, CANCELED and ABORTED (no leader, no
 * quorum, a leader change, a timeout, too many requests) let the call try the next endpoint;
 * the rest are definitive.
 */
final class GatewayError {
    private static final Pattern CANCEL_REASON = Pattern.compile("rpc error: code = (\\w+) desc = (.*)");
    private static final Map<String, Integer> CODES = Map.ofEntries(Map.entry("Canceled", 1), Map.entry("Unknown", 2),
            Map.entry("InvalidArgument", 3), Map.entry("DeadlineExceeded", 4), Map.entry("NotFound", 5),
            Map.entry("AlreadyExists", 6), Map.entry("PermissionDenied", 7), Map.entry("ResourceExhausted", 8),
            Map.entry("FailedPrecondition", 9), Map.entry("Aborted", 10), Map.entry("OutOfRange", 11),
            Map.entry("Unimplemented", 12), Map.entry("Internal", 13), Map.entry("Unavailable", 14),
            Map.entry("DataLoss", 15), Map.entry("Unauthenticated", 16));

    private GatewayError() {
    }

    /**
     * The reply to CALL that etcd answered with HTTP STATUS and BODY, its "result" unwrapped
     * for a stream's single frame; throws what an error means.
     */
    static Reply reply(String call, int status, byte[] body) throws EndpointFailed, EtcdException {
        Reply r;
        try {
            r = Reply.parse(call, body);
        } catch (EtcdException e) {
            if (status == 502 || status == 503 || status == 504) {
                throw new EndpointFailed("HTTP " + status, false);
            }
            if (status != 200) {
                throw new EtcdException(EtcdException.Kind.PROTOCOL, "etcd answered " + call + " with HTTP " + status
                        + " and no gateway error: is it etcd 3.4 or later, with its gRPC gateway on this port?");
            }
            throw e;
        }
        if (status == 200) {
            return frame(call, r);
        }
        if (r.has("code")) {
            throw failure(call, (int) r.int64("code"), r.string("message"));
        }
        if (r.has("error")) {
            frame(call, r); // a stream that failed before its first frame: 503 and the stream's error
        }
        throw new EtcdException(EtcdException.Kind.PROTOCOL, "etcd answered " + call + " with HTTP " + status
                + " and no gRPC code");
    }

    /** A stream's frame R: its "result", or what its "error" means. */
    static Reply frame(String call, Reply r) throws EndpointFailed, EtcdException {
        if (r.has("error")) {
            Reply e = r.object("error");
            throw failure(call, (int) e.int64("grpc_code"), e.string("message"));
        }
        return r.has("result") ? r.object("result") : r;
    }

    /** What a watch's CANCEL_REASON means: as {@link #failure}. */
    static EndpointFailed cancelReason(String call, String reason) throws EtcdException {
        Matcher m = CANCEL_REASON.matcher(reason);
        if (m.matches() && CODES.containsKey(m.group(1))) {
            return failure(call, CODES.get(m.group(1)), m.group(2));
        }
        throw new EtcdException(EtcdException.Kind.REJECTED, "etcd canceled " + call + ": " + reason);
    }

    /**
     * GRPC_CODE with MESSAGE (etcd's text, which names no secret): returns the endpoint failure a
     * retryable error is, throws a definitive one.
     */
    static EndpointFailed failure(String call, int grpcCode, String message) throws EtcdException {
        // CANCELED, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, UNAVAILABLE
        if (grpcCode == 1 || grpcCode == 4 || grpcCode == 8 || grpcCode == 10 || grpcCode == 14) {
            return new EndpointFailed(message, false);
        }
        String text = "etcd refused " + call + ": " + message;
        throw switch (grpcCode) {
            case 16 -> new EtcdException(EtcdException.Kind.AUTH, text, message.contains("invalid auth token"));
            case 7 -> new EtcdException(EtcdException.Kind.AUTH, text);
            case 3, 9 -> {
                if (message.contains("auth store is old")) { // roles changed since the token: authenticate again
                    yield new EtcdException(EtcdException.Kind.AUTH, text, true);
                }
                if (message.contains("authentication") || message.contains("user name is empty")) {
                    yield new EtcdException(EtcdException.Kind.AUTH, text + (message.contains("user name is empty")
                            ? " (etcd's authentication is on: set a user)" : ""));
                }
                yield new EtcdException(EtcdException.Kind.REJECTED, text);
            }
            case 5 -> new EtcdException(message.contains("lease not found") ? EtcdException.Kind.LEASE_GONE
                    : EtcdException.Kind.REJECTED, text);
            case 2, 12, 13 -> new EtcdException(EtcdException.Kind.PROTOCOL, text);
            default -> new EtcdException(EtcdException.Kind.REJECTED, text);
        };
    }
}
