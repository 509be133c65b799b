package org.quantsupervision.record;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

import org.quantsupervision.process.NonBlockingOpen;

/**
 * Opening a file that a strategy's account writes (runner.json, events.jsonl, its logs and
 * STATE_FILE) for root's status or the health checker: never through a symlink (which could
 * point at /etc/shadow or alerts.conf), only a regular file (opening a FIFO blocks until someone
 * writes to it), and never more than a bound (a huge file would exhaust the reader's heap).
 *
 * <p>The type is checked on the path, without following a link, before the open: a FIFO or
 * device there is refused without being opened. The open itself is non-blocking
 * ({@link NonBlockingOpen}): an account that swaps a FIFO in between the check and the open gets
 * the FIFO refused by its type, and no reader waits on it.
 */
public final class UntrustedFile {
    private UntrustedFile() {
    }

    /** FILE opened for reading, if it is a regular file and not a symlink. */
    public static FileChannel open(Path file) throws IOException {
        requireRegular(file);
        // Swapped since the check (a FIFO): the non-blocking open returns at once, and what it
        // opened is checked and opened again by its descriptor, so the file read is the one checked.
        try (NonBlockingOpen opened = NonBlockingOpen.of(file)) {
            if (!Files.readAttributes(opened.opened(), BasicFileAttributes.class).isRegularFile()) {
                throw new IOException("is not a regular file (it was replaced while it was opened): not read");
            }
            return FileChannel.open(opened.opened(), StandardOpenOption.READ);
        }
    }

    /** FILE's attributes, not following a symlink, if it is a regular file (its mtime is the strategy's to set). */
    public static BasicFileAttributes attributes(Path file) throws IOException {
        return requireRegular(file);
    }

    /** The bytes of FILE, as for {@link #stream}. */
    public static byte[] read(Path file, int maxBytes) throws IOException {
        try (InputStream in = stream(file, maxBytes)) {
            return in.readAllBytes();
        }
    }

    /**
     * FILE as a stream, as for {@link #open}, if it holds at most MAX_BYTES: a larger file is
     * refused by its size, before anything is read, and one that grows past the bound while it
     * is read fails the read there, so no more than MAX_BYTES are ever read or buffered.
     */
    public static InputStream stream(Path file, long maxBytes) throws IOException {
        FileChannel channel = open(file);
        try {
            long size = channel.size();
            if (size > maxBytes) {
                throw new IOException(tooLarge(size, maxBytes));
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return new Bounded(Channels.newInputStream(channel), maxBytes);
    }

    private static String tooLarge(long size, long maxBytes) {
        return "is " + (size < 0 ? "more than " + maxBytes : size) + " bytes, larger than the limit of " + maxBytes
                + " bytes: " + (size < 0 ? "not read further" : "not read");
    }

    private static BasicFileAttributes requireRegular(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile()) {
            throw new IOException("is not a regular file (" + (a.isSymbolicLink() ? "a symlink" : a.isDirectory()
                    ? "a directory" : "a FIFO, socket or device") + "): not read");
        }
        return a;
    }

    /** A stream that fails instead of reading past MAX_BYTES (the file grew after its size was checked). */
    private static final class Bounded extends FilterInputStream {
        private final long maxBytes;
        private long read;

        Bounded(InputStream in, long maxBytes) {
            super(in);
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            // One byte beyond the bound is asked for, so that a file of exactly MAX_BYTES reads to its end.
            int n = in.read(b, off, (int) Math.min(len, maxBytes + 1 - read));
            if (n > 0 && (read += n) > maxBytes) {
                throw new IOException(tooLarge(-1, maxBytes));
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(Math.min(n, maxBytes + 1 - read));
            if ((read += skipped) > maxBytes) {
                throw new IOException(tooLarge(-1, maxBytes));
            }
            return skipped;
        }
    }
}
