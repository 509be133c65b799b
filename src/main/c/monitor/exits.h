/* The monitor's exit statuses, which are those of `quant-supervision run` (it passes prepare's on
 * as they are). The Java half's list, with what each means, is cli/ExitCodes.java, the home of
 * these numbers: C cannot import it, so ExitCodesTest checks every one here against it. */
#ifndef QS_EXITS_H
#define QS_EXITS_H

#define EXIT_STOPPED 0          /* ExitCodes.OK: stopped on request */
#define EXIT_USAGE 2            /* ExitCodes.USAGE */
#define EXIT_GAVE_UP 69         /* ExitCodes.GAVE_UP (RunnerState.EXIT_GAVE_UP): no manager restarts it */
#define EXIT_SOFTWARE 70        /* ExitCodes.SOFTWARE */
#define EXIT_ALREADY_RUNNING 75 /* ExitCodes.ALREADY_RUNNING */

#endif
