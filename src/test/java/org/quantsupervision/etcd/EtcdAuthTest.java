package org.quantsupervision.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd's authentication against a real member: root, and a user "app" whose role may read and
 * write under /app/ only. Tokens live 2 s without use here ({@code --auth-token-ttl 2}) so that
 * the re-authentication on "invalid auth token" is exercised. No message names a password.
 */
@Tag("etcd")
class EtcdAuthTest {
    private static final String ROOT_PASSWORD = "root-Pw-7c1f";
    private static final String APP_PASSWORD = "app-Pw-93ab";
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    static Path dir;
    private static EtcdCluster etcd;
    private static Path passwordFile;

    @BeforeAll
    static void start() throws Exception {
        etcd = EtcdCluster.start(dir.resolve("etcd"), 1, Optional.empty(), "--auth-token-ttl", "2");
        etcd.enableAuth(ROOT_PASSWORD, "/app/", APP_PASSWORD);
        passwordFile = Files.writeString(dir.resolve("app.password"), APP_PASSWORD + "\n");
    }

    @AfterAll
    static void stop() throws Exception {
        if (etcd != null) {
            etcd.close();
        }
    }

    private static EtcdSettings as(String user, Path password) {
        return new EtcdSettings(etcd.endpoints(), TIMEOUT, Optional.empty(),
                Optional.of(new EtcdSettings.Auth(user, password)));
    }

    private static void assertNoSecret(EtcdException e) {
        assertFalse(e.getMessage().contains(APP_PASSWORD) || e.getMessage().contains(ROOT_PASSWORD), e.getMessage());
    }

    private static EtcdException refused(Executable call) {
        EtcdException e = assertThrows(EtcdException.class, call);
        assertEquals(EtcdException.Kind.AUTH, e.kind(), e.getMessage());
        assertFalse(e.retryable());
        assertNoSecret(e);
        return e;
    }

    @Test
    void theUserWorksInsideItsPrefixAndIsRefusedOutside() throws Exception {
        try (EtcdClient client = EtcdClient.open(as("app", passwordFile))) {
            Lease lease = client.grantLease(Duration.ofSeconds(10));
            assertTrue(client.createIfAbsent("/app/e/leader", "host-a".getBytes(UTF_8), lease.id()).created());
            assertTrue(client.get("/app/e/leader").isPresent());
            assertEquals(1, client.getPrefix("/app/e/").keyValues().size());
            RecordingListener heard = new RecordingListener();
            try (Watch w = client.watch("/app/", true, 0, heard)) {
                client.put("/app/x", "1".getBytes(UTF_8), 0);
                heard.expect(WatchEvent.Type.PUT, "/app/x");
            }

            EtcdException put = refused(() -> client.put("/other/x", "1".getBytes(UTF_8), 0));
            assertTrue(put.getMessage().contains("permission denied"), put.getMessage());
            refused(() -> client.get("/other/x"));
            refused(() -> client.createIfAbsent("/other/leader", "a".getBytes(UTF_8), lease.id()));
            refused(() -> client.watch("/other/", true, 0, new RecordingListener()));
            client.revoke(lease.id());
        }
    }

    @Test
    void anExpiredTokenIsRenewedOnceForACallAndForAWatch() throws Exception {
        try (EtcdClient client = EtcdClient.open(as("app", passwordFile))) {
            client.put("/app/t", "1".getBytes(UTF_8), 0);
            Thread.sleep(3500); // past --auth-token-ttl: etcd forgot the token
            assertTrue(client.get("/app/t").isPresent());
            Thread.sleep(3500);
            RecordingListener heard = new RecordingListener();
            try (Watch w = client.watch("/app/t", false, 0, heard)) {
                client.put("/app/t", "2".getBytes(UTF_8), 0);
                heard.expect(WatchEvent.Type.PUT, "/app/t");
            }
        }
    }

    @Test
    void aWrongOrUnreadablePasswordFailsAtOpenNamingTheUserOrTheFile() throws Exception {
        Path wrong = Files.writeString(dir.resolve("wrong.password"), "not-" + APP_PASSWORD + "\n");
        EtcdException e = refused(() -> EtcdClient.open(as("app", wrong)));
        assertTrue(e.getMessage().startsWith("etcd user app: ") && e.getMessage().contains("authentication failed"),
                e.getMessage());

        Path missing = dir.resolve("missing.password");
        assertEquals("etcd password file " + missing + " of user app: no such file",
                refused(() -> EtcdClient.open(as("app", missing))).getMessage());
        Path empty = Files.writeString(dir.resolve("empty.password"), "\n");
        assertEquals("etcd password file " + empty + " of user app: empty: expected the password on its first line",
                refused(() -> EtcdClient.open(as("app", empty))).getMessage());
    }

    @Test
    void withoutAUserAnAuthenticatingEtcdRefusesAndSaysToSetOne() throws Exception {
        try (EtcdClient client = EtcdClient.open(etcd.settings(TIMEOUT))) {
            EtcdException e = refused(() -> client.get("/app/t"));
            assertTrue(e.getMessage().contains("set a user"), e.getMessage());
        }
    }
}
