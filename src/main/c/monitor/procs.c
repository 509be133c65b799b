#include "procs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"

/* Rounds of scan-and-kill: a process that forks while it is being killed is caught in the next. */
#define ROUNDS 20
/* A scan stops at this many processes: more than a strategy's unit ever holds. */
#define MAX_FOUND 4096
/* More than a process's environment ever needs to show the two markers near its start. */
#define MAX_ENVIRON (1 << 20)

static ssize_t read_file(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        return -1;
    }
    size_t got = 0;
    while (got < size) {
        ssize_t n = read(fd, buf + got, size - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        got += (size_t)n;
    }
    close(fd);
    return (ssize_t)got;
}

int proc_stat(pid_t pid, char *state, pid_t *parent, uint64_t *start_time)
{
    char path[64], line[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    ssize_t n = read_file(path, line, sizeof line - 1);
    if (n <= 0) {
        return -1;
    }
    line[n] = '\0';
    /* the command name (field 2) may hold blanks and parentheses: fields resume after the last ')' */
    char *p = strrchr(line, ')');
    if (p == NULL || p[1] != ' ') {
        return -1;
    }
    p += 2;
    char st = *p;
    long long fields[20] = {0};
    /* fields 4..22 after the state: ppid pgrp session tty_nr tpgid flags minflt cminflt majflt
     * cmajflt utime stime cutime cstime priority nice num_threads itrealvalue starttime */
    int i = 0;
    char *save = NULL;
    for (char *tok = strtok_r(p + 1, " ", &save); tok != NULL && i < 19; tok = strtok_r(NULL, " ", &save)) {
        fields[i++] = strtoll(tok, NULL, 10);
    }
    if (i < 19) {
        return -1;
    }
    if (state) {
        *state = st;
    }
    if (parent) {
        *parent = (pid_t)fields[0];
    }
    if (start_time) {
        *start_time = (uint64_t)fields[18];
    }
    return 0;
}

int identity_alive(const struct identity *who)
{
    char state;
    uint64_t start;
    return proc_stat(who->pid, &state, NULL, &start) == 0 && start == who->start_time && state != 'Z';
}

static int has_markers(pid_t pid, const char *const markers[2], char *buf)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/environ", (int)pid);
    ssize_t n = read_file(path, buf, MAX_ENVIRON);
    if (n <= 0) {
        return 0; /* gone, or not ours to read */
    }
    int found[2] = {0, 0};
    for (char *entry = buf; entry < buf + n;) {
        size_t len = strnlen(entry, (size_t)(buf + n - entry));
        for (int m = 0; m < 2; m++) {
            if (len == strlen(markers[m]) && memcmp(entry, markers[m], len) == 0) {
                found[m] = 1;
            }
        }
        entry += len + 1;
    }
    return found[0] && found[1];
}

/* Whether PID belongs to a spared group: a hook the monitor runs beside the strategy's end, the
 * failover helpers. */
static int spared(const struct leftovers *l, pid_t pid)
{
    if (l->spare_group <= 0 && l->spare_helpers[0] <= 0 && l->spare_helpers[1] <= 0) {
        return 0;
    }
    pid_t group = getpgid(pid);
    return group > 0 && (group == l->spare_group || group == l->spare_helpers[0] || group == l->spare_helpers[1]);
}

/* The strategy's processes alive now, the monitor and a running hook excepted. */
static int find(const struct leftovers *l, struct identity *out, int max)
{
    pid_t self = getpid();
    int count = 0;
    if (l->unit_procs != NULL) {
        FILE *f = fopen(l->unit_procs, "re");
        if (f != NULL) {
            long pid;
            while (count < max && fscanf(f, "%ld", &pid) == 1) {
                struct identity who = {(pid_t)pid, 0};
                char state;
                if (who.pid != self && !spared(l, who.pid) && proc_stat(who.pid, &state, NULL, &who.start_time) == 0
                        && state != 'Z') {
                    out[count++] = who;
                }
            }
            fclose(f);
            return count;
        }
        /* the cgroup is gone (the unit is stopping): fall back to the markers */
    }
    char *buf = malloc(MAX_ENVIRON);
    DIR *proc = opendir("/proc");
    if (buf == NULL || proc == NULL) {
        free(buf);
        if (proc) {
            closedir(proc);
        }
        return 0;
    }
    struct dirent *e;
    while (count < max && (e = readdir(proc)) != NULL) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (*end != '\0' || pid <= 0 || (pid_t)pid == self) {
            continue;
        }
        struct identity who = {(pid_t)pid, 0};
        char state;
        if (!spared(l, who.pid) && has_markers(who.pid, l->markers, buf) && proc_stat(who.pid, &state, NULL, &who.start_time) == 0
                && state != 'Z') {
            out[count++] = who;
        }
    }
    closedir(proc);
    free(buf);
    return count;
}

int leftovers_kill_all(const struct leftovers *l, int64_t at_most_ns, pid_t *killed, int max)
{
    static struct identity alive[MAX_FOUND];
    int nkilled = 0;
    int64_t deadline = mono_ns() + at_most_ns;
    for (int round = 0; round < ROUNDS && mono_ns() < deadline; round++) {
        int n = find(l, alive, MAX_FOUND);
        if (n == 0) {
            break;
        }
        for (int i = 0; i < n; i++) {
            if (identity_alive(&alive[i]) && kill(alive[i].pid, SIGKILL) == 0) {
                int seen = 0;
                for (int k = 0; k < nkilled; k++) {
                    seen |= killed[k] == alive[i].pid;
                }
                if (!seen && nkilled < max) {
                    killed[nkilled++] = alive[i].pid;
                }
            }
        }
        /* wait for them to go (they are not our children: init or a subreaper reaps them) */
        for (;;) {
            int any = 0;
            for (int i = 0; i < n && !any; i++) {
                any = identity_alive(&alive[i]);
            }
            if (!any || mono_ns() >= deadline) {
                break;
            }
            struct timespec ms = {0, 1000000};
            nanosleep(&ms, NULL);
        }
    }
    return nkilled;
}

void close_descriptors_but(int keep)
{
    DIR *fds = opendir("/proc/self/fd");
    if (fds == NULL) {
        return;
    }
    int mine = dirfd(fds);
    struct dirent *e;
    while ((e = readdir(fds)) != NULL) {
        int fd = atoi(e->d_name);
        if (fd > 2 && fd != keep && fd != mine && e->d_name[0] != '.') {
            close(fd);
        }
    }
    closedir(fds);
}
