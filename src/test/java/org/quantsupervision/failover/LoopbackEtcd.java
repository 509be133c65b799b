package org.quantsupervision.failover;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;

/**
 * A real etcd (Debian's etcd-server) on loopback for the tests, one or three members, each in a
 * data directory of its own under DIR; stopped and started member by member (quorum tests).
 */
final class LoopbackEtcd implements AutoCloseable {
    private static final Path ETCD = Path.of("/usr/bin/etcd");

    private final Path dir;
    private final List<Integer> clientPorts = new ArrayList<>();
    private final List<Integer> peerPorts = new ArrayList<>();
    private final Process[] members;

    private LoopbackEtcd(Path dir, int size) throws IOException {
        this.dir = dir;
        this.members = new Process[size];
        for (int i = 0; i < size; i++) {
            clientPorts.add(freePort());
            peerPorts.add(freePort());
        }
    }

    /** Starts SIZE members under DIR and waits until each answers /health. */
    static LoopbackEtcd start(Path dir, int size) throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isExecutable(ETCD), "etcd is not installed (apt-get install etcd-server)");
        LoopbackEtcd e = new LoopbackEtcd(dir, size);
        for (int i = 0; i < size; i++) {
            e.startMember(i);
        }
        for (int i = 0; i < size; i++) {
            e.awaitHealthy(i, Duration.ofSeconds(30));
        }
        return e;
    }

    /** The client URLs, blank separated, as FAILOVER_ETCD_ENDPOINTS takes them. */
    String endpoints() {
        return String.join(" ", clientPorts.stream().map(p -> "http://127.0.0.1:" + p).toList());
    }

    void startMember(int i) throws IOException {
        StringBuilder cluster = new StringBuilder();
        for (int j = 0; j < members.length; j++) {
            cluster.append(j == 0 ? "" : ",").append("m").append(j).append("=http://127.0.0.1:").append(peerPorts.get(j));
        }
        Path data = dir.resolve("m" + i);
        List<String> command = List.of(ETCD.toString(), "--name", "m" + i, "--data-dir", data.toString(),
                "--listen-client-urls", "http://127.0.0.1:" + clientPorts.get(i),
                "--advertise-client-urls", "http://127.0.0.1:" + clientPorts.get(i),
                "--listen-peer-urls", "http://127.0.0.1:" + peerPorts.get(i),
                "--initial-advertise-peer-urls", "http://127.0.0.1:" + peerPorts.get(i),
                "--initial-cluster", cluster.toString(), "--initial-cluster-state", "new",
                "--heartbeat-interval", "100", "--election-timeout", "1000", "--log-level", "error");
        members[i] = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("m" + i + ".log").toFile()).start();
    }

    /** Kills member I (SIGKILL: as a crash of its host would). */
    void killMember(int i) throws InterruptedException {
        members[i].destroyForcibly();
        members[i].waitFor();
    }

    void awaitHealthy(int i, Duration atMost) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + clientPorts.get(i) + "/health")).timeout(Duration.ofSeconds(1))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"health\":\"true\"")) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("etcd member " + i + " not healthy within " + atMost);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : members) {
            if (p != null) {
                p.destroyForcibly();
                p.waitFor();
            }
        }
    }
}
