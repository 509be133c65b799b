/* quant-monitor: the resident half of `quant-supervision run NAME`, one per strategy.
 *
 * Why a small C program and not the JVM: a JVM costs ~32 MiB of private memory per strategy
 * (55 MiB PSS installed, measured), so twenty strategies cost 28 times what supervisord costs for
 * twenty programs; a JVM running every strategy's runner would still cost 72-87 MiB and could
 * not put each strategy in its own sandboxed unit; systemd as the restarter (the strategy as the
 * unit's main process) restarts in 75-108 ms against 5-12 ms, because every restart sets up the
 * unit's sandbox again. This monitor keeps the unit's sandbox (it is the unit's main process and
 * forks every restart inside it), restarts in milliseconds, and costs ~0.3 MiB. The JVM runs
 * where it must: `quant-supervision prepare` (cli/PrepareCommand.java) reads and checks
 * env.conf, takes over from an orphaned runner, ends what an earlier one left behind, and hands
 * this program a plan (plan.h); it then exits.
 *
 * One thread makes every decision, from an epoll loop over signals (signalfd), the strategy's
 * own sd_notify messages, its output (without a journal) and one timer for the time-based ones;
 * every state change goes through change_state. runner.json and events.jsonl are read by the Java
 * side (record/RunnerRecord.java, health/), which is why their formats are fixed (records.h).
 *
 *   quant-monitor run NAME [OPTIONS]   as the launcher execs it; OPTIONS go to prepare
 *
 * Exit status: 0 stopped; 69 gave up (too many crashes); 75 another runner has the strategy;
 * 70 internal error; otherwise prepare's (2 usage, 78 bad env.conf). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backoff.h"
#include "clock.h"
#include "execstop.h"
#include "exits.h"
#include "failover.h"
#include "lastlines.h"
#include "notify.h"
#include "plan.h"
#include "procs.h"
#include "records.h"
#include "say.h"
#include "strategylog.h"

/* How long a strategy's exit that a SIGTERM the monitor did not send may have caused waits for
 * the monitor's own stop signal before it counts as a crash. systemd (KillMode=control-group) and
 * supervisord (stopasgroup) signal the monitor and the strategy together, and the strategy's exit
 * can be seen first: restarting it then would start a copy during the stop, which may trade on
 * start-up. A TERM from anyone else only delays that restart by this much. */
#define STOP_SIGNAL_GRACE_MS 250
/* How long the output of an exited strategy may take to be written. */
#define DRAIN_MS 200
/* A line longer than this is written in pieces of this size. */
#define LINE_MAX_BYTES 65536

/* How long a stopping runner waits for its campaigner to give up the leader key (a standby then
 * takes over at once instead of after the lease's TTL). */
#define WITHDRAW_WAIT_MS 3000

enum state { STARTING, RUNNING, BACKOFF, STOPPING, STOPPED, FATAL, HALTED, STANDBY };
static const char *const STATE_NAMES[] = {"STARTING", "RUNNING", "BACKOFF", "STOPPING", "STOPPED", "FATAL", "HALTED",
        "STANDBY"};
static const char *const STATE_WORDS[] = {"starting", "running", "backoff", "stopping", "stopped", "fatal", "halted",
        "standby"};

/* Each state names the states it may be entered from; change_state refuses any other move (as
 * supervisord's change_state asserts). The names are runner.json's (record/RunnerState.java). */
static int allowed_from(enum state next, enum state from)
{
    switch (next) {
    case STARTING: /* the first start, a restart after back-off, at once after a crash or a replacement, a resume,
                    * the election won */
        return from == STOPPED || from == BACKOFF || from == STARTING || from == RUNNING || from == STOPPING
                || from == HALTED || from == STANDBY;
    case RUNNING:
        return from == STARTING;
    case BACKOFF:
    case FATAL:
        return from == STARTING || from == RUNNING || from == STOPPING;
    case STOPPING: /* a stop before the first start, or of a strategy running, starting, waiting to, halted,
                    * standing by; a fence */
        return from == STOPPED || from == STARTING || from == RUNNING || from == BACKOFF || from == HALTED
                || from == STANDBY;
    case STOPPED:
        return from == STOPPING;
    case HALTED: /* the kill switch: after its stop, or at once with no strategy running */
        return from == STOPPING || from == STOPPED || from == BACKOFF || from == STANDBY;
    case STANDBY: /* failover: from the start, after a fence or a handover, a halt lifted; a lost lease in
                   * back-off; a restart that finds the lease gone */
        return from == STOPPED || from == STOPPING || from == BACKOFF || from == HALTED || from == STARTING
                || from == RUNNING;
    }
    return 0;
}

/* A hook the monitor runs in the strategy's environment, bounded by its timeout: STOP_COMMAND
 * before a deliberate stop's SIGTERM, CRASH_COMMAND after a crash and before the restart. */
struct hook {
    pid_t pid; /* 0: none runs */
    const char *name;
    int64_t started_ns, deadline_ns;
    int killed;
    int out_fd; /* its output, -1 */
    char line[1024];
    size_t len;
    struct lastlines last;
};

static struct {
    struct plan plan;
    struct notifier notifier;
    struct backoff backoff;
    struct leftovers leftovers;
    struct strategylog log;
    int has_log;
    struct lastlines last; /* the current run's last lines, for its crash event */
    int signal_fd, proxy_fd, timer_fd, epoll_fd;
    int out_fd; /* the strategy's output, -1 */
    char out_line[LINE_MAX_BYTES + 1]; /* + the newline flush_line adds */
    size_t out_len;

    enum state state;
    pid_t child; /* 0: none */
    uint64_t child_start_time;
    int64_t child_started_ns, child_started_wall_ms, child_started_mono_ms;
    int restarts;
    int last_exit_code, last_exit_signal; /* -1: none */
    int64_t restart_at_ns;
    int ready;
    int64_t next_watchdog_ns, next_heartbeat_check_ns, heartbeat_check_period_ns;
    int request_pending;    /* the runtime directory changed: a restart request may be there */
    int inotify_fd;
    int hang; /* the last check's finding */
    char hang_reason[64];
    int child_pings;
    int64_t last_child_ping_ns;
    char child_status[512];
    int64_t stopped_since_ns; /* 0 while the strategy is not stopped (SIGSTOP): from its SIGCHLD */
    int64_t kill_at_ns;
    int kill_sent;
    char stop_requested[16]; /* the first stop signal, "" while none */
    char stop_why[64];       /* the stop being carried out, "" before begin_stop */
    char replace_why[512];   /* the replacement under way, "" while none */
    struct hook hook;        /* STOP_COMMAND or CRASH_COMMAND, while one runs */
    int stop_hook_ran;       /* STOP_COMMAND ran for the strategy's current run */
    int terminate_after_hook; /* SIGTERM the strategy once STOP_COMMAND is done */
    int fatal_after_hook;    /* gave up: FATAL once the hook is done */
    int halting;             /* the kill switch is stopping the strategy: HALTED, not a restart */
    int halt_pending;        /* the halt file's directory changed: look again */
    int halt_wd;             /* its inotify watch, -1 */
    int reload_pending;
    struct identity self;
    pid_t parent;
    struct timespec heartbeat_mtime;
    int64_t heartbeat_progress_ns;
    cpu_set_t strategy_cpus;
    int strategy_cpus_differ;
    char launcher[PATH_MAX + 32]; /* quant-supervision beside this program */
    char **run_args;              /* NAME and run's options, as prepare got them */
    int run_nargs;
    /* failover mode (failover.h) */
    struct campaigner camp;
    struct fence_guard guard;
    int leader;              /* the campaigner's last word: this host may run the strategy until dead_by_ns */
    int64_t epoch;           /* the leader key's revision while leader (QUANT_SUPERVISION_EPOCH) */
    int64_t dead_by_ns;      /* CLOCK_MONOTONIC: the strategy must be dead by then unless renewed */
    int64_t other_epoch;     /* as a standby: the leader's */
    char leader_host[256];   /* as a standby: the leader's host, "" unknown */
    int64_t leader_since_wall_ms;
    char failover_note[256]; /* the campaigner's last note (etcd unreachable...) */
    int fencing;             /* the strategy is being ended at its deadline: STANDBY, not a restart */
    int handing_over;        /* a planned switchover is stopping it: STANDBY, then "released" */
    int withdrawn;           /* halted: not standing for election */
    int others;              /* other hosts campaigning (the campaigner's members line), -1 unknown */
} m;

static void begin_stop(const char *why);
static void start_child(void);
static void start_hook(const char *name, char **argv, int64_t timeout_ns);
static void on_hook_exited(int status);
static void enter_halted(void);
static void enter_standby(void);
static void fence(const char *why);
static void after_fence(pid_t dead, int status);
static void on_campaign_line(const char *line);

static int64_t ms(int64_t ns)
{
    return ns / NS_PER_MS;
}

/* CLOCK_MONOTONIC time at which a fence begins (its SIGTERM). */
static int64_t fence_at(void)
{
    return m.dead_by_ns - m.plan.fence_timeout_ns - m.plan.fence_kill_slack_ns;
}

/* Whether this host may run the strategy now: always, or in failover mode while it leads and its
 * fence has not begun. */
static int may_run(void)
{
    return !m.plan.failover || (m.leader && mono_ns() < fence_at());
}

/* "signal N" or "status N" for a child's STATUS as reap() hands it over (128+N for signal N). */
static const char *status_text(int status, char *buf, size_t size)
{
    if (status > 128) {
        snprintf(buf, size, "signal %d", status - 128);
    } else {
        snprintf(buf, size, "status %d", status);
    }
    return buf;
}

static const char *exit_text(char *buf, size_t size)
{
    if (m.last_exit_signal >= 0) {
        snprintf(buf, size, "signal %d", m.last_exit_signal);
    } else {
        snprintf(buf, size, "status %d", m.last_exit_code);
    }
    return buf;
}

/* As a standby: "standby, leader HOST (epoch E) since 2026-12-03 09:15:02 UTC" (the note when
 * no leader is known). */
static const char *standby_summary(char *buf, size_t size)
{
    if (!m.leader_host[0] || strcmp(m.leader_host, "-") == 0) {
        snprintf(buf, size, "standby, no leader%s%s", m.failover_note[0] ? ": " : "", m.failover_note);
        return buf;
    }
    char since[32] = "?";
    time_t t = (time_t)(m.leader_since_wall_ms / 1000);
    struct tm tm;
    if (gmtime_r(&t, &tm)) {
        strftime(since, sizeof since, "%Y-%m-%d %H:%M:%S UTC", &tm);
    }
    snprintf(buf, size, "standby, leader %s (epoch %" PRId64 ") since %s", m.leader_host, m.other_epoch, since);
    return buf;
}

/* One line for systemctl status. */
static const char *summary(char *buf, size_t size)
{
    if (m.state == STANDBY) {
        return standby_summary(buf, size);
    }
    char pid[32], last[48] = "", text[24];
    if (m.child) {
        snprintf(pid, sizeof pid, "%d", (int)m.child);
    } else {
        snprintf(pid, sizeof pid, "none");
    }
    if (m.last_exit_code >= 0 || m.last_exit_signal >= 0) {
        snprintf(last, sizeof last, ", last exit %s", exit_text(text, sizeof text));
    }
    int n = snprintf(buf, size, "%s, pid %s, restarts %d%s", STATE_WORDS[m.state], pid, m.restarts, last);
    if (m.plan.failover && m.leader && n > 0 && (size_t)n < size) {
        n += snprintf(buf + n, size - (size_t)n, ", leader, epoch %" PRId64, m.epoch);
    }
    if (m.child_status[0] && n > 0 && (size_t)n < size) {
        snprintf(buf + n, size - (size_t)n, ": %s", m.child_status);
    }
    return buf;
}

static void write_snapshot(void)
{
    struct snapshot s = {
        .name = m.plan.name,
        .state = STATE_NAMES[m.state],
        .runner_pid = m.self.pid,
        .runner_start_time = m.self.start_time,
        .runner_parent_pid = m.parent,
        .child_pid = m.child,
        .child_start_time = m.child ? m.child_start_time : 0,
        .child_started_wall_ms = m.child ? m.child_started_wall_ms : 0,
        .child_started_mono_ms = m.child ? m.child_started_mono_ms : 0,
        .restarts = m.restarts,
        .crash_streak = m.backoff.streak,
        .last_exit_code = m.last_exit_code,
        .last_exit_signal = m.last_exit_signal,
        .backoff_ms = 0,
        .manager_kind = m.plan.manager_kind,
        .manager_unit = m.plan.manager_unit,
        .manager_supervisor_url = m.plan.manager_supervisor_url,
        .manager_supervisor_process = m.plan.manager_supervisor_process,
        .failover_role = m.plan.failover ? (m.leader ? "leader" : "standby") : NULL,
        .failover_epoch = m.leader ? m.epoch : m.other_epoch,
        .failover_leader = m.leader_host,
        .failover_since_ms = m.leader_since_wall_ms,
        .failover_others = m.others,
    };
    if (m.state == BACKOFF) {
        int64_t left = m.restart_at_ns - mono_ns();
        s.backoff_ms = left > 0 ? ms(left) : 0;
    }
    if (snapshot_write(m.plan.status_file, &s) != 0) {
        say("cannot write %s: %s", m.plan.status_file, strerror(errno));
    }
}

/* Rewrites runner.json and, once ready, the status line: at every change of state, and when what
 * they show changes without one (failover's leader, note, standbys). */
static void refresh(void)
{
    write_snapshot();
    if (m.ready) {
        char line[1024];
        notifier_send(&m.notifier, "STATUS=%s", summary(line, sizeof line));
    }
}

/* Moves to NEXT, which must allow the current state as its source. */
static void change_state(enum state next)
{
    if (!allowed_from(next, m.state)) {
        say("internal error: runner in state %s cannot move to %s", STATE_NAMES[m.state], STATE_NAMES[next]);
        exit(EXIT_SOFTWARE);
    }
    m.state = next;
    refresh();
}

/* STARTING -> RUNNING, after START_GRACE or the strategy's own READY=1; READY=1 to systemd once. */
static void become_running(void)
{
    change_state(RUNNING);
    if (!m.ready) {
        m.ready = 1;
        char line[1024];
        notifier_send(&m.notifier, "READY=1\nSTATUS=%s", summary(line, sizeof line));
    }
}

static void signal_group(int sig)
{
    if (m.child) {
        kill(-m.child, sig);
    }
}

/* SIGTERM (and SIGCONT, should it be stopped) to the strategy's group; SIGKILL is due at STOP_TIMEOUT. */
static void terminate_child(void)
{
    signal_group(SIGTERM);
    signal_group(SIGCONT);
    m.kill_at_ns = mono_ns() + m.plan.stop_timeout_ns;
    m.kill_sent = 0;
}

/* Ends the strategy in order: its STOP_COMMAND first where one is set (once a run: cancel its
 * orders, flatten), then SIGTERM; a hook that cannot even start is reported and the stop goes on. */
static void end_child(void)
{
    if (m.plan.stop_argv && !m.stop_hook_ran && !m.hook.pid) {
        m.stop_hook_ran = 1;
        start_hook("STOP_COMMAND", m.plan.stop_argv, m.plan.stop_command_timeout_ns);
        if (m.hook.pid) {
            m.terminate_after_hook = 1; /* the hook's end sends the SIGTERM */
            return;
        }
    }
    terminate_child();
}

/* Replaces the running strategy because of WHY (a hang, the checker's request, its own
 * WATCHDOG=trigger): SIGTERM now, SIGKILL at the deadline; its exit counts as a crash. */
static void replace(const char *why)
{
    if (!m.child || m.state == STOPPING) {
        return;
    }
    say("replacing strategy pid %d: %s", (int)m.child, why);
    snprintf(m.replace_why, sizeof m.replace_why, "%s", why);
    end_child();
    change_state(STOPPING);
}

/* SIGKILLs what the exited strategy LEADER forked into its own process group (the group id cannot
 * be reused while any member lives) and waits, briefly, until the group is empty: those are the
 * strategy's workers, ended with it, not leftovers that escaped it (end_leftovers reports those). */
static void kill_group(pid_t leader)
{
    if (kill(-leader, SIGKILL) != 0) {
        return; /* no one left in the group */
    }
    /* The members are the monitor's to reap (it is their subreaper, see main): a zombie still
     * counts as a member for kill(2), so reap them while waiting. */
    int64_t deadline = mono_ns() + DRAIN_MS * NS_PER_MS;
    while (kill(-leader, 0) == 0 && mono_ns() < deadline) {
        while (waitpid(-leader, NULL, WNOHANG) > 0) { /* only the group's: a hook or the strategy may be exiting */
        }
        if (kill(-leader, 0) != 0) {
            break;
        }
        struct timespec one = {0, 1000000};
        nanosleep(&one, NULL);
    }
}

/* Ends whatever strategy pid PID (0: none known) forked and detached from its process group:
 * called whenever no strategy of this monitor runs, so that none of it trades beside the next. */
static void end_leftovers(pid_t pid)
{
    pid_t killed[64];
    int n = leftovers_kill_all(&m.leftovers, m.plan.stop_timeout_ns, killed, 64);
    if (n > 0) {
        char list[64 * 12] = "", by[48];
        size_t len = 0;
        for (int i = 0; i < n && len < sizeof list; i++) {
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%d", i ? ", " : "", (int)killed[i]);
        }
        if (pid) {
            snprintf(by, sizeof by, "strategy pid %d", (int)pid);
        } else {
            snprintf(by, sizeof by, "a previous strategy");
        }
        say("killed pid [%s] left behind by %s", list, by);
    }
}

/* Writes all LEN bytes of BUF to FD, or gives up at the first error. */
static void write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return;
        }
        buf += n;
        len -= (size_t)n;
    }
}

/* The strategy's output, line by line: kept among the last lines, and written to strategy.log
 * or, under systemd, on to the journal (the monitor's standard output, the unit's stream; the
 * lines keep the unit's SyslogIdentifier and level prefixes, but carry the monitor's pid). */
static void flush_line(void)
{
    lastlines_add(&m.last, m.out_line, m.out_len);
    if (m.has_log) {
        strategylog_write_line(&m.log, m.out_line, m.out_len);
    } else {
        m.out_line[m.out_len] = '\n'; /* the buffer has room for it: see read_output */
        write_all(1, m.out_line, m.out_len + 1);
    }
    m.out_len = 0;
}

static void close_output(void)
{
    if (m.out_fd >= 0) {
        epoll_ctl(m.epoll_fd, EPOLL_CTL_DEL, m.out_fd, NULL);
        close(m.out_fd);
        m.out_fd = -1;
    }
    if (m.out_len > 0) {
        flush_line(); /* a last line without newline, before a crash */
    }
}

/* Reads what the strategy wrote; 0 at its end (every writer closed it), 1 while more may come. */
static int read_output(void)
{
    char buf[8192];
    for (;;) {
        ssize_t n = read(m.out_fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return errno == EAGAIN ? 1 : 0;
        }
        if (n == 0) {
            return 0;
        }
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] == '\n' || m.out_len == LINE_MAX_BYTES) {
                flush_line();
                if (buf[i] == '\n') {
                    continue;
                }
            }
            m.out_line[m.out_len++] = buf[i];
        }
    }
}

/* Waits briefly for the output of an exited strategy to be written. */
static void drain_output(void)
{
    if (m.out_fd < 0) {
        return;
    }
    int64_t deadline = mono_ns() + DRAIN_MS * NS_PER_MS;
    while (read_output()) {
        int64_t left = deadline - mono_ns();
        if (left <= 0) {
            break;
        }
        struct pollfd p = {m.out_fd, POLLIN, 0};
        poll(&p, 1, (int)(ms(left) + 1));
    }
    close_output();
}

/* Reads every pending signal: a stop (the first one counts), a reload; SIGCHLD is reaped by the caller. */
static void read_signals(void)
{
    struct signalfd_siginfo si;
    while (read(m.signal_fd, &si, sizeof si) == (ssize_t)sizeof si) {
        if ((si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT) && !m.stop_requested[0]) {
            snprintf(m.stop_requested, sizeof m.stop_requested, "%s", si.ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT");
        } else if (si.ssi_signo == SIGHUP) {
            m.reload_pending = 1;
        }
    }
}

/* The stop this exit is part of, if any: one already requested, or one that arrives within
 * STOP_SIGNAL_GRACE of an exit a stop's SIGTERM may have caused: death by SIGTERM, SIGINT or
 * SIGHUP, or a plain exit (a strategy that catches SIGTERM to flatten its positions exits 0 or
 * 1). A death by SIGKILL or a crash signal (SEGV, ABRT, BUS...) is no stop's doing. */
static const char *stopping(int status)
{
    int maybe_stop = status < 128 || status == 128 + SIGTERM || status == 128 + SIGINT || status == 128 + SIGHUP;
    if (!m.stop_requested[0] && maybe_stop) {
        int64_t deadline = mono_ns() + STOP_SIGNAL_GRACE_MS * NS_PER_MS;
        for (int64_t left; !m.stop_requested[0] && (left = deadline - mono_ns()) > 0;) {
            struct pollfd p = {m.signal_fd, POLLIN, 0};
            poll(&p, 1, (int)(ms(left) + 1));
            read_signals();
        }
    }
    return m.stop_requested[0] ? m.stop_requested : NULL;
}

/* Records the exit of strategy pid DEAD, which no stop asked for, as an event with its last lines
 * of output: "crashed" (what the health checker alerts on, within one of its rounds, although
 * the strategy is back by then), or "replaced" when the monitor ended it itself (a hang, the
 * checker's request: those were reported by whoever asked). */
static void report_exit(pid_t dead, int status, int core_dumped, int64_t uptime)
{
    struct event_details d = EVENT_DETAILS_NONE;
    const char *lines[LASTLINES_COUNT];
    d.pid = (int)dead;
    if (status > 128 && status < 128 + 65) {
        d.signal = status - 128;
        d.core_dumped = core_dumped;
    } else {
        d.exit_code = status;
        d.core_dumped = 0;
    }
    d.uptime_ms = ms(uptime);
    d.restarts = m.restarts;
    d.output = lines;
    d.output_lines = lastlines_get(&m.last, lines);
    char how[96], message[768];
    if (d.signal >= 0) {
        snprintf(how, sizeof how, "signal %d (%s)%s", d.signal, sigabbrev_np(d.signal) ? sigabbrev_np(d.signal) : "?",
                core_dumped ? ", core dumped" : "");
    } else {
        snprintf(how, sizeof how, "status %d", d.exit_code);
    }
    if (m.replace_why[0]) {
        snprintf(message, sizeof message, "strategy pid %d ended (%s) after %" PRId64 " ms, replaced: %s", (int)dead,
                how, d.uptime_ms, m.replace_why);
        event_append_details(m.plan.state_dir, m.plan.name, "replaced", message, &d);
        m.replace_why[0] = '\0';
    } else {
        snprintf(message, sizeof message, "strategy pid %d exited (%s) after %" PRId64 " ms", (int)dead, how,
                d.uptime_ms);
        event_append_details(m.plan.state_dir, m.plan.name, "crashed", message, &d);
    }
}

/* The strategy exited with STATUS (128+N for signal N): if a stop is under way or its signal
 * arrives within the grace, the monitor is STOPPED; else, a crash or the end of a replacement,
 * the strategy is restarted at once or after a back-off, or the monitor gives up (FATAL). */
static void on_exited(int status, int core_dumped)
{
    pid_t dead = m.child;
    int64_t uptime = mono_ns() - m.child_started_ns;
    /* failover: ended by a fence or a handover, or found dead once the lease's deadline passed
     * (the fence guard killed it while the monitor was stopped): no crash, no restart here */
    int fenced = m.fencing || m.handing_over || !may_run();
    /* a halt's or a fence's SIGTERM ended it: no stop signal to wait for */
    const char *stop = m.halting || fenced ? (m.stop_requested[0] ? m.stop_requested : NULL) : stopping(status);
    kill_group(dead);
    end_leftovers(dead);
    drain_output();
    m.child = 0;
    if (m.plan.failover) {
        fence_guard_disarm(&m.guard);
    }
    if (stop) {
        m.fencing = m.handing_over = 0;
        if (m.state != STOPPING) {
            say("strategy pid %d exited during the stop: not restarted", (int)dead);
        }
        m.replace_why[0] = '\0';
        m.halting = 0;
        begin_stop(stop);
        return;
    }
    if (m.halting) {
        m.replace_why[0] = '\0';
        if (!m.hook.pid) {
            enter_halted(); /* else once STOP_COMMAND is done (after_hook) */
        }
        return;
    }
    if (fenced) {
        after_fence(dead, status);
        return;
    }
    int replaced = m.replace_why[0] != '\0'; /* its STOP_COMMAND ran before the SIGTERM */
    report_exit(dead, status, core_dumped, uptime);
    if (status > 128 && status < 128 + 65) { /* the last crash's, for status */
        m.last_exit_signal = status - 128;
        m.last_exit_code = -1;
    } else {
        m.last_exit_code = status;
        m.last_exit_signal = -1;
    }
    char text[64];
    int crashes = 0;
    int64_t delay = backoff_crashed(&m.backoff, mono_ns(), uptime, &crashes);
    if (delay >= 0 && m.plan.crash_argv && !m.hook.pid && !replaced) {
        /* cancel-on-crash, before the next copy starts: the restart waits for it (tick) */
        start_hook("CRASH_COMMAND", m.plan.crash_argv, m.plan.crash_command_timeout_ns);
    }
    if (delay == 0 && m.hook.pid) {
        say("strategy pid %d exited (%s) after %" PRId64 " ms: restarting once CRASH_COMMAND is done", (int)dead,
                exit_text(text, sizeof text), ms(uptime));
        m.restarts++;
        m.restart_at_ns = mono_ns();
        change_state(BACKOFF);
    } else if (delay == 0) {
        say("strategy pid %d exited (%s) after %" PRId64 " ms: restarting", (int)dead, exit_text(text, sizeof text),
                ms(uptime));
        m.restarts++;
        start_child();
    } else if (delay > 0) {
        say("strategy pid %d exited (%s) after %" PRId64 " ms, %d crashes in a row: restarting in %" PRId64 " ms",
                (int)dead, exit_text(text, sizeof text), ms(uptime), m.backoff.streak, ms(delay));
        m.restarts++;
        m.restart_at_ns = mono_ns() + delay;
        change_state(BACKOFF);
    } else {
        char why[256];
        snprintf(why, sizeof why, "gave up: %d crashes within %" PRId64 " s, last %s", crashes,
                m.plan.give_up_window_ns / 1000000000, exit_text(text, sizeof text));
        say("%s", why);
        event_append(m.plan.state_dir, m.plan.name, "gave-up", why);
        notifier_send(&m.notifier, "STOPPING=1\nSTATUS=%s", why);
        /* a give-up is a deliberate stop: the strategy stays down, its orders must not stay open */
        char **hook = m.plan.stop_argv ? m.plan.stop_argv : m.plan.crash_argv;
        if (hook && !m.hook.pid) {
            start_hook(m.plan.stop_argv ? "STOP_COMMAND" : "CRASH_COMMAND", hook,
                    m.plan.stop_argv ? m.plan.stop_command_timeout_ns : m.plan.crash_command_timeout_ns);
        }
        if (m.hook.pid) {
            if (m.state != STOPPING) {
                change_state(STOPPING);
            }
            m.fatal_after_hook = 1;
        } else {
            change_state(FATAL);
        }
    }
}

/* The end of strategy pid DEAD (exit STATUS) in failover mode, by a fence, a handover, or after its
 * lease's deadline: STANDBY; a handover's end gives the key up. */
static void after_fence(pid_t dead, int status)
{
    char how[32], message[384];
    status_text(status, how, sizeof how);
    if (m.handing_over) {
        snprintf(message, sizeof message, "strategy pid %d stopped (%s) for the handover: giving up the leader key",
                (int)dead, how);
        say("%s", message);
        event_append(m.plan.state_dir, m.plan.name, "handed-over", message);
        m.leader = 0;
        campaigner_send(&m.camp, "released");
    } else if (m.fencing) {
        say("strategy pid %d ended (%s) by the fence", (int)dead, how);
    } else {
        snprintf(message, sizeof message, "strategy pid %d ended (%s) after its lease's deadline (the fence guard"
                " ends it when the runner cannot): standing by", (int)dead, how);
        say("%s", message);
        event_append(m.plan.state_dir, m.plan.name, "fenced", message);
        if (m.leader) {
            m.leader = 0;
            campaigner_send(&m.camp, "fenced");
        }
    }
    m.fencing = m.handing_over = 0;
    m.replace_why[0] = '\0';
    enter_standby();
}

/* Starts the campaigner (failover mode); one that cannot start is tried again after its back-off. */
static void start_campaigner(void)
{
    if (campaigner_start(&m.camp, m.launcher, m.run_args, m.run_nargs) != 0) {
        say("cannot start the campaigner: %s", strerror(errno));
        campaigner_exited(&m.camp, mono_ns());
        return;
    }
    m.leftovers.spare_helpers[0] = m.camp.pid; /* it leads its own group (campaigner_start) */
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = m.camp.from_fd};
    epoll_ctl(m.epoll_fd, EPOLL_CTL_ADD, m.camp.from_fd, &ev);
    if (m.withdrawn) {
        campaigner_send(&m.camp, "withdraw");
    }
}

static void stop_reading_campaigner(void)
{
    if (m.camp.from_fd >= 0) {
        epoll_ctl(m.epoll_fd, EPOLL_CTL_DEL, m.camp.from_fd, NULL);
    }
}

/* The campaigner exited with STATUS: a lease it held is renewed no more, so the fence comes at
 * the deadline already given (no sooner: the lease is ours until then); a new one is started
 * after a back-off and stands for election with a lease of its own. */
static void on_campaigner_exited(int status)
{
    while (campaigner_read(&m.camp, on_campaign_line)) {
    }
    stop_reading_campaigner();
    campaigner_exited(&m.camp, mono_ns());
    m.leftovers.spare_helpers[0] = 0;
    if (!m.stop_why[0]) {
        char how[32];
        say("the campaigner exited (%s): starting another in %" PRId64 " ms", status_text(status, how, sizeof how),
                ms(m.camp.restart_at_ns - mono_ns()));
    }
}

static void start_guard(void)
{
    if (fence_guard_start(&m.guard) != 0) {
        say("internal error: cannot start the fence guard: %s", strerror(errno));
        exit(EXIT_SOFTWARE);
    }
    m.leftovers.spare_helpers[1] = m.guard.pid;
}

/* The guard was killed (it never exits on its own while the monitor lives): another one, armed again. */
static void on_guard_exited(void)
{
    say("the fence guard (pid %d) died: starting another", (int)m.guard.pid);
    close(m.guard.fd);
    m.guard.fd = -1;
    m.guard.armed = 0;
    start_guard();
    if (m.child) {
        fence_guard_arm(&m.guard, m.child, m.dead_by_ns);
    }
}

/* Failover: no strategy runs here (another host leads, or none does yet); READY to the manager,
 * like a halt: a standby is a runner doing its job. */
static void enter_standby(void)
{
    if (m.state == STANDBY) {
        refresh();
        return;
    }
    end_leftovers(0);
    change_state(STANDBY);
    if (!m.ready) {
        m.ready = 1;
        char line[1024];
        notifier_send(&m.notifier, "READY=1\nSTATUS=%s", summary(line, sizeof line));
    }
}

/* Ends the strategy because its lease may lapse (WHY): SIGTERM now, SIGKILL after
 * FAILOVER_FENCE_TIMEOUT and in any case the kill slack before the deadline; no STOP_COMMAND
 * (the deadline is the lease's, not ours). This host then stands by. */
static void fence(const char *why)
{
    int was_leader = m.leader;
    m.leader = 0;
    if (was_leader) {
        campaigner_send(&m.camp, "fenced");
    }
    if (m.fencing) {
        return;
    }
    char message[512];
    if (!m.child) {
        if (m.state == BACKOFF || m.state == STARTING || m.state == RUNNING) {
            snprintf(message, sizeof message, "fenced while no strategy process ran: %s", why);
            say("%s", message);
            event_append(m.plan.state_dir, m.plan.name, "fenced", message);
            enter_standby();
        } else if (was_leader) {
            say("no longer leader: %s", why);
        }
        return;
    }
    snprintf(message, sizeof message, "fencing strategy pid %d (epoch %" PRId64 "): %s", (int)m.child, m.epoch, why);
    say("%s", message);
    event_append(m.plan.state_dir, m.plan.name, "fenced", message);
    m.fencing = 1;
    m.replace_why[0] = '\0';
    m.terminate_after_hook = 0; /* a STOP_COMMAND under way does not delay it */
    int64_t now = mono_ns();
    if (now >= m.dead_by_ns - m.plan.fence_kill_slack_ns) {
        /* past the deadline (this monitor was stopped, or slow): no SIGTERM and no SIGCONT, which
         * would let a stopped strategy run on; SIGKILL works on a stopped process */
        signal_group(SIGKILL);
        m.kill_sent = 1;
        if (m.state != STOPPING) {
            change_state(STOPPING);
        }
        return;
    }
    signal_group(SIGTERM);
    signal_group(SIGCONT);
    m.kill_at_ns = m.dead_by_ns - m.plan.fence_kill_slack_ns;
    if (now + m.plan.fence_timeout_ns < m.kill_at_ns) {
        m.kill_at_ns = now + m.plan.fence_timeout_ns;
    }
    m.kill_sent = 0;
    if (m.state != STOPPING) {
        change_state(STOPPING);
    }
}

/* One line from the campaigner (failover.h). */
static void on_campaign_line(const char *text)
{
    struct campaign_line l = campaign_parse(text);
    char message[512];
    switch (l.fact) {
    case FACT_LEADER:
        if (m.withdrawn || m.stop_why[0]) {
            campaigner_send(&m.camp, "withdraw"); /* crossed on the way: not ours to run */
            break;
        }
        if (m.leader && l.epoch != m.epoch && m.child) {
            fence("a new term began while the last one's strategy ran"); /* it carries the old epoch */
            break;
        }
        if (!m.leader || l.epoch != m.epoch) {
            snprintf(message, sizeof message, "this host (%s) leads, epoch %" PRId64, l.text, l.epoch);
            say("%s", message);
            event_append(m.plan.state_dir, m.plan.name, "leader", message);
            m.epoch = l.epoch;
            snprintf(m.leader_host, sizeof m.leader_host, "%s", l.text);
            m.leader_since_wall_ms = wall_ms();
        }
        m.leader = 1;
        m.dead_by_ns = l.dead_by_ns;
        m.failover_note[0] = '\0';
        if (m.child && !m.fencing) {
            fence_guard_arm(&m.guard, m.child, m.dead_by_ns);
        }
        campaigner_send(&m.camp, "ack");
        if (m.state == STANDBY && may_run()) {
            m.backoff.streak = 0;
            start_child();
        } else {
            refresh();
        }
        break;
    case FACT_STANDBY:
        if (m.leader) {
            fence("the leader key is no longer this host's");
        }
        if (strcmp(l.text, m.leader_host) != 0 || l.epoch != m.other_epoch) {
            m.other_epoch = l.epoch;
            snprintf(m.leader_host, sizeof m.leader_host, "%s", l.text);
            m.leader_since_wall_ms = wall_ms();
            if (strcmp(l.text, "-") != 0) {
                snprintf(message, sizeof message, "standing by: %s leads, epoch %" PRId64, l.text, l.epoch);
                say("%s", message);
                event_append(m.plan.state_dir, m.plan.name, "standby", message);
            }
            refresh();
        }
        campaigner_send(&m.camp, "ack");
        break;
    case FACT_HANDOVER:
        if (m.leader && m.child && !m.fencing && !m.handing_over && !m.stop_why[0]) {
            snprintf(message, sizeof message, "handing over to %s: stopping strategy pid %d", l.text, (int)m.child);
            say("%s", message);
            event_append(m.plan.state_dir, m.plan.name, "handover", message);
            m.handing_over = 1;
            m.replace_why[0] = '\0';
            end_child(); /* STOP_COMMAND first, as for any deliberate stop */
            change_state(STOPPING);
        } else if (m.leader && !m.child && !m.handing_over) {
            m.leader = 0;
            campaigner_send(&m.camp, "released");
            if (m.state == BACKOFF) {
                enter_standby();
            }
        }
        break;
    case FACT_PING:
        campaigner_send(&m.camp, "pong");
        break;
    case FACT_MEMBERS:
        m.others = (int)l.epoch;
        refresh();
        break;
    case FACT_NOTE: /* "-": none */
        snprintf(m.failover_note, sizeof m.failover_note, "%s", strcmp(l.text, "-") == 0 ? "" : l.text);
        refresh();
        break;
    case FACT_NONE:
        say("the campaigner said something unknown: %.80s", text);
        break;
    }
}

/* At the runner's end: the key is given up (a standby takes over now, not after the TTL) and the
 * campaigner exits; bounded by WITHDRAW_WAIT_MS. */
static void campaigner_finish(void)
{
    if (!m.camp.pid) {
        return;
    }
    campaigner_send(&m.camp, "withdraw");
    close(m.camp.to_fd); /* its end of input: it exits once the key is given up */
    m.camp.to_fd = -1;
    int64_t deadline = mono_ns() + WITHDRAW_WAIT_MS * NS_PER_MS;
    for (;;) {
        int st;
        if (waitpid(m.camp.pid, &st, WNOHANG) == m.camp.pid) {
            break;
        }
        if (mono_ns() >= deadline) {
            say("the campaigner did not give the leader key up within %d ms: the lease lapses instead",
                    WITHDRAW_WAIT_MS);
            kill(m.camp.pid, SIGKILL);
            waitpid(m.camp.pid, &st, 0);
            break;
        }
        while (campaigner_read(&m.camp, on_campaign_line)) {
        }
        struct pollfd p = {m.camp.from_fd, POLLIN, 0};
        if (poll(&p, 1, 20) > 0 && (p.revents & POLLHUP)) {
            struct timespec five = {0, 5000000};
            nanosleep(&five, NULL); /* its output ended: it is exiting */
        }
    }
    stop_reading_campaigner();
    campaigner_exited(&m.camp, mono_ns());
}

/* Reaps exited children: the strategy's exit is an event; any other child (none is expected)
 * is only reaped. */
static void reap(void)
{
    int st;
    pid_t pid;
    while ((pid = waitpid(-1, &st, WNOHANG | WUNTRACED | WCONTINUED)) > 0) {
        if (pid == m.hook.pid && (WIFEXITED(st) || WIFSIGNALED(st))) {
            on_hook_exited(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
            continue;
        }
        if (pid == m.camp.pid && (WIFEXITED(st) || WIFSIGNALED(st))) {
            on_campaigner_exited(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
            continue;
        }
        if (pid == m.guard.pid && (WIFEXITED(st) || WIFSIGNALED(st))) {
            on_guard_exited();
            continue;
        }
        if (pid != m.child) {
            continue;
        }
        /* stopped and continued come as SIGCHLD too: a stopped strategy is seen without polling /proc */
        if (WIFSTOPPED(st)) {
            if (m.stopped_since_ns == 0) {
                m.stopped_since_ns = mono_ns();
            }
        } else if (WIFCONTINUED(st)) {
            m.stopped_since_ns = 0;
        } else {
            on_exited(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st), WIFSIGNALED(st) && WCOREDUMP(st));
        }
    }
}

/* A stop was asked for (WHY): SIGTERM to the strategy, which ends the run when it exits (or gets
 * SIGKILL at STOP_TIMEOUT); with no strategy running, STOPPED at once. A replacement under way
 * becomes the stop: its deadline stands. */
static void begin_stop(const char *why)
{
    if (!m.stop_why[0]) {
        snprintf(m.stop_why, sizeof m.stop_why, "%s", why);
        notifier_send(&m.notifier, "STOPPING=1\nSTATUS=stopping: %s", why);
        /* TimeoutStopSec= is the unit's, STOP_TIMEOUT the strategy's: systemd must not SIGKILL a
         * strategy that is still flattening its positions. */
        notifier_send(&m.notifier, "EXTEND_TIMEOUT_USEC=%" PRId64, m.plan.manager_stop_deadline_ns / 1000);
        say("stopping (%s)", why);
    }
    if (!m.child) {
        if (m.state != STOPPING) {
            change_state(STOPPING);
        }
        if (m.hook.pid) {
            return; /* STOPPED once the hook is done (after_hook) */
        }
        end_leftovers(0);
        change_state(STOPPED);
        return;
    }
    if (m.state != STOPPING) {
        end_child();
        change_state(STOPPING);
    }
}

/* The child's half of start_child and start_hook: never returns. */
static void exec_strategy(char **argv, char **envp, int out_write, int report)
{
    /* Default dispositions and no blocked signal, whatever the monitor inherited: a SIGHUP that
     * nohup (or a manager) ignored would stay ignored across exec, and a shell strategy could
     * not even trap it (POSIX), so the SIGHUP the monitor passes on would do nothing. */
    for (int sig = 1; sig < NSIG; sig++) {
        signal(sig, SIG_DFL); /* fails only for SIGKILL, SIGSTOP and the libc's own: nothing to do */
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    /* the leader of a new session and process group: signals reach whatever it forks */
    setsid();
    if (m.plan.parent_death_signal) {
        /* the kernel sends SIGTERM the moment the monitor dies (kill -9, the OOM killer), so that no
         * strategy is left trading unsupervised; not needed in a unit, whose cgroup is killed then */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != m.self.pid) {
            _exit(127);
        }
    }
    if (m.strategy_cpus_differ) {
        sched_setaffinity(0, sizeof m.strategy_cpus, &m.strategy_cpus);
    }
    int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null >= 0) {
        dup2(null, 0);
    }
    if (out_write >= 0) {
        dup2(out_write, 1);
        dup2(out_write, 2);
    }
    close_descriptors_but(report); /* only its standard streams, whatever the monitor inherited */
    int failure[2] = {'d', 0};
    if (chdir(m.plan.directory) == 0) {
        execvpe(argv[0], argv, envp);
        failure[0] = 'e';
    }
    failure[1] = errno;
    if (write(report, failure, sizeof failure) < 0) {
        _exit(127);
    }
    _exit(127);
}

/* The strategy's environment: the plan's, its markers, its notify socket. Its hooks get it too,
 * so that a leftover of a hook is found as the strategy's. */
static char **strategy_environment(void)
{
    static char *envp[4096];
    static char markers[5][4200];
    int n = 0;
    for (int i = 0; i < m.plan.envc && n < 4096 - 6; i++) {
        envp[n++] = m.plan.envp[i];
    }
    snprintf(markers[0], sizeof markers[0], "%s", m.leftovers.markers[0]);
    snprintf(markers[1], sizeof markers[1], "%s", m.leftovers.markers[1]);
    /* the strategy's own notify socket (the proxy), and the ping interval it should keep */
    snprintf(markers[2], sizeof markers[2], "NOTIFY_SOCKET=%s", m.plan.notify_socket);
    snprintf(markers[3], sizeof markers[3], "WATCHDOG_USEC=%" PRId64, m.plan.heartbeat_max_age_ns / 1000);
    for (int i = 0; i < 4; i++) {
        envp[n++] = markers[i];
    }
    if (m.plan.failover) {
        /* the fencing token: put it in order ids, so a venue or reconciler can refuse a stale leader */
        snprintf(markers[4], sizeof markers[4], "QUANT_SUPERVISION_EPOCH=%" PRId64, m.epoch);
        envp[n++] = markers[4];
    }
    envp[n] = NULL;
    return envp;
}

/* FD (the read end of a child's output pipe, or -1) made non-blocking and watched by the loop; returns FD. */
static int watch_output(int fd)
{
    if (fd >= 0) {
        fcntl(fd, F_SETFL, O_NONBLOCK);
        struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
        epoll_ctl(m.epoll_fd, EPOLL_CTL_ADD, fd, &ev);
    }
    return fd;
}

/* Whether the child reported on REPORT (closed here) that it could not exec: what failed ('d': the
 * directory, else the exec) and its errno into FAILURE. Its close on exec is the success. */
static int exec_failure(int report, int failure[2])
{
    ssize_t got;
    do {
        got = read(report, failure, 2 * sizeof failure[0]);
    } while (got < 0 && errno == EINTR);
    close(report);
    return got == (ssize_t)(2 * sizeof failure[0]);
}

static int halt_file_present(void)
{
    struct stat st;
    return m.plan.halt_file && lstat(m.plan.halt_file, &st) == 0 && S_ISREG(st.st_mode);
}

static void start_child(void)
{
    if (halt_file_present()) {
        enter_halted(); /* every start passes here: a restart, a back-off's end, a resume, the first */
        return;
    }
    if (!may_run()) {
        enter_standby(); /* and every start in failover mode: only the leader's */
        return;
    }
    char **envp = strategy_environment();
    int out[2] = {-1, -1}, report[2];
    /* Always through the monitor, which keeps the last lines for a crash's report; without the
     * pipe the strategy writes to the monitor's own output, and its crashes come without them. */
    if (pipe2(out, O_CLOEXEC) != 0) {
        say("cannot make a pipe for the strategy's output: %s", strerror(errno));
        out[0] = out[1] = -1;
    }
    if (pipe2(report, O_CLOEXEC) != 0) {
        say("cannot start %s: %s", m.plan.argv[0], strerror(errno));
        exit(EXIT_SOFTWARE);
    }
    m.child_pings = 0;
    m.child_status[0] = '\0';
    m.stop_hook_ran = 0;
    lastlines_clear(&m.last);
    pid_t pid = fork();
    if (pid == 0) {
        exec_strategy(m.plan.argv, envp, out[1], report[1]);
    }
    close(report[1]);
    if (out[1] >= 0) {
        close(out[1]);
    }
    if (pid < 0) {
        say("cannot start %s: %s", m.plan.argv[0], strerror(errno));
        close(report[0]);
        if (out[0] >= 0) {
            close(out[0]);
        }
        exit(EXIT_SOFTWARE);
    }
    m.child = pid;
    m.child_started_ns = mono_ns();
    m.child_started_wall_ms = wall_ms();
    m.child_started_mono_ms = ms(m.child_started_ns);
    m.heartbeat_progress_ns = m.child_started_ns;
    m.next_heartbeat_check_ns = m.child_started_ns + m.heartbeat_check_period_ns;
    m.stopped_since_ns = 0;
    if (out[0] >= 0) {
        m.out_fd = watch_output(out[0]);
    }
    int failure[2];
    if (exec_failure(report[0], failure)) {
        /* cannot even exec (missing program, bad directory): a crash like any other, its exit follows */
        if (failure[0] == 'd') {
            say("cannot start %s: cannot change to directory %s: %s", m.plan.argv[0], m.plan.directory,
                    strerror(failure[1]));
        } else {
            say("cannot start %s: %s", m.plan.argv[0], strerror(failure[1]));
        }
    }
    if (proc_stat(pid, NULL, NULL, &m.child_start_time) != 0) {
        m.child_start_time = 0; /* exited already: its exit tells */
    }
    if (m.plan.failover) {
        fence_guard_arm(&m.guard, pid, m.dead_by_ns);
    }
    change_state(STARTING);
}

/* Starts hook NAME (ARGV, with the strategy's environment, in its directory, in a process group
 * of its own that is spared as a leftover while it runs), killed at TIMEOUT_NS. Its output goes,
 * line by line, to the monitor's own with its name in front, and is kept for its failure's event.
 * When it cannot start, it says why and m.hook.pid stays 0. */
static void start_hook(const char *name, char **argv, int64_t timeout_ns)
{
    struct hook *h = &m.hook;
    int out[2], report[2];
    if (pipe2(out, O_CLOEXEC) != 0) {
        out[0] = out[1] = -1;
    }
    if (pipe2(report, O_CLOEXEC) != 0) {
        say("cannot run %s: %s", name, strerror(errno));
        if (out[0] >= 0) {
            close(out[0]);
            close(out[1]);
        }
        return;
    }
    say("running %s (at most %" PRId64 " ms)", name, ms(timeout_ns));
    pid_t pid = fork();
    if (pid == 0) {
        exec_strategy(argv, strategy_environment(), out[1], report[1]);
    }
    close(report[1]);
    if (out[1] >= 0) {
        close(out[1]);
    }
    if (pid < 0) {
        say("cannot run %s: %s", name, strerror(errno));
        close(report[0]);
        if (out[0] >= 0) {
            close(out[0]);
        }
        return;
    }
    h->pid = pid;
    h->name = name;
    h->started_ns = mono_ns();
    h->deadline_ns = h->started_ns + timeout_ns;
    h->killed = 0;
    h->len = 0;
    h->last.masks = m.plan.masks;
    lastlines_clear(&h->last);
    m.leftovers.spare_group = pid; /* it leads its own group (setsid in exec_strategy) */
    h->out_fd = watch_output(out[0]);
    int failure[2];
    if (exec_failure(report[0], failure)) {
        say("cannot run %s %s: %s", name, argv[0], strerror(failure[1])); /* its exit (127) follows */
    }
}

static void hook_line(struct hook *h)
{
    lastlines_add(&h->last, h->line, h->len);
    say("%s: %.*s", h->name, (int)h->len, h->line);
    h->len = 0;
}

/* Reads the hook's output; 0 at its end. */
static int read_hook_output(struct hook *h)
{
    char buf[4096];
    for (;;) {
        ssize_t n = read(h->out_fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return n < 0 && errno == EAGAIN;
        }
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] == '\n' || h->len == sizeof h->line) {
                hook_line(h);
                if (buf[i] == '\n') {
                    continue;
                }
            }
            h->line[h->len++] = buf[i];
        }
    }
}

static void close_hook_output(struct hook *h)
{
    if (h->out_fd >= 0) {
        epoll_ctl(m.epoll_fd, EPOLL_CTL_DEL, h->out_fd, NULL);
        close(h->out_fd);
        h->out_fd = -1;
    }
    if (h->len > 0) {
        hook_line(h);
    }
}

/* What comes after a hook: the stop's SIGTERM, the give-up, the end of a stop or a halt; a
 * restart waiting in BACKOFF is tick's. */
static void after_hook(void)
{
    if (m.terminate_after_hook) {
        m.terminate_after_hook = 0;
        if (m.child) {
            terminate_child();
            return;
        }
    }
    if (m.fatal_after_hook) {
        m.fatal_after_hook = 0;
        change_state(FATAL);
        return;
    }
    if (m.state == STOPPING && !m.child) {
        if (m.stop_why[0]) {
            end_leftovers(0);
            change_state(STOPPED);
        } else if (m.halting) {
            enter_halted();
        }
    }
}

/* The hook exited with STATUS (128+N for signal N): its failure (a status other than 0, a
 * signal, its timeout) is reported, as an event the health checker alerts on; what it came
 * before goes on either way. */
static void on_hook_exited(int status)
{
    struct hook *h = &m.hook;
    pid_t pid = h->pid;
    kill_group(pid); /* what it forked into its group ends with it */
    m.leftovers.spare_group = 0;
    if (h->out_fd >= 0) {
        int64_t deadline = mono_ns() + DRAIN_MS * NS_PER_MS;
        while (read_hook_output(h) && mono_ns() < deadline) {
            struct pollfd p = {h->out_fd, POLLIN, 0};
            poll(&p, 1, 10);
        }
        close_hook_output(h);
    }
    h->pid = 0;
    int64_t took = ms(mono_ns() - h->started_ns);
    if (status == 0 && !h->killed) {
        say("%s finished after %" PRId64 " ms", h->name, took);
    } else {
        struct event_details d = EVENT_DETAILS_NONE;
        const char *lines[LASTLINES_COUNT];
        char message[256];
        d.pid = (int)pid;
        d.hook = h->name;
        d.uptime_ms = took;
        d.output = lines;
        d.output_lines = lastlines_get(&h->last, lines);
        if (h->killed) {
            d.signal = SIGKILL;
            snprintf(message, sizeof message, "%s did not finish within %" PRId64 " ms: killed", h->name,
                    ms(h->deadline_ns - h->started_ns));
        } else if (status > 128) {
            d.signal = status - 128;
            snprintf(message, sizeof message, "%s ended by signal %d after %" PRId64 " ms", h->name, d.signal, took);
        } else {
            d.exit_code = status;
            snprintf(message, sizeof message, "%s exited with status %d after %" PRId64 " ms", h->name, status, took);
        }
        say("%s", message);
        event_append_details(m.plan.state_dir, m.plan.name, "hook-failed", message, &d);
    }
    after_hook();
}

/* The kill switch is on (the halt file is there) and no strategy runs: stay up without one, READY
 * to the manager (a halt survives reboots and restarts by being here at every start), until the
 * file is removed. */
static void enter_halted(void)
{
    m.halting = 0;
    if (m.state == HALTED) {
        return; /* the file came back while resuming */
    }
    if (m.state == STARTING || m.state == RUNNING) {
        change_state(STOPPING); /* the way there from a run: after a crash, while halted */
    }
    end_leftovers(0);
    if (m.plan.failover && !m.withdrawn) {
        /* halted on this host: not a candidate (another host may take over: a halt of every host
         * is `quant-supervision halt` on each) */
        m.withdrawn = 1;
        m.leader = 0;
        campaigner_send(&m.camp, "withdraw");
    }
    char status[256];
    snprintf(status, sizeof status, "halted: %s is there (quant-supervision resume %s)", m.plan.halt_file,
            m.plan.name);
    say("%s", status);
    if (m.ready) {
        event_append(m.plan.state_dir, m.plan.name, "halted", status);
    }
    change_state(HALTED);
    if (!m.ready) {
        m.ready = 1;
        notifier_send(&m.notifier, "READY=1\nSTATUS=%s", status);
    }
}

/* The halt file's directory changed: halt a strategy that runs, or resume a halted one. */
static void check_halt(void)
{
    m.halt_pending = 0;
    int halted = halt_file_present();
    if (halted && !m.halting && !m.stop_why[0] && (m.state == STARTING || m.state == RUNNING) && m.child) {
        say("halting: %s appeared", m.plan.halt_file);
        m.halting = 1;
        m.replace_why[0] = '\0';
        end_child();
        change_state(STOPPING);
    } else if (halted && (m.state == STANDBY || (m.state == BACKOFF && !m.hook.pid))) {
        enter_halted();
    } else if (halted && m.state == BACKOFF) {
        m.halting = 1; /* a CRASH_COMMAND runs: halted once it is done (start_child's check) */
    } else if (!halted && m.state == HALTED) {
        say("resumed: %s is gone", m.plan.halt_file);
        event_append(m.plan.state_dir, m.plan.name, "resumed", "the halt file is gone: starting the strategy");
        m.backoff.streak = 0;
        if (m.plan.failover) {
            m.withdrawn = 0;
            campaigner_send(&m.camp, "campaign");
        }
        start_child(); /* failover: STANDBY until elected */
    }
}

/* The strategy's own sd_notify message: READY=1 makes the monitor ready at once (no need to wait
 * for START_GRACE), WATCHDOG=1 is its heartbeat from then on, WATCHDOG=trigger asks to be
 * replaced, STATUS= joins the monitor's status line. */
static void on_child_notified(char *message)
{
    if (!m.child) {
        return;
    }
    char *save = NULL;
    for (char *line = strtok_r(message, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (strcmp(line, "READY=1") == 0 && m.state == STARTING) {
            become_running();
        } else if (strcmp(line, "WATCHDOG=1") == 0) {
            m.child_pings = 1;
            m.last_child_ping_ns = mono_ns();
        } else if (strcmp(line, "WATCHDOG=trigger") == 0) {
            replace("it asked to be replaced (WATCHDOG=trigger)");
        } else if (strncmp(line, "STATUS=", 7) == 0) {
            snprintf(m.child_status, sizeof m.child_status, "%s", line + 7);
            for (char *c = m.child_status; *c; c++) {
                if ((unsigned char)*c < 0x20 || *c == 0x7f) {
                    *c = ' ';
                }
            }
            if (m.ready) {
                char status[1024];
                notifier_send(&m.notifier, "STATUS=%s", summary(status, sizeof status));
            }
        }
    }
}

/* The health checker's request to replace the strategy, taken (read and deleted); its reason in
 * BUF, or 0 when there is none. A bad request is still one: whoever could write it may ask. */
static int take_restart_request(char *buf, size_t size)
{
    struct stat st;
    if (lstat(m.plan.restart_request, &st) != 0) {
        return 0; /* the common case: one stat per check */
    }
    char reason[201] = "";
    if (!S_ISREG(st.st_mode)) {
        snprintf(reason, sizeof reason, "request was not a regular file");
    } else {
        int fd = open(m.plan.restart_request, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
            snprintf(reason, sizeof reason, "its reason could not be read");
        } else {
            ssize_t n = read(fd, reason, sizeof reason - 1);
            reason[n > 0 ? n : 0] = '\0';
            close(fd);
        }
    }
    if (unlink(m.plan.restart_request) != 0) {
        return 0; /* cannot delete it: acting on it would restart at every check */
    }
    /* printable, stripped */
    for (char *c = reason; *c; c++) {
        if ((unsigned char)*c < 0x20 || *c == 0x7f) {
            *c = ' ';
        }
    }
    char *start = reason;
    while (*start == ' ') {
        start++;
    }
    size_t len = strlen(start);
    while (len > 0 && start[len - 1] == ' ') {
        start[--len] = '\0';
    }
    snprintf(buf, size, "%s", *start ? start : "no reason given");
    return 1;
}

/* Why the strategy makes no progress, if it makes none: stopped (SIGSTOP); or it pings WATCHDOG=1
 * itself and stopped pinging; or, with HEARTBEAT_FILE set, the file has not changed for
 * HEARTBEAT_MAX_AGE (counted from the strategy's start at the earliest). Every age here is on the
 * monotonic clock: a wall-clock step changes none of them. Only the heartbeat file needs looking
 * at, every quarter of HEARTBEAT_MAX_AGE (so a hang is seen within 1.25 times it); the rest is
 * known from events, so a strategy without one costs no wake-up at all. */
static int find_hang(int64_t now, char *why, size_t size)
{
    int64_t max_age = m.plan.heartbeat_max_age_ns;
    if (!m.child) {
        return 0;
    }
    if (m.stopped_since_ns != 0) {
        if (now - m.stopped_since_ns > max_age) {
            snprintf(why, size, "stopped");
            return 1;
        }
        return 0;
    }
    if (m.child_pings) {
        if (now - m.last_child_ping_ns > max_age) {
            snprintf(why, size, "stale heartbeat: no WATCHDOG=1");
            return 1;
        }
        return 0;
    }
    if (m.plan.heartbeat_file) {
        if (now >= m.next_heartbeat_check_ns) {
            m.next_heartbeat_check_ns = now + m.heartbeat_check_period_ns;
            struct stat st;
            if (stat(m.plan.heartbeat_file, &st) == 0 && (st.st_mtim.tv_sec != m.heartbeat_mtime.tv_sec
                    || st.st_mtim.tv_nsec != m.heartbeat_mtime.tv_nsec)) {
                /* a change seen now is progress now, whatever the file's own time says */
                m.heartbeat_mtime = st.st_mtim;
                m.heartbeat_progress_ns = now;
            }
        }
        if (now - m.heartbeat_progress_ns > max_age) {
            snprintf(why, size, "stale heartbeat");
            return 1;
        }
    }
    return 0;
}

/* Time-based transitions, at every event and at every deadline. */
static void tick(void)
{
    int64_t now = mono_ns();
    if (m.plan.failover) {
        if (m.leader && now >= fence_at()) {
            fence("no renewal of the lease was confirmed in time (etcd unreachable, slow, or no quorum)");
        }
        if (!m.camp.pid && now >= m.camp.restart_at_ns && !m.stop_why[0] && m.state != FATAL) {
            start_campaigner();
        }
    }
    if ((m.state == RUNNING || m.state == STARTING) && m.child && m.request_pending) {
        m.request_pending = 0;
        char reason[256], why[512];
        if (take_restart_request(reason, sizeof reason)) {
            snprintf(why, sizeof why, "the health checker asked for it (%s)", reason);
            replace(why);
            return;
        }
    }
    m.hang = m.state == RUNNING && find_hang(now, m.hang_reason, sizeof m.hang_reason);
    switch (m.state) {
    case STARTING:
        if (m.child && now - m.child_started_ns >= m.plan.start_grace_ns) {
            become_running();
        }
        break;
    case BACKOFF:
        if (now >= m.restart_at_ns && !m.hook.pid) { /* a CRASH_COMMAND first */
            start_child();
        }
        break;
    case STOPPING:
        if (m.child && !m.kill_sent && !m.terminate_after_hook && now >= m.kill_at_ns) {
            if (m.fencing) {
                say("strategy pid %d did not exit within the fence's SIGTERM time: SIGKILL to its process group",
                        (int)m.child);
            } else {
                say("strategy pid %d did not exit within STOP_TIMEOUT (%" PRId64 " s): SIGKILL to its process group",
                        (int)m.child, m.plan.stop_timeout_ns / 1000000000);
            }
            signal_group(SIGKILL);
            m.kill_sent = 1;
        }
        break;
    case RUNNING:
        if (m.hang && m.notifier.watchdog_ns == 0) {
            /* No watchdog to do it (supervisord): replace the hung strategy here. Under systemd the
             * watchdog below stops being petted and systemd restarts the whole unit, with its own
             * limits and logging. */
            char why[256];
            snprintf(why, sizeof why, "it made no progress for %" PRId64 " s (%s)",
                    m.plan.heartbeat_max_age_ns / 1000000000, m.hang_reason);
            replace(why);
        }
        break;
    default:
        break;
    }
    if (m.hook.pid && !m.hook.killed && now >= m.hook.deadline_ns) {
        say("%s did not finish within %" PRId64 " ms: SIGKILL to its process group", m.hook.name,
                ms(m.hook.deadline_ns - m.hook.started_ns));
        kill(-m.hook.pid, SIGKILL);
        m.hook.killed = 1;
    }
    if (m.notifier.watchdog_ns > 0 && now >= m.next_watchdog_ns) {
        if (!m.hang) {
            notifier_send(&m.notifier, "WATCHDOG=1");
        }
        m.next_watchdog_ns = now + m.notifier.watchdog_ns / 2;
    }
}

/* The next deadline of a time-based transition, INT64_MAX when there is none. */
static int64_t next_deadline(void)
{
    int64_t at = INT64_MAX;
    if (m.state == STARTING && m.child) {
        at = m.child_started_ns + m.plan.start_grace_ns;
    } else if (m.state == BACKOFF && !m.hook.pid) {
        at = m.restart_at_ns;
    } else if (m.state == STOPPING && m.child && !m.kill_sent && !m.terminate_after_hook) {
        at = m.kill_at_ns;
    }
    if (m.hook.pid && !m.hook.killed && m.hook.deadline_ns < at) {
        at = m.hook.deadline_ns;
    }
    if (m.state == RUNNING && m.child && !m.hang) {
        int64_t max_age = m.plan.heartbeat_max_age_ns;
        int64_t hang_at = INT64_MAX;
        if (m.stopped_since_ns != 0) {
            hang_at = m.stopped_since_ns + max_age + 1;
        } else if (m.child_pings) {
            hang_at = m.last_child_ping_ns + max_age + 1;
        } else if (m.plan.heartbeat_file) {
            hang_at = m.next_heartbeat_check_ns;
        }
        at = hang_at < at ? hang_at : at;
    }
    if (m.notifier.watchdog_ns > 0 && m.next_watchdog_ns < at) {
        at = m.next_watchdog_ns;
    }
    if (m.plan.failover && m.leader && fence_at() < at) {
        at = fence_at();
    }
    if (m.plan.failover && !m.camp.pid && !m.stop_why[0] && m.camp.restart_at_ns < at) {
        at = m.camp.restart_at_ns;
    }
    return at;
}

static void arm_timer(void)
{
    int64_t at = next_deadline();
    struct itimerspec t = {{0, 0}, {0, 0}};
    if (at != INT64_MAX) {
        if (at <= 0) {
            at = 1;
        }
        t.it_value.tv_sec = at / 1000000000;
        t.it_value.tv_nsec = at % 1000000000;
    }
    timerfd_settime(m.timer_fd, TFD_TIMER_ABSTIME, &t, NULL);
}

static void on_reload(void)
{
    m.reload_pending = 0;
    if (m.has_log) {
        strategylog_reopen(&m.log); /* after an outside rotation of strategy.log */
    }
    if (m.child) {
        say("SIGHUP passed on to the strategy (pid %d)", (int)m.child);
        signal_group(SIGHUP);
    }
}

/* Lines lost, or written again: in the monitor's output, and the end of a loss in events. */
static void log_trouble(const char *message, int lines_lost_event)
{
    say("%s", message);
    if (lines_lost_event) {
        event_append(m.plan.state_dir, m.plan.name, "log-lines-lost", message);
    }
}

/* Runs `quant-supervision prepare ARGS` and reads its plan into TEXT (*LEN bytes). Returns its
 * exit status; a stop signal that arrives meanwhile is recorded (never start only to be stopped). */
static int prepare(char **args, int nargs, char **text, size_t *len)
{
    /* the launcher beside this program, in the package's bin/ (not $PATH: the same package's) */
    char exe[PATH_MAX], *launcher = m.launcher;
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *cut = n > 0 ? (exe[n] = '\0', strrchr(exe, '/')) : NULL;
    if (cut == NULL) {
        fprintf(stderr, "quant-supervision: run: cannot find the launcher beside the monitor\n");
        return EXIT_SOFTWARE;
    }
    *cut = '\0';
    snprintf(m.launcher, sizeof m.launcher, "%s/quant-supervision", exe);
    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0) {
        fprintf(stderr, "quant-supervision: run: cannot make a pipe: %s\n", strerror(errno));
        return EXIT_SOFTWARE;
    }
    char **argv = calloc((size_t)nargs + 3, sizeof *argv);
    if (argv == NULL) {
        return EXIT_SOFTWARE;
    }
    argv[0] = launcher;
    argv[1] = "prepare";
    for (int i = 0; i < nargs; i++) {
        argv[i + 2] = args[i];
    }
    pid_t pid = fork();
    if (pid == 0) {
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        dup2(out[1], 1);
        execv(launcher, argv);
        fprintf(stderr, "quant-supervision: run: cannot run %s: %s\n", launcher, strerror(errno));
        _exit(EXIT_SOFTWARE);
    }
    close(out[1]);
    free(argv);
    if (pid < 0) {
        close(out[0]);
        return EXIT_SOFTWARE;
    }
    size_t cap = 65536;
    *text = malloc(cap);
    *len = 0;
    struct pollfd p[2] = {{out[0], POLLIN, 0}, {m.signal_fd, POLLIN, 0}};
    for (;;) {
        if (poll(p, 2, -1) < 0 && errno != EINTR) {
            break;
        }
        if (p[1].revents) {
            read_signals();
        }
        if (p[0].revents) {
            if (*len == cap) {
                char *grown = realloc(*text, cap *= 2);
                if (grown == NULL) {
                    break;
                }
                *text = grown;
            }
            ssize_t got = read(out[0], *text + *len, cap - *len);
            if (got <= 0 && !(got < 0 && errno == EINTR)) {
                break;
            }
            if (got > 0) {
                *len += (size_t)got;
            }
        }
    }
    close(out[0]);
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    read_signals();
    if (WIFEXITED(st)) {
        return WEXITSTATUS(st);
    }
    return m.stop_requested[0] ? EXIT_STOPPED : EXIT_SOFTWARE;
}

/* The one-instance guarantee, held for the monitor's whole life: an flock(2) on the runtime
 * directory itself, which no strategy can remove (its parent is root's), and a record lock on
 * runner.lock in it, which runners of older releases take: 0.1.0's Java runner locked it with
 * fcntl(2) (FileChannel.tryLock), which an flock(2) does not exclude on Linux, so the file's lock
 * is an open-file-description record lock (F_OFD_SETLK), which conflicts with fcntl's, held for
 * as long as this descriptor is open. The kernel releases both when the monitor dies, however it
 * dies. prepare held the same locks while it ended what an earlier runner left; a runner that
 * takes them in the moment between is the one that runs, and this one exits 75. */
static int lock_instance(void)
{
    int dir = open(m.plan.runtime_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int file = open(m.plan.lock_file, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0640);
    if (dir < 0 || file < 0) {
        fprintf(stderr, "quant-supervision: run: cannot open %s to lock it: %s\n",
                dir < 0 ? m.plan.runtime_dir : m.plan.lock_file, strerror(errno));
        return EXIT_SOFTWARE;
    }
    struct flock whole = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0, .l_pid = 0};
    if (flock(dir, LOCK_EX | LOCK_NB) != 0 || fcntl(file, F_OFD_SETLK, &whole) != 0) {
        fprintf(stderr, "quant-supervision: run: strategy %s already runs (%s is locked)\n", m.plan.name,
                m.plan.lock_file);
        return EXIT_ALREADY_RUNNING;
    }
    return 0; /* both descriptors stay open, and locked, until the monitor exits */
}

/* Moves the monitor off the strategy's cores: with CPUAffinity= the unit pins the strategy (and
 * so this process) to reserved cores; the monitor's timers then wake on the other ones, and each
 * strategy it starts gets the unit's cores back. Where no other core may be used, it stays. */
static void leave_strategy_cores(void)
{
    if (sched_getaffinity(0, sizeof m.strategy_cpus, &m.strategy_cpus) != 0) {
        return;
    }
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    cpu_set_t others;
    CPU_ZERO(&others);
    for (long c = 0; c < online && c < CPU_SETSIZE; c++) {
        if (!CPU_ISSET(c, &m.strategy_cpus)) {
            CPU_SET(c, &others);
        }
    }
    if (CPU_COUNT(&others) > 0 && sched_setaffinity(0, sizeof others, &others) == 0) {
        m.strategy_cpus_differ = 1;
    }
}

/* Whether standard output is systemd's journal: then the strategy writes there itself (lossless,
 * attributed to the unit). JOURNAL_STREAM alone does not say so: it is inherited, e.g. by
 * supervisord's programs when systemd runs supervisord, while their output goes to supervisord.
 * systemd.exec(5): compare its "DEVICE:INODE" with standard output's. */
static int stdout_is_journal(void)
{
    const char *stream = getenv("JOURNAL_STREAM");
    unsigned long long dev, ino;
    struct stat st;
    return stream != NULL && sscanf(stream, "%llu:%llu", &dev, &ino) == 2 && fstat(1, &st) == 0
            && (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

static int setup(void)
{
    char markers_name[4200], markers_dir[4200];
    snprintf(markers_name, sizeof markers_name, "QUANT_SUPERVISION_STRATEGY=%s", m.plan.name);
    snprintf(markers_dir, sizeof markers_dir, "QUANT_SUPERVISION_RUNTIME_DIR=%s", m.plan.runtime_dir);
    m.leftovers.markers[0] = strdup(markers_name);
    m.leftovers.markers[1] = strdup(markers_dir);
    m.leftovers.unit_procs = m.plan.unit_procs;
    m.last.masks = m.plan.masks;
    m.backoff.initial_ns = m.plan.restart_delay_initial_ns;
    m.backoff.max_ns = m.plan.restart_delay_max_ns;
    m.backoff.reset_after_ns = m.plan.restart_reset_after_ns;
    m.backoff.window_ns = m.plan.give_up_window_ns;
    m.backoff.give_up_after = m.plan.give_up_after;
    m.heartbeat_check_period_ns = m.plan.heartbeat_max_age_ns / 4;
    if (m.heartbeat_check_period_ns < 100 * NS_PER_MS) {
        m.heartbeat_check_period_ns = 100 * NS_PER_MS;
    }
    /* The health checker's restart requests: the runtime directory is watched, not polled. */
    m.inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (m.inotify_fd < 0 || inotify_add_watch(m.inotify_fd, m.plan.runtime_dir,
            IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE | IN_ONLYDIR) < 0) {
        fprintf(stderr, "quant-supervision: run: cannot watch %s: %s\n", m.plan.runtime_dir, strerror(errno));
        return EXIT_SOFTWARE;
    }
    m.request_pending = 1; /* one made before this monitor watched */
    m.halt_wd = -1;
    if (m.plan.halt_file) {
        char dir[PATH_MAX];
        snprintf(dir, sizeof dir, "%s", m.plan.halt_file);
        char *slash = strrchr(dir, '/');
        if (slash && slash != dir) {
            *slash = '\0';
        }
        m.halt_wd = inotify_add_watch(m.inotify_fd, dir,
                IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CLOSE_WRITE | IN_ONLYDIR);
        if (m.halt_wd < 0) {
            /* still halted at every start (start_child looks), only not while running */
            say("cannot watch %s for the halt file: %s", dir, strerror(errno));
        }
    }
    if (m.plan.log_file && !stdout_is_journal()) {
        m.has_log = 1;
        m.log.file = m.plan.log_file;
        m.log.max_bytes = m.plan.log_max_bytes;
        m.log.backups = m.plan.log_backups;
        m.log.report = log_trouble;
        strategylog_open(&m.log);
    }
    m.proxy_fd = notify_proxy_open(m.plan.notify_socket);
    if (m.proxy_fd < 0) {
        fprintf(stderr, "quant-supervision: run: cannot bind the strategy's notify socket %s: %s\n",
                m.plan.notify_socket, strerror(errno));
        return EXIT_SOFTWARE;
    }
    m.epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    m.timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    if (m.epoll_fd < 0 || m.timer_fd < 0) {
        fprintf(stderr, "quant-supervision: run: %s\n", strerror(errno));
        return EXIT_SOFTWARE;
    }
    int fds[] = {m.signal_fd, m.proxy_fd, m.timer_fd, m.inotify_fd};
    for (int i = 0; i < 4; i++) {
        struct epoll_event ev = {.events = EPOLLIN, .data.fd = fds[i]};
        epoll_ctl(m.epoll_fd, EPOLL_CTL_ADD, fds[i], &ev);
    }
    return 0;
}

static int loop(void)
{
    for (;;) {
        arm_timer();
        struct epoll_event ev[8];
        int n = epoll_wait(m.epoll_fd, ev, 8, -1);
        if (n < 0 && errno != EINTR) {
            say("internal error: epoll_wait: %s", strerror(errno));
            return EXIT_SOFTWARE;
        }
        for (int i = 0; i < n; i++) {
            int fd = ev[i].data.fd;
            if (fd == m.signal_fd) {
                read_signals();
                reap();
            } else if (fd == m.proxy_fd) {
                char message[NOTIFY_MAX + 1];
                while (notify_proxy_receive(m.proxy_fd, message, sizeof message) >= 0) {
                    on_child_notified(message);
                }
            } else if (fd == m.timer_fd) {
                uint64_t expirations;
                if (read(m.timer_fd, &expirations, sizeof expirations) < 0) {
                    /* EAGAIN: the timer was re-armed since; nothing to read */
                }
            } else if (fd == m.inotify_fd) {
                char events[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
                ssize_t got;
                while ((got = read(m.inotify_fd, events, sizeof events)) > 0) {
                    for (char *e = events; e < events + got;) {
                        struct inotify_event *ie = (struct inotify_event *)e;
                        if (ie->len > 0 && ie->wd == m.halt_wd) {
                            const char *base = strrchr(m.plan.halt_file, '/');
                            m.halt_pending |= strcmp(ie->name, base ? base + 1 : m.plan.halt_file) == 0;
                        } else if (ie->len > 0 && strcmp(ie->name, "restart-request") == 0) {
                            m.request_pending = 1;
                        }
                        e += sizeof *ie + ie->len;
                    }
                }
            } else if (fd == m.out_fd && !read_output()) {
                close_output();
            } else if (fd == m.hook.out_fd && m.hook.out_fd >= 0 && !read_hook_output(&m.hook)) {
                close_hook_output(&m.hook);
            } else if (fd == m.camp.from_fd && m.camp.from_fd >= 0 && !campaigner_read(&m.camp, on_campaign_line)) {
                stop_reading_campaigner(); /* its end: its exit follows */
            }
        }
        if (m.stop_requested[0] && !m.stop_why[0]) {
            begin_stop(m.stop_requested);
        }
        if (m.reload_pending) {
            on_reload();
        }
        if (m.halt_pending) {
            check_halt();
        }
        if (m.state == STOPPED || m.state == FATAL) {
            campaigner_finish();
            unlink(m.plan.notify_socket); /* nothing listens on it any more */
            return m.state == STOPPED ? EXIT_STOPPED : EXIT_GAVE_UP;
        }
        tick();
    }
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "stop") == 0) {
        return exec_stop(argc, argv);
    }
    if (argc < 3 || strcmp(argv[1], "run") != 0) {
        fprintf(stderr, "usage: quant-monitor run NAME [OPTIONS] | quant-monitor stop [PID]\n");
        return EXIT_USAGE;
    }
    /* Before anything else: a stop signal that arrives from now on is read, never lost. */
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGHUP);
    sigaddset(&mask, SIGCHLD);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    m.signal_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    if (m.signal_fd < 0) {
        fprintf(stderr, "quant-supervision: run: signalfd: %s\n", strerror(errno));
        return EXIT_SOFTWARE;
    }
    signal(SIGPIPE, SIG_IGN);
    /* What the strategy forks and orphans is re-parented to the monitor, not to init: the monitor
     * reaps it, so a group it has killed is empty as soon as it is dead, and no leftover of its
     * strategy escapes to become another process's child. */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    /* Group-readable, never writable: the health checker, a member of the strategy's group,
     * reads runner.json, events and logs (and the strategy's own files, which inherit this). */
    umask(0027);
    m.out_fd = -1;
    m.hook.out_fd = -1;
    m.last_exit_code = m.last_exit_signal = -1;
    m.others = -1;
    m.state = STOPPED;
    m.self.pid = getpid();
    proc_stat(m.self.pid, NULL, &m.parent, &m.self.start_time);
    leave_strategy_cores();
    notifier_init(&m.notifier);

    char *text;
    size_t len;
    m.run_args = argv + 2;
    m.run_nargs = argc - 2;
    int status = prepare(m.run_args, m.run_nargs, &text, &len);
    if (status != 0) {
        return status;
    }
    char error[256];
    if (plan_parse(&m.plan, text, len, error, sizeof error) != 0) {
        fprintf(stderr, "quant-supervision: run: internal error: %s\n", error);
        return EXIT_SOFTWARE;
    }
    say_init(m.plan.name);
    if ((status = lock_instance()) != 0 || (status = setup()) != 0) {
        return status;
    }
    if (m.stop_requested[0]) { /* SIGTERM during start-up: never log in only to be stopped */
        begin_stop(m.stop_requested);
        unlink(m.plan.notify_socket);
        return EXIT_STOPPED;
    }
    if (m.plan.failover) {
        m.leader_since_wall_ms = wall_ms(); /* no leader known since the start */
        start_guard();
        start_campaigner();
    }
    start_child(); /* in failover mode: STANDBY until the campaigner says leader */
    return loop();
}
