package org.quantsupervision.runner;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;

/**
 * The one-instance guarantee, held for the runner's whole life: a lock on the runtime directory
 * /run/quant-supervision/NAME itself ({@link DirectoryLock}), which no strategy can remove, and
 * one on runner.lock in it, which runners of older releases take. The kernel releases both when
 * the runner dies, however it dies, so a stale file (after kill -9 or a reboot) never blocks; and
 * they are the same whether systemd or supervisord started the runner.
 */
final class InstanceLock implements AutoCloseable {
    private final DirectoryLock directory;
    private final FileChannel channel;
    private final FileLock lock;

    private InstanceLock(DirectoryLock directory, FileChannel channel, FileLock lock) {
        this.directory = directory;
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock, if no other process holds it. */
    static Optional<InstanceLock> tryAcquire(Path file) throws IOException {
        Optional<DirectoryLock> directory = DirectoryLock.tryAcquire(file.getParent());
        if (directory.isEmpty()) {
            return Optional.empty();
        }
        FileChannel channel;
        FileLock lock;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                lock = channel.tryLock();
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            directory.get().close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            directory.get().close();
            return Optional.empty();
        }
        return Optional.of(new InstanceLock(directory.get(), channel, lock));
    }

    /** The lock, waiting up to TIMEOUT for its holder to let go. */
    static Optional<InstanceLock> acquire(Path file, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<InstanceLock> lock = tryAcquire(file);
            if (lock.isPresent() || System.nanoTime() > deadline) {
                return lock;
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            try {
                channel.close();
            } finally {
                directory.close();
            }
        }
    }
}
