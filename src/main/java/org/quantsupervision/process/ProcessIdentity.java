package org.quantsupervision.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process identified by pid and start time (clock ticks since boot, /proc/PID/stat field 22),
 * so that a pid the kernel has reused for another process is never taken for the one recorded.
 * The JDK's ProcessHandle does the same internally before it signals.
 */
public record ProcessIdentity(long pid, long startTime) {

    /** The running process with this pid, if any. */
    public static Optional<ProcessIdentity> of(long pid) {
        return Stat.read(pid).map(stat -> new ProcessIdentity(pid, stat.startTime()));
    }

    /** True if this very process (same pid and start time) still exists (zombies count as gone). */
    public boolean isAlive() {
        return Stat.read(pid).filter(s -> s.startTime() == startTime && s.state() != 'Z').isPresent();
    }

    /** The process's state letter (R, S, D, T for stopped, Z, ...) if it is this process. */
    public Optional<Character> state() {
        return Stat.read(pid).filter(s -> s.startTime() == startTime).map(Stat::state);
    }

    /** The parent pid, if this process still exists. */
    public Optional<Long> parentPid() {
        return Stat.read(pid).filter(s -> s.startTime() == startTime).map(Stat::parentPid);
    }

    /** The session id, if this process still exists (a strategy leads its own: the runner starts it in a new session). */
    public Optional<Long> sessionId() {
        return Stat.read(pid).filter(s -> s.startTime() == startTime).map(Stat::session);
    }

    /** Sends a signal to this process only, if it still is the one recorded. */
    public boolean signal(Signal signal) {
        return isAlive() && Libc.kill0(Math.toIntExact(pid), signal.number()) == 0;
    }

    /** Fields of /proc/PID/stat. */
    record Stat(char state, long parentPid, long session, long startTime) {
        static Optional<Stat> read(long pid) {
            String line;
            try {
                line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            }
            // The command name (field 2) is in parentheses and may itself contain ") ": the
            // fields that follow start after the last ')'.
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (state), fields[1] field 4 (ppid), fields[3] field 6 (session), fields[19] field 22.
            return Optional.of(new Stat(fields[0].charAt(0), Long.parseLong(fields[1]), Long.parseLong(fields[3]),
                    Long.parseLong(fields[19])));
        }
    }
}
