package org.quantsupervision.runner;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The strategy's output when there is no journal (under supervisord): whole lines appended to
 * FILE, which rolls over to FILE.1 ... FILE.N at a size limit, like supervisord's
 * stdout_logfile_maxbytes/backups. Lines are never split across files.
 */
final class RotatingLog implements AutoCloseable {
    private final Path file;
    private final long maxBytes;
    private final int backups;
    private OutputStream out;
    private long size;

    RotatingLog(Path file, long maxBytes, int backups) throws IOException {
        this.file = file;
        this.maxBytes = maxBytes;
        this.backups = backups;
        open();
    }

    synchronized void writeLine(byte[] line, int length) throws IOException {
        if (size > 0 && size + length + 1 > maxBytes) {
            rotate();
        }
        out.write(line, 0, length);
        out.write('\n');
        out.flush();
        size += length + 1;
    }

    private void rotate() throws IOException {
        out.close();
        Files.deleteIfExists(backup(backups));
        for (int i = backups - 1; i >= 1; i--) {
            if (Files.exists(backup(i))) {
                Files.move(backup(i), backup(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, backup(1), StandardCopyOption.REPLACE_EXISTING);
        open();
    }

    private Path backup(int i) {
        return file.resolveSibling(file.getFileName() + "." + i);
    }

    private void open() throws IOException {
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        size = Files.size(file);
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
