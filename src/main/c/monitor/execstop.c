/*
 * The unit's ExecStop= (systemd/quant-strategy@.service): the runner's own stop, before systemd's.
 *
 * KillMode=control-group sends the stop's SIGTERM to every process of the unit at once: the
 * strategy would get it at the same instant as the runner, before STOP_COMMAND could cancel its
 * orders, and the hook itself would get it too. systemd runs ExecStop= first and applies KillMode=
 * only once it has returned, so this asks the runner to stop (STOP_COMMAND, then the strategy's
 * SIGTERM, STOP_TIMEOUT, SIGKILL of what is left) and returns when the runner has exited; systemd's
 * kill then finds nothing or leftovers. The deadline is systemd's: TimeoutStopSec=, which the
 * runner extends at its stop (EXTEND_TIMEOUT_USEC=), ends this too.
 *
 * control-group stays for the case without a stop: a runner killed by -9 or the OOM killer has
 * its strategy killed with it at once. systemd then runs ExecStop= with $MAINPID unset, and this
 * returns at once.
 *
 * A pidfd names the runner: a pid that is reused meanwhile is never signalled.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "execstop.h"
#include "exits.h"

int exec_stop(int argc, char **argv)
{
    if (argc < 3 || argv[2][0] == '\0') {
        return EXIT_STOPPED; /* $MAINPID unset: the runner has exited already */
    }
    char *end;
    errno = 0;
    long pid = strtol(argv[2], &end, 10);
    if (errno != 0 || *end != '\0' || pid <= 1 || pid > 0x7fffffffL || argc > 3) {
        fprintf(stderr, "usage: quant-monitor stop [PID]\n");
        return EXIT_USAGE;
    }
    int fd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
    if (fd < 0) {
        if (errno == ESRCH) {
            return EXIT_STOPPED; /* gone meanwhile */
        }
        fprintf(stderr, "quant-supervision: stop: pidfd_open(%ld): %s\n", pid, strerror(errno));
        return EXIT_SOFTWARE;
    }
    if (syscall(SYS_pidfd_send_signal, fd, SIGTERM, NULL, 0) < 0 && errno != ESRCH) {
        fprintf(stderr, "quant-supervision: stop: SIGTERM to %ld: %s\n", pid, strerror(errno));
        close(fd);
        return EXIT_SOFTWARE;
    }
    /* A pidfd is readable once its process has exited. */
    struct pollfd p = {.fd = fd, .events = POLLIN};
    while (poll(&p, 1, -1) < 0 && errno == EINTR) {
    }
    close(fd);
    return EXIT_STOPPED;
}
