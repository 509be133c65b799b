package org.quantsupervision.doctor;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.quantsupervision.config.ConfigException;
import org.quantsupervision.config.HostAlerts;
import org.quantsupervision.config.StrategyAccount;
import org.quantsupervision.manager.SystemdUnits;
import org.quantsupervision.process.Commands;

/** The checklist items that concern the host, not one strategy: health schedule, clock, log retention. */
public final class HostDoctor {
    static final String SUBJECT = "host";
    private static final Pattern JOURNAL_CAP = Pattern.compile(
            "^\\s*(SystemMaxUse|SystemMaxFileSize|SystemKeepFree|MaxRetentionSec|RuntimeMaxUse)\\s*=\\s*\\S+",
            Pattern.MULTILINE);

    private final Layout layout;

    public HostDoctor(Layout layout) {
        this.layout = layout;
    }

    /** alerts.conf readable by the checker alone, with valid alert keys only (if there is one). */
    private Finding hostAlerts() {
        String item = "alerts.conf root:quant-health 0640";
        Path file = layout.alertsFile();
        try {
            HostAlerts alerts = HostAlerts.load(file, StrategyAccount.HEALTH_CHECKER);
            return alerts.settings().isEmpty()
                    ? Finding.pass(SUBJECT, item, "no host-wide alert channels in " + file + " (each env.conf sets its own)")
                    : Finding.pass(SUBJECT, item, file + " sets " + String.join(", ", new java.util.TreeSet<>(
                            alerts.settings().keySet())) + "; no strategy can read it");
        } catch (ConfigException e) {
            return Finding.fail(SUBJECT, item, e.getMessage(), "sudoedit " + file);
        }
    }

    public List<Finding> check() {
        List<Finding> findings = new ArrayList<>();
        findings.add(healthSchedule());
        findings.add(hostAlerts());
        findings.add(timeSync());
        if (layout.systemd()) {
            findings.add(journalRetention());
        }
        return findings;
    }

    /** The article's "health check ... added to cron or systemd timer": here a resident service. */
    private Finding healthSchedule() {
        String item = "health checks scheduled";
        if (layout.systemd()) {
            String unit = SystemdUnits.HEALTH_SERVICE;
            Map<String, String> service = SystemdUnits.show(List.of(unit), List.of("ActiveState", "UnitFileState"))
                    .getOrDefault(unit, Map.of());
            if ("active".equals(service.get("ActiveState")) && "enabled".equals(service.get("UnitFileState"))) {
                return Finding.pass(SUBJECT, item, unit + " active and enabled (every strategy, every 30 s)");
            }
            return Finding.fail(SUBJECT, item, unit + " is " + service.getOrDefault("ActiveState", "unknown") + ", "
                    + service.getOrDefault("UnitFileState", "unknown"), "systemctl enable --now " + unit);
        }
        Path cron = Path.of("/etc/cron.d/quant-supervision");
        if (!Files.isRegularFile(cron)) {
            return Finding.fail(SUBJECT, item, cron + " is missing (no systemd here: cron runs the checks)",
                    "reinstall the package: apt install --reinstall quant-supervision");
        }
        if (!running(List.of("cron", "crond"))) {
            return Finding.fail(SUBJECT, item, cron + " is installed but no cron daemon runs",
                    "start cron (Debian: service cron start; RHEL: crond)");
        }
        return Finding.pass(SUBJECT, item, "cron runs " + cron + " every minute (no systemd here)");
    }

    /** Order timestamps and signed requests need a synchronised clock. */
    private Finding timeSync() {
        String item = "time sync";
        String fix = "install and enable a time service: apt install systemd-timesyncd (or chrony); timedatectl set-ntp true";
        if (layout.systemd()) {
            try {
                Commands.Result r = Commands.run(List.of("timedatectl", "show", "--property=NTPSynchronized",
                        "--value"), Duration.ofSeconds(5));
                if (r.ok() && r.firstLine().equals("yes")) {
                    return Finding.pass(SUBJECT, item, "the clock is synchronised (timedatectl: NTPSynchronized=yes)");
                }
                return Finding.warn(SUBJECT, item, "the clock is not synchronised (timedatectl: NTPSynchronized="
                        + (r.ok() ? r.firstLine() : "unknown") + ")", fix);
            } catch (IOException e) {
                return Finding.warn(SUBJECT, item, "cannot ask timedatectl: " + e.getMessage(), fix);
            }
        }
        return !running(List.of("chronyd", "ntpd", "systemd-timesyncd", "openntpd"))
                ? Finding.warn(SUBJECT, item, "no time service runs (chronyd, ntpd)", fix)
                : Finding.pass(SUBJECT, item, "a time service runs");
    }

    /** The article's pitfall 4, logs filling the disk: the strategies' output goes to the journal. */
    private Finding journalRetention() {
        String item = "journal retention";
        List<Path> files = new ArrayList<>(List.of(layout.systemdEtc().resolve("journald.conf")));
        for (Path dir : List.of(layout.systemdEtc().resolve("journald.conf.d"), Path.of("/usr/lib/systemd/journald.conf.d"))) {
            try (DirectoryStream<Path> confs = Files.newDirectoryStream(dir, "*.conf")) {
                confs.forEach(files::add);
            } catch (IOException e) {
                // no such directory
            }
        }
        for (Path f : files) {
            try {
                var m = JOURNAL_CAP.matcher(Files.readString(f));
                if (m.find()) {
                    return Finding.pass(SUBJECT, item, "bounded by " + m.group().strip() + " in " + f);
                }
            } catch (IOException e) {
                // unreadable or missing: look at the next
            }
        }
        return Finding.warn(SUBJECT, item, "only journald's default cap applies (10% of the file system, at most 4G; "
                + "no time limit)", "set SystemMaxUse= and MaxRetentionSec= (e.g. 7day) in "
                + layout.systemdEtc().resolve("journald.conf.d/quant-supervision.conf")
                + ", then systemctl restart systemd-journald");
    }

    /** Whether a process with one of NAMES runs: /proc/PID/comm is readable for every account's processes. */
    private static boolean running(List<String> names) {
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path dir : proc) {
                try {
                    if (names.contains(Files.readString(dir.resolve("comm")).strip())) {
                        return true;
                    }
                } catch (IOException e) {
                    // gone
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
