package org.quantsupervision.etcd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A CA and the certificates the TLS tests need, made with the openssl CLI in DIR: the server's
 * (EC P-256, SANs IP:127.0.0.1 and DNS:localhost; clientAuth too, as etcd's gateway presents it
 * to its own gRPC server under --client-cert-auth), one whose only SAN is DNS:etcd.invalid, a
 * client's (RSA, PKCS#8 as openssl 3 writes it), and a second CA that signed none of them.
 */
final class TestCerts {
    final Path dir;
    final Path ca;
    final Path otherCa;
    final Path serverCert;
    final Path serverKey;
    final Path wrongNameCert;
    final Path wrongNameKey;
    final Path clientCert;
    final Path clientKey;

    private TestCerts(Path dir) {
        this(dir, dir.resolve("server.pem"), dir.resolve("server-key.pem"));
    }

    private TestCerts(Path dir, Path serverCert, Path serverKey) {
        this.dir = dir;
        this.serverCert = serverCert;
        this.serverKey = serverKey;
        ca = dir.resolve("ca.pem");
        otherCa = dir.resolve("other-ca.pem");
        wrongNameCert = dir.resolve("wrong-name.pem");
        wrongNameKey = dir.resolve("wrong-name-key.pem");
        clientCert = dir.resolve("client.pem");
        clientKey = dir.resolve("client-key.pem");
    }

    /** The same files, with the server presenting the certificate whose only SAN is etcd.invalid. */
    TestCerts wrongName() {
        return new TestCerts(dir, wrongNameCert, wrongNameKey);
    }

    static TestCerts make(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        TestCerts c = new TestCerts(dir);
        c.selfSigned("ca", "quant-test-ca");
        c.selfSigned("other-ca", "quant-other-ca");
        c.signed("server", "etcd-test-server", "ec", """
                subjectAltName=IP:127.0.0.1,DNS:localhost
                extendedKeyUsage=serverAuth,clientAuth
                """);
        c.signed("wrong-name", "etcd-test-server", "ec", """
                subjectAltName=DNS:etcd.invalid
                extendedKeyUsage=serverAuth,clientAuth
                """);
        c.signed("client", "quant-test-client", "rsa", "extendedKeyUsage=clientAuth\n");
        return c;
    }

    private void selfSigned(String name, String cn) throws IOException, InterruptedException {
        openssl("req", "-x509", "-new", "-nodes", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-keyout", name + "-key.pem", "-out", name + ".pem", "-days", "2", "-subj", "/CN=" + cn,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    private void signed(String name, String cn, String keyType, String extensions) throws IOException, InterruptedException {
        List<String> key = keyType.equals("rsa") ? List.of("-newkey", "rsa:2048")
                : List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1");
        List<String> req = new ArrayList<>(List.of("req", "-new", "-nodes"));
        req.addAll(key);
        req.addAll(List.of("-keyout", name + "-key.pem", "-out", name + ".csr", "-subj", "/CN=" + cn));
        openssl(req.toArray(String[]::new));
        Files.writeString(dir.resolve(name + ".ext"), extensions);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
                "-out", name + ".pem", "-days", "2", "-extfile", name + ".ext");
    }

    /** Runs openssl ARGS in the directory; fails the test with its output if it fails. */
    Path openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Path log = dir.resolve("openssl.log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(log));
        }
        return log;
    }
}
