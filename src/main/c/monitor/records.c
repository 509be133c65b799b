#include "records.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "say.h"

/* A growing text with a fixed room: more than any record ever needs (runner.json is ~1 KB; a
 * crash event with its last lines of output, each escaped, at most ~40 KB). */
struct text {
    char buf[65536];
    size_t len;
    int overflow;
};

static void put(struct text *t, const char *format, ...) __attribute__((format(printf, 2, 3)));

static void put(struct text *t, const char *format, ...)
{
    if (t->overflow) {
        return;
    }
    va_list ap;
    va_start(ap, format);
    int n = vsnprintf(t->buf + t->len, sizeof t->buf - t->len, format, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof t->buf - t->len) {
        t->overflow = 1;
        return;
    }
    t->len += (size_t)n;
}

/* A JSON string: quotes, backslashes and control characters escaped; other bytes as they are
 * (the strings are the strategy's name, fixed words and the monitor's messages). */
static void put_string(struct text *t, const char *s)
{
    put(t, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            put(t, "\\%c", *p);
        } else if (*p < 0x20 || *p == 0x7f) {
            put(t, "\\u%04x", *p);
        } else {
            put(t, "%c", *p);
        }
    }
    put(t, "\"");
}

static void put_nullable(struct text *t, int value)
{
    if (value < 0) {
        put(t, "null");
    } else {
        put(t, "%d", value);
    }
}

int snapshot_write(const char *file, const struct snapshot *s)
{
    static struct text t;
    t.len = 0;
    t.overflow = 0;
    put(&t, "{\"name\":");
    put_string(&t, s->name);
    put(&t, ",\"state\":\"%s\",\"runner_pid\":%d,\"runner_start_time\":%" PRIu64 ",\"runner_parent_pid\":%d",
            s->state, (int)s->runner_pid, s->runner_start_time, (int)s->runner_parent_pid);
    put(&t, ",\"child_pid\":%d,\"child_start_time\":%" PRIu64 ",\"child_started_at\":%" PRId64,
            (int)s->child_pid, s->child_start_time, s->child_started_wall_ms);
    if (s->child_started_wall_ms != 0) {
        put(&t, ",\"child_started_moment\":{\"wall_ms\":%" PRId64 ",\"monotonic_ms\":%" PRId64 ",\"boot_id\":",
                s->child_started_wall_ms, s->child_started_mono_ms);
        put_string(&t, boot_id());
        put(&t, "}");
    }
    put(&t, ",\"restarts\":%d,\"crash_streak\":%d,\"last_exit_code\":", s->restarts, s->crash_streak);
    put_nullable(&t, s->last_exit_code);
    put(&t, ",\"last_exit_signal\":");
    put_nullable(&t, s->last_exit_signal);
    put(&t, ",\"backoff_ms\":%" PRId64 ",\"updated_at\":%" PRId64 ",\"manager\":{\"kind\":", s->backoff_ms, wall_ms());
    put_string(&t, s->manager_kind);
    put(&t, ",\"unit\":");
    put_string(&t, s->manager_unit);
    put(&t, ",\"supervisor_url\":");
    put_string(&t, s->manager_supervisor_url);
    put(&t, ",\"supervisor_process\":");
    put_string(&t, s->manager_supervisor_process);
    put(&t, "}");
    if (s->failover_role != NULL) {
        put(&t, ",\"failover\":{\"role\":\"%s\",\"epoch\":%" PRId64 ",\"leader\":", s->failover_role,
                s->failover_epoch);
        put_string(&t, s->failover_leader);
        put(&t, ",\"since\":%" PRId64 ",\"others\":%d}", s->failover_since_ms, s->failover_others);
    }
    put(&t, "}");
    if (t.overflow) {
        errno = EOVERFLOW;
        return -1;
    }
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", file) >= (int)sizeof tmp) {
        errno = ENAMETOOLONG;
        return -1;
    }
    /* O_NOFOLLOW|O_TRUNC on our own directory's file: a planted link is refused, not followed */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0640);
    if (fd < 0) {
        return -1;
    }
    ssize_t n = write(fd, t.buf, t.len);
    int e = errno;
    if (close(fd) != 0 || n != (ssize_t)t.len) {
        errno = n < 0 ? e : EIO;
        return -1;
    }
    return rename(tmp, file);
}

void event_append(const char *state_dir, const char *strategy, const char *event, const char *message)
{
    struct event_details none = EVENT_DETAILS_NONE;
    event_append_details(state_dir, strategy, event, message, &none);
}

static void put_details(struct text *t, const struct event_details *d)
{
    if (d->pid > 0) {
        put(t, ",\"pid\":%d", d->pid);
    }
    if (d->exit_code >= 0) {
        put(t, ",\"exit_code\":%d", d->exit_code);
    }
    if (d->signal >= 0) {
        put(t, ",\"signal\":%d", d->signal);
    }
    if (d->core_dumped >= 0) {
        put(t, ",\"core_dumped\":%s", d->core_dumped ? "true" : "false");
    }
    if (d->uptime_ms >= 0) {
        put(t, ",\"uptime_ms\":%" PRId64, d->uptime_ms);
    }
    if (d->restarts >= 0) {
        put(t, ",\"restarts\":%d", d->restarts);
    }
    if (d->hook) {
        put(t, ",\"hook\":");
        put_string(t, d->hook);
    }
    if (d->output_lines > 0) {
        put(t, ",\"output\":[");
        for (int i = 0; i < d->output_lines; i++) {
            if (i > 0) {
                put(t, ",");
            }
            put_string(t, d->output[i]);
        }
        put(t, "]");
    }
}

void event_append_details(const char *state_dir, const char *strategy, const char *event, const char *message,
        const struct event_details *details)
{
    static struct text t;
    t.len = 0;
    t.overflow = 0;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct tm utc;
    gmtime_r(&now.tv_sec, &utc);
    char when[64];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &utc);
    /* time first, so lines sort by time; an ISO-8601 instant as Java's Instant.parse reads it */
    put(&t, "{\"time\":\"%s.%03ldZ\",\"strategy\":", when, now.tv_nsec / 1000000);
    put_string(&t, strategy);
    put(&t, ",\"event\":");
    put_string(&t, event);
    put(&t, ",\"message\":");
    put_string(&t, message);
    put_details(&t, details);
    put(&t, "}\n");
    char file[4096];
    snprintf(file, sizeof file, "%s/events.jsonl", state_dir);
    int fd = t.overflow ? -1 : open(file, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0640);
    if (fd < 0) {
        say("could not record the event '%s' in %s: %s", event, state_dir, t.overflow ? "too long" : strerror(errno));
        return;
    }
    /* one write of one line: concurrent appenders do not interleave */
    if (write(fd, t.buf, t.len) != (ssize_t)t.len) {
        say("could not record the event '%s' in %s: %s", event, state_dir, strerror(errno));
    }
    close(fd);
}
