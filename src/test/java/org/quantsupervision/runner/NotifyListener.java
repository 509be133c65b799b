package org.quantsupervision.runner;

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
import java.util.ArrayList;
import java.util.List;

/**
 * systemd's end of sd_notify, for tests: a unix datagram socket bound to a path and read by a
 * thread of its own, which keeps every message sent to it. Through the FFM API: the JDK's
 * channels support no unix datagram sockets.
 */
public final class NotifyListener implements AutoCloseable {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    /** sizeof(struct sockaddr_un): a 2-byte family and a 108-byte path. */
    private static final int MAX_ADDRESS = 108;
    /** systemd reads at most this much of a message (NOTIFY_BUFFER_MAX). */
    private static final int BUFFER = 4096;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SOCKET = function("socket", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle BIND = function("bind", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle RECV = function("recv", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle SETSOCKOPT = function("setsockopt", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = function("close", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT));

    private final Path path;
    private final int fd;
    private final List<String> messages = new ArrayList<>();
    private final Thread reader;
    private volatile boolean closed;

    private NotifyListener(Path path, int fd) {
        this.path = path;
        this.fd = fd;
        this.reader = Thread.ofPlatform().daemon().name("notify-listener").start(this::read);
    }

    /** Listens on PATH, a socket path short enough for sockaddr_un. */
    public static NotifyListener bind(Path path) throws IOException {
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        if (name.length >= MAX_ADDRESS) {
            throw new IOException(path + ": too long for a unix socket path");
        }
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) SOCKET.invokeExact(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            MemorySegment address = arena.allocate(2 + MAX_ADDRESS);
            address.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(name, 0, address, ValueLayout.JAVA_BYTE, 2, name.length);
            if (fd < 0 || (int) BIND.invokeExact(fd, address, 2 + name.length + 1) != 0) {
                throw new IOException("cannot bind a unix datagram socket at " + path);
            }
            // recv() returns every 100 ms, so that close() ends the reader.
            MemorySegment timeval = arena.allocate(16);
            timeval.set(ValueLayout.JAVA_LONG, 0, 0);
            timeval.set(ValueLayout.JAVA_LONG, 8, 100_000);
            int set = (int) SETSOCKOPT.invokeExact(fd, SOL_SOCKET, SO_RCVTIMEO, timeval, 16);
            if (set != 0) {
                throw new IOException("cannot set a receive timeout on " + path);
            }
            return new NotifyListener(path, fd);
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException("cannot listen at " + path, e);
        }
    }

    Path path() {
        return path;
    }

    /** Every message received so far, in order. */
    public List<String> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    private void read() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(BUFFER);
            while (!closed) {
                long n = (long) RECV.invokeExact(fd, buffer, (long) BUFFER, 0);
                if (n > 0) {
                    String message = new String(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE),
                            StandardCharsets.UTF_8);
                    synchronized (messages) {
                        messages.add(message);
                    }
                }
            }
        } catch (Throwable e) {
            // closed under the reader: no more messages
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        try {
            reader.join(1000);
            int closedFd = (int) CLOSE.invokeExact(fd);
            if (closedFd != 0) {
                throw new IOException("cannot close the socket at " + path);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException(e);
        }
        Files.deleteIfExists(path);
    }

    private static MethodHandle function(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor);
    }
}
