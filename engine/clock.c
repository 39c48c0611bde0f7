/* The engine's clock; see clock.h. */
#include "engine/clock.h"

#include <stddef.h>
#include <time.h>

double sp_monotonic_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double sp_clock_now(const sp_clock *c) {
  return c != NULL && c->now != NULL ? c->now(c->user)
                                     : sp_monotonic_seconds();
}
