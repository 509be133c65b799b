/* The plan: everything the monitor needs to run one strategy, worked out by the JVM
 * (`quant-supervision prepare NAME`: env.conf read and checked, the strategy's environment,
 * directories, the manager above) and handed over on a pipe as "key=value" records, each ended
 * by a NUL (values may hold newlines; keys are fixed words). The format is private to the two
 * halves of one package, written by cli/PrepareCommand.java; a record the monitor does not know
 * is an error, so that the halves never disagree silently. */
#ifndef QS_PLAN_H
#define QS_PLAN_H
#include <stddef.h>
#include <stdint.h>

struct plan {
    char *name;
    char *runtime_dir, *state_dir, *log_dir;
    char *lock_file, *status_file, *restart_request, *notify_socket;
    char *directory;
    char **argv;            /* NULL-terminated */
    int argc;
    char **envp;            /* NULL-terminated: the strategy's, less markers and NOTIFY_SOCKET */
    int envc;
    char **stop_argv, **crash_argv; /* NULL-terminated, or NULL: STOP_COMMAND, CRASH_COMMAND */
    int stop_argc, crash_argc;
    int64_t stop_command_timeout_ns, crash_command_timeout_ns;
    char *halt_file;        /* NULL: no kill switch (its presence halts the strategy) */
    char **masks;           /* NULL-terminated, or NULL: values of the strategy's secrets (lastlines.h) */
    int maskc;
    char *heartbeat_file;   /* NULL: none */
    int64_t heartbeat_max_age_ns, start_grace_ns, restart_delay_initial_ns, restart_delay_max_ns;
    int64_t restart_reset_after_ns, give_up_window_ns, stop_timeout_ns, manager_stop_deadline_ns;
    int give_up_after;
    char *log_file;         /* NULL: the output goes where the monitor's goes (the journal) */
    int64_t log_max_bytes;
    int log_backups;
    char *unit_procs;       /* the unit's cgroup.procs under systemd, else NULL */
    int parent_death_signal;
    char *manager_kind, *manager_unit, *manager_supervisor_url, *manager_supervisor_process;
    int failover;               /* FAILOVER=yes: run only while the campaigner says leader (failover.h) */
    int64_t fence_timeout_ns;   /* FAILOVER_FENCE_TIMEOUT: a fence's SIGTERM to its SIGKILL */
    int64_t fence_kill_slack_ns; /* the fence's SIGKILL comes this long before the deadline, the guard's at it
                                  * (FailoverConfig.FENCE_KILL_SLACK) */
};

/* Parses the LEN bytes of TEXT (kept: the plan points into it). 0, or -1 with a message in
 * ERROR naming the record. */
int plan_parse(struct plan *p, char *text, size_t len, char *error, size_t error_size);

#endif
