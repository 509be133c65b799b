package org.quantsupervision.notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Keeps what is told to the service manager, in order: the tests' systemd. */
public final class RecordingNotifier implements Notifier {
    private final List<String> messages = Collections.synchronizedList(new ArrayList<>());
    private final Optional<Duration> watchdog;

    /** Without a watchdog (no WatchdogSec=). */
    public RecordingNotifier() {
        this(null);
    }

    /** With systemd's WatchdogSec= set to WATCHDOG. */
    public RecordingNotifier(Duration watchdog) {
        this.watchdog = Optional.ofNullable(watchdog);
    }

    public List<String> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    @Override
    public Optional<Duration> watchdogInterval() {
        return watchdog;
    }

    @Override
    public void send(String message) {
        messages.add(message);
    }
}
