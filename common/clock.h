/*
 * The one clock of subpow: monotonic seconds for durations and deadlines,
 * wall-clock seconds for timestamps, both injectable so that tests drive
 * time themselves instead of racing the real clock: on a busy machine (or
 * under valgrind) real time runs past any window a test could assert, while
 * a test clock moves only when the test says.
 *
 * Code that measures or waits reads sp_monotonic_seconds() (or, where a test
 * must steer it, an sp_clock it was given); nothing else calls
 * clock_gettime(CLOCK_MONOTONIC) for a reading of its own.
 */
#ifndef SUBPOW_COMMON_CLOCK_H
#define SUBPOW_COMMON_CLOCK_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A source of time. `now` gives seconds that never go back, `wall` seconds
 * since the Unix epoch; both must be callable from any thread. A NULL member
 * (and a zeroed struct) is the system's clock for that reading. */
typedef struct sp_clock {
  double (*now)(void *user);
  void *user;
  double (*wall)(void *user);
} sp_clock;

/* CLOCK_MONOTONIC, in seconds. */
double sp_monotonic_seconds(void);

/* CLOCK_MONOTONIC, in whole milliseconds. */
long long sp_monotonic_ms(void);

/* CLOCK_MONOTONIC, in nanoseconds (for short durations measured exactly). */
uint64_t sp_monotonic_ns(void);

/* CLOCK_REALTIME, in seconds since the Unix epoch. */
double sp_wall_seconds(void);

/* c->now(c->user), or sp_monotonic_seconds() when c or c->now is NULL. */
double sp_clock_now(const sp_clock *c);

/* c->wall(c->user), or sp_wall_seconds() when c or c->wall is NULL. */
double sp_clock_wall(const sp_clock *c);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_COMMON_CLOCK_H */
