#ifndef QS_EXECSTOP_H
#define QS_EXECSTOP_H

/* `quant-monitor stop [PID]`, the unit's ExecStop=: SIGTERM to the runner PID, then wait until it
 * has exited. Returns the process's exit status. */
int exec_stop(int argc, char **argv);

#endif
