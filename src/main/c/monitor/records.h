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
};

/* 0, or -1 with errno set. */
int snapshot_write(const char *file, const struct snapshot *s);
/* Appends EVENT with MESSAGE to STATE_DIR/events.jsonl in one write; says so when it cannot. */
void event_append(const char *state_dir, const char *strategy, const char *event, const char *message);

#endif
