package org.quantsupervision.runner;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Opening a file that a strategy's account writes (runner.json, events.jsonl, its logs and
 * STATE_FILE) for root's status or the health checker: never through a symlink (which could
 * point at /etc/shadow or alerts.conf), only a regular file (a FIFO would block the reader), and
 * never more than a bound (a huge file would exhaust the reader's heap).
 */
public final class UntrustedFile {
    private UntrustedFile() {
    }

    /** FILE opened for reading, if it is a regular file and not a symlink. */
    public static FileChannel open(Path file) throws IOException {
        requireRegular(file);
        return FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    /** The bytes of FILE, as for {@link #open}, if it holds at most MAX_BYTES. */
    public static byte[] read(Path file, int maxBytes) throws IOException {
        try (InputStream in = Channels.newInputStream(open(file))) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new IOException("is larger than " + maxBytes + " bytes: not read");
            }
            return bytes;
        }
    }

    private static void requireRegular(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile()) {
            throw new IOException("is not a regular file (" + (a.isSymbolicLink() ? "a symlink" : a.isDirectory()
                    ? "a directory" : "a FIFO, socket or device") + "): not read");
        }
    }
}
