/* sd_notify, both ways.
 *
 * To the service manager: READY=1, STATUS=, WATCHDOG=1, STOPPING=1, EXTEND_TIMEOUT_USEC= on
 * $NOTIFY_SOCKET. Written here rather than linked from libsystemd: the protocol is one datagram
 * of "KEY=VALUE" lines (sd_notify(3) documents it as stable and invites reimplementation), and
 * the monitor must also run where systemd is absent.
 *
 * From the strategy: its own NOTIFY_SOCKET, a datagram socket the monitor binds in the
 * strategy's runtime directory, so that a strategy that already speaks sd_notify keeps working
 * under systemd and supervisord alike, and its READY=1 and WATCHDOG=1 mean something to the
 * monitor (readiness, progress). */
#ifndef QS_NOTIFY_H
#define QS_NOTIFY_H
#include <stdint.h>

/* What systemd reads at most of one message (NOTIFY_BUFFER_MAX). */
#define NOTIFY_MAX 4096

struct notifier {
    int fd;                 /* -1: no service manager to tell */
    char address[108];
    int address_len;
    int64_t watchdog_ns;    /* WATCHDOG_USEC for this process, 0 without a watchdog */
};

/* From $NOTIFY_SOCKET, $WATCHDOG_USEC and $WATCHDOG_PID. */
void notifier_init(struct notifier *n);
void notifier_send(const struct notifier *n, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* Binds the strategy's socket at PATH (a stale one is replaced); the descriptor, or -1. */
int notify_proxy_open(const char *path);
/* One message from the strategy into BUF (NUL-terminated); its length, or -1 when none is waiting. */
int notify_proxy_receive(int fd, char *buf, int size);

#endif
