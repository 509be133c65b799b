package org.quantsupervision.health;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.quantsupervision.alert.Alert;
import org.quantsupervision.alert.AlertSender;
import org.quantsupervision.clock.BootClock;
import org.quantsupervision.clock.Moment;
import org.quantsupervision.config.ConfigException;
import org.quantsupervision.config.HealthConfig;
import org.quantsupervision.config.HostAlerts;
import org.quantsupervision.config.StrategyAccount;
import org.quantsupervision.config.StrategyConfig;
import org.quantsupervision.config.StrategyName;
import org.quantsupervision.manager.ManagerControl;
import org.quantsupervision.record.EventLog;
import org.quantsupervision.record.HaltMarker;
import org.quantsupervision.record.RestartRequest;
import org.quantsupervision.record.RunnerPaths;
import org.quantsupervision.record.RunnerRecord;

/**
 * One health run of one strategy: read its settings and its runner's state, run the checks
 * (at once: the API call and plugins wait on the network, not on each other), decide against the
 * state of earlier runs, alert, restart, and record the new state, all under the strategy's
 * health lock.
 */
public final class StrategyHealth {
    /** How long a run waits for another run of the same strategy before giving up on this one. */
    private static final Duration LOCK_WAIT = Duration.ofSeconds(20);

    private final Path configRoot;
    private final Path runtimeRoot;
    private final Path stateRoot;
    private final Path logRoot;
    /** The checker's own state, one directory per strategy: /var/lib/quant-supervision-health. */
    private final Path healthRoot;
    private final String user;
    /** The host's alert channels (alerts.conf); a resident checker sets them again before each round. */
    private volatile HostAlerts hostAlerts;
    private final String host;
    /** Built on first use (an alert): setting up java.net.http costs more than a whole run of checks. */
    private final Supplier<HttpClient> http;
    private final boolean act;
    /**
     * The client supplier of a run that sends no alert: a look without consequences, or a
     * configuration without channels (the demo). Asking it for a client is a bug.
     */
    public static final Supplier<HttpClient> NO_ALERTS = () -> {
        throw new IllegalStateException("this health run sends no alerts");
    };

    private final Map<StrategyName, Loaded> loaded = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param act false for a look without consequences: no alerts, no restarts, no state written
     */
    public StrategyHealth(Path configRoot, Path runtimeRoot, Path stateRoot, Path logRoot, Path healthRoot, String user,
            HostAlerts hostAlerts, String host, Supplier<HttpClient> http, boolean act) {
        this.hostAlerts = hostAlerts;
        this.configRoot = configRoot;
        this.healthRoot = healthRoot;
        this.runtimeRoot = runtimeRoot;
        this.stateRoot = stateRoot;
        this.logRoot = logRoot;
        this.user = user;
        this.host = host;
        this.http = http;
        this.act = act;
    }

    /**
     * The host's alert channels from the next check on: the resident checker reads alerts.conf
     * again before every round, so that an edit needs no restart.
     */
    public void hostAlerts(HostAlerts alerts) {
        hostAlerts = alerts;
    }

    /** NAME's health, on this thread, with no deadline: {@link HealthRun} bounds a round's checks. */
    public StrategyReport check(StrategyName name) {
        return check(name, Progress.NONE);
    }

    /** As above, telling PROGRESS what it is busy with. */
    StrategyReport check(StrategyName name, Progress progress) {
        Instant now = Instant.now();
        StrategyConfig strategy;
        HealthConfig config;
        Path file = configRoot.resolve(name.value()).resolve("env.conf");
        progress.begin("reading env.conf");
        try {
            Loaded l = load(name, file);
            strategy = l.strategy();
            config = l.config();
        } catch (ConfigException e) {
            return StrategyReport.unreadable(name.value(), now, e.getMessage());
        } finally {
            progress.end("reading env.conf");
        }
        RunnerPaths paths = RunnerPaths.of(name, runtimeRoot, stateRoot, logRoot);
        if (!act) {
            return evaluate(strategy, config, paths, new HealthState(), BootClock.SYSTEM.now(), null, progress);
        }
        progress.begin("waiting for health.lock");
        HealthStateFile locked;
        try {
            locked = HealthStateFile.lock(healthRoot.resolve(name.value()), LOCK_WAIT);
        } catch (IOException e) {
            return StrategyReport.unreadable(name.value(), now, "health state: " + e.getMessage());
        } finally {
            progress.end("waiting for health.lock");
        }
        try (HealthStateFile stateFile = locked) {
            HealthState state = stateFile.read();
            StrategyReport report = evaluate(strategy, config, paths, state, BootClock.SYSTEM.now(), stateFile.problem(),
                    progress);
            stateFile.write(state);
            return report;
        } catch (IOException e) {
            return StrategyReport.unreadable(name.value(), now, "health state: " + e.getMessage());
        }
    }

    private StrategyReport evaluate(StrategyConfig strategy, HealthConfig config, RunnerPaths paths, HealthState state,
            Moment now, String stateProblem, Progress progress) {
        progress.begin("reading runner.json");
        Optional<RunnerRecord> runner = RunnerRecord.readFrom(paths.statusFile());
        progress.end("reading runner.json");
        Optional<HaltMarker> halt = HaltMarker.read(StrategyConfig.haltFileOf(configRoot, strategy.name()));
        CheckContext context = new CheckContext(strategy, config, paths, runner, now, halt);
        // halted, or standing by (failover): nothing is failing, only the process check says why;
        // a standby that knows of no leader is failing (the failover check): it counts and alerts
        boolean standby = context.standby();
        boolean resting = context.halted() || (standby && context.leaderKnown());
        List<Check> checks = context.halted() ? List.of(new ProcessCheck())
                : standby ? List.of(new ProcessCheck(), new FailoverCheck())
                : checks(config, state, strategy.failover().enabled());
        List<CheckResult> results = Maintenance.expect(config, run(checks, context, progress), now.wall());
        Escalation escalation = new Escalation(config);
        Escalation.Decision decision = escalation.decide(state, results, runner, now, resting);
        List<String> actions = new ArrayList<>(decision.actions());
        List<String> notes = new ArrayList<>(decision.notes());
        Maintenance.note(config, now.wall()).ifPresent(notes::add);
        if (stateProblem != null && !stateProblem.isEmpty()) {
            notes.add(0, stateProblem);
        }
        Status overall = Status.OK;
        Map<String, Integer> consecutive = new LinkedHashMap<>();
        for (CheckResult r : results) {
            overall = overall.worse(r.status());
            HealthState.CheckState c = state.checks.get(r.name());
            // As decided, before a restart resets them; a look without state (--no-act) has no history.
            consecutive.put(r.name(), c == null || !act ? 0 : c.consecutive);
        }
        if (act) {
            String name = strategy.name().value();
            decision.events().forEach(e -> event(name, e.kind(), e.text(), actions));
            progress.begin("alerting");
            deliver(config, escalation, state, decision, now.wall(), actions);
            progress.end("alerting");
            progress.begin("restarting");
            decision.restartFor().ifPresent(check -> restart(name, check + " failed", runner, actions, paths));
            decision.scheduledRestart().ifPresent(why -> restart(name, why, runner, actions, paths));
            progress.end("restarting");
        }
        return new StrategyReport(strategy.name().value(), now.wall(), overall, results, consecutive, actions, notes,
                runner.map(RunnerRecord::restarts).orElse(-1));
    }

    /**
     * A strategy's settings as read, with the file attributes and the host's channels they were
     * read with; HOLIDAYS: the attributes of the holidays file MARKET_HOLIDAYS names (empty: none).
     */
    private record Loaded(Map<String, Object> attributes, HostAlerts hostAlerts, StrategyConfig strategy,
            HealthConfig config, Map<String, Object> holidays) {
    }

    /**
     * The settings of NAME, read again only when env.conf or the host's channels changed: same
     * inode, size, mtime and ctime (which a chmod or chown also moves, so the owner and mode
     * checks are redone then). The resident mode would otherwise parse every file every round.
     * The same goes for a holidays file it names: an edit of it is read at the next round.
     * One entry per strategy.
     */
    private Loaded load(StrategyName name, Path file) throws ConfigException {
        HostAlerts host = hostAlerts;
        Map<String, Object> attributes;
        try {
            attributes = Files.readAttributes(file, "unix:dev,ino,size,lastModifiedTime,ctime,mode,uid",
                    LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException e) {
            attributes = null; // no caching; load() below reports the problem
        }
        Loaded cached = loaded.get(name);
        if (attributes != null && cached != null && cached.attributes().equals(attributes)
                && cached.hostAlerts().equals(host)
                && holidaysAttributes(cached.config()).equals(Optional.of(cached.holidays()))) {
            return cached;
        }
        StrategyConfig strategy = StrategyConfig.load(name, configRoot, user, StrategyAccount.of(name, stateRoot));
        HealthConfig config = HealthConfig.from(strategy, file, logRoot, stateRoot, host);
        Optional<Map<String, Object>> holidays = holidaysAttributes(config);
        Loaded fresh = new Loaded(attributes, host, strategy, config, holidays.orElse(Map.of()));
        if (attributes != null && holidays.isPresent()) {
            loaded.put(name, fresh);
        }
        return fresh;
    }

    /** The attributes of CONFIG's holidays file, as for env.conf; an empty map without one; none if they cannot be read. */
    private static Optional<Map<String, Object>> holidaysAttributes(HealthConfig config) {
        Optional<Path> file = config.market().holidaysFile();
        if (file.isEmpty()) {
            return Optional.of(Map.of());
        }
        try {
            return Optional.of(Files.readAttributes(file.get(), "unix:dev,ino,size,lastModifiedTime,ctime,mode,uid",
                    LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty(); // not cached: read again next time
        }
    }

    /**
     * The checks that apply to this configuration, in report order; STATE is where freshness keeps
     * its sighting; FAILOVER adds failover mode's.
     */
    static List<Check> checks(HealthConfig config, HealthState state, boolean failover) {
        List<Check> checks = new ArrayList<>();
        checks.add(new ProcessCheck());
        checks.add(new GiveUpCheck());
        checks.add(RunnerEventCheck.crashes(state));
        checks.add(RunnerEventCheck.hooks(state));
        if (failover) {
            checks.add(new FailoverCheck());
            checks.add(RunnerEventCheck.takeovers(state));
        }
        if (config.stateFile().isPresent()) {
            checks.add(new FreshnessCheck(state));
        }
        if (config.apiUrl().isPresent()) {
            checks.add(new ApiCheck());
        }
        checks.add(new MemoryCheck());
        if (ErrorRateCheck.applies(config)) {
            checks.add(new ErrorRateCheck());
        }
        checks.add(new DiskCheck());
        config.plugins().forEach((label, command) -> checks.add(new PluginCheck(label, command)));
        config.rules().forEach(rule -> checks.add(new StateRuleCheck(rule)));
        return checks;
    }

    /**
     * Runs the checks: those that wait on something outside (the API, plugins) at once on threads
     * of their own, the local ones (a few reads of /proc and files, microseconds each) on this
     * thread meanwhile, which keeps the resident mode's rounds cheap. Platform threads, not
     * virtual ones: measured here, starting the virtual-thread scheduler made one run in two of
     * the one-shot command 300 ms slower.
     */
    private static List<CheckResult> run(List<Check> checks, CheckContext context, Progress progress) {
        CheckResult[] results = new CheckResult[checks.size()];
        // With one such check, there is nothing to overlap: it runs on this thread like the rest.
        boolean overlap = checks.stream().filter(StrategyHealth::waits).count() > 1;
        List<Thread> waiting = new ArrayList<>();
        for (int i = 0; i < checks.size(); i++) {
            Check check = checks.get(i);
            int slot = i;
            if (overlap && waits(check)) {
                waiting.add(Thread.ofPlatform().daemon().name(check.name()).start(() -> results[slot] = timed(check, context, progress)));
            }
        }
        for (int i = 0; i < checks.size(); i++) {
            Check check = checks.get(i);
            if (!(overlap && waits(check))) {
                results[i] = timed(check, context, progress);
            }
        }
        for (Thread t : waiting) {
            try {
                t.join(); // each bounds itself: API_CHECK_TIMEOUT, PLUGIN_TIMEOUT
            } catch (InterruptedException e) {
                // The strategy's deadline passed: pass it on (a plugin is killed, the API request abandoned and its socket closed).
                waiting.forEach(Thread::interrupt);
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<CheckResult> list = new ArrayList<>(results.length);
        for (int i = 0; i < results.length; i++) {
            list.add(results[i] != null ? results[i]
                    : CheckResult.of(checks.get(i).name(), Status.UNKNOWN, "interrupted"));
        }
        return list;
    }

    /** Whether CHECK waits on something outside this host (network, a plugin's own work). */
    private static boolean waits(Check check) {
        return check instanceof ApiCheck || check instanceof PluginCheck;
    }

    private static CheckResult timed(Check check, CheckContext context, Progress progress) {
        long started = System.nanoTime();
        progress.begin(check.name());
        try {
            return check.run(context).took(System.nanoTime() - started);
        } catch (RuntimeException e) {
            return CheckResult.of(check.name(), Status.UNKNOWN, "internal error: " + e).took(System.nanoTime() - started);
        } finally {
            progress.end(check.name());
        }
    }

    /** Sends what DECISION owes, and tells ESCALATION what got through. */
    private void deliver(HealthConfig config, Escalation escalation, HealthState state, Escalation.Decision decision,
            Instant now, List<String> actions) {
        AlertSender sender = null;
        String name = config.name().value();
        for (Escalation.Notice notice : decision.notices()) {
            HealthState.Incident incident = notice.incident();
            List<AlertSender.Delivery> deliveries = List.of();
            if (!notice.pending().isEmpty()) {
                if (sender == null) {
                    sender = new AlertSender(http.get(), config.alerts().timeout());
                }
                Alert alert = new Alert(host, name, notice.check(), incident.status.name(), notice.kind(),
                        incident.summary, notice.details(), now);
                deliveries = sender.send(alert, config.alerts(), notice.pending());
            }
            String kind = switch (notice.kind()) {
                case TRIGGER -> "alert";
                case UPDATE -> "update";
                case RESOLVE -> "resolve";
            };
            for (AlertSender.Delivery d : deliveries) {
                String what = kind + " for " + notice.check() + " to " + d.channel();
                if (d.delivered()) {
                    actions.add(what + " delivered");
                } else {
                    actions.add(what + " failed after " + d.attempts() + " attempt" + (d.attempts() == 1 ? "" : "s")
                            + ": " + d.error());
                    event(name, "alert-failed", what + ": " + d.error(), actions);
                }
            }
            escalation.delivered(state, notice, deliveries)
                    .ifPresent(e -> event(name, e.kind(), e.text(), actions));
        }
    }

    /** Asks NAME's live runner to replace its strategy (the decision, and its cooldown, are Escalation's). */
    private void restart(String name, String why, Optional<RunnerRecord> runner, List<String> actions,
            RunnerPaths paths) {
        try {
            String done = ManagerControl.restart(name, runner.map(RunnerRecord::runner),
                    () -> RestartRequest.make(paths.restartRequest(), why));
            actions.add(done + " (" + why + ")");
            event(name, "restart", done + " because " + why, actions);
        } catch (IOException e) {
            actions.add("restart (" + why + ") failed: " + e.getMessage());
            event(name, "restart-failed", e.getMessage(), actions);
        }
    }

    /** Appends KIND: TEXT to NAME's events.jsonl in the checker's own directory; a failure to do so becomes an action line. */
    private void event(String name, String kind, String text, List<String> actions) {
        EventLog.append(healthRoot.resolve(name), name, kind, text, actions::add);
    }
}
