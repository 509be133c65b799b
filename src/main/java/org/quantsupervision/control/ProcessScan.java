package org.quantsupervision.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds processes by a variable in their environment (/proc/PID/environ, readable for the
 * account's own processes). The runner marks every strategy it starts this way, so that a
 * strategy left behind by a runner that died before it could record the pid, and anything the
 * strategy forked, can still be found.
 */
public final class ProcessScan {
    private ProcessScan() {
    }

    /** Live processes other than this one whose environment contains every one of ASSIGNMENTS ("K=V"). */
    public static List<ProcessIdentity> withEnvironment(List<String> assignments) {
        List<byte[]> wanted = assignments.stream().map(a -> (a + "\0").getBytes(StandardCharsets.UTF_8)).toList();
        long self = ProcessHandle.current().pid();
        List<ProcessIdentity> found = new ArrayList<>();
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path dir : proc) {
                long pid = Long.parseLong(dir.getFileName().toString());
                if (pid == self) {
                    continue;
                }
                byte[] environ;
                try {
                    environ = Files.readAllBytes(dir.resolve("environ"));
                } catch (IOException | SecurityException e) {
                    continue; // another account's process, or gone
                }
                if (wanted.stream().allMatch(w -> containsEntry(environ, w))) {
                    Optional<ProcessIdentity> id = ProcessIdentity.of(pid).filter(ProcessIdentity::isAlive);
                    id.ifPresent(found::add);
                }
            }
        } catch (IOException e) {
            return found;
        }
        return found;
    }

    /** True if ENTRY ("K=V\0") is one of the NUL-separated entries of ENVIRON. */
    private static boolean containsEntry(byte[] environ, byte[] entry) {
        outer:
        for (int start = 0; start + entry.length <= environ.length + 1; ) {
            for (int i = 0; i < entry.length; i++) {
                int at = start + i;
                byte b = at < environ.length ? environ[at] : 0;
                if (b != entry[i]) {
                    int nul = indexOf(environ, (byte) 0, start);
                    if (nul < 0) {
                        return false;
                    }
                    start = nul + 1;
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
