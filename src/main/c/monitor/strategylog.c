#include "strategylog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static void close_quietly(struct strategylog *log)
{
    if (log->fd >= 0) {
        close(log->fd);
    }
    log->fd = -1;
}

void strategylog_open(struct strategylog *log)
{
    log->fd = open(log->file, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0640);
    struct stat st;
    if (log->fd >= 0 && fstat(log->fd, &st) == 0) {
        log->dev = st.st_dev;
        log->ino = st.st_ino;
        log->size = st.st_size;
    } else {
        close_quietly(log);
    }
}

void strategylog_reopen(struct strategylog *log)
{
    close_quietly(log);
    strategylog_open(log);
}

void strategylog_close(struct strategylog *log)
{
    close_quietly(log);
}

/* True if FILE is still the file open for writing (not renamed away, deleted or replaced). */
static int still_open_file(const struct strategylog *log)
{
    struct stat st;
    return log->fd >= 0 && lstat(log->file, &st) == 0 && st.st_dev == log->dev && st.st_ino == log->ino;
}

static void backup_name(const struct strategylog *log, int i, char *out, size_t size)
{
    snprintf(out, size, "%s.%d", log->file, i);
}

/* Shifts FILE.1..N-1 to FILE.2..N and FILE to FILE.1, then opens a new FILE. Only when FILE is
 * there to move: a rotation that cannot move it (gone, renamed by logrotate) keeps every backup
 * and only reopens, so repeated attempts never eat FILE.1..N. */
static void rotate(struct strategylog *log)
{
    close_quietly(log);
    struct stat st;
    if (lstat(log->file, &st) == 0 && S_ISREG(st.st_mode)) {
        char from[4200], to[4200], why[4400];
        backup_name(log, log->backups, to, sizeof to);
        unlink(to);
        for (int i = log->backups - 1; i >= 1; i--) {
            backup_name(log, i, from, sizeof from);
            backup_name(log, i + 1, to, sizeof to);
            rename(from, to); /* a gap in the backups (ENOENT): nothing to shift */
        }
        backup_name(log, 1, to, sizeof to);
        if (rename(log->file, to) != 0) {
            snprintf(why, sizeof why, "cannot rotate %s (%s): writing on", log->file, strerror(errno));
            log->report(why, 0);
        }
    }
    strategylog_open(log);
}

/* Writes LINE and a newline in one write; 0, or -1 if it failed. */
static int write_whole(struct strategylog *log, const char *line, size_t len)
{
    struct iovec parts[3] = {{"\n", log->mid_line ? 1 : 0}, {(void *)line, len}, {"\n", 1}};
    size_t total = parts[0].iov_len + len + 1;
    size_t done = 0;
    while (done < total) {
        /* skip what was written: a short write resumes where it stopped */
        struct iovec rest[3];
        int n = 0;
        size_t skip = done;
        for (int i = 0; i < 3; i++) {
            if (skip >= parts[i].iov_len) {
                skip -= parts[i].iov_len;
                continue;
            }
            rest[n].iov_base = (char *)parts[i].iov_base + skip;
            rest[n].iov_len = parts[i].iov_len - skip;
            skip = 0;
            n++;
        }
        ssize_t w = writev(log->fd, rest, n);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            int e = w < 0 ? errno : EIO;
            log->mid_line = done > parts[0].iov_len || (log->mid_line && done == 0);
            if (log->lost == 0) {
                char why[4400];
                snprintf(log->lost_because, sizeof log->lost_because, "%s", strerror(e));
                snprintf(why, sizeof why, "cannot write the strategy's output to %s (%s): dropping lines until it can",
                        log->file, log->lost_because);
                log->report(why, 0);
            }
            struct stat st;
            log->size = fstat(log->fd, &st) == 0 ? st.st_size : log->size;
            return -1;
        }
        done += (size_t)w;
    }
    log->size += (int64_t)total;
    log->mid_line = 0;
    return 0;
}

static void lose(struct strategylog *log)
{
    if (log->lost == 0 && log->lost_because[0] == '\0') {
        char why[4400];
        snprintf(log->lost_because, sizeof log->lost_because, "cannot open %s", log->file);
        snprintf(why, sizeof why, "%s: dropping lines until it can be", log->lost_because);
        log->report(why, 0);
    }
    log->lost++;
}

void strategylog_write_line(struct strategylog *log, const char *line, size_t len)
{
    if (!still_open_file(log)) {
        strategylog_reopen(log);
        if (log->fd < 0) {
            lose(log);
            return;
        }
    }
    if (log->size > 0 && log->size + (int64_t)len + 1 > log->max_bytes) {
        rotate(log);
        if (log->fd < 0) {
            lose(log);
            return;
        }
    }
    if (log->lost > 0) {
        char note[512];
        int n = snprintf(note, sizeof note, "quant-supervision: %lld lines of output lost (%s)", log->lost,
                log->lost_because);
        if (write_whole(log, note, (size_t)(n < (int)sizeof note ? n : (int)sizeof note - 1)) != 0) {
            lose(log);
            return;
        }
        char why[512];
        snprintf(why, sizeof why, "%lld lines of the strategy's output were lost (%s); writing again", log->lost,
                log->lost_because);
        log->report(why, 1);
        log->lost = 0;
        log->lost_because[0] = '\0';
    }
    if (write_whole(log, line, len) != 0) {
        lose(log);
    }
}
