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
    private final List<String> done = new ArrayList<>();

    public StrategySetup(Path configRoot, Path stateRoot, Path logRoot, Path supervisorTemplate) {
        this.configRoot = configRoot;
        this.stateRoot = stateRoot;
        this.logRoot = logRoot;
        this.supervisorTemplate = supervisorTemplate;
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

    public void enableSystemd(String name) throws IOException {
        Commands.Result r = Commands.run(List.of("systemctl", "enable", "--now", unit(name)), Duration.ofSeconds(90));
        if (!r.ok()) {
            throw new IOException("systemctl enable --now " + unit(name) + " failed: " + r.firstLine()
                    + " (see journalctl -u " + unit(name) + ")");
        }
        done.add("enabled and started " + unit(name) + " (starts with quant-supervision.target at boot; the health "
                + "timer checks it)");
    }

    public void disableSystemd(String name) throws IOException {
        Commands.Result r = Commands.run(List.of("systemctl", "disable", "--now", unit(name)), Duration.ofSeconds(90));
        if (!r.ok()) {
            throw new IOException("systemctl disable --now " + unit(name) + " failed: " + r.firstLine());
        }
        done.add("stopped and disabled " + unit(name));
    }

    /** Renders the shipped program template for NAME and has supervisord start it (reread, update). */
    public void enableSupervisor(String name) throws IOException {
        Path conf = supervisorConf(name);
        String text = Files.readString(supervisorTemplate).replace("@NAME@", name);
        Files.createDirectories(conf.getParent());
        Path tmp = conf.resolveSibling("." + conf.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(tmp, conf, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        done.add("wrote " + conf);
        supervisorctl(List.of("reread"));
        supervisorctl(List.of("update", "quant-strategy-" + name));
        done.add("supervisord started quant-strategy-" + name);
    }

    public void disableSupervisor(String name) throws IOException {
        Path conf = supervisorConf(name);
        supervisorctl(List.of("stop", "quant-strategy-" + name));
        Files.deleteIfExists(conf);
        done.add("stopped quant-strategy-" + name + " and removed " + conf);
        supervisorctl(List.of("update"));
    }

    private static void supervisorctl(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of("supervisorctl"));
        command.addAll(args);
        Commands.Result r = Commands.run(command, Duration.ofSeconds(60));
        // supervisorctl exits 0 on some errors: its output says so.
        if (!r.ok() || r.output().contains("ERROR")) {
            throw new IOException("supervisorctl " + String.join(" ", args) + " failed: " + r.firstLine()
                    + " (is supervisord running? systemctl status supervisor)");
        }
    }
}
