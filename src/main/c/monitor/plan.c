#include "plan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { TEXT, OPTIONAL_TEXT, COUNT, INTEGER, FLAG };

struct field {
    const char *key;
    enum kind kind;
    size_t offset;
};

#define F(key, kind, member) {key, kind, offsetof(struct plan, member)}
static const struct field FIELDS[] = {
    F("name", TEXT, name),
    F("runtime_dir", TEXT, runtime_dir),
    F("state_dir", TEXT, state_dir),
    F("log_dir", TEXT, log_dir),
    F("lock_file", TEXT, lock_file),
    F("status_file", TEXT, status_file),
    F("restart_request", TEXT, restart_request),
    F("notify_socket", TEXT, notify_socket),
    F("directory", TEXT, directory),
    F("heartbeat_file", OPTIONAL_TEXT, heartbeat_file),
    F("heartbeat_max_age_ns", COUNT, heartbeat_max_age_ns),
    F("start_grace_ns", COUNT, start_grace_ns),
    F("restart_delay_initial_ns", COUNT, restart_delay_initial_ns),
    F("restart_delay_max_ns", COUNT, restart_delay_max_ns),
    F("restart_reset_after_ns", COUNT, restart_reset_after_ns),
    F("give_up_window_ns", COUNT, give_up_window_ns),
    F("stop_timeout_ns", COUNT, stop_timeout_ns),
    F("manager_stop_deadline_ns", COUNT, manager_stop_deadline_ns),
    F("give_up_after", INTEGER, give_up_after),
    F("stop_command_timeout_ns", COUNT, stop_command_timeout_ns),
    F("crash_command_timeout_ns", COUNT, crash_command_timeout_ns),
    F("halt_file", OPTIONAL_TEXT, halt_file),
    F("log_file", OPTIONAL_TEXT, log_file),
    F("log_max_bytes", COUNT, log_max_bytes),
    F("log_backups", INTEGER, log_backups),
    F("unit_procs", OPTIONAL_TEXT, unit_procs),
    F("parent_death_signal", FLAG, parent_death_signal),
    F("manager_kind", TEXT, manager_kind),
    F("manager_unit", TEXT, manager_unit),
    F("manager_supervisor_url", TEXT, manager_supervisor_url),
    F("manager_supervisor_process", TEXT, manager_supervisor_process),
    F("failover", FLAG, failover),
    F("fence_timeout_ns", COUNT, fence_timeout_ns),
    F("fence_kill_slack_ns", COUNT, fence_kill_slack_ns),
};
#define NFIELDS (sizeof FIELDS / sizeof FIELDS[0])

static int push(char ***list, int *count, char *value)
{
    char **grown = realloc(*list, sizeof **list * (size_t)(*count + 2));
    if (grown == NULL) {
        return -1;
    }
    grown[(*count)++] = value;
    grown[*count] = NULL;
    *list = grown;
    return 0;
}

int plan_parse(struct plan *p, char *text, size_t len, char *error, size_t error_size)
{
    memset(p, 0, sizeof *p);
    int seen[NFIELDS] = {0};
    if (len == 0 || text[len - 1] != '\0') {
        snprintf(error, error_size, "the plan is empty or its last record is unfinished");
        return -1;
    }
    for (char *record = text, *next; record < text + len; record = next) {
        next = record + strlen(record) + 1;
        char *eq = strchr(record, '=');
        if (eq == NULL) {
            snprintf(error, error_size, "plan record '%.40s' has no '='", record);
            return -1;
        }
        *eq = '\0';
        char *value = eq + 1;
        /* the lists: a record per item, in order */
        char ***list = NULL;
        int *count = NULL;
        if (strcmp(record, "arg") == 0) {
            list = &p->argv, count = &p->argc;
        } else if (strcmp(record, "env") == 0) {
            list = &p->envp, count = &p->envc;
        } else if (strcmp(record, "mask") == 0) {
            list = &p->masks, count = &p->maskc;
        } else if (strcmp(record, "stop_arg") == 0) {
            list = &p->stop_argv, count = &p->stop_argc;
        } else if (strcmp(record, "crash_arg") == 0) {
            list = &p->crash_argv, count = &p->crash_argc;
        }
        if (list != NULL) {
            int bad = push(list, count, value);
            if (bad) {
                snprintf(error, error_size, "out of memory reading the plan");
                return -1;
            }
            continue;
        }
        size_t i = 0;
        while (i < NFIELDS && strcmp(FIELDS[i].key, record) != 0) {
            i++;
        }
        if (i == NFIELDS) {
            snprintf(error, error_size, "unknown plan record '%.40s'", record);
            return -1;
        }
        seen[i] = 1;
        void *at = (char *)p + FIELDS[i].offset;
        char *end;
        errno = 0;
        switch (FIELDS[i].kind) {
        case TEXT:
        case OPTIONAL_TEXT:
            *(char **)at = value;
            break;
        case COUNT:
            *(int64_t *)at = strtoll(value, &end, 10);
            if (errno || *end || *(int64_t *)at < 0) {
                snprintf(error, error_size, "plan record %s='%.40s' is not a count", record, value);
                return -1;
            }
            break;
        case INTEGER:
        case FLAG: {
            long v = strtol(value, &end, 10);
            if (errno || *end || v < 0 || v > 1000000000 || (FIELDS[i].kind == FLAG && v > 1)) {
                snprintf(error, error_size, "plan record %s='%.40s' is out of range", record, value);
                return -1;
            }
            *(int *)at = (int)v;
            break;
        }
        }
    }
    for (size_t i = 0; i < NFIELDS; i++) {
        if (!seen[i] && FIELDS[i].kind != OPTIONAL_TEXT) {
            snprintf(error, error_size, "the plan has no record %s", FIELDS[i].key);
            return -1;
        }
    }
    if (p->argc == 0) {
        snprintf(error, error_size, "the plan has no command (arg records)");
        return -1;
    }
    if (p->envp == NULL && (p->envp = calloc(1, sizeof *p->envp)) == NULL) {
        snprintf(error, error_size, "out of memory reading the plan");
        return -1;
    }
    return 0;
}
