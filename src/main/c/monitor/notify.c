#include "notify.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

void notifier_init(struct notifier *n)
{
    n->fd = -1;
    n->watchdog_ns = 0;
    const char *socket_path = getenv("NOTIFY_SOCKET");
    if (socket_path != NULL && (socket_path[0] == '/' || socket_path[0] == '@')
            && strlen(socket_path) < sizeof n->address) {
        size_t len = strlen(socket_path);
        memcpy(n->address, socket_path, len);
        if (n->address[0] == '@') {
            n->address[0] = '\0'; /* the abstract namespace */
        }
        n->address_len = (int)(offsetof(struct sockaddr_un, sun_path) + len + (socket_path[0] == '/' ? 1 : 0));
        n->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    }
    const char *usec = getenv("WATCHDOG_USEC");
    const char *pid = getenv("WATCHDOG_PID");
    if (usec != NULL && (pid == NULL || atol(pid) == (long)getpid())) {
        long long us = atoll(usec);
        if (us > 0) {
            n->watchdog_ns = us * 1000;
        }
    }
}

void notifier_send(const struct notifier *n, const char *format, ...)
{
    if (n->fd < 0) {
        return;
    }
    char message[NOTIFY_MAX];
    va_list ap;
    va_start(ap, format);
    int len = vsnprintf(message, sizeof message, format, ap);
    va_end(ap);
    if (len < 0) {
        return;
    }
    if (len >= (int)sizeof message) {
        len = (int)sizeof message - 1;
    }
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    memcpy(a.sun_path, n->address, (size_t)n->address_len - offsetof(struct sockaddr_un, sun_path));
    /* a lost notification is the manager's to notice (a missed pet, a start timeout) */
    while (sendto(n->fd, message, (size_t)len, MSG_NOSIGNAL, (struct sockaddr *)&a, (socklen_t)n->address_len) < 0
            && errno == EINTR) {
    }
}

int notify_proxy_open(const char *path)
{
    struct sockaddr_un a;
    if (strlen(path) >= sizeof a.sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    unlink(path);
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        return -1;
    }
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    strcpy(a.sun_path, path);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

int notify_proxy_receive(int fd, char *buf, int size)
{
    ssize_t n;
    do {
        n = recv(fd, buf, (size_t)size - 1, 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        return -1;
    }
    buf[n] = '\0';
    return (int)n;
}
