/*
 * Test support: a clock (common/clock.h) that moves only when the test
 * advances it, for the engine and the scripted source: no test then
 * depends on how fast a busy machine runs.
 */
#ifndef SUBPOW_REGRESS_MANUAL_CLOCK_H
#define SUBPOW_REGRESS_MANUAL_CLOCK_H

#include <stdatomic.h>

#include "common/clock.h"

typedef struct manual_clock {
  _Atomic(long long) ns; /* now, in nanoseconds */
} manual_clock;

/* Starts at `start_s` seconds. */
void manual_clock_init(manual_clock *m, double start_s);
/* Moves it forward (any thread). */
void manual_clock_advance(manual_clock *m, double seconds);
/* The sp_clock reading `m` (which must outlive it), for both readings:
 * its wall clock is `m` too, counted from the epoch. */
sp_clock manual_clock_as_clock(manual_clock *m);

#endif
