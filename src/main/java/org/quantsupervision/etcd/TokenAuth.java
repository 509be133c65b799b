package org.quantsupervision.etcd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.Optional;

import org.quantsupervision.json.Json;

/**
 * etcd's authentication: {@code /v3/auth/authenticate} with the user and the password (read from
 * its file each time, so a changed password needs no restart) gives a token, sent with every
 * request in the {@code Authorization} header. etcd forgets a simple token after
 * {@code --auth-token-ttl} (300 s) without use and refuses it with "invalid auth token"; a
 * change of roles makes it "old": either way a call authenticates again, once, within its own
 * deadline. The token is held here only, never shown (no toString, no message names it).
 */
final class TokenAuth {
    private static final String PATH = "/v3/auth/authenticate";

    private final Optional<EtcdSettings.Auth> auth;
    private final Transport transport;
    private String token; // guarded by this; null until authenticated

    /** One call made with the token, if any. */
    interface Call<T> {
        T run(Optional<String> token) throws EtcdException;
    }

    TokenAuth(Optional<EtcdSettings.Auth> auth, Transport transport) {
        this.auth = auth;
        this.transport = transport;
    }

    /** CALL with the current token (authenticating first if there is none), and again with a new one if etcd refused it as stale. */
    <T> T with(Deadline deadline, Call<T> call) throws EtcdException {
        if (auth.isEmpty()) {
            return call.run(Optional.empty());
        }
        String used = current(deadline);
        try {
            return call.run(Optional.of(used));
        } catch (EtcdException e) {
            if (!e.staleToken()) {
                throw e;
            }
            return call.run(Optional.of(renew(deadline, used)));
        }
    }

    /** Authenticates now if a user is set (EtcdClient.open). */
    void start(Deadline deadline) throws EtcdException {
        if (auth.isPresent()) {
            current(deadline);
        }
    }

    private synchronized String current(Deadline deadline) throws EtcdException {
        if (token == null) {
            token = authenticate(deadline);
        }
        return token;
    }

    /** A token other than STALE: another thread's new one, or one got now. */
    private synchronized String renew(Deadline deadline, String stale) throws EtcdException {
        if (token == null || token.equals(stale)) {
            token = authenticate(deadline);
        }
        return token;
    }

    private String authenticate(Deadline deadline) throws EtcdException {
        EtcdSettings.Auth a = auth.orElseThrow();
        String password = password(a);
        byte[] body = Json.bytes(g -> {
            g.writeStartObject();
            g.writeStringProperty("name", a.user());
            g.writeStringProperty("password", password);
            g.writeEndObject();
        });
        Reply r;
        try {
            r = transport.post(PATH, body, Optional.empty(), deadline);
        } catch (EtcdException e) {
            if (e.kind() == EtcdException.Kind.UNAVAILABLE || e.kind() == EtcdException.Kind.TLS) {
                throw e;
            }
            // etcd's own text ("authentication failed, invalid user ID or password",
            // "authentication is not enabled"), with the user, never the password.
            throw new EtcdException(EtcdException.Kind.AUTH, "etcd user " + a.user() + ": " + e.getMessage());
        } finally {
            java.util.Arrays.fill(body, (byte) 0);
        }
        String t = r.string("token");
        if (t.isEmpty()) {
            throw Reply.malformed(PATH, "no token");
        }
        return t;
    }

    /** The password: PASSWORD_FILE's first line. */
    private static String password(EtcdSettings.Auth a) throws EtcdException {
        String text;
        try {
            text = Files.readString(a.passwordFile(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw passwordFile(a, "no such file");
        } catch (AccessDeniedException e) {
            throw passwordFile(a, "permission denied");
        } catch (IOException e) {
            throw passwordFile(a, e.getClass().getSimpleName()); // a message could quote the content
        }
        int end = text.indexOf('\n');
        String p = end < 0 ? text : text.substring(0, end);
        if (p.endsWith("\r")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty()) {
            throw passwordFile(a, "empty: expected the password on its first line");
        }
        return p;
    }

    private static EtcdException passwordFile(EtcdSettings.Auth a, String what) {
        return new EtcdException(EtcdException.Kind.AUTH, "etcd password file " + a.passwordFile() + " of user "
                + a.user() + ": " + what);
    }
}
