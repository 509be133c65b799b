package org.quantsupervision.web;

import java.util.Optional;

/** The server's documented paths, all GET (and HEAD): nothing else is served, and nothing changes anything. */
enum Route {
    /** The status page. */
    PAGE("/", "text/html; charset=utf-8"),
    /** {@code status --json}'s document. */
    STATUS("/api/status", "application/json"),
    /** Prometheus' text format, version 0.0.4. */
    METRICS("/metrics", "text/plain; version=0.0.4; charset=utf-8");

    final String path;
    final String contentType;

    Route(String path, String contentType) {
        this.path = path;
        this.contentType = contentType;
    }

    /** The route of a request's raw path, exactly: no prefixes, no trailing slashes, no encodings. */
    static Optional<Route> of(String rawPath) {
        for (Route r : values()) {
            if (r.path.equals(rawPath)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
