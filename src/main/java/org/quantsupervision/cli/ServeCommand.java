package org.quantsupervision.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;

import org.quantsupervision.config.ConfigException;
import org.quantsupervision.config.SecureFile;
import org.quantsupervision.config.StrategyAccount;
import org.quantsupervision.host.StrategyGroups;
import org.quantsupervision.notify.Notifier;
import org.quantsupervision.status.StatusCollector;
import org.quantsupervision.web.Credential;
import org.quantsupervision.web.StatusPage;
import org.quantsupervision.web.StatusServer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code serve}: the status page, /api/status and /metrics, read-only, as
 * quant-supervision-serve.service runs it. Loopback only unless a credential is given: the
 * anchors' web views (supervisord's inet_http_server) were taken over where they listened on
 * every interface without one.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve a read-only status page (/), status --json's document (/api/status) and Prometheus "
                + "metrics (/metrics) over HTTP. Listens on 127.0.0.1:9717 by default; any address that is not "
                + "loopback needs --token-file. For another host, prefer an SSH tunnel: "
                + "ssh -L 9717:127.0.0.1:9717 HOST, then open http://localhost:9717/.")
final class ServeCommand implements Callable<Integer> {
    static final String DEFAULT_LISTEN = "127.0.0.1:9717";

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = DEFAULT_LISTEN,
            description = "An address to listen on; repeat for more ([::1]:9717 for IPv6). Default: ${DEFAULT-VALUE}.")
    List<String> listen = new ArrayList<>();

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "A root-owned file (root:quant-health 0640) whose first line is the token every request "
                    + "must carry: Authorization: Bearer TOKEN, or basic auth with the token as the password. "
                    + "Required for an address that is not loopback.")
    Path tokenFile;

    @Mixin
    PathOptions paths;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String a : listen) {
            addresses.add(address(a));
        }
        // Root reads nothing of the strategies' here: their files are theirs to plant symlinks in.
        String account = Admin.becomeHealthChecker();
        Optional<Credential> credential = Optional.empty();
        if (tokenFile != null) {
            try {
                credential = Optional.of(Credential.of(SecureFile.read(tokenFile, account,
                        StrategyAccount.HEALTH_CHECKER_FILES)));
            } catch (ConfigException e) {
                throw new ExitException(ExitCodes.CONFIG, "serve: " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new ExitException(ExitCodes.CONFIG, "serve: " + tokenFile + ": " + e.getMessage());
            }
        }
        for (InetSocketAddress a : addresses) {
            if (!a.getAddress().isLoopbackAddress() && credential.isEmpty()) {
                throw new ExitException(ExitCodes.CONFIG, "serve: --listen " + text(a) + " is not a loopback address "
                        + "and no --token-file was given: give one (a root-owned file holding a token), or listen on "
                        + DEFAULT_LISTEN + " and reach it through an SSH tunnel or a reverse proxy");
            }
        }
        StatusCollector collector = new StatusCollector(paths.configDir, paths.runtimeDir, paths.stateDir,
                paths.logDir, paths.healthDir);
        StrategyGroups groups = StrategyGroups.installed();
        StatusPage page = new StatusPage(HealthCommand.hostName(), name -> groupOf(groups, name), ZoneId.systemDefault());
        StatusServer server;
        try {
            server = new StatusServer(addresses, credential, () -> collector.collect(
                    ConfiguredStrategies.all(paths.configDir, "serve", ExitCodes.FAILURE, new PrintWriter(
                            java.io.Writer.nullWriter()))), page);
        } catch (IOException e) {
            throw new ExitException(ExitCodes.FAILURE, "serve: cannot listen on " + String.join(", ", listen) + ": "
                    + e.getMessage());
        }
        CountDownLatch stop = new CountDownLatch(1);
        try (server; AutoCloseable handlers = Signals.onStop(signal -> stop.countDown())) {
            server.start();
            String where = String.join(", ", server.addresses().stream().map(a -> "http://" + text(a) + "/").toList());
            String line = "listening on " + where + (credential.isPresent() ? ", every request needs the token of "
                    + tokenFile : " (loopback only; for another host use an SSH tunnel, see --help)");
            err.println("serve: " + line);
            err.flush();
            Notifier.fromEnvironment(System.getenv()).ready(line);
            stop.await();
        }
        return ExitCodes.OK;
    }

    private static Optional<String> groupOf(StrategyGroups groups, String name) {
        try {
            Optional<String> systemd = groups.systemdGroupOf(name);
            return systemd.isPresent() ? systemd : groups.supervisorGroupOf(name);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** HOST:PORT or [IPV6]:PORT; a name is looked up once, here. */
    static InetSocketAddress address(String text) {
        int colon = text.lastIndexOf(':');
        String host = colon < 0 ? "" : text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (host.isEmpty() || port < 0 || port > 65535) {
            throw new ExitException(ExitCodes.USAGE, "serve: --listen '" + text + "': expected HOST:PORT, e.g. "
                    + DEFAULT_LISTEN + " or [::1]:9717");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new ExitException(ExitCodes.USAGE, "serve: --listen '" + text + "': no such host " + host);
        }
    }

    private static String text(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
