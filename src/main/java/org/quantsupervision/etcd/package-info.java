/**
 * The etcd client of the failover mode (issue 18): a strategy enabled on two or more hosts
 * runs where its runner holds a leader key, created with a lease it keeps alive; the others
 * stand by and watch the key. This package is the client only ({@link
 * org.quantsupervision.etcd.EtcdClient}); the election that uses it lives elsewhere.
 *
 * <p><b>Why the JSON gateway.</b> etcd's v3 gRPC gateway ({@code /v3/lease/grant},
 * {@code /v3/lease/keepalive}, {@code /v3/lease/revoke}, {@code /v3/kv/range}, {@code /v3/kv/put},
 * {@code /v3/kv/txn}, {@code /v3/watch}, {@code /v3/auth/authenticate}) is a documented, stable
 * API (etcd's dev guide "gRPC gateway"; {@code /v3/} since 3.4, the only prefix from 3.5), served
 * on the client port. Spoken with {@code java.net.http.HttpClient} and the project's Jackson
 * streaming factory ({@code json/Json}), it adds no jar. jetcd, the official gRPC client, would
 * bring grpc, netty and guava (about 15 MB, and several streams of CVEs to follow) into a runtime
 * that is jlinked and bundled in the packages. The target is Debian's {@code etcd-server} 3.4.23
 * (Debian 12); later versions keep the same paths and JSON.
 *
 * <p><b>What the gateway does, as checked against 3.4.23</b> (the tests run the real one):
 * proto3 JSON, so int64 fields are strings, keys and values base64, fields at their zero value
 * left out (a keep-alive of a lease that is gone answers no TTL); the lease keep-alive is a
 * stream in the proto, but one POST carries one renewal and etcd ends the stream after its one
 * answer, {@code {"result":{...}}} (renewals streamed in one request are not reliable through
 * the gateway: etcd issue 8237); a watch is one POST whose chunked answer is a line per
 * frame, {@code {"result":WatchResponse}}; the token goes in the {@code Authorization} header;
 * the gateway does not authenticate by a client certificate's common name, so etcd's
 * authentication needs a user and a password here, while {@code --client-cert-auth} works as
 * plain TLS client authentication.
 *
 * <p>Classes: {@code EtcdClient} (the calls), {@code EtcdSettings}, {@code EtcdException} (its
 * kinds), the values ({@code KeyValue}, {@code Lease}, {@code CreateResult}, {@code Listing},
 * {@code WatchEvent}, {@code WatchEnd}), {@code Watch} and {@code WatchListener}; inside:
 * {@code Transport} (HTTP), {@code Endpoints} (failover within a {@code Deadline}),
 * {@code GatewayError} (etcd's errors sorted by kind), {@code TokenAuth}, {@code TlsContext}
 * and {@code Pem} (TLS from PEM files), {@code Reply} and the codecs {@code KvCodec},
 * {@code LeaseCodec}, {@code WatchCodec}, and {@code WatchStream} (a watch's reading thread).
 */
package org.quantsupervision.etcd;
