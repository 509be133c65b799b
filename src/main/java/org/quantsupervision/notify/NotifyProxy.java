package org.quantsupervision.notify;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
 * runner's umask and the directory's owner), read by one daemon thread ({@link UnixDatagram}).
 */
public final class NotifyProxy implements AutoCloseable {
    /** sd_notify messages are small; systemd itself reads at most this much (NOTIFY_BUFFER_MAX). */
    private static final int BUFFER = 4096;

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
        if (name.length >= UnixDatagram.MAX_ADDRESS) {
            throw new IOException(path + ": too long for a unix socket path");
        }
        try (Arena arena = Arena.ofConfined()) {
            int fd = UnixDatagram.open();
            if (fd < 0) {
                throw new IOException("socket(AF_UNIX, SOCK_DGRAM) failed");
            }
            if (UnixDatagram.bind(fd, UnixDatagram.address(arena, name)) != 0) {
                UnixDatagram.close(fd);
                throw new IOException("cannot bind the strategy's notify socket " + path);
            }
            // receive() returns every 200 ms, so close() can end the reader thread.
            UnixDatagram.receiveTimeout(fd, arena, 200_000);
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
                long n = UnixDatagram.receive(fd, buffer);
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
            UnixDatagram.close(fd);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            throw new IOException(e);
        }
        Files.deleteIfExists(path);
    }
}
