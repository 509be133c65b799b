package org.quantsupervision.doctor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.quantsupervision.alert.AlertSender;
import org.quantsupervision.alert.TestAlert;
import org.quantsupervision.config.AlertTargets;
import org.quantsupervision.config.ConfigException;
import org.quantsupervision.config.EnvironmentFile;
import org.quantsupervision.config.HealthConfig;
import org.quantsupervision.config.HostAlerts;
import org.quantsupervision.config.SecureFile;
import org.quantsupervision.config.StrategyAccount;
import org.quantsupervision.config.StrategyConfig;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.host.StrategySetup;
import org.quantsupervision.manager.SupervisorProgram;
import org.quantsupervision.manager.SystemdUnits;
import org.quantsupervision.record.HaltMarker;

/**
 * The reference article's production checklist (section 8) for one strategy, checked on the
 * host as it is: the files, what systemd or supervisord will really do (systemctl show, the
 * program file), and the strategy's settings. Each item passes, warns or fails with its fix.
 */
public final class StrategyDoctor {
    private static final List<String> UNIT_PROPERTIES = List.of("UnitFileState", "ActiveState", "User", "MemoryMax",
            "MemoryHigh", "StartLimitBurst", "StartLimitIntervalUSec", "Restart", "RestartPreventExitStatus", "DropInPaths",
            "TimeoutStopUSec");
    private static final int CONNECT_TIMEOUT_MILLIS = 3000;

    private final Layout layout;
    private static final String GAVE_UP = String.valueOf(org.quantsupervision.record.RunnerState.EXIT_GAVE_UP);
    /** How long the secret scan of one strategy may take; a normal one takes milliseconds. */
    private static final java.time.Duration SCAN_LIMIT = java.time.Duration.ofSeconds(20);
    private final Optional<AlertSender> testAlerts;
    private final String host;

    /** @param testAlerts present to send a real test alert (--send-test-alert); empty to only connect */
    public StrategyDoctor(Layout layout, Optional<AlertSender> testAlerts, String host) {
        this.layout = layout;
        this.testAlerts = testAlerts;
        this.host = host;
    }

    public List<Finding> check(StrategyName name) {
        String n = name.value();
        List<Finding> findings = new ArrayList<>();
        Path env = layout.configRoot().resolve(n).resolve("env.conf");
        Map<String, String> unit = layout.systemd()
                ? SystemdUnits.show(List.of(SystemdUnits.strategyUnit(n)), UNIT_PROPERTIES).getOrDefault(SystemdUnits.strategyUnit(n), Map.of())
                : Map.of();
        Path programFile = layout.supervisorConf().apply(n);
        Optional<Map<String, String>> program;
        try {
            program = SupervisorProgram.read(programFile, "quant-strategy-" + n);
        } catch (IOException e) {
            program = Optional.empty();
            findings.add(Finding.fail(n, "supervisord program", "cannot read " + programFile + ": " + e.getMessage(),
                    "check the file's permissions"));
        }
        boolean systemd = "enabled".equals(unit.get("UnitFileState")) || "active".equals(unit.get("ActiveState"));

        findings.add(envFile(n, env));
        Optional<Loaded> loaded = load(n, env, findings);
        findings.add(manager(n, systemd, program, programFile));
        if (systemd || program.isPresent()) {
            findings.add(user(n, systemd, unit, program, programFile));
            findings.add(crashLoop(n, systemd, unit, program, loaded));
            findings.add(logRotation(n, systemd, program, programFile));
            findings.add(limits(n, systemd, unit, loaded));
            if (loaded.isPresent()) {
                findings.add(stopDeadline(n, systemd, unit, program, loaded.get().strategy()));
            }
        }
        loaded.ifPresent(l -> findings.add(hangDetection(n, l.strategy())));
        findings.add(secrets(n, loaded, unit, programFile));
        loaded.ifPresent(l -> findings.add(alerts(n, l)));
        findings.add(killSwitch(n));
        return findings;
    }

    /** Whether the kill switch holds NAME: a WARN with who, when and why, since nothing trades until a resume. */
    private Finding killSwitch(String n) {
        Path file = StrategyConfig.haltFileOf(layout.configRoot(), new StrategyName(n));
        return HaltMarker.read(file).map(h -> Finding.warn(n, "kill switch", "halted " + h.describe() + " (" + file
                + "): its runner keeps it stopped", "quant-supervision resume " + n + " once it may trade again"))
                .orElseGet(() -> Finding.pass(n, "kill switch", "not halted"));
    }

    private record Loaded(StrategyConfig strategy, HealthConfig health, Map<String, String> variables) {
    }

    private Finding envFile(String n, Path env) {
        StrategyAccount account = layout.account().apply(n);
        String item = "env.conf " + account.envConfLayout();
        String move = account.envConfMove(env);
        try {
            return switch (SecureFile.check(env, account.user(), account)) {
                case ROOT -> Finding.pass(n, item, env + " is root's and readable by " + account.group()
                        + " only: the strategy cannot rewrite its own settings");
                case READER -> Finding.warn(n, item, env + " is 0600 " + account.user() + " (0.1.0's layout): the "
                        + "strategy's account can rewrite its own settings and checks, and the health checker "
                        + "cannot read it", move);
            };
        } catch (ConfigException e) {
            return Finding.fail(n, item, e.getMessage(), Files.exists(env) ? move
                    : "quant-supervision enable " + n + " (creates it from a template)");
        }
    }

    /** The host's alert channels; none if its file is bad (the host's findings say why). */
    private HostAlerts hostAlerts() {
        try {
            return HostAlerts.load(layout.alertsFile(), StrategyAccount.HEALTH_CHECKER);
        } catch (ConfigException e) {
            return HostAlerts.NONE;
        }
    }

    /** The settings, read whatever the file's mode (doctor reports that separately, and runs as root). */
    private Optional<Loaded> load(String n, Path env, List<Finding> findings) {
        if (!Files.exists(env)) {
            return Optional.empty();
        }
        try {
            Map<String, String> variables = EnvironmentFile.parse(env, Files.readAllBytes(env));
            StrategyConfig strategy = StrategyConfig.from(new StrategyName(n), env, variables);
            HealthConfig health = HealthConfig.from(strategy, env, Path.of("/var/log/quant-supervision"),
                    Path.of("/var/lib/quant-supervision"), hostAlerts());
            findings.add(Finding.pass(n, "settings valid", "every key of " + env + " is valid"));
            return Optional.of(new Loaded(strategy, health, variables));
        } catch (ConfigException e) {
            findings.add(Finding.fail(n, "settings valid", e.getMessage(), "sudoedit " + env));
        } catch (IOException e) {
            findings.add(Finding.fail(n, "settings valid", "cannot read " + env + ": " + e.getMessage(),
                    "run doctor as root"));
        }
        return Optional.empty();
    }

    private Finding manager(String n, boolean systemd, Optional<Map<String, String>> program, Path programFile) {
        String item = "enabled at boot";
        if (systemd && program.isPresent()) {
            return Finding.fail(n, item, "both systemd (" + SystemdUnits.strategyUnit(n) + ") and supervisord (" + programFile
                    + ") run it: two copies would trade", "quant-supervision disable " + n + ", then enable it once");
        }
        if (systemd) {
            return Finding.pass(n, item, SystemdUnits.strategyUnit(n) + " is enabled (quant-supervision.target)");
        }
        if (program.isPresent()) {
            String autostart = program.get().getOrDefault("autostart", "true");
            return autostart.equals("true")
                    ? Finding.pass(n, item, "supervisord program quant-strategy-" + n + " (" + programFile + ")")
                    : Finding.fail(n, item, "autostart=" + autostart + " in " + programFile, "set autostart=true");
        }
        return Finding.fail(n, item, "neither systemd nor supervisord runs it", "quant-supervision enable " + n);
    }

    /** The article's pitfall 1: a compromised strategy running as root owns the host. */
    private Finding user(String n, boolean systemd, Map<String, String> unit, Optional<Map<String, String>> program,
            Path programFile) {
        String item = "runs as non-root";
        String user = systemd ? unit.getOrDefault("User", "") : program.get().getOrDefault("user", "");
        String where = systemd ? SystemdUnits.strategyUnit(n) : programFile.toString();
        if (user.isEmpty() || user.equals("root") || user.equals("0")) {
            return Finding.fail(n, item, where + " runs it as root" + (user.isEmpty() ? " (no User= / user= set)" : ""),
                    systemd ? "remove User=root from its drop-ins (systemctl edit " + SystemdUnits.strategyUnit(n)
                            + "); the unit sets User=" + layout.account().apply(n).user()
                            : "set user=" + layout.account().apply(n).user() + " in " + programFile);
        }
        return Finding.pass(n, item, where + " runs it as " + user);
    }

    /** The article's pitfall 2: the outer layer must stop retrying a start that cannot succeed. */
    private Finding crashLoop(String n, boolean systemd, Map<String, String> unit, Optional<Map<String, String>> program,
            Optional<Loaded> loaded) {
        String item = "crash-loop protection";
        String runner = loaded.map(l -> "; the runner gives up after GIVE_UP_AFTER=" + l.strategy().giveUpAfter()
                + " crashes in " + l.strategy().giveUpWindow().toSeconds() + " s").orElse("");
        if (systemd) {
            String burst = unit.getOrDefault("StartLimitBurst", "0");
            String interval = unit.getOrDefault("StartLimitIntervalUSec", "0");
            if (burst.equals("0") || interval.equals("0") || interval.equals("infinity")) {
                return Finding.fail(n, item, "systemd start limit is off (StartLimitBurst=" + burst
                        + ", StartLimitIntervalSec=" + interval + ")", "remove the override of StartLimitBurst= / "
                        + "StartLimitIntervalSec= (systemctl edit " + SystemdUnits.strategyUnit(n) + ")");
            }
            if (!List.of(unit.getOrDefault("RestartPreventExitStatus", "").split(" ")).contains(GAVE_UP)) {
                return Finding.warn(n, item, "RestartPreventExitStatus=" + unit.getOrDefault("RestartPreventExitStatus", "")
                        + " lacks " + GAVE_UP + ": systemd starts a runner that gave up again, and the strategy logs "
                        + "in to its venue again and again", "remove the override of RestartPreventExitStatus= "
                        + "(systemctl edit " + SystemdUnits.strategyUnit(n) + ")");
            }
            return Finding.pass(n, item, "systemd stops after StartLimitBurst=" + burst + " starts in " + interval
                    + "; a runner that gave up stays down (exit " + GAVE_UP + ")" + runner);
        }
        Map<String, String> p = program.get();
        String retries = p.getOrDefault("startretries", "3");
        String secs = p.getOrDefault("startsecs", "1");
        if (secs.equals("0")) {
            return Finding.fail(n, item, "startsecs=0: supervisord counts every start as a success and retries forever",
                    "set startsecs=5 and startretries=5");
        }
        String autorestart = p.getOrDefault("autorestart", "unexpected");
        List<String> expected = List.of(p.getOrDefault("exitcodes", "0").split(","));
        if (autorestart.equals("true") || (!autorestart.equals("false") && !expected.contains(GAVE_UP))) {
            return Finding.warn(n, item, "autorestart=" + autorestart + ", exitcodes=" + String.join(",", expected)
                    + ": supervisord starts a runner that gave up again, and the strategy logs in "
                    + "to its venue again and again", "set autorestart=unexpected and exitcodes=0," + GAVE_UP
                    + " (a program file of 0.1.0: quant-supervision disable " + n + ", then enable it again)");
        }
        return Finding.pass(n, item, "supervisord gives up after startretries=" + retries + " (startsecs=" + secs + ")"
                + "; a runner that gave up stays down (exit " + GAVE_UP + ")" + runner);
    }

    /**
     * Whether the manager lets the strategy take its STOP_TIMEOUT to stop (to flatten its
     * positions) before it SIGKILLs everything: supervisord's stopwaitsecs= must cover it;
     * systemd's TimeoutStopSec= is extended by the runner itself at every stop.
     */
    private Finding stopDeadline(String n, boolean systemd, Map<String, String> unit,
            Optional<Map<String, String>> program, StrategyConfig strategy) {
        String item = "stop deadline";
        long needed = strategy.managerStopDeadline().toSeconds();
        String stop = "STOP_TIMEOUT=" + strategy.stopTimeout().toSeconds() + "s";
        if (systemd) {
            if (unit.getOrDefault("TimeoutStopUSec", "").equals("infinity")) {
                return Finding.warn(n, item, "TimeoutStopSec=infinity: a runner that hangs while stopping is never "
                        + "killed, and the unit never restarts", "remove the override of TimeoutStopSec= "
                        + "(systemctl edit " + SystemdUnits.strategyUnit(n) + ")");
            }
            return Finding.pass(n, item, stop + ": at a stop the runner extends TimeoutStopSec= to " + needed + " s");
        }
        String wait = program.get().getOrDefault("stopwaitsecs", "10");
        long waitSecs;
        try {
            waitSecs = Long.parseLong(wait.trim());
        } catch (NumberFormatException e) {
            waitSecs = 0;
        }
        if (waitSecs < needed) {
            return Finding.fail(n, item, "stopwaitsecs=" + wait + " is less than " + needed + " s (" + stop + " + 20 s, at least 30 s): supervisord "
                    + "SIGKILLs the strategy before its own stop deadline ends (it cannot flatten its positions)",
                    "quant-supervision enable " + n + " --via supervisor (writes stopwaitsecs=" + needed + ")");
        }
        return Finding.pass(n, item, stop + ", stopwaitsecs=" + wait + ": supervisord waits for the runner's stop");
    }

    /** The article's pitfall 4: logs filling the disk. */
    private Finding logRotation(String n, boolean systemd, Optional<Map<String, String>> program, Path programFile) {
        String item = "log rotation";
        if (systemd) {
            return Finding.pass(n, item, "output goes to the journal (see the host's journal retention)");
        }
        Map<String, String> p = program.get();
        String maxBytes = p.getOrDefault("stdout_logfile_maxbytes", "50MB");
        String backups = p.getOrDefault("stdout_logfile_backups", "10");
        if (maxBytes.equals("0") || backups.equals("0")) {
            return Finding.fail(n, item, "stdout_logfile_maxbytes=" + maxBytes + ", stdout_logfile_backups=" + backups
                    + " in " + programFile + ": the log grows without bound",
                    "set stdout_logfile_maxbytes=10MB and stdout_logfile_backups=5");
        }
        return Finding.pass(n, item, "supervisord rotates at " + maxBytes + ", keeps " + backups
                + "; the runner rotates the strategy's own log (LOG_MAX_BYTES, LOG_BACKUPS)");
    }

    private Finding limits(String n, boolean systemd, Map<String, String> unit, Optional<Loaded> loaded) {
        String item = "resource limits";
        String health = loaded.map(l -> "; the health check alerts above MEMORY_CRITICAL=" + (l.health().memoryCritical() >> 20)
                + "M").orElse("");
        if (systemd) {
            String max = unit.getOrDefault("MemoryMax", "infinity");
            if (max.equals("infinity")) {
                return Finding.warn(n, item, "MemoryMax=infinity: a leak can take the whole host" + health,
                        "systemctl edit " + SystemdUnits.strategyUnit(n) + ": MemoryMax=4G");
            }
            return Finding.pass(n, item, "MemoryMax=" + (Long.parseLong(max) >> 20) + "M" + health);
        }
        return Finding.warn(n, item, "supervisord sets no memory limit" + health,
                "run it under systemd (MemoryMax=) or limit it in the strategy");
    }

    /** Without a heartbeat, only a stopped strategy is seen as hung; a busy loop is not. */
    private Finding hangDetection(String n, StrategyConfig strategy) {
        String item = "hang detection";
        if (strategy.heartbeatFile().isPresent()) {
            return Finding.pass(n, item, "HEARTBEAT_FILE=" + strategy.heartbeatFile().get() + ", HEARTBEAT_MAX_AGE="
                    + strategy.heartbeatMaxAge().toSeconds() + " s");
        }
        return Finding.warn(n, item, "no HEARTBEAT_FILE: a hang is seen only if the strategy is stopped or sends "
                + "WATCHDOG=1 itself", "set HEARTBEAT_FILE to a file the strategy touches while it makes progress");
    }

    private Finding secrets(String n, Optional<Loaded> loaded, Map<String, String> unit, Path programFile) {
        String item = "no secrets in code or units";
        List<Path> roots = new ArrayList<>();
        loaded.ifPresent(l -> roots.add(l.strategy().directory()));
        Path units = layout.systemdEtc().resolve("system");
        roots.add(units.resolve(SystemdUnits.strategyUnit(n)));
        roots.add(units.resolve(SystemdUnits.strategyUnit(n) + ".d"));
        roots.add(units.resolve("quant-strategy@.service.d"));
        for (String dropIn : unit.getOrDefault("DropInPaths", "").split(" ")) {
            if (!dropIn.isEmpty()) {
                roots.add(Path.of(dropIn));
            }
        }
        roots.add(programFile);
        SecretScan.Result result;
        try {
            // The strategy's account, not root: env.conf (its own) names the directory and the
            // values searched for, so the scan reads only what that account could read itself.
            SecretScan.Account account = SecretScan.Account.of(layout.account().apply(n).user());
            SecretScan scan = new SecretScan(loaded.map(Loaded::variables).orElse(Map.of()), account);
            java.util.Optional<SecretScan.Result> done = bounded(() -> scan.scan(roots.stream().distinct().toList()));
            if (done.isEmpty()) {
                return Finding.warn(n, item, "the scan did not finish in " + SCAN_LIMIT.toSeconds() + " s and was left: "
                        + "a file that blocks when opened (a FIFO swapped in for a regular file?) in "
                        + loaded.map(l -> l.strategy().directory().toString()).orElse("the unit's files"),
                        "look for FIFOs: find DIR -type p");
            }
            result = done.get();
        } catch (UserPrincipalNotFoundException e) {
            String owner = layout.account().apply(n).user();
            return Finding.warn(n, item, "could not scan: no account " + owner + " on this host (the scan "
                    + "reads only what it can read)", "install the package, which creates quant-user, or make " + owner);
        } catch (IOException e) {
            return Finding.warn(n, item, "could not scan: " + e.getMessage(), "run doctor as root");
        }
        String skipped = result.skipped() == 0 ? "" : "; " + result.skipped() + " files or directories skipped: not "
                + "readable by " + layout.account().apply(n).user();
        if (!result.hits().isEmpty()) {
            return Finding.fail(n, item, "secret-looking literals: " + String.join(", ",
                    result.hits().stream().map(SecretScan.Hit::toString).toList()) + skipped,
                    "move them to /etc/strategies/" + n + "/env.conf and read them from the environment");
        }
        return Finding.pass(n, item, "none in " + loaded.map(l -> l.strategy().directory() + ", ").orElse("")
                + "the unit's drop-ins or the supervisord program" + skipped);
    }

    /**
     * SCAN's result, or none if it takes longer than SCAN_LIMIT. A file can be swapped for a FIFO
     * between the scan's check and its open, and open(2) of a FIFO waits for a writer for ever: the
     * scan runs on a daemon thread that is left behind then, so doctor still reports the rest.
     */
    private static java.util.Optional<SecretScan.Result> bounded(java.util.concurrent.Callable<SecretScan.Result> scan)
            throws IOException {
        java.util.concurrent.FutureTask<SecretScan.Result> task = new java.util.concurrent.FutureTask<>(scan);
        Thread worker = new Thread(task, "secret-scan");
        worker.setDaemon(true);
        worker.start();
        try {
            return java.util.Optional.of(task.get(SCAN_LIMIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
        } catch (java.util.concurrent.TimeoutException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Configured, and reachable without sending anything (a TCP connection), or a real test alert. */
    private Finding alerts(String n, Loaded loaded) {
        Finding reached = reachable(n, loaded.health());
        List<String> readable = loaded.variables().entrySet().stream()
                .filter(e -> AlertTargets.SECRET_KEYS.contains(e.getKey()) && !e.getValue().isBlank())
                .map(Map.Entry::getKey).sorted().toList();
        if (readable.isEmpty() || reached.grade() != Finding.Grade.PASS) {
            return reached;
        }
        return Finding.warn(n, reached.item(), reached.message() + "; but " + String.join(", ", readable)
                + " in /etc/strategies/" + n + "/env.conf: the strategy can read its env.conf, so it could page the "
                + "on-call or resolve a real incident", "move them to " + HostAlerts.FILE + " (0640 root:quant-health), "
                        + "or keep them if only this strategy alerts there");
    }

    private Finding reachable(String n, HealthConfig health) {
        String item = "alerts configured";
        List<String> channels = AlertSender.channelNames(health.alerts());
        if (channels.isEmpty()) {
            return Finding.fail(n, item, "no alert channel: a failed strategy would page nobody",
                    "set SLACK_WEBHOOK_URL, PAGERDUTY_ROUTING_KEY or ALERT_WEBHOOK_URL in " + HostAlerts.FILE);
        }
        if (testAlerts.isPresent()) {
            List<TestAlert.Result> sent = TestAlert.send(testAlerts.get(), host, n, health.alerts());
            String results = String.join("; ", sent.stream().map(r -> r.step() + " " + r.detail()).toList());
            return sent.stream().allMatch(TestAlert.Result::delivered) ? Finding.pass(n, item, "test alert " + results)
                    : Finding.fail(n, item, "test alert " + results, "check the URL or key in /etc/strategies/" + n
                            + "/env.conf");
        }
        List<String> unreachable = new ArrayList<>();
        var a = health.alerts();
        a.slack().ifPresent(u -> connect("slack", u, unreachable));
        a.pagerDutyKey().ifPresent(k -> connect("pagerduty", a.pagerDutyUrl(), unreachable));
        a.webhook().ifPresent(u -> connect("webhook", u, unreachable));
        if (!unreachable.isEmpty()) {
            return Finding.fail(n, item, String.join("; ", unreachable), "check the network path (proxy, firewall); "
                    + "then quant-supervision drill " + n + " alert");
        }
        return Finding.pass(n, item, String.join(", ", channels) + " reachable (nothing sent; --send-test-alert sends one)");
    }

    /** Names the channel and host only: the path of a webhook URL is its secret. */
    private static void connect(String channel, URI uri, List<String> unreachable) {
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), port), CONNECT_TIMEOUT_MILLIS);
        } catch (java.net.UnknownHostException e) {
            unreachable.add(channel + ": " + uri.getHost() + " does not resolve");
        } catch (java.net.SocketTimeoutException e) {
            unreachable.add(channel + ": no connection to " + uri.getHost() + ":" + port + " within "
                    + CONNECT_TIMEOUT_MILLIS + " ms");
        } catch (IOException e) {
            unreachable.add(channel + ": cannot connect to " + uri.getHost() + ":" + port + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
