/*
 * The sample strategy of the failover harness (tests/container/failover-lib.sh): it tells, from
 * the strategy's own side, whether two hosts ever ran it at once. Installed in every strategy
 * container as /usr/local/bin/registry-strategy (built static on the machine: no runtime of the
 * container is needed), run by the runner like any strategy.
 *
 *   registry-strategy [REGISTRY_DIR]     default /srv/registry, the directory every host shares
 *
 * Every line goes to REGISTRY_DIR/log, appended (O_APPEND) with one write(2), so lines of
 * different hosts never interleave; all containers share the machine's kernel, so their
 * CLOCK_REALTIME stamps compare. A line is
 *
 *   NS HOST PID EPOCH EVENT [ARG]
 *
 * NS: CLOCK_REALTIME in ns; HOST: gethostname(); PID: in the container; EPOCH:
 * $QUANT_SUPERVISION_EPOCH or "-"; EVENT:
 *   START          first thing after exec
 *   OVERLAP        the registry's lock was held by another live copy (on any host): a double run
 *   LOCK WAITED_MS the lock is ours (WAITED_MS > 0 after an OVERLAP: the old copy ended)
 *   BEAT SEQ       every 20 ms while holding the lock: a copy SIGKILLed has its last sign of
 *                  life at most 20 ms before its death
 *   STOP           SIGTERM received; exits 0 at once
 *
 * The lock is an exclusive flock(2) on REGISTRY_DIR/lock, taken without waiting first. The
 * kernel drops it only when the process is dead (the fd is O_CLOEXEC and nothing forks), so an
 * OVERLAP line is exact where BEAT lines are approximate to 20 ms. A frozen (SIGSTOPped) copy still
 * holds the lock: it is alive.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

static int log_fd = -1;
static char host[256];
static char epoch[64];

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* One line, one write: async-signal-safe (snprintf on integers and strings does not allocate in
 * glibc), so the SIGTERM handler may use it too. */
static void record(const char *event, long long arg, int has_arg)
{
    char line[512];
    int n;
    if (has_arg)
        n = snprintf(line, sizeof line, "%lld %s %d %s %s %lld\n", now_ns(), host, (int)getpid(), epoch,
                     event, arg);
    else
        n = snprintf(line, sizeof line, "%lld %s %d %s %s\n", now_ns(), host, (int)getpid(), epoch, event);
    if (n > 0 && write(log_fd, line, (size_t)n) != n)
        _exit(75);
}

static void on_term(int sig)
{
    (void)sig;
    record("STOP", 0, 0);
    _exit(0);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "/srv/registry";
    char path[4096];
    const char *e = getenv("QUANT_SUPERVISION_EPOCH");

    if (gethostname(host, sizeof host - 1) != 0)
        strcpy(host, "unknown");
    snprintf(epoch, sizeof epoch, "%s", e && *e ? e : "-");
    /* No blanks in the fields the analyser splits. */
    for (char *p = epoch; *p; p++)
        if (*p == ' ' || *p == '\t' || *p == '\n')
            *p = '_';

    snprintf(path, sizeof path, "%s/log", dir);
    log_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
    if (log_fd < 0) {
        fprintf(stderr, "registry-strategy: cannot open %s: %s\n", path, strerror(errno));
        return 73;
    }
    record("START", 0, 0);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_term;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    snprintf(path, sizeof path, "%s/lock", dir);
    int lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (lock_fd < 0) {
        fprintf(stderr, "registry-strategy: cannot open %s: %s\n", path, strerror(errno));
        return 73;
    }
    long long asked = now_ns();
    if (flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK) {
            fprintf(stderr, "registry-strategy: flock %s: %s\n", path, strerror(errno));
            return 74;
        }
        record("OVERLAP", 0, 0);
        fprintf(stderr, "registry-strategy: OVERLAP: another copy holds %s; waiting for it\n", path);
        while (flock(lock_fd, LOCK_EX) != 0)
            if (errno != EINTR) {
                fprintf(stderr, "registry-strategy: flock %s: %s\n", path, strerror(errno));
                return 74;
            }
    }
    record("LOCK", (now_ns() - asked) / 1000000, 1);
    printf("registry-strategy on %s: running, pid %d, epoch %s\n", host, (int)getpid(), epoch);
    fflush(stdout);

    struct timespec beat = {0, 20 * 1000 * 1000};
    for (long long seq = 1;; seq++) {
        record("BEAT", seq, 1);
        while (nanosleep(&beat, &beat) != 0 && errno == EINTR)
            ;
        beat.tv_sec = 0;
        beat.tv_nsec = 20 * 1000 * 1000;
    }
}
