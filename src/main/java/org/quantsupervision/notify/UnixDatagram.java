package org.quantsupervision.notify;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * libc's unix datagram socket calls, through the FFM API: the JDK's channels support neither
 * unix datagram sockets nor abstract addresses. The health checker sends to systemd with them
 * ({@link SystemdNotifier}); the tests' NotifyListener receives with them, as systemd would.
 * Each method returns what libc returns (-1 on error).
 */
final class UnixDatagram {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    /** sizeof(struct sockaddr_un): a 2-byte family and a 108-byte path. */
    static final int MAX_ADDRESS = 108;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SOCKET = function("socket", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle BIND = function("bind", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle SENDTO = function("sendto", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle RECV = function("recv", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle SETSOCKOPT = function("setsockopt", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = function("close", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT));

    private UnixDatagram() {
    }

    static int open() throws Throwable {
        return (int) SOCKET.invokeExact(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    }

    /** A struct sockaddr_un and the length that goes with it. */
    record Address(MemorySegment segment, int length) {
    }

    /**
     * The sockaddr_un of NAME: a path, or an abstract name if NAME starts with a NUL byte (then
     * the address is exactly its bytes, without the path's terminating NUL).
     */
    static Address address(Arena arena, byte[] name) {
        MemorySegment address = arena.allocate(2 + MAX_ADDRESS);
        address.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(name, 0, address, ValueLayout.JAVA_BYTE, 2, name.length);
        return new Address(address, 2 + name.length + (name.length > 0 && name[0] == 0 ? 0 : 1));
    }

    static int bind(int fd, Address address) throws Throwable {
        return (int) BIND.invokeExact(fd, address.segment(), address.length());
    }

    static long send(int fd, MemorySegment data, long size, Address address) throws Throwable {
        return (long) SENDTO.invokeExact(fd, data, size, MSG_NOSIGNAL, address.segment(), address.length());
    }

    static long receive(int fd, MemorySegment buffer) throws Throwable {
        return (long) RECV.invokeExact(fd, buffer, buffer.byteSize(), 0);
    }

    /** Makes receive() return (-1, EAGAIN) after MICROS without a datagram. */
    static int receiveTimeout(int fd, Arena arena, long micros) throws Throwable {
        MemorySegment timeval = arena.allocate(16);
        timeval.set(ValueLayout.JAVA_LONG, 0, micros / 1_000_000);
        timeval.set(ValueLayout.JAVA_LONG, 8, micros % 1_000_000);
        return (int) SETSOCKOPT.invokeExact(fd, SOL_SOCKET, SO_RCVTIMEO, timeval, 16);
    }

    static int close(int fd) throws Throwable {
        return (int) CLOSE.invokeExact(fd);
    }

    private static MethodHandle function(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor);
    }
}
