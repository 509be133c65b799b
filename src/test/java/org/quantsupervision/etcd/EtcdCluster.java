package org.quantsupervision.etcd;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Real etcd members (Debian's etcd-server) on loopback, on free ports, with their data and logs
 * in a test's directory: one member or a cluster, plain or TLS with client certificates
 * required ({@code --client-cert-auth}). etcdctl (etcd-client) sets users and roles up. The
 * election timings are shortened (50 ms heartbeats, 500 ms elections) so that a killed leader
 * is replaced within a test's request timeout.
 */
public final class EtcdCluster implements AutoCloseable {
    static final Path ETCD = Path.of("/usr/bin/etcd");
    static final Path ETCDCTL = Path.of("/usr/bin/etcdctl");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final Optional<TestCerts> tls;
    private final List<URI> clientUrls = new ArrayList<>();
    private final List<Process> members = new ArrayList<>();
    private String rootPassword;

    private EtcdCluster(Path dir, Optional<TestCerts> tls) {
        this.dir = dir;
        this.tls = tls;
    }

    /** Skips the calling test unless etcd and etcdctl are installed (CI installs them: tests/setup). */
    public static void assumeInstalled() {
        assumeTrue(Files.isExecutable(ETCD) && Files.isExecutable(ETCDCTL), "etcd is not installed"
                + " (apt-get install etcd-server etcd-client, as tests/setup does): the tests against a real etcd are skipped");
    }

    /** COUNT members in DIR, with TLS from TLS if present and FLAGS added to each; returns once all serve. */
    public static EtcdCluster start(Path dir, int count, Optional<TestCerts> tls, String... flags)
            throws IOException, InterruptedException {
        assumeInstalled();
        Files.createDirectories(dir);
        EtcdCluster c = new EtcdCluster(dir, tls);
        List<Integer> peerPorts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            c.clientUrls.add(URI.create((tls.isPresent() ? "https" : "http") + "://127.0.0.1:" + freePort()));
            peerPorts.add(freePort());
        }
        String initial = IntStream.range(0, count).mapToObj(i -> "m" + i + "=http://127.0.0.1:" + peerPorts.get(i))
                .collect(Collectors.joining(","));
        String token = "quant-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try {
            for (int i = 0; i < count; i++) {
                List<String> command = new ArrayList<>(List.of(ETCD.toString(), "--name", "m" + i,
                        "--data-dir", dir.resolve("m" + i).toString(), "--logger", "zap", "--log-outputs", "stderr",
                        "--listen-client-urls", c.clientUrls.get(i).toString(),
                        "--advertise-client-urls", c.clientUrls.get(i).toString(),
                        "--listen-peer-urls", "http://127.0.0.1:" + peerPorts.get(i),
                        "--initial-advertise-peer-urls", "http://127.0.0.1:" + peerPorts.get(i),
                        "--initial-cluster", initial, "--initial-cluster-state", "new",
                        "--initial-cluster-token", token, "--heartbeat-interval", "50", "--election-timeout", "500"));
                tls.ifPresent(t -> command.addAll(List.of("--cert-file", t.serverCert.toString(), "--key-file",
                        t.serverKey.toString(), "--trusted-ca-file", t.ca.toString(), "--client-cert-auth")));
                command.addAll(List.of(flags));
                c.members.add(new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(c.log(i).toFile()).start());
            }
            for (int i = 0; i < count; i++) {
                c.awaitReady(i);
            }
        } catch (IOException | RuntimeException | InterruptedException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private Path log(int member) {
        return dir.resolve("m" + member + ".log");
    }

    /** Until MEMBER logs that it serves clients (3.4 logs it once the member has joined, with a leader). */
    private void awaitReady(int member) throws IOException, InterruptedException {
        long end = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < end) {
            if (Files.readString(log(member)).contains("\"msg\":\"serving client traffic")) {
                return;
            }
            if (!members.get(member).isAlive()) {
                throw new IllegalStateException("etcd member " + member + " exited: " + Files.readString(log(member)));
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("etcd member " + member + " not ready in " + START_TIMEOUT + ": "
                + Files.readString(log(member)));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public List<URI> endpoints() {
        return List.copyOf(clientUrls);
    }

    URI endpoint(int member) {
        return clientUrls.get(member);
    }

    /** Settings for every member, with TIMEOUT, the client certificate if TLS, no user. */
    EtcdSettings settings(Duration timeout) {
        return new EtcdSettings(endpoints(), timeout, tls.map(t -> new EtcdSettings.Tls(t.ca,
                Optional.of(t.clientCert), Optional.of(t.clientKey))), Optional.empty());
    }

    /** SIGKILL to MEMBER, and its end awaited: its connections are reset. */
    public void kill(int member) throws InterruptedException {
        Process p = members.get(member);
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * Sets etcd's authentication up: root (PASSWORD), a role "app" that may read and write under
     * PREFIX only, a user "app" (APP_PASSWORD) with it; then turns authentication on.
     */
    void enableAuth(String password, String prefix, String appPassword) throws IOException, InterruptedException {
        etcdctl("user", "add", "root:" + password);
        etcdctl("role", "add", "root");
        etcdctl("user", "grant-role", "root", "root");
        etcdctl("role", "add", "app");
        etcdctl("role", "grant-permission", "app", "--prefix=true", "readwrite", prefix);
        etcdctl("user", "add", "app:" + appPassword);
        etcdctl("user", "grant-role", "app", "app");
        etcdctl("auth", "enable");
        rootPassword = password;
    }

    /** etcdctl ARGS against the cluster (as root once authentication is on); its output. */
    String etcdctl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ETCDCTL.toString(), "--endpoints",
                clientUrls.stream().map(URI::toString).collect(Collectors.joining(","))));
        tls.ifPresent(t -> command.addAll(List.of("--cacert", t.ca.toString(), "--cert", t.clientCert.toString(),
                "--key", t.clientKey.toString())));
        if (rootPassword != null) {
            command.addAll(List.of("--user", "root:" + rootPassword));
        }
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "etcdctl", ".out");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("ETCDCTL_API", "3");
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("etcdctl " + String.join(" ", args) + " failed: " + Files.readString(out));
        }
        return Files.readString(out);
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : members) {
            p.destroyForcibly();
        }
        for (Process p : members) {
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
