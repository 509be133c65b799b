package org.quantsupervision.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.quantsupervision.config.StrategyName;
import org.quantsupervision.control.StrategySetup;
import org.quantsupervision.control.SystemdUnits;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code enable NAME}: set a strategy up to start now and at every boot. */
@Command(name = "enable", mixinStandardHelpOptions = true,
        description = {"Set strategy NAME up and start it: /etc/strategies/NAME/env.conf from a commented template "
                + "if there is none (0600 quant-user; an existing one is never touched), its state and log "
                + "directories, then quant-strategy@NAME.service enabled and started (systemd) or the supervisord "
                + "program quant-strategy-NAME written and started. Refuses a NAME already under the other manager. "
                + "Needs root."})
final class EnableCommand implements Callable<Integer> {

    enum Via { systemd, supervisor }

    @Parameters(paramLabel = "NAME", description = "The strategy.")
    String name;

    @Option(names = "--via", paramLabel = "MANAGER",
            description = "${COMPLETION-CANDIDATES} (default: systemd where it is the init system, else supervisor).")
    Via via;

    @Mixin
    PathOptions paths;

    @Spec
    CommandSpec spec;

    /** The env.conf a new strategy starts from: every runner and health key, commented out, with its default. */
    static final String TEMPLATE = """
            # Settings of strategy @NAME@ (systemd EnvironmentFile syntax). Secrets live here: keep it 0600 quant-user.
            # Every variable is passed to the strategy. The runner's and the health checker's own keys are
            # below with their defaults; `man quant-supervision` explains each.

            # The strategy's own settings, e.g.:
            #TICKDB_API_KEY=
            #REQUIRED_ENV=TICKDB_API_KEY

            #STRATEGY_COMMAND=/opt/strategies/@NAME@/venv/bin/python /opt/strategies/@NAME@/main.py
            #STRATEGY_DIRECTORY=/opt/strategies/@NAME@
            #HEARTBEAT_FILE=
            #HEARTBEAT_MAX_AGE=20s
            #START_GRACE=3s
            #RESTART_DELAY_INITIAL=100ms
            #RESTART_DELAY_MAX=30s
            #GIVE_UP_AFTER=10
            #GIVE_UP_WINDOW=5min
            #STOP_TIMEOUT=10s

            # Health checks (every 30 s).
            #STATE_FILE=/var/lib/quant-supervision/@NAME@/state.json
            #DATA_MAX_AGE=60s
            #MARKET_DAYS=Mon-Fri
            #MARKET_HOURS=09:30-16:00
            #MARKET_TIMEZONE=America/New_York
            #API_CHECK_URL=
            #MEMORY_CRITICAL=3072M
            #ERROR_LOG_FILE=
            #CHECK_EXAMPLE=/usr/lib/nagios/plugins/check_dummy 0 fine
            #RULE_IN_ERROR=/positions_in_error > 0
            #HEALTH_FAILURES=3
            #HEALTH_RESTART_COOLDOWN=5min

            # Alerts.
            #SLACK_WEBHOOK_URL=
            #PAGERDUTY_ROUTING_KEY=
            #ALERT_WEBHOOK_URL=
            """;

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
                    + StrategySetup.unit(n) + "): one manager per strategy. Run `quant-supervision disable " + n
                    + "` first");
        }
        StrategySetup setup = new StrategySetup(paths.configDir, paths.stateDir, paths.logDir,
                Path.of("/usr/share/quant-supervision/supervisor/quant-strategy.conf.in"));
        PrintWriter out = spec.commandLine().getOut();
        try {
            setup.createFiles(n, TEMPLATE.replace("@NAME@", n));
            if (manager == Via.systemd) {
                setup.enableSystemd(n);
            } else {
                setup.enableSupervisor(n);
            }
        } catch (IOException e) {
            setup.done().forEach(line -> out.println(line));
            throw new ExitException(ExitCodes.FAILURE, "enable: " + e.getMessage());
        }
        setup.done().forEach(line -> out.println(line));
        out.println("check it with: quant-supervision status " + n);
        return ExitCodes.OK;
    }
}
