/*
 * Deadlines for the timed waits of POSIX threads, which take an absolute
 * time on a stated clock. A condition variable made by
 * sp_cond_init_monotonic waits on CLOCK_MONOTONIC, so that a jump of the
 * wall clock (NTP, a suspended VM) neither stalls nor hurries it; waits that
 * only take CLOCK_REALTIME (pthread_timedjoin_np, a default condition
 * variable) get a deadline on that clock.
 */
#ifndef SUBPOW_COMMON_DEADLINE_H
#define SUBPOW_COMMON_DEADLINE_H

#include <pthread.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Now on `clock` (CLOCK_MONOTONIC or CLOCK_REALTIME) plus `seconds` (a
 * negative value counts as 0), normalized (0 <= tv_nsec < 10^9). */
struct timespec sp_deadline_after(clockid_t clock, double seconds);

/* sp_deadline_after in milliseconds, exactly. */
struct timespec sp_deadline_after_ms(clockid_t clock, long long ms);

/* pthread_cond_init of `cv` waiting on CLOCK_MONOTONIC; returns its
 * result. */
int sp_cond_init_monotonic(pthread_cond_t *cv);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_COMMON_DEADLINE_H */
