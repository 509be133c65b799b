package org.quantsupervision.process;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file opened with O_NONBLOCK and O_NOFOLLOW, held only long enough to look at what was opened
 * and open it again through {@code /proc/self/fd}: the JDK opens without O_NONBLOCK, and its open
 * of a FIFO blocks until someone writes to it. A strategy's account that swaps a FIFO in for its
 * runner.json or events.jsonl between a reader's type check and its open would hang the reader
 * (the health checker's round, the status page's request threads); opened here, the FIFO returns at
 * once and is refused by its type.
 */
public final class NonBlockingOpen implements AutoCloseable {
    // Linux's x86-64 values (asm-generic/fcntl.h): the packages are amd64 / x86_64 only. Others
    // differ (arm64's O_NOFOLLOW is 0x8000): a port must give its own, and refuses to run until then.
    static {
        if (!System.getProperty("os.arch").equals("amd64")) {
            throw new IllegalStateException("NonBlockingOpen knows the open(2) flags of amd64 only, not "
                    + System.getProperty("os.arch"));
        }
    }

    private static final int O_RDONLY = 0;
    private static final int O_NOCTTY = 0x100;
    private static final int O_NONBLOCK = 0x800;
    private static final int O_NOFOLLOW = 0x20000;
    private static final int O_CLOEXEC = 0x80000;
    private static final int ELOOP = 40;

    private final int fd;

    private NonBlockingOpen(int fd) {
        this.fd = fd;
    }

    /**
     * FILE opened for reading, never through a symlink at its last component, never blocking.
     *
     * @throws IOException with the errno's meaning for a path that cannot be opened so
     */
    public static NonBlockingOpen of(Path file) throws IOException {
        int fd = Libc.open(file.toString(), O_RDONLY | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
            throw fd == -ELOOP ? new IOException(file + ": is a symlink: not read")
                    : fd == -2 ? new java.nio.file.NoSuchFileException(file.toString())
                    : new IOException(file + ": cannot be opened (errno " + -fd + ")");
        }
        return new NonBlockingOpen(fd);
    }

    /** The opened file itself, whatever its name now points at: {@code /proc/self/fd/N}. */
    public Path opened() {
        return Path.of("/proc/self/fd/" + fd);
    }

    @Override
    public void close() {
        Libc.close(fd);
    }
}
