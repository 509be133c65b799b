package org.quantsupervision.notify;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * systemd's end of sd_notify, for tests: a unix datagram socket bound to a path ({@link
 * UnixDatagram}, the calls the checker sends with) and read by a thread of its own, which keeps
 * every message sent to it.
 */
public final class NotifyListener implements AutoCloseable {
    /** systemd reads at most this much of a message (NOTIFY_BUFFER_MAX). */
    private static final int BUFFER = 4096;

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
        if (name.length >= UnixDatagram.MAX_ADDRESS) {
            throw new IOException(path + ": too long for a unix socket path");
        }
        try (Arena arena = Arena.ofConfined()) {
            int fd = UnixDatagram.open();
            if (fd < 0 || UnixDatagram.bind(fd, UnixDatagram.address(arena, name)) != 0) {
                throw new IOException("cannot bind a unix datagram socket at " + path);
            }
            // recv() returns every 100 ms, so that close() ends the reader.
            if (UnixDatagram.receiveTimeout(fd, arena, 100_000) != 0) {
                throw new IOException("cannot set a receive timeout on " + path);
            }
            return new NotifyListener(path, fd);
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException("cannot listen at " + path, e);
        }
    }

    public Path path() {
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
                long n = UnixDatagram.receive(fd, buffer);
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
            int closedFd = UnixDatagram.close(fd);
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
}
