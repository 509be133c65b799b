package org.quantsupervision.notify;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * sd_notify(3) over the datagram socket in NOTIFY_SOCKET, with libc's socket(2) and sendto(2)
 * through the FFM API: the JDK's own channels support neither unix datagram sockets nor
 * abstract socket addresses ("@name").
 */
final class SystemdNotifier implements Notifier {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int MSG_NOSIGNAL = 0x4000;
    /** sizeof(struct sockaddr_un): a 2-byte family and a 108-byte path. */
    private static final int SOCKADDR_UN_SIZE = 110;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SOCKET = LINKER.downcallHandle(
            LINKER.defaultLookup().find("socket").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle SENDTO = LINKER.downcallHandle(
            LINKER.defaultLookup().find("sendto").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    private final byte[] address;
    private final Optional<Duration> watchdogInterval;
    private int fd = -1;

    SystemdNotifier(String socket, Optional<Duration> watchdogInterval) {
        byte[] path = socket.getBytes(StandardCharsets.UTF_8);
        if (path[0] == '@') {
            path[0] = 0; // abstract namespace: a leading NUL, and no trailing one
        }
        if (path.length > SOCKADDR_UN_SIZE - 2) {
            throw new IllegalArgumentException("NOTIFY_SOCKET is longer than a unix socket path may be");
        }
        this.address = path;
        this.watchdogInterval = watchdogInterval;
    }

    @Override
    public Optional<Duration> watchdogInterval() {
        return watchdogInterval;
    }

    @Override
    public synchronized void send(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        try (Arena arena = Arena.ofConfined()) {
            if (fd < 0) {
                fd = (int) SOCKET.invokeExact(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
                if (fd < 0) {
                    return;
                }
            }
            MemorySegment sockaddr = arena.allocate(SOCKADDR_UN_SIZE);
            sockaddr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(address, 0, sockaddr, ValueLayout.JAVA_BYTE, 2, address.length);
            // A path socket's address includes its terminating NUL (already zero); an abstract
            // one is exactly its bytes.
            int length = 2 + address.length + (address[0] == 0 ? 0 : 1);
            MemorySegment buffer = arena.allocate(bytes.length);
            MemorySegment.copy(bytes, 0, buffer, ValueLayout.JAVA_BYTE, 0, bytes.length);
            // Best effort, like sd_notify(3): a failure (systemd gone at shutdown) is ignored.
            long sent = (long) SENDTO.invokeExact(fd, buffer, (long) bytes.length, MSG_NOSIGNAL, sockaddr, length);
            assert sent == bytes.length || sent < 0;
        } catch (Throwable e) {
            throw new IllegalStateException("sd_notify could not be called", e);
        }
    }
}
