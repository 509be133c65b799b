package org.quantsupervision.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.quantsupervision.health.Status;
import org.quantsupervision.record.RunnerState;

import picocli.CommandLine.Model.CommandSpec;

/**
 * Every exit status of quant-supervision, and what each means for each command: the lists that
 * {@code --help} and the man pages show (ManPages reads them from the model), that the C monitor's
 * exits.h and the units' exit settings must agree with (ExitCodesTest checks both).
 *
 * <p>Why in cli, though two of the numbers belong to lower layers: an exit status is the command
 * line's contract, and only cli may see every package. The lower homes stay and are named here,
 * never copied: the runner's give-up ({@link RunnerState#EXIT_GAVE_UP}, which doctor checks in the
 * unit and the supervisord program) and the Nagios plugin statuses ({@link Status}: a protocol that
 * health's reports, perfdata and Prometheus files speak too, not only its exit status).
 *
 * <p>The non-zero codes above 3 follow sysexits.h so that units and scripts can tell a broken
 * configuration (which a restart will not fix) from a failure (which it may).
 */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** A check failed, or a command could not do what it was asked. */
    public static final int FAILURE = 1;
    /** The command line was wrong (picocli's own code for a parameter error). */
    public static final int USAGE = 2;
    /**
     * The JVM ran out of memory: with -XX:+ExitOnOutOfMemoryError (the launcher gives it to
     * health) HotSpot exits with 3 and no other choice. For {@code health --exit-status service},
     * as quant-supervision-health.service runs it, no result is 3, so the unit fails on it;
     * otherwise 3 is also the Nagios plugin UNKNOWN.
     */
    public static final int OUT_OF_MEMORY = 3;
    /**
     * The runner gave up on its strategy (GIVE_UP_AFTER crashes within GIVE_UP_WINDOW). The unit's
     * RestartPreventExitStatus= and the supervisord program's exitcodes= name it, so that neither
     * manager starts it again: a strategy whose key was revoked would otherwise log in to its venue
     * a few times a minute for ever. {@code quant-supervision start NAME} starts it again.
     */
    public static final int GAVE_UP = RunnerState.EXIT_GAVE_UP;
    /** An internal error: a bug in quant-supervision. */
    public static final int SOFTWARE = 70;
    /** Another runner already supervises this strategy (a second one would mean two copies). */
    public static final int ALREADY_RUNNING = 75;
    /**
     * Refused: the action would disturb a live strategy, and --yes was not given (drill); the
     * caller is not root (halt, resume: sysexits' EX_NOPERM), which a script tells from a halt
     * that did not complete (1).
     */
    public static final int REFUSED = 77;
    /** A configuration file or value is invalid; the message names the file, line and key. */
    public static final int CONFIG = 78;

    /** The Nagios plugin statuses, with which health and doctor (WARN, FAIL) exit. */
    public static final int WARNING = Status.WARNING.code();
    public static final int CRITICAL = Status.CRITICAL.code();
    public static final int UNKNOWN = Status.UNKNOWN.code();

    private static final String INVALID = "invalid command line";
    private static final String INTERNAL = "internal error (a bug: please report it)";

    private ExitCodes() {
    }

    /**
     * The status of a wrong command line for COMMAND. health and doctor follow the Nagios plugin
     * convention, where 2 means CRITICAL (a FAIL): theirs is UNKNOWN, as the plugin guidelines ask.
     */
    static int usage(String command) {
        return command.equals("health") || command.equals("doctor") ? UNKNOWN : USAGE;
    }

    /** Gives SPEC (the root or a subcommand) the "Exit status" section of its help and man page. */
    static void describe(CommandSpec spec) {
        boolean root = spec.parent() == null;
        spec.usageMessage()
                .exitCodeListHeading(root ? "%nExit status (each command's --help says what they mean for it):%n"
                        : "%nExit status:%n")
                .exitCodeList(root ? overview() : of(spec.name()));
    }

    /** What each status means for subcommand COMMAND, by code. */
    static Map<String, String> of(String command) {
        return switch (command) {
            case "run" -> new Listing()
                    .add(OK, "the strategy was stopped on request")
                    .add(USAGE, "invalid command line or NAME")
                    .add(GAVE_UP, "the runner gave up on its strategy (GIVE_UP_AFTER crashes within GIVE_UP_WINDOW); "
                            + "neither systemd nor supervisord starts it again until quant-supervision start NAME")
                    .add(SOFTWARE, INTERNAL + "; also run in the JVM, not through the launcher")
                    .add(ALREADY_RUNNING, "the strategy already runs under another runner")
                    .add(CONFIG, "invalid env.conf (the message names the file, line and key), or the strategy's "
                            + "directories are missing and cannot be made")
                    .map();
            // The monitor's first step of run: it passes these on as run's.
            case "prepare" -> new Listing()
                    .add(OK, "the plan was written")
                    .add(USAGE, "invalid command line or NAME")
                    .add(SOFTWARE, INTERNAL)
                    .add(ALREADY_RUNNING, "the strategy already runs under another runner")
                    .add(CONFIG, "invalid env.conf, or the strategy's directories cannot be made")
                    .map();
            // The monitor's campaigner in failover mode; its exits are the monitor's to handle.
            case "campaign" -> new Listing()
                    .add(OK, "the monitor ended the campaign (the leader key and the lease were given up)")
                    .add(USAGE, "invalid command line or NAME")
                    .add(SOFTWARE, INTERNAL)
                    .add(CONFIG, "invalid env.conf or FAILOVER is not yes, or etcd refused the credentials or the "
                            + "TLS material (named)")
                    .map();
            case "health" -> health();
            case "status" -> new Listing()
                    .add(OK, "every strategy shown is RUNNING, or STANDBY while another host leads it (failover); "
                            + "with --cluster: every failover strategy has a leader")
                    .add(FAILURE, "at least one is not, or the config dir cannot be listed; with --cluster: one has no "
                            + "leader, or its etcd cannot be read")
                    .add(USAGE, INVALID + " or NAME")
                    .add(SOFTWARE, INTERNAL)
                    .map();
            case "serve" -> new Listing()
                    .add(OK, "stopped on request (SIGTERM, SIGINT)")
                    .add(FAILURE, "an address could not be bound (in use, or not this host's)")
                    .add(USAGE, INVALID + ", or an address that is not HOST:PORT")
                    .add(SOFTWARE, INTERNAL)
                    .add(CONFIG, "a listen address that is not loopback without --token-file, or a token file that "
                            + "is unsafe (not root's, writable by others, a symlink) or holds no usable token")
                    .map();
            case "enable" -> new Listing()
                    .add(OK, "done")
                    .add(FAILURE, "not root, the strategy is under the other manager, or a step failed (the steps "
                            + "done are listed)")
                    .add(USAGE, INVALID + ", NAME, or an unusable --user, --group or --after")
                    .add(SOFTWARE, INTERNAL)
                    .map();
            case "disable" -> new Listing()
                    .add(OK, "done, or nothing to do")
                    .add(FAILURE, "not root, or a step failed (the steps done are listed)")
                    .add(USAGE, INVALID + " or NAME")
                    .add(SOFTWARE, INTERNAL)
                    .map();
            case "start", "stop", "restart" -> new Listing()
                    .add(OK, "done")
                    .add(FAILURE, "systemd or supervisord could not do it")
                    .add(USAGE, INVALID + ", or neither a strategy nor a group of that name")
                    .add(SOFTWARE, INTERNAL)
                    .map();
            case "halt" -> new Listing()
                    .add(OK, "every strategy named is halted (or was already)")
                    .add(FAILURE, "a strategy did not halt within its stop deadline, or its halt file could not be "
                            + "written (each is named)")
                    .add(USAGE, INVALID + ", neither a strategy nor a group of that name, or a --reason of more than "
                            + "one line")
                    .add(SOFTWARE, INTERNAL)
                    .add(REFUSED, "not root (operators run it through sudo), or a path option given through sudo")
                    .map();
            case "resume" -> new Listing()
                    .add(OK, "every strategy named was resumed and runs (or its runner is not running, as said)")
                    .add(FAILURE, "a strategy did not reach RUNNING in time, or its halt file could not be removed")
                    .add(USAGE, INVALID + ", or neither a strategy nor a group of that name")
                    .add(SOFTWARE, INTERNAL)
                    .add(REFUSED, "not root (operators run it through sudo), or a path option given through sudo")
                    .map();
            case "failover" -> new Listing()
                    .add(OK, "another host leads now (or HOST already did)")
                    .add(FAILURE, "no host led, HOST is not standing by, no other host took over in time, or etcd "
                            + "could not be reached")
                    .add(USAGE, INVALID + " or NAME")
                    .add(SOFTWARE, INTERNAL)
                    .add(CONFIG, "invalid env.conf, FAILOVER is not yes, or etcd refused the credentials or the TLS "
                            + "material")
                    .map();
            case "doctor" -> new Listing()
                    .add(OK, "every item passed")
                    .add(WARNING, "a WARN at worst")
                    .add(CRITICAL, "a FAIL (the Nagios plugin convention, as health's)")
                    .add(UNKNOWN, "a wrong command line or NAME, or the config dir cannot be listed")
                    .add(SOFTWARE, INTERNAL)
                    .map();
            case "drill" -> new Listing()
                    .add(OK, "the drill passed")
                    .add(FAILURE, "it failed, the strategy is not running, or its runner.json names processes "
                            + "that are not its")
                    .add(USAGE, INVALID + ", NAME or DRILL")
                    .add(SOFTWARE, INTERNAL)
                    .add(REFUSED, "refused: the strategy is live and its market open, and --yes was not given")
                    .add(CONFIG, "invalid env.conf or alerts.conf")
                    .map();
            case "demo" -> new Listing()
                    .add(OK, "both recoveries happened and the health went OK, CRITICAL, OK")
                    .add(FAILURE, "they did not, or the demo was interrupted")
                    .add(USAGE, INVALID)
                    .add(SOFTWARE, INTERNAL)
                    .map();
            case "help" -> new Listing()
                    .add(OK, "the help was shown")
                    .add(USAGE, "no such command")
                    .map();
            default -> throw new IllegalArgumentException("no exit statuses for command " + command
                    + ": list them in ExitCodes.of");
        };
    }

    /** health's: the Nagios plugin statuses of the worst strategy, unless --exit-status service. */
    private static Map<String, String> health() {
        Listing list = new Listing();
        for (Status s : Status.values()) {
            list.add(s.code(), switch (s) {
                case OK -> "OK: every strategy checked is OK (the worst one's status is the exit status, as "
                        + "for a Nagios plugin); with --exit-status service: any result";
                case WARNING, CRITICAL -> s.name();
                case UNKNOWN -> "UNKNOWN, also an unreadable env.conf or config dir (named on stderr) or a wrong "
                        + "command line; with "
                        + "--exit-status service: the checker ran out of memory (the JVM's exit on "
                        + "OutOfMemoryError) or a wrong command line";
            });
        }
        return list.add(SOFTWARE, INTERNAL).map();
    }

    /** The root's: every command's statuses at a glance (ExitCodesTest checks that none is missing). */
    private static Map<String, String> overview() {
        return new Listing()
                .add(OK, "success")
                .add(FAILURE, "a check failed, or the command could not do what it was asked (health: WARNING; "
                        + "doctor: a WARN)")
                .add(USAGE, INVALID + " (health: CRITICAL; doctor: a FAIL)")
                .add(OUT_OF_MEMORY, "health: UNKNOWN; health and doctor: a wrong command line; health "
                        + "--exit-status service: the checker ran out of memory")
                .add(GAVE_UP, "run: the runner gave up on its strategy; it stays down until quant-supervision start NAME")
                .add(SOFTWARE, INTERNAL)
                .add(ALREADY_RUNNING, "run: the strategy already runs under another runner")
                .add(REFUSED, "drill: refused, it would disturb a live strategy (no --yes); halt, resume: not root")
                .add(CONFIG, "invalid configuration (the message names the file, line and key)")
                .map();
    }

    /** Code to meaning, shown in ascending order of code; a code listed twice is a bug here. */
    private static final class Listing {
        private final TreeMap<Integer, String> codes = new TreeMap<>();

        Listing add(int code, String meaning) {
            if (codes.putIfAbsent(code, meaning) != null) {
                throw new IllegalStateException("exit status " + code + " listed twice");
            }
            return this;
        }

        Map<String, String> map() {
            Map<String, String> list = new LinkedHashMap<>();
            codes.forEach((code, meaning) -> list.put(String.valueOf(code), meaning));
            return list;
        }
    }
}
