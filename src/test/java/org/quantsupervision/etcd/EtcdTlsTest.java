package org.quantsupervision.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS against a real etcd that requires client certificates ({@code --client-cert-auth}), with
 * a CA and certificates the openssl CLI made: the calls and a watch work with the right
 * material; an untrusted server, a server whose certificate does not name 127.0.0.1, or no
 * client certificate fail as TLS; unusable PEM files fail at open() with one line naming the
 * file and what is expected.
 */
@Tag("etcd")
class EtcdTlsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    static Path dir;
    private static TestCerts certs;
    private static EtcdCluster etcd;

    @BeforeAll
    static void start() throws Exception {
        EtcdCluster.assumeInstalled();
        certs = TestCerts.make(dir.resolve("certs"));
        etcd = EtcdCluster.start(dir.resolve("etcd"), 1, Optional.of(certs));
    }

    @AfterAll
    static void stop() throws Exception {
        if (etcd != null) {
            etcd.close();
        }
    }

    private static EtcdSettings settings(Path ca, Optional<Path> cert, Optional<Path> key) {
        return new EtcdSettings(etcd.endpoints(), TIMEOUT, Optional.of(new EtcdSettings.Tls(ca, cert, key)),
                Optional.empty());
    }

    private static EtcdException failure(EtcdSettings settings) {
        return assertThrows(EtcdException.class, () -> {
            try (EtcdClient c = EtcdClient.open(settings)) {
                c.get("/tls/k");
            }
        });
    }

    @Test
    void withTheCaAndAClientCertificateTheCallsAndAWatchWork() throws Exception {
        try (EtcdClient client = EtcdClient.open(etcd.settings(TIMEOUT))) {
            RecordingListener heard = new RecordingListener();
            try (Watch w = client.watch("/tls/", true, 0, heard)) {
                client.put("/tls/k", "v".getBytes(UTF_8), 0);
                assertArrayEquals("v".getBytes(UTF_8), heard.expect(WatchEvent.Type.PUT, "/tls/k").kv().value());
            }
            assertTrue(client.get("/tls/k").isPresent());
        }
    }

    @Test
    void anUntrustedServerIsATlsFailure() {
        EtcdException e = failure(settings(certs.otherCa, Optional.of(certs.clientCert), Optional.of(certs.clientKey)));
        assertEquals(EtcdException.Kind.TLS, e.kind(), e.getMessage());
        assertFalse(e.retryable());
    }

    @Test
    void withoutAClientCertificateTheServerRefusesTheHandshake() {
        EtcdException e = failure(settings(certs.ca, Optional.empty(), Optional.empty()));
        assertEquals(EtcdException.Kind.TLS, e.kind(), e.getMessage());
    }

    @Test
    void aServerCertificateWhoseSansDoNotNameTheHostIsRefused() throws Exception {
        try (EtcdCluster wrong = EtcdCluster.start(dir.resolve("wrong-name"), 1, Optional.of(certs.wrongName()))) {
            EtcdException e = assertThrows(EtcdException.class, () -> {
                try (EtcdClient c = EtcdClient.open(wrong.settings(TIMEOUT))) {
                    c.get("/tls/k");
                }
            });
            assertEquals(EtcdException.Kind.TLS, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
        }
    }

    @Test
    void aPkcs1OrSec1KeyIsRefusedWithTheCommandThatConvertsIt() throws Exception {
        Path rsa = dir.resolve("client-rsa-traditional.pem");
        certs.openssl("pkey", "-in", certs.clientKey.toString(), "-traditional", "-out", rsa.toString());
        assertTrue(Files.readString(rsa).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        EtcdException e = failure(settings(certs.ca, Optional.of(certs.clientCert), Optional.of(rsa)));
        assertEquals(EtcdException.Kind.TLS, e.kind());
        assertEquals("etcd TLS client key file " + rsa + ": is a RSA PRIVATE KEY (PKCS#1/SEC 1): convert it to PKCS#8"
                + " with `openssl pkcs8 -topk8 -nocrypt -in " + rsa + " -out KEY.pem`", e.getMessage());

        Path ec = dir.resolve("server-ec-traditional.pem");
        certs.openssl("ec", "-in", certs.serverKey.toString(), "-out", ec.toString());
        EtcdException sec1 = failure(settings(certs.ca, Optional.of(certs.serverCert), Optional.of(ec)));
        assertTrue(sec1.getMessage().contains("EC PRIVATE KEY") && sec1.getMessage().contains("openssl pkcs8 -topk8"),
                sec1.getMessage());
        // The converted key works.
        Path converted = dir.resolve("client-converted.pem");
        certs.openssl("pkcs8", "-topk8", "-nocrypt", "-in", rsa.toString(), "-out", converted.toString());
        try (EtcdClient c = EtcdClient.open(settings(certs.ca, Optional.of(certs.clientCert), Optional.of(converted)))) {
            c.get("/tls/k");
        }
    }

    @Test
    void unusableFilesAreNamedWithWhatIsExpected() throws Exception {
        Path missing = dir.resolve("missing.pem");
        EtcdException e = failure(settings(missing, Optional.empty(), Optional.empty()));
        assertEquals(EtcdException.Kind.TLS, e.kind());
        assertEquals("etcd TLS CA file " + missing + ": no such file", e.getMessage());

        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
        assertEquals("etcd TLS CA file " + garbage + ": no PEM block: expected -----BEGIN ...----- lines",
                failure(settings(garbage, Optional.empty(), Optional.empty())).getMessage());

        assertEquals("etcd TLS CA file " + certs.clientKey + ": holds a PRIVATE KEY: expected only -----BEGIN"
                + " CERTIFICATE----- blocks", failure(settings(certs.clientKey, Optional.empty(), Optional.empty()))
                .getMessage());

        EtcdException mismatch = failure(settings(certs.ca, Optional.of(certs.clientCert), Optional.of(certs.serverKey)));
        assertEquals("etcd TLS client key file " + certs.serverKey + ": not the key of the certificate in "
                + certs.clientCert, mismatch.getMessage());
        String keyText = Files.readString(certs.serverKey);
        String keyBody = keyText.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        assertFalse(mismatch.getMessage().contains(keyBody), "key material in a message");
    }
}
