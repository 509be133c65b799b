/* What the monitor leaves for others to read, in the formats the Java side reads
 * (record/RunnerRecord.java, record/EventLog.java, clock/MomentJson.java):
 *  - runner.json, what it is doing, for the health checker, `status` and the next runner;
 *    written to a temporary file and renamed, so readers never see half of it;
 *  - events.jsonl, one JSON object per line, the events the health checker turns into alerts.
 * JSON is written by hand: two fixed shapes, no parsing, and no JSON library in C here. */
#ifndef QS_RECORDS_H
#define QS_RECORDS_H
#include <stdint.h>
#include <sys/types.h>

struct snapshot {
    const char *name;
    const char *state;
    pid_t runner_pid;
    uint64_t runner_start_time;
    pid_t runner_parent_pid;
    pid_t child_pid;
    uint64_t child_start_time;
    int64_t child_started_wall_ms;   /* 0: no strategy process */
    int64_t child_started_mono_ms;
    int restarts;
    int crash_streak;
    int last_exit_code;              /* -1: none */
    int last_exit_signal;            /* -1: none */
    int64_t backoff_ms;
    const char *manager_kind, *manager_unit, *manager_supervisor_url, *manager_supervisor_process;
    /* failover mode: NULL role without it; "leader" or "standby", the epoch (the leader key's
     * revision, 0 unknown) and the leader's host ("" unknown) */
    const char *failover_role;
    int64_t failover_epoch;
    const char *failover_leader;
    int64_t failover_since_ms;       /* when that leader (or none) became known; 0 never */
    int failover_others;             /* other hosts campaigning, -1 not known yet */
};

/* What an event may tell beyond its message, each field written only when set: a crash (pid,
 * how it ended, core, uptime, restarts so far), a hook (which one), and the last lines of output.
 * The field names are record/ readers' (the crashed and hook-failed events of events.jsonl). */
struct event_details {
    int pid;          /* 0: none */
    int exit_code;    /* -1: none */
    int signal;       /* -1: none */
    int core_dumped;  /* -1: not known */
    int64_t uptime_ms; /* -1: none */
    int restarts;     /* -1: none */
    const char *hook; /* NULL: none */
    const char *const *output;
    int output_lines; /* 0: no "output" */
};
#define EVENT_DETAILS_NONE {0, -1, -1, -1, -1, -1, NULL, NULL, 0}

/* 0, or -1 with errno set. */
int snapshot_write(const char *file, const struct snapshot *s);
/* Appends EVENT with MESSAGE to STATE_DIR/events.jsonl in one write; says so when it cannot. */
void event_append(const char *state_dir, const char *strategy, const char *event, const char *message);
/* The same, with DETAILS after the message. */
void event_append_details(const char *state_dir, const char *strategy, const char *event, const char *message,
        const struct event_details *details);

#endif
