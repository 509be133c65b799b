package org.quantsupervision.host;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.quantsupervision.config.StrategyAccount;
import org.quantsupervision.config.StrategyConfig;
import org.quantsupervision.manager.SupervisorProgram;
import org.quantsupervision.manager.SystemdUnits;
import org.quantsupervision.process.Commands;

/**
 * What {@code enable} and {@code disable} do to a host: the strategy's directories and env.conf
 * (created from a commented template, never overwritten), and its registration with systemd or
 * supervisord. Every step says what it did, for the command's output.
 */
public final class StrategySetup {
    private final Path configRoot;
    private final Path runtimeRoot;
    private final Path stateRoot;
    private final Path logRoot;
    private final Path supervisorTemplate;
    private final StrategyGroups groups;
    private final List<String> done = new ArrayList<>();

    private final StrategyAccount account;

    /** For a strategy that runs as ACCOUNT. */
    public StrategySetup(Path configRoot, Path runtimeRoot, Path stateRoot, Path logRoot, Path supervisorTemplate,
            StrategyGroups groups, StrategyAccount account) {
        this.runtimeRoot = runtimeRoot;
        this.account = account;
        this.configRoot = configRoot;
        this.stateRoot = stateRoot;
        this.logRoot = logRoot;
        this.supervisorTemplate = supervisorTemplate;
        this.groups = groups;
    }

    /** What was done so far, one line each. */
    public List<String> done() {
        return done;
    }

    /**
     * /etc/strategies/NAME/ (0755 root) and its env.conf (0640 root:GROUP, from TEMPLATE if there
     * is none; an existing one keeps its content and is given that owner and mode), and the
     * strategy's runtime, state and log directories (ACCOUNT:GROUP; the runtime directory 0770,
     * where the health checker, a member of GROUP, leaves its restart requests, the others
     * 0750). Modes are set explicitly: under root's umask 077 (CIS hosts) the directory came out
     * 0700 and the runner could not read its env.conf.
     *
     * <p>Root acts here inside directories that must be root's alone: the parents of the state
     * and log directories are checked to be root-owned and not writable by group or others (the
     * package's tmpfiles.d makes them so), so no other account can swap an entry for a symlink
     * between our mkdir and chown; and nothing is followed: an existing entry that is not a real
     * directory is refused, not used.
     */
    public void createFiles(String name, String template) throws IOException {
        requireUnchangedAccount(name);
        Path dir = configRoot.resolve(name);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            requireRootOnly(configRoot);
            makeDirectory(dir, "rwxr-xr-x", false);
            done.add("created " + dir);
        }
        requireRootOnly(dir);
        Path env = dir.resolve("env.conf");
        try {
            Files.createFile(env, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(env, template, LinkOption.NOFOLLOW_LINKS);
            secureSettings(env);
            done.add("created " + env + " (" + account.envConfLayout() + ") from the template: edit it with sudoedit");
        } catch (FileAlreadyExistsException e) {
            PosixFileAttributes a = Files.readAttributes(env, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            String now = a.owner().getName() + ":" + a.group().getName() + " "
                    + org.quantsupervision.config.SecureFile.octal(a.permissions());
            if (!a.isRegularFile() || (Integer) Files.getAttribute(env, "unix:nlink", LinkOption.NOFOLLOW_LINKS) != 1) {
                throw new IOException(env + " is not a plain file: quant-supervision did not make it; remove it, "
                        + "then enable again");
            }
            if (now.equals(account.envConfLayout())) {
                done.add("kept " + env + " as it is");
            } else {
                secureSettings(env); // dir is root-only (checked above): nothing can be swapped in
                done.add("kept the settings of " + env + "; it was " + now + ", now " + account.envConfLayout()
                        + " (the runner reads it as " + account.user() + ", only root changes it)");
            }
        }
        for (Path root : List.of(runtimeRoot, stateRoot, logRoot)) {
            Path d = root.resolve(name);
            requireRootOnly(root);
            if (makeDirectory(d, root.equals(runtimeRoot) ? "rwxrwx---" : "rwxr-x---", true)) {
                done.add("created " + d + " (" + account.user() + ":" + account.group() + ")");
            }
        }
    }

    /** ENV root's, readable by the strategy's group: the strategy cannot rewrite its own settings. */
    private void secureSettings(Path env) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(env, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        UserPrincipalLookupService lookup = env.getFileSystem().getUserPrincipalLookupService();
        if (!view.readAttributes().owner().getName().equals(System.getProperty("user.name"))) {
            view.setOwner(lookup.lookupPrincipalByName(System.getProperty("user.name"))); // root, or a test's own
        }
        view.setGroup(lookup.lookupPrincipalByGroupName(account.group()));
        view.setPermissions(PosixFilePermissions.fromString("rw-r-----"));
    }

    /**
     * A strategy that has run keeps its account: its files inside its directories are that
     * account's, and a new owner of the directories alone could not write them. Moving is an
     * admin's step, said here.
     */
    private void requireUnchangedAccount(String name) throws IOException {
        Path state = stateRoot.resolve(name);
        if (!Files.isDirectory(state, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        String owner = Files.readAttributes(state, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).owner().getName();
        if (!owner.equals(account.user())) {
            throw new IOException(name + " runs as " + owner + " (the owner of " + state + "), not " + account.user()
                    + ": to move it, disable it, chown -R " + account.user() + ":" + account.group() + " "
                    + state + " " + logRoot.resolve(name) + " " + runtimeRoot.resolve(name) + ", then enable it again");
        }
    }

    /**
     * Creates DIR with MODE (and, if STRATEGYS, the strategy account as owner), or checks that
     * what is there is a real directory.
     *
     * @return true if it was created
     */
    private boolean makeDirectory(Path dir, String mode, boolean strategys) throws IOException {
        boolean created;
        try {
            Files.createDirectory(dir);
            created = true;
        } catch (FileAlreadyExistsException e) {
            created = false;
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " is " + (Files.isSymbolicLink(dir) ? "a symlink" : "not a directory")
                    + ": quant-supervision did not make it; remove it, then enable again");
        }
        // Also an existing one (its parent is root-only, so it is the same directory): a runtime
        // directory of an older release was 0750, which kept the checker's restart requests out.
        Files.getFileAttributeView(dir, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setPermissions(PosixFilePermissions.fromString(mode));
        if (created && strategys) {
            own(dir);
        }
        return created;
    }

    /**
     * Fails unless DIR is a real directory owned by root (or, on a test host, by this process's
     * account) that neither group nor others may write: what root may safely create in.
     */
    private static void requireRootOnly(Path dir) throws IOException {
        requireRootOnly(dir, "run systemd-tmpfiles --create /usr/lib/tmpfiles.d/quant-supervision.conf (or reinstall "
                + "the package) and enable again");
    }

    /** As above, with FIX saying what to do about it. */
    static void requireRootOnly(Path dir, String fix) throws IOException {
        PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String owner = a.owner().getName();
        boolean trusted = owner.equals("root") || owner.equals(System.getProperty("user.name"));
        Set<PosixFilePermission> p = a.permissions();
        if (!a.isDirectory() || !trusted || p.contains(PosixFilePermission.GROUP_WRITE)
                || p.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException(dir + " must be a directory that only root can write (it is "
                    + (a.isDirectory() ? "owned by " + owner + ", mode " + PosixFilePermissions.toString(p)
                            : "not a directory") + "): another account could swap what root creates there; "
                    + fix);
        }
    }

    /** Gives PATH (never what a symlink there points to) to the strategy account. */
    private void own(Path path) throws IOException {
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        view.setOwner(lookup.lookupPrincipalByName(account.user()));
        GroupPrincipal g = lookup.lookupPrincipalByGroupName(account.group());
        view.setGroup(g);
    }

    /**
     * The tmpfiles.d(5) line that recreates a supervisord strategy's runtime directory at boot:
     * /run/quant-supervision is root's, so its runner cannot make it (a systemd unit gets it from
     * RuntimeDirectory=). debian/postinst writes the same file for programs an older release made.
     */
    private static Path tmpfilesEntry(String name) {
        return Path.of("/etc/tmpfiles.d/quant-strategy-" + name + ".conf");
    }

    /** Where this distribution's supervisord reads program files: Debian's conf.d, else RHEL's supervisord.d. */
    public static Path supervisorConf(String name) {
        return SupervisorProgram.fileOf(name);
    }

    /** Whether systemd has NAME's unit enabled or running. */
    public static boolean underSystemd(String name) throws IOException {
        if (!SystemdUnits.booted()) {
            return false;
        }
        Commands.Result enabled = Commands.run(List.of("systemctl", "is-enabled", "--quiet", SystemdUnits.strategyUnit(name)), Duration.ofSeconds(10));
        Commands.Result active = Commands.run(List.of("systemctl", "is-active", "--quiet", SystemdUnits.strategyUnit(name)), Duration.ofSeconds(10));
        return enabled.ok() || active.ok();
    }

    /**
     * Enables and starts NAME's unit, in GROUP (after the members AFTER) or in none: a strategy
     * enabled without --group leaves the group it was in.
     */
    public void enableSystemd(String name, Optional<String> group, List<String> after) throws IOException {
        boolean accountChanged = writeAccountDropIn(name);
        List<String> changed = new ArrayList<>();
        if (group.isPresent()) {
            changed.addAll(groups.joinSystemd(name, group.get(), after));
        } else {
            groups.leaveSystemd(name).ifPresent(changed::add);
        }
        if (!changed.isEmpty()) {
            done.add("group files written for " + String.join(", ", changed) + " (drop-ins in /etc/systemd/system)");
        }
        if (!changed.isEmpty() || accountChanged) {
            systemctl(List.of("daemon-reload"));
        }
        systemctl(List.of("enable", "--now", SystemdUnits.strategyUnit(name)));
        done.add("enabled and started " + SystemdUnits.strategyUnit(name) + " (starts with quant-supervision.target at boot; the health "
                + "service checks it)");
        if (group.isPresent()) {
            systemctl(List.of("start", StrategyGroups.target(group.get())));
            done.add(SystemdUnits.strategyUnit(name) + " is in " + StrategyGroups.target(group.get())
                    + (after.isEmpty() ? "" : ", started after " + String.join(", ", after))
                    + ": quant-supervision start|stop|restart " + group.get() + " acts on the whole group");
        }
    }

    /**
     * The unit's User= and Group= for a strategy with an account of its own, a drop-in the
     * package's template does not override; none for the shared account, which the template names.
     *
     * @return whether the drop-in changed (systemd must reload)
     */
    private boolean writeAccountDropIn(String name) throws IOException {
        Path dropIn = groups.unitDropIn(name, "40-quant-account.conf");
        if (account.equals(StrategyAccount.SHARED)) {
            boolean had = Files.deleteIfExists(dropIn);
            if (had) {
                done.add("removed " + dropIn + ": " + name + " runs as " + account.user() + " again");
            }
            return had;
        }
        String text = "# Written by `quant-supervision enable " + name + " --user " + account.user()
                + "`: the strategy's own account, so no other strategy can signal, trace or read it.\n"
                + "[Service]\nUser=" + account.user() + "\nGroup=" + account.group() + "\n";
        if (Files.exists(dropIn) && Files.readString(dropIn).equals(text)) {
            return false;
        }
        StrategyGroups.write(dropIn, text);
        done.add("wrote " + dropIn + " (User=" + account.user() + ", Group=" + account.group() + ")");
        return true;
    }

    /**
     * Makes the health checker a member of the strategy's group, so it reads the strategy's
     * settings and files and may leave restart requests in its runtime directory. Its next run
     * (a new process) has the group.
     */
    public void admitHealthChecker() throws IOException {
        Commands.Result groupsOf = Commands.run(List.of("id", "-Gn", StrategyAccount.HEALTH_CHECKER), Duration.ofSeconds(10));
        if (!groupsOf.ok()) {
            throw new IOException("the health checker's account " + StrategyAccount.HEALTH_CHECKER + " does not exist: "
                    + "reinstall quant-supervision (its preinst and sysusers.d make it)");
        }
        if (List.of(groupsOf.output().trim().split("\\s+")).contains(account.group())) {
            return;
        }
        Commands.Result added = Commands.run(List.of("usermod", "-a", "-G", account.group(),
                StrategyAccount.HEALTH_CHECKER), Duration.ofSeconds(30));
        if (!added.ok()) {
            throw new IOException("usermod -a -G " + account.group() + " " + StrategyAccount.HEALTH_CHECKER + " failed: "
                    + added.output().trim());
        }
        done.add("added " + StrategyAccount.HEALTH_CHECKER + " to group " + account.group()
                + " (the health checker reads the strategy's files through it)");
    }

    public void disableSystemd(String name) throws IOException {
        systemctl(List.of("disable", "--now", SystemdUnits.strategyUnit(name)));
        done.add("stopped and disabled " + SystemdUnits.strategyUnit(name));
        Optional<String> group = groups.leaveSystemd(name);
        if (group.isPresent()) {
            systemctl(List.of("daemon-reload"));
            done.add("left group " + group.get());
        }
    }

    private static void systemctl(List<String> args) throws IOException {
        Commands.systemctl(args, Duration.ofSeconds(90));
    }

    /**
     * Renders the shipped program template for NAME, in GROUP after the members AFTER (or in
     * none), and has supervisord start it. supervisord's own {@code update} restarts a group
     * whose member list changed: that is how it applies a [group:] edit.
     */
    public void enableSupervisor(String name, Optional<String> group, List<String> after) throws IOException {
        int priority = StrategyGroups.DEFAULT_PRIORITY;
        for (String a : after) {
            priority = Math.max(priority, groups.priorityOf(a) + 1);
        }
        Optional<String> before = groups.supervisorGroupOf(name);
        Path conf = groups.supervisorProgram(name);
        String text = StrategyGroups.renderProgram(Files.readString(supervisorTemplate), name, account.user(), group,
                priority, StrategyConfig.managerStopDeadlineOf(configRoot.resolve(name).resolve("env.conf")));
        StrategyGroups.write(conf, text);
        done.add("wrote " + conf + (group.isPresent() ? " (group " + group.get() + ", priority=" + priority + ")" : ""));
        for (String g : new java.util.TreeSet<>(java.util.stream.Stream.of(before, group).flatMap(Optional::stream)
                .toList())) {
            groups.rewriteSupervisorGroup(g);
        }
        Path tmpfiles = tmpfilesEntry(name);
        StrategyGroups.write(tmpfiles, "# generated by quant-supervision enable " + name + " --via supervisor: "
                + "supervisord does not make the runner's runtime directory after a reboot; systemd-tmpfiles does\n"
                + "d " + runtimeRoot.resolve(name) + " 0770 " + account.user() + " " + account.group() + " -\n");
        done.add("wrote " + tmpfiles + " (recreates " + runtimeRoot.resolve(name) + " at boot)");
        supervisorctl(List.of("reread"));
        if (before.isEmpty() && group.isEmpty()) {
            supervisorctl(List.of("update", "quant-strategy-" + name));
        } else {
            supervisorctl(List.of("update"));
        }
        done.add("supervisord started " + groups.supervisorProcess(name)
                + group.map(g -> ": quant-supervision start|stop|restart " + g + " acts on the whole group").orElse(""));
    }

    public void disableSupervisor(String name) throws IOException {
        Path conf = groups.supervisorProgram(name);
        Optional<String> group = groups.supervisorGroupOf(name);
        Commands.supervisorctl(List.of("stop", groups.supervisorProcess(name)),
                StrategyConfig.managerStopDeadlineOf(configRoot.resolve(name).resolve("env.conf")).plusSeconds(10));
        Files.deleteIfExists(conf);
        Files.deleteIfExists(tmpfilesEntry(name));
        done.add("stopped " + groups.supervisorProcess(name) + " and removed " + conf);
        if (group.isPresent()) {
            groups.rewriteSupervisorGroup(group.get());
            done.add("left group " + group.get());
        }
        supervisorctl(List.of("update"));
    }

    private static void supervisorctl(List<String> args) throws IOException {
        Commands.supervisorctl(args, Duration.ofSeconds(60));
    }
}
