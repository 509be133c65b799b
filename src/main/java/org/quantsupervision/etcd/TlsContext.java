package org.quantsupervision.etcd;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The SSLContext of the TLS settings: trust only the CA file's certificates, present the client
 * certificate (for etcd's {@code --client-cert-auth}). Keys are PKCS#8 ({@code BEGIN PRIVATE KEY},
 * RSA, EC or Ed25519), what {@code openssl genpkey} writes; a PKCS#1 or SEC 1 key ({@code BEGIN
 * RSA PRIVATE KEY}, {@code BEGIN EC PRIVATE KEY}) is refused with the openssl command that
 * converts it. The key is checked against the certificate here, so a mismatched pair is named
 * at start, not seen as a handshake failure. Everything in memory: no keystore file.
 */
final class TlsContext {
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"};

    private TlsContext() {
    }

    static SSLContext of(EtcdSettings.Tls tls) throws EtcdException {
        List<X509Certificate> cas = certificates(tls.caFile(), "etcd TLS CA file");
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                trust.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManager[] keyManagers = null;
            if (tls.certFile().isPresent()) {
                keyManagers = keyManagers(tls.certFile().get(), tls.keyFile().orElseThrow());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new EtcdException(EtcdException.Kind.TLS, "etcd TLS: the JDK cannot set up TLS: " + e.getMessage());
        }
    }

    private static KeyManager[] keyManagers(Path certFile, Path keyFile) throws EtcdException,
            GeneralSecurityException, java.io.IOException {
        List<X509Certificate> chain = certificates(certFile, "etcd TLS client certificate file");
        PrivateKey key = privateKey(keyFile);
        if (!matches(key, chain.get(0))) {
            throw Pem.error("etcd TLS client key file", keyFile, "not the key of the certificate in " + certFile);
        }
        // The keystore lives in memory only; its password guards nothing but is required.
        char[] password = new char[16];
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < password.length; i++) {
            password[i] = (char) ('a' + random.nextInt(26));
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("client", key, password, chain.toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        Arrays.fill(password, '\0');
        return kmf.getKeyManagers();
    }

    /** FILE's certificates: only CERTIFICATE blocks, one at least. */
    static List<X509Certificate> certificates(Path file, String what) throws EtcdException {
        List<X509Certificate> certs = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Pem.Block b : Pem.read(file, what)) {
                if (!b.label().equals("CERTIFICATE")) {
                    throw Pem.error(what, file, "holds a " + b.label() + ": expected only -----BEGIN CERTIFICATE----- blocks");
                }
                try {
                    certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
                } catch (CertificateException e) {
                    throw Pem.error(what, file, "a CERTIFICATE block is not an X.509 certificate");
                }
            }
        } catch (CertificateException e) {
            throw new EtcdException(EtcdException.Kind.TLS, "etcd TLS: the JDK has no X.509 support: " + e.getMessage());
        }
        return certs;
    }

    /** FILE's one PKCS#8 key. */
    static PrivateKey privateKey(Path file) throws EtcdException {
        String what = "etcd TLS client key file";
        List<Pem.Block> blocks = Pem.read(file, what);
        try {
            Pem.Block key = null;
            for (Pem.Block b : blocks) {
                switch (b.label()) {
                    case "PRIVATE KEY" -> {
                        if (key != null) {
                            throw Pem.error(what, file, "holds more than one key: expected one");
                        }
                        key = b;
                    }
                    case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw Pem.error(what, file, "is a " + b.label()
                            + " (PKCS#1/SEC 1): convert it to PKCS#8 with `openssl pkcs8 -topk8 -nocrypt -in " + file
                            + " -out KEY.pem`");
                    case "ENCRYPTED PRIVATE KEY" -> throw Pem.error(what, file, "is encrypted: decrypt it with"
                            + " `openssl pkcs8 -topk8 -nocrypt -in " + file + " -out KEY.pem`");
                    default -> {
                        // parameters (EC PARAMETERS) and the like, which openssl writes beside a key
                    }
                }
            }
            if (key == null) {
                throw Pem.error(what, file, "no key: expected a -----BEGIN PRIVATE KEY----- block (PKCS#8)");
            }
            for (String algorithm : KEY_ALGORITHMS) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(key.der()));
                } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                    // not this algorithm: the next
                }
            }
            throw Pem.error(what, file, "the PRIVATE KEY block is not an RSA, EC or EdDSA key in PKCS#8");
        } finally {
            for (Pem.Block b : blocks) {
                Arrays.fill(b.der(), (byte) 0);
            }
        }
    }

    /** Whether KEY signs what CERT's public key verifies. */
    private static boolean matches(PrivateKey key, X509Certificate cert) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "RSASSA-PSS" -> null;
            default -> key.getAlgorithm(); // Ed25519, Ed448
        };
        if (algorithm == null || !key.getAlgorithm().equals(cert.getPublicKey().getAlgorithm())) {
            return algorithm == null; // RSASSA-PSS needs parameters: left to the handshake
        }
        byte[] probe = "quant-supervision etcd key check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(cert.getPublicKey());
        verifier.update(probe);
        return verifier.verify(signature);
    }
}
