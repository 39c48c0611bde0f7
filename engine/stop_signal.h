/*
 * Stopping the engine from a signal handler.
 *
 * SIGINT and SIGTERM must stop a solve cleanly: workers leave their scans,
 * are joined, and the command prints what it has. A signal handler may only
 * touch lock-free atomics (C17 7.14.1.1), so the handler installed here sets
 * one process-wide flag; every engine's workers and control loop read it.
 * The libraries never install handlers themselves: the program does (bench
 * calls sp_stop_signal_install before a long solve).
 */
#ifndef SUBPOW_ENGINE_STOP_SIGNAL_H
#define SUBPOW_ENGINE_STOP_SIGNAL_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Installs a handler for SIGINT and SIGTERM that records the signal (see
 * sp_stop_signal_pending) and nothing else, saving the previous handlers.
 * Returns 0, or -SP_EIO (common/error.h) with errno left set when the
 * self-pipe or sigaction fails. Calling it twice
 * without sp_stop_signal_restore in between keeps the first saved handlers.
 */
int sp_stop_signal_install(void);

/* Puts back the handlers that sp_stop_signal_install saved. */
void sp_stop_signal_restore(void);

/* The signal number received since the last clear (SIGINT or SIGTERM), or 0.
 * Cheap: one relaxed atomic load, so workers may call it per keep_going. */
int sp_stop_signal_pending(void);

/* Async-signal-safe: what the handler does. Also usable by a program that
 * installs its own handler, or by tests to simulate a signal. `signo` must be
 * non-zero. */
void sp_stop_signal_raise(int signo);

/*
 * Waits until a stop signal is pending (sp_stop_signal_install's handler
 * or sp_stop_signal_raise, from any thread) and returns its number, or 0
 * after timeout_ms (< 0: no limit). The handler wakes it through a
 * self-pipe, so a signal the kernel delivers to any thread of the process
 * is seen at once: the way for a long-running command to wait for SIGINT /
 * SIGTERM (`while (!flag) pause();` waits forever when another thread took
 * the signal).
 */
int sp_stop_signal_wait(int timeout_ms);

/* Forgets a received signal (before starting another solve). */
void sp_stop_signal_clear(void);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_ENGINE_STOP_SIGNAL_H */
