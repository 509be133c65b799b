package org.quantsupervision.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
        List<String> wanted = assignments.stream()
                .map(a -> new String(a.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)).toList();
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
                // Entries are NUL-separated "K=V" (a name may repeat); ISO-8859-1 maps bytes 1:1, so
                // a UTF-8 marker compares equal exactly when its bytes do.
                Set<String> entries = new HashSet<>(Arrays.asList(
                        new String(environ, StandardCharsets.ISO_8859_1).split("\0")));
                if (wanted.stream().allMatch(entries::contains)) {
                    Optional<ProcessIdentity> id = ProcessIdentity.of(pid).filter(ProcessIdentity::isAlive);
                    id.ifPresent(found::add);
                }
            }
        } catch (IOException e) {
            return found;
        }
        return found;
    }
}
