#include "clock.h"

#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int64_t mono_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

int64_t wall_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

const char *boot_id(void)
{
    static char id[40];
    static int read_once;
    if (!read_once) {
        read_once = 1;
        int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            ssize_t n = read(fd, id, sizeof id - 1);
            close(fd);
            /* a UUID: 36 characters and a newline; anything else is no boot id */
            if (n == 37 && id[36] == '\n') {
                id[36] = '\0';
            } else {
                id[0] = '\0';
            }
        }
    }
    return id;
}
