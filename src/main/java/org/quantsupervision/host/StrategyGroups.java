package org.quantsupervision.host;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.quantsupervision.manager.SystemdUnits;

/**
 * Named groups of strategies started, stopped and restarted as one (the article's
 * {@code [group:trading-system]}: data feed, engine, risk manager, notifier), with an order
 * inside the group, written the way each manager expresses it.
 *
 * <p>systemd: a member's drop-in makes it {@code PartOf=quant-strategy-group@G.target} and
 * orders it {@code After=} the members it follows; the target's drop-in {@code Wants=} every
 * member, and quant-supervision.target's drop-in wants the group target, so it is active after
 * boot (PartOf only acts on an active unit). Nothing is enabled, so the package's own scripts
 * need not know about groups. supervisord: a {@code [group:G]} file lists the programs, and each
 * program's {@code priority=} orders the start (lower first, and stopped last).
 *
 * <p>Membership lives in those files only, marked by a comment, so there is no second record to
 * drift from what the managers read.
 */
public final class StrategyGroups {
    private static final String MARK = "quant-supervision group=";
    private static final Pattern MARKED = Pattern.compile("^[;#] " + Pattern.quote(MARK) + "(\\S+)$", Pattern.MULTILINE);
    private static final Pattern PRIORITY = Pattern.compile("^priority=(\\d+)$", Pattern.MULTILINE);
    private static final Pattern STOP_WAIT = Pattern.compile("^stopwaitsecs=\\d+$", Pattern.MULTILINE);
    /** The shipped program template's priority: strategies start after lower-numbered programs. */
    static final int DEFAULT_PRIORITY = 999;

    private final Path systemdDir;
    private final Path supervisorDir;
    private final String supervisorSuffix;

    public StrategyGroups(Path systemdDir, Path supervisorDir, String supervisorSuffix) {
        this.systemdDir = systemdDir;
        this.supervisorDir = supervisorDir;
        this.supervisorSuffix = supervisorSuffix;
    }

    /** The host's layout: /etc/systemd/system, and Debian's or RHEL's supervisord include directory. */
    public static StrategyGroups installed() {
        Path program = StrategySetup.supervisorConf("x");
        String file = program.getFileName().toString();
        return new StrategyGroups(Path.of("/etc/systemd/system"), program.getParent(), file.substring(file.lastIndexOf('.')));
    }

    public static String target(String group) {
        return "quant-strategy-group@" + group + ".target";
    }

    public Path supervisorProgram(String name) {
        return supervisorDir.resolve("quant-strategy-" + name + supervisorSuffix);
    }

    Path memberDropIn(String name) {
        return unitDropIn(name, "50-quant-group.conf");
    }

    /** FILE among the drop-ins of NAME's unit, in /etc/systemd/system (or a test's directory). */
    Path unitDropIn(String name, String file) {
        return systemdDir.resolve(SystemdUnits.strategyUnit(name) + ".d").resolve(file);
    }

    Path targetDropIn(String group) {
        return systemdDir.resolve(target(group) + ".d").resolve("50-members.conf");
    }

    Path anchorDropIn(String group) {
        return systemdDir.resolve("quant-supervision.target.d").resolve("50-group-" + group + ".conf");
    }

    Path supervisorGroupFile(String group) {
        return supervisorDir.resolve("quant-group-" + group + supervisorSuffix);
    }

    // systemd -------------------------------------------------------------------------------

    /** NAME's group under systemd, if it is in one. */
    public Optional<String> systemdGroupOf(String name) throws IOException {
        return markOf(memberDropIn(name));
    }

    /** Whether G has members under systemd. */
    public boolean isSystemdGroup(String group) {
        return Files.exists(targetDropIn(group));
    }

    /** The members of G under systemd, sorted. */
    public List<String> systemdMembers(String group) throws IOException {
        TreeSet<String> members = new TreeSet<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(systemdDir, "quant-strategy@*.service.d")) {
            for (Path dir : dirs) {
                String unit = dir.getFileName().toString();
                String name = unit.substring("quant-strategy@".length(), unit.length() - ".service.d".length());
                if (markOf(dir.resolve("50-quant-group.conf")).filter(group::equals).isPresent()) {
                    members.add(name);
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            return List.of();
        }
        return List.copyOf(members);
    }

    /**
     * Puts NAME into GROUP (leaving any other group) after the members AFTER, and rewrites the
     * group target's wants. The caller reloads systemd.
     *
     * @return the groups whose files changed
     */
    public List<String> joinSystemd(String name, String group, List<String> after) throws IOException {
        Optional<String> before = systemdGroupOf(name);
        StringBuilder text = new StringBuilder("# " + MARK + group + "\n"
                + "# Written by `quant-supervision enable " + name + " --group " + group + "`; `quant-supervision disable "
                + name + "` removes it.\n[Unit]\nPartOf=" + target(group) + "\n");
        for (String a : after) {
            text.append("After=").append(SystemdUnits.strategyUnit(a)).append('\n');
        }
        write(memberDropIn(name), text.toString());
        List<String> changed = new ArrayList<>(List.of(group));
        rewriteSystemdGroup(group);
        if (before.isPresent() && !before.get().equals(group)) {
            rewriteSystemdGroup(before.get());
            changed.add(before.get());
        }
        return changed;
    }

    /** Takes NAME out of its group, if any; returns that group. The caller reloads systemd. */
    public Optional<String> leaveSystemd(String name) throws IOException {
        Optional<String> group = systemdGroupOf(name);
        if (group.isPresent()) {
            Files.delete(memberDropIn(name));
            deleteEmptyDirectory(memberDropIn(name).getParent());
            rewriteSystemdGroup(group.get());
        }
        return group;
    }

    private void rewriteSystemdGroup(String group) throws IOException {
        List<String> members = systemdMembers(group);
        if (members.isEmpty()) {
            Files.deleteIfExists(targetDropIn(group));
            deleteEmptyDirectory(targetDropIn(group).getParent());
            Files.deleteIfExists(anchorDropIn(group));
            deleteEmptyDirectory(anchorDropIn(group).getParent());
            return;
        }
        write(targetDropIn(group), "# Written by quant-supervision enable/disable --group: the members of group " + group
                + ".\n[Unit]\nWants=" + String.join(" ", members.stream().map(SystemdUnits::strategyUnit).toList()) + "\n");
        write(anchorDropIn(group), "# Written by quant-supervision enable/disable --group: group " + group
                + " is active whenever the strategies are, so stopping or restarting it reaches its members.\n"
                + "[Unit]\nWants=" + target(group) + "\n");
    }

    // supervisord ---------------------------------------------------------------------------

    /** NAME's group under supervisord, if its program file is marked with one. */
    public Optional<String> supervisorGroupOf(String name) throws IOException {
        return markOf(supervisorProgram(name));
    }

    public boolean isSupervisorGroup(String group) {
        return Files.exists(supervisorGroupFile(group));
    }

    /** supervisorctl's name for NAME's process: GROUP:quant-strategy-NAME, or the program's own group. */
    public String supervisorProcess(String name) throws IOException {
        String program = "quant-strategy-" + name;
        return supervisorGroupOf(name).orElse(program) + ":" + program;
    }

    /** The members of G under supervisord, sorted. */
    public List<String> supervisorMembers(String group) throws IOException {
        TreeSet<String> members = new TreeSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(supervisorDir, "quant-strategy-*" + supervisorSuffix)) {
            for (Path f : files) {
                String file = f.getFileName().toString();
                String name = file.substring("quant-strategy-".length(), file.length() - supervisorSuffix.length());
                if (markOf(f).filter(group::equals).isPresent()) {
                    members.add(name);
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            return List.of();
        }
        return List.copyOf(members);
    }

    /** The priority= of NAME's program file (the template's 999 if it has none). */
    public int priorityOf(String name) throws IOException {
        Path f = supervisorProgram(name);
        if (!Files.exists(f)) {
            return DEFAULT_PRIORITY;
        }
        Matcher m = PRIORITY.matcher(Files.readString(f));
        return m.find() ? Integer.parseInt(m.group(1)) : DEFAULT_PRIORITY;
    }

    /**
     * The program file for NAME from the shipped TEMPLATE text: in GROUP (or none) with
     * PRIORITY, so that it starts after the members it follows, and STOP_WAIT as stopwaitsecs=
     * (the strategy's own stop deadline and a margin: supervisord must not SIGKILL a strategy
     * that is still flattening its positions).
     */
    public static String renderProgram(String template, String name, String user, Optional<String> group,
            int priority, java.time.Duration stopWait) {
        String named = STOP_WAIT.matcher(template.replace("@NAME@", name).replace("@USER@", user))
                .replaceFirst("stopwaitsecs=" + stopWait.toSeconds());
        Matcher m = PRIORITY.matcher(named);
        String text = m.find() ? m.replaceFirst("priority=" + priority) : named + "priority=" + priority + "\n";
        return group.isEmpty() ? text
                : text + "; " + MARK + group.get() + "\n; (listed in the [group:" + group.get() + "] file next to this one)\n";
    }

    /** Rewrites (or removes, when it has no member left) GROUP's [group:] file. */
    public void rewriteSupervisorGroup(String group) throws IOException {
        List<String> members = supervisorMembers(group);
        if (members.isEmpty()) {
            Files.deleteIfExists(supervisorGroupFile(group));
            return;
        }
        write(supervisorGroupFile(group), "; Written by quant-supervision enable/disable --group: the members of group "
                + group + ".\n; Start order is each program's priority= (lower first); "
                + "supervisorctl start|stop|restart " + group + ":*\n[group:" + group + "]\nprograms="
                + String.join(",", members.stream().map(n -> "quant-strategy-" + n).toList()) + "\n");
    }

    // ---------------------------------------------------------------------------------------

    private static Optional<String> markOf(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Matcher m = MARKED.matcher(Files.readString(file));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deleteEmptyDirectory(Path dir) throws IOException {
        try {
            Files.deleteIfExists(dir);
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            // holds the admin's own drop-ins too
        }
    }
}
