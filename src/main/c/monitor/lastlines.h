/* The last lines the strategy wrote, kept for the report of its crash (records.h: the "output" of
 * a crashed event), which the health checker puts in its alert. They land in events.jsonl, a
 * file the checker's group reads, so a line that holds the value of one of the strategy's
 * secrets (prepare names them: plan.h's masks) is kept only as a notice that it was masked; the
 * log itself keeps the line, as the strategy wrote it. Bytes that are not UTF-8 become '?', so
 * the event stays JSON a reader can parse. */
#ifndef QS_LASTLINES_H
#define QS_LASTLINES_H
#include <stddef.h>

#define LASTLINES_COUNT 20
#define LASTLINES_BYTES 300

struct lastlines {
    char lines[LASTLINES_COUNT][LASTLINES_BYTES + 1];
    int next;  /* where the next line goes */
    int count; /* lines held, at most LASTLINES_COUNT */
    char **masks; /* NULL-terminated secret values, or NULL */
};

/* Keeps LEN bytes of LINE (cut at LASTLINES_BYTES), the oldest line dropped when full. */
void lastlines_add(struct lastlines *l, const char *line, size_t len);
/* Points OUT[0..] at the lines held, oldest first; returns how many. */
int lastlines_get(const struct lastlines *l, const char *out[LASTLINES_COUNT]);
/* Forgets the lines: each run of the strategy reports its own. */
void lastlines_clear(struct lastlines *l);

#endif
