package org.quantsupervision.notify;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The service manager's notification protocol (sd_notify(3)), as the resident health checker
 * and demo speak it (the runner's monitor speaks it in C: src/main/c/monitor).
 * {@link #fromEnvironment} picks the real one when systemd gave us a NOTIFY_SOCKET, and a no-op
 * one otherwise (supervisord, a terminal), so callers never branch on where they run.
 */
public interface Notifier {

    /** READY=1: the service finished starting up. */
    default void ready(String status) {
        send("READY=1\nSTATUS=" + status);
    }

    /** STATUS=: one line shown by systemctl status. */
    default void status(String status) {
        send("STATUS=" + status);
    }

    /** WATCHDOG=1: alive and making progress. */
    default void watchdog() {
        send("WATCHDOG=1");
    }

    /** STOPPING=1: shutting down. */
    default void stopping(String status) {
        send("STOPPING=1\nSTATUS=" + status);
    }

    /** EXTEND_TIMEOUT_USEC=: more time for a slow start or stop. */
    default void extendTimeout(Duration by) {
        send("EXTEND_TIMEOUT_USEC=" + by.toNanos() / 1000);
    }

    /** The interval at which systemd expects WATCHDOG=1, if it asked for it. */
    Optional<Duration> watchdogInterval();

    /** Sends one datagram of KEY=VALUE lines; failures are ignored (sd_notify is best effort). */
    void send(String message);

    /**
     * The notifier for this process: systemd's if NOTIFY_SOCKET is set. The watchdog applies
     * when WATCHDOG_USEC is set and WATCHDOG_PID is unset or this process's pid.
     */
    static Notifier fromEnvironment(Map<String, String> environment) {
        String socket = environment.get("NOTIFY_SOCKET");
        if (socket == null || socket.isEmpty()) {
            return new NoopNotifier();
        }
        Optional<Duration> watchdog = Optional.ofNullable(environment.get("WATCHDOG_USEC"))
                .filter(usec -> {
                    String pid = environment.get("WATCHDOG_PID");
                    return pid == null || pid.equals(Long.toString(ProcessHandle.current().pid()));
                })
                .map(usec -> Duration.ofNanos(Long.parseLong(usec.trim()) * 1000));
        return new SystemdNotifier(socket, watchdog);
    }
}
