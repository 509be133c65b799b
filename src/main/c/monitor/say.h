/* The monitor's own lines, on standard error (the unit's journal, or supervisord's log of the
 * program), each prefixed as the Java runner's were: quant-supervision[NAME]: ... */
#ifndef QS_SAY_H
#define QS_SAY_H

void say_init(const char *strategy);
void say(const char *format, ...) __attribute__((format(printf, 1, 2)));

#endif
