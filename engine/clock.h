/*
 * The clock the engine's control loop and the scripted source read, so that
 * tests can drive time themselves instead of racing the wall clock: on a
 * busy machine (or under valgrind) real time runs past any window a test
 * could assert, while a test clock moves only when the test says.
 */
#ifndef SUBPOW_ENGINE_CLOCK_H
#define SUBPOW_ENGINE_CLOCK_H

#ifdef __cplusplus
extern "C" {
#endif

/* A source of seconds that never go back. `now` must be callable from any
 * thread. A zeroed struct is the system's monotonic clock. */
typedef struct sp_clock {
  double (*now)(void *user);
  void *user;
} sp_clock;

/* CLOCK_MONOTONIC, in seconds. */
double sp_monotonic_seconds(void);

/* c->now(c->user), or sp_monotonic_seconds() when c or c->now is NULL. */
double sp_clock_now(const sp_clock *c);

#ifdef __cplusplus
}
#endif

#endif
