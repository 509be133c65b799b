package org.quantsupervision.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether standard output is systemd's journal. JOURNAL_STREAM alone does not say so: it is
 * inherited, e.g. by supervisord's programs when systemd runs supervisord, while their output
 * goes to supervisord. systemd.exec(5): compare its "DEVICE:INODE" with standard output's.
 */
final class JournalStream {
    private JournalStream() {
    }

    static boolean isStandardOutput(String journalStream) {
        if (journalStream == null || !journalStream.contains(":")) {
            return false;
        }
        String inode = journalStream.substring(journalStream.indexOf(':') + 1).trim();
        try {
            // /proc/self/fd/1 reads "socket:[INODE]" for a socket (the journal's stream is one).
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString();
            return target.equals("socket:[" + inode + "]");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
