/* Processes as /proc shows them: a pid with its start time (a pid alone may be reused), and
 * the strategy's leftovers: every process of it but the monitor, which a crash or a stop must
 * never leave trading beside the next copy. Under systemd they are the members of the unit's
 * cgroup (which no process of the strategy's account can leave); anywhere else, the processes
 * that carry the marker variables (one that clears its environment escapes that scan, which is
 * why systemd is the layer to run strategies under). */
#ifndef QS_PROCS_H
#define QS_PROCS_H
#include <stdint.h>
#include <sys/types.h>

struct identity {
    pid_t pid;
    uint64_t start_time; /* /proc/PID/stat field 22, clock ticks since boot */
};

/* Fields of /proc/PID/stat; 0 on success, -1 when there is no such process. */
int proc_stat(pid_t pid, char *state, pid_t *parent, uint64_t *start_time);
/* Alive, not a zombie, and still the process recorded. */
int identity_alive(const struct identity *who);

struct leftovers {
    const char *unit_procs;         /* the unit's cgroup.procs, or NULL: scan for the markers */
    const char *markers[2];         /* "K=V" set in the environment of every strategy process */
    pid_t spare_group;              /* a process group that is no leftover (a hook running now), 0 */
    pid_t spare_helpers[2];         /* the failover campaigner's and fence guard's groups, 0 */
};

/* SIGKILLs every leftover, in rounds (one that forks while it is being killed is caught in the
 * next), until none is left or AT_MOST_NS has passed. Writes the pids killed to KILLED (at most
 * MAX) and returns how many. */
int leftovers_kill_all(const struct leftovers *l, int64_t at_most_ns, pid_t *killed, int max);

/* Closes every descriptor above standard error but KEEP (-1: none): for what the monitor forks (the
 * strategy gets only its standard streams, whatever the monitor inherited from its manager, as
 * the JDK's ProcessBuilder did; the fence guard holds no instance lock). */
void close_descriptors_but(int keep);

#endif
