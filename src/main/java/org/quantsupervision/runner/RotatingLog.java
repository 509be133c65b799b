package org.quantsupervision.runner;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Consumer;

/**
 * The strategy's output when there is no journal (under supervisord): whole lines appended to
 * FILE, which rolls over to FILE.1 ... FILE.N at a size limit, like supervisord's
 * stdout_logfile_maxbytes/backups. Lines are never split across files.
 *
 * <p>Nothing the log does may hurt the strategy, whose output pipe must be drained whatever
 * happens: a line that cannot be written (a full disk) is dropped and counted, and once lines
 * can be written again one line says how many were lost; a file renamed or deleted under it
 * (logrotate, an operator freeing space) is noticed at the next line (one stat of the path per
 * line, cheap next to the write) and a new one opened, as on {@link #reopen()} (SIGHUP).
 */
final class RotatingLog implements AutoCloseable {
    private final Path file;
    private final long maxBytes;
    private final int backups;
    /** Where losses and their end are reported (the runner's own output). */
    private final Consumer<String> report;
    private FileChannel out;
    private Object openKey;
    private long size;
    private long lost;
    /** A failed write left part of a line in the file: the next one starts with a newline. */
    private boolean midLine;
    private String lostBecause;

    RotatingLog(Path file, long maxBytes, int backups, Consumer<String> report) {
        this.file = file;
        this.maxBytes = maxBytes;
        this.backups = backups;
        this.report = report;
        open();
    }

    /** Appends LENGTH bytes of LINE and a newline; never throws: what cannot be written is counted. */
    synchronized void writeLine(byte[] line, int length) {
        if (!isStillOpenFile()) {
            reopenNow();
            if (out == null) {
                lose();
                return;
            }
        }
        if (size > 0 && size + length + 1 > maxBytes) {
            rotate();
        }
        if (lost > 0 && !write(("quant-supervision: " + lost + " lines of output lost (" + lostBecause + ")")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), -1)) {
            lose();
            return;
        }
        if (lost > 0) {
            report.accept(lost + " lines of the strategy's output were lost (" + lostBecause + "); writing again");
            lost = 0;
            lostBecause = null;
        }
        if (!write(line, length)) {
            lose();
        }
    }

    /** Lines dropped since the last one that was written. */
    synchronized long lost() {
        return lost;
    }

    /** Closes the file and opens FILE anew (SIGHUP: after an outside rotation). */
    synchronized void reopen() {
        reopenNow();
    }

    private void reopenNow() {
        closeQuietly();
        open();
    }

    /** Writes LINE (LENGTH bytes of it; -1: all) and a newline in one write; false if it failed. */
    private boolean write(byte[] line, int length) {
        int n = length < 0 ? line.length : length;
        int prefix = midLine ? 1 : 0; // end the line a failed write left unfinished
        ByteBuffer buffer = ByteBuffer.allocate(prefix + n + 1);
        if (midLine) {
            buffer.put((byte) '\n');
        }
        buffer.put(line, 0, n).put((byte) '\n').flip();
        try {
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            size += buffer.limit();
            midLine = false;
            return true;
        } catch (IOException e) {
            midLine = buffer.position() > prefix || midLine && buffer.position() == 0;
            if (lost == 0) {
                lostBecause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                report.accept("cannot write the strategy's output to " + file + " (" + lostBecause
                        + "): dropping lines until it can");
            }
            size = currentSize();
            return false;
        }
    }

    private void lose() {
        if (lost == 0 && lostBecause == null) {
            lostBecause = "cannot open " + file;
            report.accept(lostBecause + ": dropping lines until it can be");
        }
        lost++;
    }

    /** True if FILE is still the file open for writing (not renamed away, deleted or replaced). */
    private boolean isStillOpenFile() {
        try {
            return out != null && Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey().equals(openKey);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Shifts FILE.1..N-1 to FILE.2..N and FILE to FILE.1, then opens a new FILE. Only when FILE
     * is there to move: a rotation that cannot move it (gone, renamed by logrotate) keeps every
     * backup and only reopens, so repeated attempts never eat FILE.1..N.
     */
    private void rotate() {
        closeQuietly();
        try {
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(backup(backups));
                for (int i = backups - 1; i >= 1; i--) {
                    try {
                        Files.move(backup(i), backup(i + 1), StandardCopyOption.REPLACE_EXISTING);
                    } catch (NoSuchFileException e) {
                        // a gap in the backups: nothing to shift
                    }
                }
                Files.move(file, backup(1), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            report.accept("cannot rotate " + file + " (" + e.getMessage() + "): writing on");
        }
        open();
    }

    private Path backup(int i) {
        return file.resolveSibling(file.getFileName() + "." + i);
    }

    /** Opens FILE for appending; OUT stays null if it cannot be (the next line tries again). */
    private void open() {
        try {
            out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            openKey = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            size = out.size();
        } catch (IOException e) {
            closeQuietly();
        }
    }

    private long currentSize() {
        try {
            return out == null ? 0 : out.size();
        } catch (IOException e) {
            return size;
        }
    }

    private void closeQuietly() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // closing a file we only appended to: nothing is lost that a write did not report
            }
        }
        out = null;
        openKey = null;
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
