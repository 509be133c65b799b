package org.quantsupervision.runner;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An flock(2) on the strategy's runtime directory itself, the half of the one-instance lock that
 * no strategy can defeat: runner.lock is a file in that directory, which the strategy's account
 * may delete (a second runner would then lock a new file and both would run a copy), but the
 * directory is an entry of /run/quant-supervision, which is root's, so it stays the same inode
 * as long as the runners using it can live. The JDK locks only regular files (FileChannel cannot
 * open a directory), hence open(2), flock(2) and close(2) through the FFM API. The kernel drops
 * the lock when the runner dies, however it dies.
 */
final class DirectoryLock implements AutoCloseable {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(PathElement.groupElement("errno"));
    private static final MethodHandle OPEN = LINKER.downcallHandle(LINKER.defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle FLOCK = LINKER.downcallHandle(LINKER.defaultLookup().find("flock").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    /** O_RDONLY | O_CLOEXEC, the same on x86-64 and aarch64: the strategy must not inherit the lock. */
    private static final int OPEN_FLAGS = 02000000;
    private static final int LOCK_EX = 2;
    private static final int LOCK_NB = 4;
    private static final int EWOULDBLOCK = 11;

    private final int fd;

    private DirectoryLock(int fd) {
        this.fd = fd;
    }

    /** The lock on DIR, if no other process holds it. */
    static Optional<DirectoryLock> tryAcquire(Path dir) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(dir.toString()), OPEN_FLAGS);
            if (fd < 0) {
                throw new IOException("cannot open " + dir + " to lock it (errno " + (int) ERRNO.get(state, 0L) + ")");
            }
            if ((int) FLOCK.invokeExact(state, fd, LOCK_EX | LOCK_NB) == 0) {
                return Optional.of(new DirectoryLock(fd));
            }
            int errno = (int) ERRNO.get(state, 0L);
            int closed = (int) CLOSE.invokeExact(fd);
            if (errno == EWOULDBLOCK) {
                return Optional.empty();
            }
            throw new IOException("cannot lock " + dir + " (errno " + errno + ", close " + closed + ")");
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("open/flock could not be called", e);
        }
    }

    @Override
    public void close() {
        try {
            int ignored = (int) CLOSE.invokeExact(fd); // closing the only descriptor releases the lock
        } catch (Throwable e) {
            throw new IllegalStateException("close could not be called", e);
        }
    }
}
