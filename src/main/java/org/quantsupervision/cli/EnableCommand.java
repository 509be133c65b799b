package org.quantsupervision.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.quantsupervision.config.EnvConfTemplate;
import org.quantsupervision.config.StrategyAccount;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.host.StrategyGroups;
import org.quantsupervision.host.StrategySetup;
import org.quantsupervision.identity.Account;
import org.quantsupervision.manager.SystemdUnits;
import org.quantsupervision.process.Commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code enable NAME}: set a strategy up to start now and at every boot. */
@Command(name = "enable", mixinStandardHelpOptions = true,
        description = {"Set strategy NAME up and start it: /etc/strategies/NAME/env.conf from a commented template "
                + "if there is none (0640 root:GROUP, GROUP being the account's; an existing one keeps its content), "
                + "its runtime, state and log directories, then quant-strategy@NAME.service enabled and started (systemd) or the supervisord "
                + "program quant-strategy-NAME written and started. Refuses a NAME already under the other manager. "
                + "Needs root."})
final class EnableCommand implements Callable<Integer> {

    enum Via { systemd, supervisor }

    @Parameters(paramLabel = "NAME", description = "The strategy.")
    String name;

    @Option(names = "--via", paramLabel = "MANAGER",
            description = "${COMPLETION-CANDIDATES} (default: systemd where it is the init system, else supervisor).")
    Via via;

    @Option(names = "--group", paramLabel = "GROUP",
            description = "Put NAME into GROUP, started, stopped and restarted as one with `quant-supervision "
                    + "start|stop|restart GROUP` (systemd: quant-strategy-group@GROUP.target, which the members are "
                    + "PartOf; supervisord: a [group:GROUP]). Without it, NAME leaves any group it was in.")
    String group;

    @Option(names = "--after", paramLabel = "MEMBER", split = ",",
            description = "Start NAME after these members of GROUP, e.g. the data feed before the engine (systemd: "
                    + "After=; supervisord: a higher priority=). Stopping goes in reverse.")
    List<String> after = new java.util.ArrayList<>();

    @Option(names = "--user", paramLabel = "ACCOUNT",
            description = "Run NAME as ACCOUNT, an existing account of its own, instead of the shared quant-user: "
                    + "then no other strategy can signal, trace or read its processes. env.conf becomes readable by "
                    + "ACCOUNT's primary group, which the health checker (quant-health) joins. Without it, a strategy "
                    + "keeps the account it had (quant-user for a new one).")
    String user;

    @Mixin
    PathOptions paths;

    @Spec
    CommandSpec spec;

    /** The env.conf a new strategy starts from: every key, commented out, with its default. */
    static final String TEMPLATE = EnvConfTemplate.text();

    @Override
    public Integer call() throws Exception {
        StrategyName strategy = ConfiguredStrategies.named(List.of(name), "enable", ExitCodes.USAGE).get(0);
        Admin.requireRoot("enable");
        Via manager = via != null ? via : SystemdUnits.booted() ? Via.systemd : Via.supervisor;
        String n = strategy.value();
        if (manager == Via.systemd && Files.exists(StrategySetup.supervisorConf(n))) {
            throw new ExitException(ExitCodes.FAILURE, "enable: " + n + " is already a supervisord program ("
                    + StrategySetup.supervisorConf(n) + "): one manager per strategy, or two copies would trade. "
                    + "Run `quant-supervision disable " + n + "` first");
        }
        if (manager == Via.supervisor && StrategySetup.underSystemd(n)) {
            throw new ExitException(ExitCodes.FAILURE, "enable: " + n + " is already enabled or running under systemd ("
                    + SystemdUnits.strategyUnit(n) + "): one manager per strategy. Run `quant-supervision disable " + n
                    + "` first");
        }
        StrategyGroups groups = StrategyGroups.installed();
        Optional<String> g = group(n, manager, groups);
        StrategyAccount account = user == null ? StrategyAccount.of(strategy, paths.stateDir) : account(user);
        StrategySetup setup = new StrategySetup(paths.configDir, paths.runtimeDir, paths.stateDir, paths.logDir,
                Path.of("/usr/share/quant-supervision/supervisor/quant-strategy.conf.in"), groups, account);
        PrintWriter out = spec.commandLine().getOut();
        try {
            setup.admitHealthChecker();
            setup.createFiles(n, TEMPLATE.replace(EnvConfTemplate.NAME, n).replace(EnvConfTemplate.GROUP, account.group()));
            if (manager == Via.systemd) {
                setup.enableSystemd(n, g, after);
            } else {
                setup.enableSupervisor(n, g, after);
            }
        } catch (IOException e) {
            setup.done().forEach(line -> out.println(line));
            throw new ExitException(ExitCodes.FAILURE, "enable: " + e.getMessage());
        }
        setup.done().forEach(line -> out.println(line));
        out.println("check it with: quant-supervision status " + n);
        return ExitCodes.OK;
    }

    /** --user's account and its primary group; never root's. */
    private static StrategyAccount account(String user) throws IOException {
        Optional<Account> found = Account.named(user);
        if (found.isEmpty()) {
            throw new ExitException(ExitCodes.USAGE, "enable: --user " + user + ": no such account; make one first, "
                    + "e.g. useradd --system --user-group --no-create-home --shell /usr/sbin/nologin " + user);
        }
        if (found.get().uid() == 0 || found.get().gid() == 0) {
            throw new ExitException(ExitCodes.USAGE, "enable: --user " + user + ": a strategy never runs as root or "
                    + "in root's group");
        }
        Commands.Result group = Commands.run(List.of("id", "-gn", "--", user), java.time.Duration.ofSeconds(10));
        if (!group.ok()) {
            throw new ExitException(ExitCodes.USAGE, "enable: --user " + user + ": its primary group has no name ("
                    + group.output().trim() + ")");
        }
        if (user.equals(StrategyAccount.HEALTH_CHECKER) || group.output().trim().equals(StrategyAccount.HEALTH_CHECKER)) {
            throw new ExitException(ExitCodes.USAGE, "enable: --user " + user + ": the health checker's account (or "
                    + "group) would give the strategy the checker's state and alert secrets; use an account of its own");
        }
        requirePrivate(user, group.output().trim());
        return new StrategyAccount(user, group.output().trim());
    }

    /**
     * An account of its own must share nothing: not the checker's group (alerts.conf) nor the
     * shared strategies' (their env.conf files), and its primary group, which env.conf becomes
     * readable by, must hold no one but it and the checker.
     */
    private static void requirePrivate(String user, String group) throws IOException {
        if (user.equals(StrategyAccount.SHARED.user())) {
            return;
        }
        Commands.Result groups = Commands.run(List.of("id", "-Gn", "--", user), java.time.Duration.ofSeconds(10));
        List<String> in = List.of(groups.output().trim().split("\\s+"));
        for (String shared : List.of(StrategyAccount.HEALTH_CHECKER, StrategyAccount.SHARED.group())) {
            if (in.contains(shared)) {
                throw new ExitException(ExitCodes.USAGE, "enable: --user " + user + " is in the group " + shared
                        + ", which reads " + (shared.equals(StrategyAccount.HEALTH_CHECKER) ? "alerts.conf and the "
                        + "checker's state" : "the shared strategies' env.conf files") + ": give it a group of its own "
                        + "(gpasswd -d " + user + " " + shared + ")");
            }
        }
        Commands.Result entry = Commands.run(List.of("getent", "group", group), java.time.Duration.ofSeconds(10));
        String[] fields = entry.output().trim().split(":", -1);
        List<String> others = new java.util.ArrayList<>();
        if (fields.length == 4 && !fields[3].isEmpty()) {
            for (String member : fields[3].split(",")) {
                if (!member.equals(user) && !member.equals(StrategyAccount.HEALTH_CHECKER)) {
                    others.add(member);
                }
            }
        }
        if (!others.isEmpty()) {
            throw new ExitException(ExitCodes.USAGE, "enable: --user " + user + ": its group " + group + " also has "
                    + String.join(", ", others) + ", who would read the strategy's env.conf: use a group of its own "
                    + "(useradd --user-group)");
        }
    }

    /** --group and --after checked: a valid group name that is no strategy's, members already in it. */
    private Optional<String> group(String n, Via manager, StrategyGroups groups) throws IOException {
        if (group == null) {
            if (!after.isEmpty()) {
                throw new ExitException(ExitCodes.USAGE, "enable: --after orders members of a group: give --group too");
            }
            return Optional.empty();
        }
        try {
            new StrategyName(group);
        } catch (IllegalArgumentException e) {
            throw new ExitException(ExitCodes.USAGE, "enable: --group: " + e.getMessage().replace("strategy name", "group name"));
        }
        if (Files.exists(paths.configDir.resolve(group))) {
            throw new ExitException(ExitCodes.USAGE, "enable: --group " + group + " is also a strategy's name ("
                    + paths.configDir.resolve(group) + "): `start|stop|restart " + group + "` would be ambiguous");
        }
        List<String> members = manager == Via.systemd ? groups.systemdMembers(group) : groups.supervisorMembers(group);
        for (String a : after) {
            if (a.equals(n) || !members.contains(a)) {
                throw new ExitException(ExitCodes.USAGE, "enable: --after " + a + ": not a member of group " + group
                        + " under " + manager + " (members: " + (members.isEmpty() ? "none" : String.join(", ", members))
                        + "); enable it into the group first");
            }
        }
        return Optional.of(group);
    }
}
