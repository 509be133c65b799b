package org.quantsupervision.etcd;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach etcd. ENDPOINTS: the members' client URLs, {@code http://host:port} or
 * {@code https://host:port} (no path, no user info); a request goes to the one that last
 * answered, then to the next. REQUEST_TIMEOUT: the deadline of one whole call, every endpoint it
 * tries included ({@link EtcdClient} says exactly how it is spent). TLS: the PEM files for https
 * endpoints (without it, https trusts the JDK's CA certificates and sends no client
 * certificate). AUTH: etcd's user, for etcd's authentication (the gateway ignores a client
 * certificate's common name, so a user is needed whenever etcd's authentication is on).
 *
 * <p>The records hold paths, never a secret: the password is read from its file when the
 * client authenticates, so toString() shows nothing to hide.
 */
public record EtcdSettings(List<URI> endpoints, Duration requestTimeout, Optional<Tls> tls, Optional<Auth> auth) {
    /**
     * PEM files: CA_FILE, the certificates that may sign the members' certificates; CERT_FILE
     * and KEY_FILE, the client's certificate (chain) and its unencrypted PKCS#8 key
     * ({@code BEGIN PRIVATE KEY}), both or neither.
     */
    public record Tls(Path caFile, Optional<Path> certFile, Optional<Path> keyFile) {
        public Tls {
            Objects.requireNonNull(caFile, "caFile");
            if (certFile.isPresent() != keyFile.isPresent()) {
                throw new IllegalArgumentException("etcd TLS: a client certificate needs its key and a key its"
                        + " certificate: set both files or neither");
            }
        }
    }

    /** USER and the file holding its password (its first line; a trailing newline is not part of it). */
    public record Auth(String user, Path passwordFile) {
        public Auth {
            if (user.isEmpty()) {
                throw new IllegalArgumentException("etcd user: expected a user name, got an empty one");
            }
            Objects.requireNonNull(passwordFile, "passwordFile");
        }
    }

    public EtcdSettings {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("etcd endpoints: expected at least one http(s)://host:port");
        }
        endpoints = endpoints.stream().map(EtcdSettings::endpoint).toList();
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("etcd request timeout: expected a positive duration, got " + requestTimeout);
        }
        for (URI e : endpoints) {
            if (tls.isPresent() && e.getScheme().equals("http")) {
                throw new IllegalArgumentException("etcd endpoint " + e + ": TLS files are set, expected https://");
            }
        }
    }

    /** E as {@code scheme://host:port}, or why it is not one. */
    private static URI endpoint(URI e) {
        String scheme = e.getScheme();
        String path = e.getRawPath();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || e.getHost() == null
                || e.getPort() < 0 || e.getRawUserInfo() != null || e.getRawQuery() != null
                || e.getRawFragment() != null || (path != null && !path.isEmpty() && !path.equals("/"))) {
            // The URL is shown only when it has no user info, which could hold a password.
            throw new IllegalArgumentException("etcd endpoint " + (e.getRawUserInfo() == null ? e : "(with user info)")
                    + ": expected http://host:port or https://host:port");
        }
        return URI.create(scheme + "://" + e.getRawAuthority());
    }
}
