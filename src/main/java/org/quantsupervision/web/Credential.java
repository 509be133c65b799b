package org.quantsupervision.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * The token a request to a non-loopback listener must carry, read from a root-owned file: as
 * {@code Authorization: Bearer TOKEN} (Prometheus' {@code authorization} setting, curl) or as the
 * password of HTTP basic auth with any user name (a browser's prompt). Compared in constant time.
 */
public final class Credential {
    /** Shorter would be guessable over a network; {@code openssl rand -hex 32} gives 64. */
    public static final int MIN_LENGTH = 20;

    private final byte[] token;

    private Credential(byte[] token) {
        this.token = token;
    }

    /**
     * The token in a file's bytes: its first line, without the line's end.
     *
     * @throws IllegalArgumentException when it is shorter than {@link #MIN_LENGTH} or holds blanks
     */
    public static Credential of(byte[] file) {
        String text = new String(file, StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        String token = (end < 0 ? text : text.substring(0, end)).strip();
        if (token.length() < MIN_LENGTH || token.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException("expected one line of at least " + MIN_LENGTH
                    + " characters without blanks (e.g. openssl rand -hex 32)");
        }
        return new Credential(token.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the Authorization header's value (if any) carries the token. */
    boolean admits(Optional<String> authorization) {
        if (authorization.isEmpty()) {
            return false;
        }
        String value = authorization.get().strip();
        byte[] offered;
        if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            offered = value.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        } else if (value.regionMatches(true, 0, "Basic ", 0, 6)) {
            String pair;
            try {
                pair = new String(Base64.getDecoder().decode(value.substring(6).strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
            int colon = pair.indexOf(':');
            offered = (colon < 0 ? "" : pair.substring(colon + 1)).getBytes(StandardCharsets.UTF_8);
        } else {
            return false;
        }
        return MessageDigest.isEqual(offered, token);
    }
}
