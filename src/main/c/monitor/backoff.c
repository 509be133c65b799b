#include "backoff.h"

#include <stdlib.h>

#include "exits.h"
#include "say.h"

static int64_t delay(const struct backoff *b, int in_a_row)
{
    if (in_a_row <= 1) {
        return 0;
    }
    int64_t d = b->initial_ns;
    for (int i = 2; i < in_a_row && d < b->max_ns; i++) {
        d *= 2;
    }
    return d > b->max_ns ? b->max_ns : d;
}

int64_t backoff_crashed(struct backoff *b, int64_t now, int64_t uptime, int *crashes)
{
    if (uptime >= b->reset_after_ns) {
        b->streak = 0;
    }
    if (b->count == b->capacity) {
        int grown = b->capacity == 0 ? 16 : b->capacity * 2;
        int64_t *times = malloc(sizeof *times * (size_t)grown);
        if (times == NULL) {
            say("out of memory recording a crash");
            exit(EXIT_SOFTWARE);
        }
        for (int i = 0; i < b->count; i++) {
            times[i] = b->times[(b->first + i) % b->capacity];
        }
        free(b->times);
        b->times = times;
        b->capacity = grown;
        b->first = 0;
    }
    b->times[(b->first + b->count) % b->capacity] = now;
    b->count++;
    while (b->count > 0 && now - b->times[b->first] > b->window_ns) {
        b->first = (b->first + 1) % b->capacity;
        b->count--;
    }
    if (b->count >= b->give_up_after) {
        *crashes = b->count;
        return -1;
    }
    b->streak++;
    return delay(b, b->streak);
}
