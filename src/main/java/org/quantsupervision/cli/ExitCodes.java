package org.quantsupervision.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exit statuses of every quant-supervision command, listed in {@code --help} and the man page.
 *
 * <p>The non-zero codes above 2 follow sysexits.h so that units and scripts can tell a broken
 * configuration (which a restart will not fix) from a failure (which it may).
 */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** A check failed, or a command could not do what it was asked. */
    public static final int FAILURE = 1;
    /**
     * The runner gave up on its strategy (GIVE_UP_AFTER crashes within GIVE_UP_WINDOW). The unit's
     * RestartPreventExitStatus= and the supervisord program's exitcodes= name it, so that neither
     * manager starts it again: a strategy whose key was revoked would otherwise log in to its venue
     * a few times a minute for ever. {@code quant-supervision start NAME} starts it again.
     */
    public static final int GAVE_UP = org.quantsupervision.record.RunnerState.EXIT_GAVE_UP;
    /**
     * The JVM ran out of memory: with -XX:+ExitOnOutOfMemoryError (the launcher gives it to
     * health) HotSpot exits with 3 and no other choice. For {@code health --exit-status service},
     * as quant-supervision-health.service runs it, no result is 3, so the unit fails on it;
     * otherwise 3 is also the Nagios plugin UNKNOWN.
     */
    public static final int OUT_OF_MEMORY = 3;
    /** The command line was wrong (picocli's own code for a parameter error). */
    public static final int USAGE = 2;
    /** Another runner already supervises this strategy (a second one would mean two copies). */
    public static final int ALREADY_RUNNING = 75;
    /** Refused: the action would disturb a live strategy, and --yes was not given. */
    public static final int REFUSED = 77;
    /** An internal error: a bug in quant-supervision. */
    public static final int SOFTWARE = 70;
    /** A configuration file or value is invalid; the message names the file, line and key. */
    public static final int CONFIG = 78;

    private ExitCodes() {
    }

    /** Code to description, in order, for the "Exit status" section of {@code --help}. */
    static Map<String, String> helpList() {
        Map<String, String> list = new LinkedHashMap<>();
        list.put(String.valueOf(OK), "success");
        list.put(String.valueOf(FAILURE), "a check failed, or the command could not do what it was asked");
        list.put(String.valueOf(GAVE_UP), "run: the runner gave up on its strategy; it stays down until "
                + "quant-supervision start NAME");
        list.put(String.valueOf(USAGE), "invalid command line");
        list.put(String.valueOf(OUT_OF_MEMORY), "health: UNKNOWN; with --exit-status service, the checker ran out "
                + "of memory (the JVM's exit on OutOfMemoryError)");
        list.put(String.valueOf(ALREADY_RUNNING), "the strategy already runs under another runner");
        list.put(String.valueOf(REFUSED), "refused: it would disturb a live strategy (drill without --yes)");
        list.put(String.valueOf(SOFTWARE), "internal error (a bug: please report it)");
        list.put(String.valueOf(CONFIG), "invalid configuration (the message names the file, line and key)");
        return list;
    }
}
