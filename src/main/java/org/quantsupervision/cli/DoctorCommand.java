package org.quantsupervision.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.quantsupervision.alert.AlertSender;
import org.quantsupervision.config.HostAlerts;
import org.quantsupervision.config.StrategyAccount;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.doctor.Finding;
import org.quantsupervision.doctor.HostDoctor;
import org.quantsupervision.doctor.Layout;
import org.quantsupervision.doctor.StrategyDoctor;
import org.quantsupervision.host.StrategySetup;
import org.quantsupervision.json.Json;
import org.quantsupervision.manager.SystemdUnits;

import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code doctor [NAME...]}: the reference article's production checklist, checked by machine. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check this host and strategy NAME (default: every configured strategy) against the production "
                + "checklist, one line per item with PASS, WARN or FAIL and the fix: health checks scheduled, time "
                + "sync, journal retention; per strategy env.conf 0640 root:quant-group, valid settings, enabled at boot "
                + "under one manager, runs as non-root, crash-loop protection, log rotation, resource limits, hang "
                + "detection, no API-key-looking literals in its code directory or unit files, and an alert channel "
                + "that is reachable (a TCP connection: nothing is sent unless --send-test-alert)."})
final class DoctorCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Strategies to check (default: all configured).")
    List<String> names = new ArrayList<>();

    @Option(names = "--send-test-alert", description = "Send a real test alert through every configured channel "
            + "(PagerDuty gets its resolve too) instead of only connecting.")
    boolean sendTestAlert;

    @Option(names = "--json", description = "Print the findings as one JSON object.")
    boolean json;

    @Mixin
    PathOptions paths;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<StrategyName> strategies = names.isEmpty()
                ? ConfiguredStrategies.all(paths.configDir, "doctor", ExitCodes.UNKNOWN, spec.commandLine().getErr())
                : ConfiguredStrategies.named(names, "doctor", ExitCodes.UNKNOWN);
        // The checklist's owner of env.conf is each runner's account, whoever runs doctor.
        Layout layout = new Layout(paths.configDir, Path.of("/etc/systemd"), StrategySetup::supervisorConf,
                n -> StrategyAccount.of(new StrategyName(n), paths.stateDir), HostAlerts.FILE, SystemdUnits.booted());
        return report(layout, strategies);
    }

    /** Shared with tests, which give a temporary layout. */
    int report(Layout layout, List<StrategyName> strategies) {
        List<Finding> findings = new ArrayList<>(new HostDoctor(layout).check());
        Optional<AlertSender> sender = Optional.empty();
        if (sendTestAlert) {
            java.time.Duration timeout = java.time.Duration.ofSeconds(5);
            sender = Optional.of(new AlertSender(AlertSender.client(timeout), timeout));
        }
        StrategyDoctor doctor = new StrategyDoctor(layout, sender, HealthCommand.hostName());
        for (StrategyName s : strategies) {
            findings.addAll(doctor.check(s));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? toJson(findings) + "\n" : table(findings, spec.commandLine().getColorScheme().ansi()));
        out.flush();
        Finding.Grade worst = findings.stream().map(Finding::grade).reduce(Finding.Grade.PASS, Finding.Grade::worse);
        return switch (worst) {
            case PASS -> ExitCodes.OK;
            case WARN -> ExitCodes.WARNING;
            case FAIL -> ExitCodes.CRITICAL;
        };
    }

    static String table(List<Finding> findings, Ansi ansi) {
        StringBuilder s = new StringBuilder();
        String subject = null;
        int pass = 0;
        int warn = 0;
        int fail = 0;
        for (Finding f : findings) {
            if (!f.subject().equals(subject)) {
                subject = f.subject();
                s.append(subject).append('\n');
            }
            String grade = switch (f.grade()) {
                case PASS -> "@|green PASS|@";
                case WARN -> "@|yellow WARN|@";
                case FAIL -> "@|bold,red FAIL|@";
            };
            s.append("  ").append(ansi.string(grade)).append("  ").append(f.item()).append(": ").append(f.message())
                    .append('\n');
            if (!f.fix().isEmpty()) {
                s.append("        fix: ").append(f.fix()).append('\n');
            }
            switch (f.grade()) {
                case PASS -> pass++;
                case WARN -> warn++;
                case FAIL -> fail++;
            }
        }
        s.append(pass).append(" passed, ").append(warn).append(" warnings, ").append(fail).append(" failed\n");
        return s.toString();
    }

    private static String toJson(List<Finding> findings) {
        return Json.text(g -> {
            g.writeStartObject();
            g.writeArrayPropertyStart("findings");
            for (Finding f : findings) {
                g.writeStartObject();
                g.writeStringProperty("subject", f.subject());
                g.writeStringProperty("item", f.item());
                g.writeStringProperty("grade", f.grade().name());
                g.writeStringProperty("message", f.message());
                g.writeStringProperty("fix", f.fix());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }
}
