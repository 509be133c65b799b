package org.quantsupervision.record;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

import org.quantsupervision.clock.Moment;
import org.quantsupervision.clock.MomentJson;
import org.quantsupervision.json.Json;
import org.quantsupervision.manager.Manager;
import org.quantsupervision.process.ProcessIdentity;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * runner.json: what one runner is doing, for the health checker, {@code status}, and the next
 * runner (which needs the pids and start times to find an orphaned strategy). The monitor writes
 * it (src/main/c/monitor/records.c) to a temporary file and renames it, so readers never see half
 * of it.
 *
 * <p>The strategy's start is written twice: {@code child_started_at} in epoch milliseconds, as
 * 0.1.0 did (for {@code status}), and {@code child_started_moment} with the monotonic clock and
 * the boot id, which the checker's HEALTH_GRACE is measured with (see {@link Moment}). A file of
 * 0.1.0 has only the first: its start is then known by the wall clock alone.
 *
 * @param childStarted when the strategy process started; {@link Moment#NEVER} without one
 * @param failover this host's part in the election, in failover mode only
 */
public record RunnerRecord(
        String name,
        RunnerState state,
        long runnerPid,
        long runnerStartTime,
        long runnerParentPid,
        long childPid,
        long childStartTime,
        Moment childStarted,
        int restarts,
        int crashStreak,
        Integer lastExitCode,
        Integer lastExitSignal,
        long backoffMillis,
        long updatedAtMillis,
        Manager manager,
        Optional<FailoverRole> failover) {

    /** More than a runner ever writes (about 1 KB). */
    private static final int MAX_BYTES = 1 << 16;

    /** The snapshot in FILE, or empty if there is none or it cannot be read. */
    public static Optional<RunnerRecord> readFrom(Path file) {
        byte[] bytes;
        try {
            bytes = UntrustedFile.read(file, MAX_BYTES); // the strategy's account writes it
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
        try (JsonParser p = Json.parser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            String name = "";
            RunnerState state = RunnerState.STOPPED;
            long runnerPid = 0, runnerStart = 0, runnerParent = 0, childPid = 0, childStart = 0, childAt = 0;
            long backoff = 0, updated = 0;
            int restarts = 0, streak = 0;
            Integer code = null, signal = null;
            Manager manager = Manager.NONE;
            Moment childStarted = null;
            Optional<FailoverRole> failover = Optional.empty();
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                boolean isNull = t == JsonToken.VALUE_NULL;
                switch (field) {
                    case "name" -> name = p.getString();
                    case "state" -> state = RunnerState.valueOf(p.getString());
                    case "runner_pid" -> runnerPid = p.getLongValue();
                    case "runner_start_time" -> runnerStart = p.getLongValue();
                    case "runner_parent_pid" -> runnerParent = p.getLongValue();
                    case "child_pid" -> childPid = p.getLongValue();
                    case "child_start_time" -> childStart = p.getLongValue();
                    case "child_started_at" -> childAt = p.getLongValue();
                    case "child_started_moment" -> childStarted = MomentJson.read(p);
                    case "restarts" -> restarts = p.getIntValue();
                    case "crash_streak" -> streak = p.getIntValue();
                    case "last_exit_code" -> code = isNull ? null : p.getIntValue();
                    case "last_exit_signal" -> signal = isNull ? null : p.getIntValue();
                    case "backoff_ms" -> backoff = p.getLongValue();
                    case "updated_at" -> updated = p.getLongValue();
                    case "manager" -> manager = readManager(p);
                    case "failover" -> failover = readFailover(p);
                    default -> p.skipChildren();
                }
            }
            // A runner of 0.1.0 wrote the start by the wall clock only.
            Moment started = childStarted != null ? childStarted : Moment.wallOnly(childAt);
            return Optional.of(new RunnerRecord(name, state, runnerPid, runnerStart, runnerParent, childPid,
                    childStart, started, restarts, streak, code, signal, backoff, updated, manager, failover));
        } catch (RuntimeException e) {
            return Optional.empty(); // a corrupt file is treated as none: the lock decides anyway
        }
    }

    private static Manager readManager(JsonParser p) {
        if (!p.isExpectedStartObjectToken()) {
            p.skipChildren();
            return Manager.NONE;
        }
        String kind = "none", unit = "", url = "", process = "";
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "kind" -> kind = p.getString();
                case "unit" -> unit = p.getString();
                case "supervisor_url" -> url = p.getString();
                case "supervisor_process" -> process = p.getString();
                default -> p.skipChildren();
            }
        }
        return new Manager(kind, unit, url, process);
    }

    private static Optional<FailoverRole> readFailover(JsonParser p) {
        if (!p.isExpectedStartObjectToken()) {
            p.skipChildren();
            return Optional.empty();
        }
        String role = "standby", leader = "";
        long epoch = 0, since = 0;
        int others = -1;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "role" -> role = p.getString().equals("leader") ? "leader" : "standby";
                case "epoch" -> epoch = p.getLongValue();
                case "leader" -> leader = p.getString();
                case "since" -> since = p.getLongValue();
                case "others" -> others = p.getIntValue();
                default -> p.skipChildren();
            }
        }
        return Optional.of(new FailoverRole(role, epoch, leader, since, others));
    }

    /** When the strategy process started, in epoch milliseconds (0 without one): for display. */
    public long childStartedAtMillis() {
        return childStarted.wallMillis();
    }

    /** The runner, as the kernel knows it (pid and start time: a reused pid is not it). */
    public ProcessIdentity runner() {
        return new ProcessIdentity(runnerPid, runnerStartTime);
    }

    /** The strategy process, likewise; pid 0 when there is none. */
    public ProcessIdentity strategy() {
        return new ProcessIdentity(childPid, childStartTime);
    }

    /**
     * The one meaning of "running": the runner says RUNNING, and it and its strategy are the
     * processes it recorded, alive (status, drill, demo and the checker's process check ask this).
     */
    public boolean isRunning() {
        return state == RunnerState.RUNNING && runner().isAlive() && childPid != 0 && strategy().isAlive();
    }

    /** Stopped on request: the runner recorded STOPPED and has exited (it exits 0 then). */
    public boolean stoppedCleanly() {
        return state == RunnerState.STOPPED && !runner().isAlive();
    }
}
