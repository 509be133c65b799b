/* Failover mode (FAILOVER=yes): the same strategy enabled on several hosts, run by whichever
 * holds its leader key in etcd. Two helpers of the monitor live here:
 *
 *  - the campaigner, `quant-supervision campaign NAME` (cli/CampaignCommand.java, a JVM: etcd's
 *    v3 JSON gateway over java.net.http, see etcd/EtcdClient.java), holds the lease and tells the
 *    monitor, one line on its standard output per fact, what this host may do:
 *        leader EPOCH DEAD_BY_NS HOST  this host (HOST) leads: run the strategy; it must be dead by
 *                                    DEAD_BY_NS (CLOCK_MONOTONIC) unless a later line moves it
 *        standby EPOCH HOST          another host (HOST, "-" when none) leads; do not run it
 *        handover HOST               a planned switchover to HOST: stop the strategy, then say released
 *        members N                   N other hosts campaign (each with a live lease): the health check's standbys
 *        note TEXT                   a line for the status (etcd unreachable, ...)
 *        ping                        before each renewal of a leader: is the monitor running?
 *    and reads the monitor's answers on its standard input:
 *        ack                         the leader line was taken: only then does it renew again, so a
 *                                    monitor that is frozen lets the lease lapse (the standby takes over)
 *        pong                        the answer to ping: the renewal goes ahead (a stopped monitor
 *                                    gets its lease renewed no more: the lease's end is at most a
 *                                    TTL after it stopped)
 *        fenced                      the strategy was ended at its deadline: the lease is no longer ours
 *        released                    the strategy is down (a handover): drop the key, stay a candidate
 *        withdraw                    the strategy is down and stays down (a stop, a halt): drop the key
 *                                    and do not stand until "campaign"
 *        campaign                    stand for election again (a halt was lifted)
 *  - the fence guard, a fork of the monitor in a process group of its own: it SIGKILLs the
 *    strategy at DEAD_BY when the monitor has not ended it by then, i.e. when the monitor itself is
 *    stopped (SIGSTOP, a debugger) or hung: a leader frozen past its lease never trades on when it
 *    thaws. It also kills the strategy at once when the monitor dies. ARCHITECTURE.md section 3,
 *    "Failover", has the timing inequality. */
#ifndef QS_FAILOVER_H
#define QS_FAILOVER_H
#include <stdint.h>
#include <sys/types.h>

/* One line from the campaigner, parsed. */
enum campaign_fact { FACT_NONE, FACT_LEADER, FACT_STANDBY, FACT_HANDOVER, FACT_MEMBERS, FACT_NOTE, FACT_PING };

struct campaign_line {
    enum campaign_fact fact;
    int64_t epoch;                 /* or, for FACT_MEMBERS, the count */
    int64_t dead_by_ns;
    char text[256]; /* HOST or the note, printable */
};

/* Parses LINE (without its newline); FACT_NONE for anything malformed. */
struct campaign_line campaign_parse(const char *line);

struct campaigner {
    pid_t pid;         /* 0: none runs */
    int to_fd;         /* its standard input, -1 */
    int from_fd;       /* its standard output, -1 */
    char line[512];
    size_t len;
    int64_t started_ns, restart_at_ns;
    int failures;      /* exits in a row, for the back-off of its restart */
};

/* Starts LAUNCHER campaign ARGS (NAME and run's options, as prepare got them) with the monitor's
 * environment, in its own process group, killed by the kernel when the monitor dies; 0, or -1
 * with errno. */
int campaigner_start(struct campaigner *c, const char *launcher, char **args, int nargs);
/* Sends WORD and a newline; a campaigner that is gone is noticed by its exit. */
void campaigner_send(struct campaigner *c, const char *word);
/* Reads what it wrote: calls ON_LINE for every whole line; 0 at its end, 1 while more may come. */
int campaigner_read(struct campaigner *c, void (*on_line)(const char *line));
/* After its exit: closes both pipes; when to try again (a back-off of 1 s doubling to 30 s). */
void campaigner_exited(struct campaigner *c, int64_t now_ns);

struct fence_guard {
    pid_t pid;   /* 0: none */
    int fd;      /* the monitor's end of the socket, -1 */
    pid_t armed; /* the strategy it guards, 0 */
};

/* Forks the guard, which keeps no descriptor but its socket (never the instance locks); 0, or -1
 * with errno. */
int fence_guard_start(struct fence_guard *g);
/* Arms the guard for strategy PID (the leader of its process group) with DEAD_BY_NS; again with a
 * later deadline at every renewal. */
void fence_guard_arm(struct fence_guard *g, pid_t pid, int64_t dead_by_ns);
/* The strategy is gone (reaped): the guard forgets it. */
void fence_guard_disarm(struct fence_guard *g);

#endif
