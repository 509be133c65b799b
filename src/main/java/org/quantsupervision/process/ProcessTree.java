package org.quantsupervision.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * A process and its descendants, found through /proc/PID/task/TID/children (one small read per
 * process in the tree, instead of a scan of every process on the host).
 */
public final class ProcessTree {
    private ProcessTree() {
    }

    /** Resident memory of a tree, how many processes it counted, and the CPU time they have used. */
    public record Usage(long bytes, int processes, long cpuMillis) {
    }

    /** USER_HZ, the unit of /proc/PID/stat's times: 100 on every Linux architecture we run on. */
    private static final long TICKS_PER_SECOND = 100;

    /** The summed VmRSS of ROOT and its descendants (processes that vanish meanwhile count as 0); no CPU time. */
    public static Usage residentBytes(long root) {
        return usage(root, false);
    }

    /** As {@link #residentBytes}, and with WITH_CPU the CPU time of the tree too (one more read per process). */
    public static Usage usage(long root, boolean withCpu) {
        long bytes = 0;
        int processes = 0;
        long ticks = 0;
        Set<Long> seen = new HashSet<>();
        Deque<Long> pending = new ArrayDeque<>();
        pending.add(root);
        while (!pending.isEmpty()) {
            long pid = pending.poll();
            if (!seen.add(pid)) {
                continue;
            }
            long rss = rss(pid);
            if (rss < 0) {
                continue;
            }
            bytes += rss;
            processes++;
            ticks += withCpu ? cpuTicks(pid) : 0;
            children(pid, pending);
        }
        return new Usage(bytes, processes, ticks * 1000 / TICKS_PER_SECOND);
    }

    /** utime + stime (fields 14 and 15 of /proc/PID/stat), 0 if the process is gone. */
    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** VmRSS from /proc/PID/status in bytes, or -1 if the process is gone. */
    private static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
            return 0; // a kernel thread or a zombie: no memory of its own
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static void children(long pid, Deque<Long> pending) {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String list = Files.readString(task.resolve("children")).trim();
                if (!list.isEmpty()) {
                    for (String child : list.split(" ")) {
                        pending.add(Long.parseLong(child));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone meanwhile
        }
    }
}
