package org.quantsupervision.notify;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** sd_notify(3): one datagram of KEY=VALUE lines to the socket systemd named in NOTIFY_SOCKET. */
final class SystemdNotifier implements Notifier {
    private final byte[] address;
    private final Optional<Duration> watchdogInterval;
    private int fd = -1;

    SystemdNotifier(String socket, Optional<Duration> watchdogInterval) {
        byte[] path = socket.getBytes(StandardCharsets.UTF_8);
        if (path[0] == '@') {
            path[0] = 0; // abstract namespace: "@name" means a leading NUL
        }
        if (path.length >= UnixDatagram.MAX_ADDRESS) {
            throw new IllegalArgumentException("NOTIFY_SOCKET is longer than a unix socket address may be");
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
                fd = UnixDatagram.open();
                if (fd < 0) {
                    return;
                }
            }
            MemorySegment data = arena.allocate(bytes.length);
            MemorySegment.copy(bytes, 0, data, ValueLayout.JAVA_BYTE, 0, bytes.length);
            // Best effort, like sd_notify(3): a failure (systemd gone at shutdown) is ignored.
            UnixDatagram.send(fd, data, bytes.length, UnixDatagram.address(arena, address));
        } catch (Throwable e) {
            throw new IllegalStateException("sd_notify could not be called", e);
        }
    }
}
