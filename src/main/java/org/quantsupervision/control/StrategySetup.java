package org.quantsupervision.control;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code enable} and {@code disable} do to a host: the strategy's directories and env.conf
 * (created from a commented template, never overwritten), and its registration with systemd or
 * supervisord. Every step says what it did, for the command's output.
 */
public final class StrategySetup {
    public static final String USER = "quant-user";
    public static final String GROUP = "quant-group";

    private final Path configRoot;
    private final Path stateRoot;
    private final Path logRoot;
    private final Path supervisorTemplate;
    private final StrategyGroups groups;
    private final List<String> done = new ArrayList<>();

    public StrategySetup(Path configRoot, Path stateRoot, Path logRoot, Path supervisorTemplate, StrategyGroups groups) {
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
     * /etc/strategies/NAME/ (0755 root) and its env.conf (0600 quant-user:quant-group, from
     * TEMPLATE, only if there is none), and the strategy's state and log directories (0750 quant-user).
     */
    public void createFiles(String name, String template) throws IOException {
        Path dir = configRoot.resolve(name);
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            done.add("created " + dir);
        }
        Path env = dir.resolve("env.conf");
        try {
            Files.createFile(env, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(env, template);
            own(env);
            done.add("created " + env + " (0600 " + USER + ") from the template: edit it with sudoedit");
        } catch (FileAlreadyExistsException e) {
            done.add("kept " + env + " as it is");
        }
        for (Path d : List.of(stateRoot.resolve(name), logRoot.resolve(name))) {
            if (!Files.isDirectory(d)) {
                Files.createDirectories(d, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
                own(d);
                done.add("created " + d);
            }
        }
    }

    private static void own(Path path) throws IOException {
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setOwner(lookup.lookupPrincipalByName(USER));
        GroupPrincipal group = lookup.lookupPrincipalByGroupName(GROUP);
        view.setGroup(group);
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
