/* When to restart a crashed strategy, and when to give up:
 *  - the first crash after a stable run restarts at once: a strategy that trades is worth every
 *    millisecond;
 *  - crashes in a row (each run shorter than reset_after) wait initial, then twice as long each
 *    time, up to max: a crash loop must not burn the CPU or spam an exchange with logins;
 *  - a run of at least reset_after forgets the streak;
 *  - give_up_after crashes within window end the monitor with status 69. */
#ifndef QS_BACKOFF_H
#define QS_BACKOFF_H
#include <stdint.h>

struct backoff {
    int64_t initial_ns, max_ns, reset_after_ns, window_ns;
    int give_up_after;
    int streak;
    /* crash times within the window, oldest first: a ring that grows as needed (a give-up
     * needs at most give_up_after of them) */
    int64_t *times;
    int capacity, first, count;
};

/* Records a crash at NOW of a run that lasted UPTIME. Returns the delay before the restart
 * (0: at once), or -1 to give up (then *CRASHES is how many fell within the window). */
int64_t backoff_crashed(struct backoff *b, int64_t now, int64_t uptime, int *crashes);

#endif
