/* The one clock; see clock.h. */
#include "common/clock.h"

#include <stddef.h>
#include <time.h>

double sp_monotonic_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

long long sp_monotonic_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint64_t sp_monotonic_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

double sp_wall_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double sp_clock_now(const sp_clock *c) {
  return c != NULL && c->now != NULL ? c->now(c->user) : sp_monotonic_seconds();
}

double sp_clock_wall(const sp_clock *c) {
  return c != NULL && c->wall != NULL ? c->wall(c->user) : sp_wall_seconds();
}
