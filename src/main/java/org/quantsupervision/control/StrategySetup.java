package org.quantsupervision.control;

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

/**
 * What {@code enable} and {@code disable} do to a host: the strategy's directories and env.conf
 * (created from a commented template, never overwritten), and its registration with systemd or
 * supervisord. Every step says what it did, for the command's output.
 */
public final class StrategySetup {
    public static final String USER = org.quantsupervision.config.SecureFile.STRATEGY_USER;
    public static final String GROUP = org.quantsupervision.config.SecureFile.STRATEGY_GROUP;

    private final Path configRoot;
    private final Path runtimeRoot;
    private final Path stateRoot;
    private final Path logRoot;
    private final Path supervisorTemplate;
    private final StrategyGroups groups;
    private final List<String> done = new ArrayList<>();

    private final String user;
    private final String group;

    public StrategySetup(Path configRoot, Path runtimeRoot, Path stateRoot, Path logRoot, Path supervisorTemplate,
            StrategyGroups groups) {
        this(configRoot, runtimeRoot, stateRoot, logRoot, supervisorTemplate, groups, USER, GROUP);
    }

    /** With the strategy account USER:GROUP (tests use their own). */
    StrategySetup(Path configRoot, Path runtimeRoot, Path stateRoot, Path logRoot, Path supervisorTemplate,
            StrategyGroups groups, String user, String group) {
        this.runtimeRoot = runtimeRoot;
        this.user = user;
        this.group = group;
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

    /** systemd's unit for NAME. */
    public static String unit(String name) {
        return "quant-strategy@" + name + ".service";
    }

    /**
     * /etc/strategies/NAME/ (0755 root) and its env.conf (0640 root:quant-group, from TEMPLATE,
     * only if there is none), and the strategy's runtime, state and log directories
     * (0750 quant-user:quant-group). Modes are set explicitly: under root's umask 077 (CIS hosts) the
     * directory came out 0700 and the runner could not read its env.conf.
     *
     * <p>Root acts here inside directories that must be root's alone: the parents of the state
     * and log directories are checked to be root-owned and not writable by group or others (the
     * package's tmpfiles.d makes them so), so no other account can swap an entry for a symlink
     * between our mkdir and chown; and nothing is followed: an existing entry that is not a real
     * directory is refused, not used.
     */
    public void createFiles(String name, String template) throws IOException {
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
            // root's, readable by the strategies' group: the strategy cannot rewrite its own settings.
            PosixFileAttributeView view = Files.getFileAttributeView(env, PosixFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            view.setGroup(env.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group));
            view.setPermissions(PosixFilePermissions.fromString("rw-r-----"));
            done.add("created " + env + " (0640 root:" + group + ") from the template: edit it with sudoedit");
        } catch (FileAlreadyExistsException e) {
            done.add("kept " + env + " as it is");
        }
        for (Path root : List.of(runtimeRoot, stateRoot, logRoot)) {
            Path d = root.resolve(name);
            requireRootOnly(root);
            if (makeDirectory(d, "rwxr-x---", true)) {
                done.add("created " + d);
            }
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
        if (created) {
            Files.getFileAttributeView(dir, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setPermissions(PosixFilePermissions.fromString(mode));
            if (strategys) {
                own(dir);
            }
        }
        return created;
    }

    /**
     * Fails unless DIR is a real directory owned by root (or, on a test host, by this process's
     * account) that neither group nor others may write: what root may safely create in.
     */
    private static void requireRootOnly(Path dir) throws IOException {
        PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String owner = a.owner().getName();
        boolean trusted = owner.equals("root") || owner.equals(System.getProperty("user.name"));
        Set<PosixFilePermission> p = a.permissions();
        if (!a.isDirectory() || !trusted || p.contains(PosixFilePermission.GROUP_WRITE)
                || p.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException(dir + " must be a directory that only root can write (it is "
                    + (a.isDirectory() ? "owned by " + owner + ", mode " + PosixFilePermissions.toString(p)
                            : "not a directory") + "): another account could swap what root creates there; "
                    + "run systemd-tmpfiles --create /usr/lib/tmpfiles.d/quant-supervision.conf (or reinstall "
                    + "the package) and enable again");
        }
    }

    /** Gives PATH (never what a symlink there points to) to the strategy account. */
    private void own(Path path) throws IOException {
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        view.setOwner(lookup.lookupPrincipalByName(user));
        GroupPrincipal g = lookup.lookupPrincipalByGroupName(group);
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
        Path debian = Path.of("/etc/supervisor/conf.d");
        return Files.isDirectory(debian) ? debian.resolve("quant-strategy-" + name + ".conf")
                : Path.of("/etc/supervisord.d").resolve("quant-strategy-" + name + ".ini");
    }

    /** Whether systemd has NAME's unit enabled or running. */
    public static boolean underSystemd(String name) throws IOException {
        if (!SystemdUnits.booted()) {
            return false;
        }
        Commands.Result enabled = Commands.run(List.of("systemctl", "is-enabled", "--quiet", unit(name)), Duration.ofSeconds(10));
        Commands.Result active = Commands.run(List.of("systemctl", "is-active", "--quiet", unit(name)), Duration.ofSeconds(10));
        return enabled.ok() || active.ok();
    }

    /**
     * Enables and starts NAME's unit, in GROUP (after the members AFTER) or in none: a strategy
     * enabled without --group leaves the group it was in.
     */
    public void enableSystemd(String name, Optional<String> group, List<String> after) throws IOException {
        List<String> changed = new ArrayList<>();
        if (group.isPresent()) {
            changed.addAll(groups.joinSystemd(name, group.get(), after));
        } else {
            groups.leaveSystemd(name).ifPresent(changed::add);
        }
        if (!changed.isEmpty()) {
            systemctl(List.of("daemon-reload"));
            done.add("group files written for " + String.join(", ", changed) + " (drop-ins in /etc/systemd/system)");
        }
        systemctl(List.of("enable", "--now", unit(name)));
        done.add("enabled and started " + unit(name) + " (starts with quant-supervision.target at boot; the health "
                + "timer checks it)");
        if (group.isPresent()) {
            systemctl(List.of("start", StrategyGroups.target(group.get())));
            done.add(unit(name) + " is in " + StrategyGroups.target(group.get())
                    + (after.isEmpty() ? "" : ", started after " + String.join(", ", after))
                    + ": quant-supervision start|stop|restart " + group.get() + " acts on the whole group");
        }
    }

    public void disableSystemd(String name) throws IOException {
        systemctl(List.of("disable", "--now", unit(name)));
        done.add("stopped and disabled " + unit(name));
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
        String text = StrategyGroups.renderProgram(Files.readString(supervisorTemplate), name, group, priority);
        StrategyGroups.write(conf, text);
        done.add("wrote " + conf + (group.isPresent() ? " (group " + group.get() + ", priority=" + priority + ")" : ""));
        for (String g : new java.util.TreeSet<>(java.util.stream.Stream.of(before, group).flatMap(Optional::stream)
                .toList())) {
            groups.rewriteSupervisorGroup(g);
        }
        Path tmpfiles = tmpfilesEntry(name);
        StrategyGroups.write(tmpfiles, "# generated by quant-supervision enable " + name + " --via supervisor: "
                + "supervisord does not make the runner's runtime directory after a reboot; systemd-tmpfiles does\n"
                + "d " + runtimeRoot.resolve(name) + " 0750 " + user + " " + group + " -\n");
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
        supervisorctl(List.of("stop", groups.supervisorProcess(name)));
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
