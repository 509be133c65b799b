package org.quantsupervision.notify;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The strategy's own NOTIFY_SOCKET, served by the runner: a strategy that already speaks
 * sd_notify (the reference article's python sdnotify example) keeps working unchanged, under
 * systemd and under supervisord alike, and its READY=1 and WATCHDOG=1 mean something to the
 * runner (readiness, progress). systemd's NotifyAccess=main would drop the strategy's own
 * messages anyway: only the runner, the unit's main process, may notify systemd.
 *
 * <p>A unix datagram socket bound to a path in the runner's own directory (mode 0700 through the
 * runner's umask and the directory's owner), read by one daemon thread with libc's socket,
 * bind and recv through the FFM API: the JDK has no unix datagram sockets.
 */
public final class NotifyProxy implements AutoCloseable {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int SOCKADDR_UN_SIZE = 110;
    /** sd_notify messages are small; systemd itself reads at most this much (NOTIFY_BUFFER_MAX). */
    private static final int BUFFER = 4096;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SOCKET = function("socket",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle BIND = function("bind",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle SETSOCKOPT = function("setsockopt",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle RECV = function("recv",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = function("close",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private final Path path;
    private final int fd;
    private final Thread reader;
    private volatile boolean closed;

    private NotifyProxy(Path path, int fd, Consumer<String> onMessage) {
        this.path = path;
        this.fd = fd;
        this.reader = Thread.ofPlatform().daemon().name("notify-proxy").start(() -> read(onMessage));
    }

    /** Binds PATH (replacing a stale socket file) and hands every message to ON_MESSAGE. */
    public static NotifyProxy open(Path path, Consumer<String> onMessage) throws IOException {
        Files.deleteIfExists(path);
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        if (name.length >= SOCKADDR_UN_SIZE - 2) {
            throw new IOException(path + ": too long for a unix socket path");
        }
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) SOCKET.invokeExact(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw new IOException("socket(AF_UNIX, SOCK_DGRAM) failed");
            }
            MemorySegment address = arena.allocate(SOCKADDR_UN_SIZE);
            address.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(name, 0, address, ValueLayout.JAVA_BYTE, 2, name.length);
            if ((int) BIND.invokeExact(fd, address, 2 + name.length + 1) != 0) {
                int ignored = (int) CLOSE.invokeExact(fd);
                throw new IOException("cannot bind the strategy's notify socket " + path);
            }
            // recv() wakes up every 200 ms, so close() can end the reader thread.
            MemorySegment timeout = arena.allocate(16);
            timeout.set(ValueLayout.JAVA_LONG, 0, 0L);
            timeout.set(ValueLayout.JAVA_LONG, 8, 200_000L);
            int ignored = (int) SETSOCKOPT.invokeExact(fd, SOL_SOCKET, SO_RCVTIMEO, timeout, 16);
            return new NotifyProxy(path, fd, onMessage);
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException("cannot open the strategy's notify socket " + path, e);
        }
    }

    /** The value for the strategy's NOTIFY_SOCKET. */
    public String socketPath() {
        return path.toString();
    }

    private void read(Consumer<String> onMessage) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(BUFFER);
            while (!closed) {
                long n = (long) RECV.invokeExact(fd, buffer, (long) BUFFER, 0);
                if (n > 0) {
                    byte[] bytes = buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
                    onMessage.accept(new String(bytes, StandardCharsets.UTF_8));
                }
            }
        } catch (Throwable e) {
            // the socket is closed or broken: the strategy's notifications stop, nothing else
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        try {
            reader.join(1000);
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            throw new IOException(e);
        }
        Files.deleteIfExists(path);
    }

    private static MethodHandle function(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor);
    }
}
