#include "say.h"

#include <stdarg.h>
#include <stdio.h>

static const char *name = "?";

void say_init(const char *strategy)
{
    name = strategy;
}

void say(const char *format, ...)
{
    char line[2048];
    va_list ap;
    va_start(ap, format);
    vsnprintf(line, sizeof line, format, ap);
    va_end(ap);
    /* one write per line: the journal and supervisord's log never see half of one */
    fprintf(stderr, "quant-supervision[%s]: %s\n", name, line);
    fflush(stderr);
}
