/* Clocks of the monitor: every duration it decides on is measured on CLOCK_MONOTONIC, as the
 * health checker's readings of runner.json (clock/Moment.java), so a step of the wall clock (NTP,
 * date -s) changes none. */
#ifndef QS_CLOCK_H
#define QS_CLOCK_H
#include <stdint.h>

#define NS_PER_MS INT64_C(1000000)

int64_t mono_ns(void);
int64_t wall_ms(void);
/* The kernel's boot id (runner.json's moments), "" when unknown. */
const char *boot_id(void);

#endif
