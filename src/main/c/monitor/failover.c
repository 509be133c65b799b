#include "failover.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "clock.h"
#include "procs.h"
#include "say.h"

#define CAMPAIGNER_BACKOFF_MAX_NS (30 * 1000000000LL)

static void printable(char *s)
{
    for (; *s; s++) {
        if ((unsigned char)*s < 0x20 || *s == 0x7f) {
            *s = ' ';
        }
    }
}

struct campaign_line campaign_parse(const char *line)
{
    struct campaign_line l = {.fact = FACT_NONE};
    char word[16], rest[256] = "";
    long long a = 0, b = 0;
    int consumed = 0;
    if (sscanf(line, "%15s%n", word, &consumed) != 1) {
        return l;
    }
    const char *after = line + consumed;
    while (*after == ' ') {
        after++;
    }
    if (strcmp(word, "leader") == 0 && sscanf(after, "%lld %lld %255s", &a, &b, rest) == 3 && a > 0 && b > 0) {
        l.fact = FACT_LEADER;
        l.epoch = a;
        l.dead_by_ns = b;
        snprintf(l.text, sizeof l.text, "%s", rest);
    } else if (strcmp(word, "standby") == 0 && sscanf(after, "%lld %255s", &a, rest) == 2 && a >= 0) {
        l.fact = FACT_STANDBY;
        l.epoch = a;
        snprintf(l.text, sizeof l.text, "%s", rest);
    } else if (strcmp(word, "members") == 0 && sscanf(after, "%lld", &a) == 1 && a >= 0) {
        l.fact = FACT_MEMBERS;
        l.epoch = a;
    } else if (strcmp(word, "handover") == 0 && sscanf(after, "%255s", rest) == 1) {
        l.fact = FACT_HANDOVER;
        snprintf(l.text, sizeof l.text, "%s", rest);
    } else if (strcmp(word, "ping") == 0) {
        l.fact = FACT_PING;
    } else if (strcmp(word, "note") == 0) {
        l.fact = FACT_NOTE;
        snprintf(l.text, sizeof l.text, "%s", after);
    }
    printable(l.text);
    return l;
}


int campaigner_start(struct campaigner *c, const char *launcher, char **args, int nargs)
{
    char *argv[64];
    if (nargs > 60) {
        errno = E2BIG;
        return -1;
    }
    argv[0] = (char *)launcher;
    argv[1] = "campaign";
    for (int i = 0; i < nargs; i++) {
        argv[i + 2] = args[i];
    }
    argv[nargs + 2] = NULL;
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC) != 0) {
        return -1;
    }
    if (pipe2(out, O_CLOEXEC) != 0) {
        close(in[0]);
        close(in[1]);
        return -1;
    }
    pid_t monitor = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGPIPE, SIG_DFL);
        /* a group of its own: the leftover sweep and the strategy's group signals spare it (the
         * parent sets it too, so that no sweep between the fork and this line finds it in the
         * monitor's group) */
        setpgid(0, 0);
        /* dead with the monitor: no lease is renewed for a host whose runner is gone */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != monitor) {
            _exit(127);
        }
        dup2(in[0], 0);
        dup2(out[1], 1);
        close_descriptors_but(-1);
        execv(launcher, argv);
        fprintf(stderr, "quant-supervision: campaign: cannot run %s: %s\n", launcher, strerror(errno));
        _exit(127);
    }
    if (pid > 0) {
        setpgid(pid, pid);
    }
    close(in[0]);
    close(out[1]);
    if (pid < 0) {
        close(in[1]);
        close(out[0]);
        return -1;
    }
    fcntl(out[0], F_SETFL, O_NONBLOCK);
    fcntl(in[1], F_SETFL, O_NONBLOCK);
    c->pid = pid;
    c->to_fd = in[1];
    c->from_fd = out[0];
    c->len = 0;
    c->started_ns = mono_ns();
    return 0;
}

void campaigner_send(struct campaigner *c, const char *word)
{
    if (c->to_fd < 0) {
        return;
    }
    char line[64];
    int n = snprintf(line, sizeof line, "%s\n", word);
    /* a few bytes into an empty pipe: one write, never blocking (its reader reads at once) */
    if (write(c->to_fd, line, (size_t)n) != n) {
        say("cannot tell the campaigner \"%s\": %s", word, strerror(errno));
    }
}

int campaigner_read(struct campaigner *c, void (*on_line)(const char *line))
{
    char buf[4096];
    for (;;) {
        ssize_t n = read(c->from_fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return n < 0 && errno == EAGAIN;
        }
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] == '\n') {
                c->line[c->len] = '\0';
                on_line(c->line);
                c->len = 0;
            } else if (c->len < sizeof c->line - 1) {
                c->line[c->len++] = buf[i];
            }
        }
    }
}

void campaigner_exited(struct campaigner *c, int64_t now_ns)
{
    if (c->to_fd >= 0) {
        close(c->to_fd);
        c->to_fd = -1;
    }
    if (c->from_fd >= 0) {
        close(c->from_fd);
        c->from_fd = -1;
    }
    c->pid = 0;
    /* one that ran for a minute had no problem starting: the next starts after 1 s again */
    if (now_ns - c->started_ns > 60 * 1000000000LL) {
        c->failures = 0;
    }
    int64_t delay = 1000000000LL << (c->failures < 5 ? c->failures : 5);
    c->restart_at_ns = now_ns + (delay < CAMPAIGNER_BACKOFF_MAX_NS ? delay : CAMPAIGNER_BACKOFF_MAX_NS);
    c->failures++;
}

/* The guard's messages: ARM comes with the strategy's pidfd (SCM_RIGHTS), EXTEND moves the
 * deadline, DISARM forgets it. */
enum guard_op { GUARD_ARM = 1, GUARD_EXTEND, GUARD_DISARM };
struct guard_message {
    int32_t op;
    int32_t pid;
    int64_t dead_by_ns;
};

static void guard_kill(int *pidfd, pid_t *group, const char *why)
{
    say("fence guard: %s: SIGKILL to strategy pid %d and its process group", why, (int)*group);
    syscall(SYS_pidfd_send_signal, *pidfd, SIGKILL, NULL, 0);
    /* the leader is dead but not reaped (its parent, the monitor, is not running): the group id
     * cannot have been reused */
    kill(-*group, SIGKILL);
    close(*pidfd);
    *pidfd = -1;
    *group = 0;
}

static void guard_loop(int fd)
{
    int pidfd = -1;
    pid_t group = 0;
    int64_t dead_by = 0;
    for (;;) {
        int timeout = -1;
        if (pidfd >= 0) {
            int64_t left = dead_by - mono_ns();
            if (left <= 0) {
                guard_kill(&pidfd, &group, "the monitor did not end the strategy by its fence deadline");
                continue;
            }
            timeout = (int)(left / 1000000) + 1;
        }
        struct pollfd p = {fd, POLLIN, 0};
        int n = poll(&p, 1, timeout);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n == 0) {
            continue;
        }
        struct guard_message msg;
        char control[CMSG_SPACE(sizeof(int))];
        struct iovec iov = {&msg, sizeof msg};
        struct msghdr h = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control};
        ssize_t got = n < 0 ? -1 : recvmsg(fd, &h, MSG_CMSG_CLOEXEC);
        if (got <= 0) {
            /* the monitor is gone: nobody supervises the strategy any more, and the lease lapses */
            if (pidfd >= 0) {
                guard_kill(&pidfd, &group, "the monitor is gone");
            }
            _exit(0);
        }
        if (got != (ssize_t)sizeof msg) {
            continue;
        }
        struct cmsghdr *cm = CMSG_FIRSTHDR(&h);
        if (msg.op == GUARD_ARM && cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS) {
            if (pidfd >= 0) {
                close(pidfd);
            }
            memcpy(&pidfd, CMSG_DATA(cm), sizeof pidfd);
            group = msg.pid;
            dead_by = msg.dead_by_ns;
        } else if (msg.op == GUARD_EXTEND && pidfd >= 0 && msg.pid == group) {
            dead_by = msg.dead_by_ns;
        } else if (msg.op == GUARD_DISARM && pidfd >= 0) {
            close(pidfd);
            pidfd = -1;
            group = 0;
        }
    }
}

int fence_guard_start(struct fence_guard *g)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        /* Not the monitor's signals: SIGTERM and the rest stay blocked (from main), so a stop
         * signal to the unit does not end the guard before the monitor; it ends when the
         * monitor's end of the socket closes. */
        setpgid(0, 0); /* and by the parent, as for the campaigner */
        close(sv[0]);
        close_descriptors_but(sv[1]); /* the instance locks too: the guard must never hold them */
        guard_loop(sv[1]);
        _exit(0);
    }
    if (pid > 0) {
        setpgid(pid, pid);
    }
    close(sv[1]);
    if (pid < 0) {
        close(sv[0]);
        return -1;
    }
    g->pid = pid;
    g->fd = sv[0];
    return 0;
}

static void guard_send(struct fence_guard *g, struct guard_message *msg, int pass_fd)
{
    if (g->fd < 0) {
        return;
    }
    char control[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {msg, sizeof *msg};
    struct msghdr h = {.msg_iov = &iov, .msg_iovlen = 1};
    if (pass_fd >= 0) {
        memset(control, 0, sizeof control);
        h.msg_control = control;
        h.msg_controllen = sizeof control;
        struct cmsghdr *cm = CMSG_FIRSTHDR(&h);
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cm), &pass_fd, sizeof pass_fd);
    }
    if (sendmsg(g->fd, &h, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
        say("cannot reach the fence guard: %s", strerror(errno));
    }
}

void fence_guard_arm(struct fence_guard *g, pid_t pid, int64_t dead_by_ns)
{
    struct guard_message msg = {GUARD_EXTEND, (int32_t)pid, dead_by_ns};
    if (g->armed != pid) {
        int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
        if (pidfd < 0) {
            return; /* gone already: its exit is being reported */
        }
        msg.op = GUARD_ARM;
        guard_send(g, &msg, pidfd);
        close(pidfd);
        g->armed = pid;
    } else {
        guard_send(g, &msg, -1);
    }
}

void fence_guard_disarm(struct fence_guard *g)
{
    struct guard_message msg = {GUARD_DISARM, 0, 0};
    if (g->armed) {
        guard_send(g, &msg, -1);
        g->armed = 0;
    }
}
