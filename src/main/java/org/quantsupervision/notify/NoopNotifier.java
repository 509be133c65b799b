package org.quantsupervision.notify;

import java.time.Duration;
import java.util.Optional;

/** Without a service manager to notify (supervisord, a terminal): nothing to send. */
final class NoopNotifier implements Notifier {

    @Override
    public Optional<Duration> watchdogInterval() {
        return Optional.empty();
    }

    @Override
    public void send(String message) {
    }
}
