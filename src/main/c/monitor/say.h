/* The monitor's own lines, on standard error (the unit's journal, or supervisord's log of the
 * program), each prefixed with the strategy's name: quant-supervision[NAME]: ...; the container
 * tests and the operators' greps read these words. */
#ifndef QS_SAY_H
#define QS_SAY_H

void say_init(const char *strategy);
void say(const char *format, ...) __attribute__((format(printf, 1, 2)));

#endif
