package org.quantsupervision.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PEM armour and PKCS#8 keys the JDK makes itself (certificates: EtcdTlsTest, with openssl). */
class PemTest {
    @TempDir
    Path dir;

    private Path pem(String name, String label, byte[] der, String before) throws Exception {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .encodeToString(der);
        return Files.writeString(dir.resolve(name), before + "-----BEGIN " + label + "-----\n" + body
                + "\n-----END " + label + "-----\n");
    }

    @Test
    void pkcs8KeysOfEachAlgorithmAreRead() throws Exception {
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            PrivateKey key = KeyPairGenerator.getInstance(algorithm).generateKeyPair().getPrivate();
            Path file = pem(algorithm + ".pem", "PRIVATE KEY", key.getEncoded(), "text before the block\n");
            assertEquals(algorithm.equals("Ed25519") ? "EdDSA" : algorithm, TlsContext.privateKey(file).getAlgorithm());
        }
    }

    @Test
    void brokenArmourIsNamedWithItsLine() throws Exception {
        Path unended = Files.writeString(dir.resolve("unended.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n");
        assertEquals("etcd TLS client key file " + unended + ": the PRIVATE KEY block has no -----END PRIVATE KEY----- line",
                assertThrows(EtcdException.class, () -> TlsContext.privateKey(unended)).getMessage());
        Path mismatched = Files.writeString(dir.resolve("mismatched.pem"), """
                -----BEGIN PRIVATE KEY-----
                AAAA
                -----END CERTIFICATE-----
                """);
        assertEquals("etcd TLS client key file " + mismatched + ": line 3: expected -----END PRIVATE KEY-----",
                assertThrows(EtcdException.class, () -> TlsContext.privateKey(mismatched)).getMessage());
        Path encrypted = Files.writeString(dir.resolve("encrypted.pem"), """
                -----BEGIN RSA PRIVATE KEY-----
                Proc-Type: 4,ENCRYPTED
                DEK-Info: AES-128-CBC,00

                AAAA
                -----END RSA PRIVATE KEY-----
                """);
        EtcdException e = assertThrows(EtcdException.class, () -> TlsContext.privateKey(encrypted));
        assertEquals(EtcdException.Kind.TLS, e.kind());
        assertEquals("etcd TLS client key file " + encrypted + ": the RSA PRIVATE KEY block is encrypted: decrypt it"
                + " with `openssl pkcs8 -topk8 -nocrypt -in " + encrypted + " -out KEY.pem`", e.getMessage());
        Path notAKey = pem("not-a-key.pem", "PRIVATE KEY", new byte[] {1, 2, 3}, "");
        assertEquals("etcd TLS client key file " + notAKey + ": the PRIVATE KEY block is not an RSA, EC or EdDSA key"
                + " in PKCS#8", assertThrows(EtcdException.class, () -> TlsContext.privateKey(notAKey)).getMessage());
    }
}
