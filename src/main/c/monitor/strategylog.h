/* The strategy's output when there is no journal (under supervisord): whole lines appended to
 * FILE, which rolls over to FILE.1 ... FILE.N at a size limit, like supervisord's
 * stdout_logfile_maxbytes/backups. Lines are never split across files.
 *
 * Nothing the log does may hurt the strategy, whose output pipe must be drained whatever
 * happens: a line that cannot be written (a full disk) is dropped and counted, and once lines
 * can be written again one line says how many were lost (and the monitor records an event); a
 * file renamed or deleted under it (logrotate, an operator freeing space) is noticed at the next
 * line (one stat of the path per line, cheap next to the write) and a new one opened, as on
 * strategylog_reopen (SIGHUP). */
#ifndef QS_STRATEGYLOG_H
#define QS_STRATEGYLOG_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct strategylog {
    const char *file;
    int64_t max_bytes;
    int backups;
    int fd;
    dev_t dev;
    ino_t ino;
    int64_t size;
    long long lost;
    int mid_line;           /* a failed write left part of a line: the next starts with a newline */
    char lost_because[256]; /* "" while nothing is lost */
    /* Where losses and their end are reported: the monitor's own output, and for the end an event. */
    void (*report)(const char *message, int lines_lost_event);
};

void strategylog_open(struct strategylog *log);
/* Appends LEN bytes of LINE and a newline; never fails: what cannot be written is counted. */
void strategylog_write_line(struct strategylog *log, const char *line, size_t len);
void strategylog_reopen(struct strategylog *log);
void strategylog_close(struct strategylog *log);

#endif
