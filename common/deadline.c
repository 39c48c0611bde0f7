/* Deadlines for timed waits; see deadline.h. */
#include "common/deadline.h"

static struct timespec add_ns(clockid_t clock, long long sec, long long ns) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  ts.tv_sec += (time_t)sec;
  ns += ts.tv_nsec;
  ts.tv_sec += (time_t)(ns / 1000000000LL);
  ts.tv_nsec = (long)(ns % 1000000000LL);
  return ts;
}

struct timespec sp_deadline_after(clockid_t clock, double seconds) {
  if (!(seconds > 0)) seconds = 0;      /* NaN too */
  if (seconds > 1e12) seconds = 1e12;   /* some 30,000 years: no overflow */
  long long whole = (long long)seconds; /* >= 0: truncation is floor */
  return add_ns(clock, whole, (long long)((seconds - (double)whole) * 1e9));
}

struct timespec sp_deadline_after_ms(clockid_t clock, long long ms) {
  if (ms < 0) ms = 0;
  return add_ns(clock, ms / 1000, (ms % 1000) * 1000000LL);
}

int sp_cond_init_monotonic(pthread_cond_t *cv) {
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  int rc = pthread_cond_init(cv, &ca);
  pthread_condattr_destroy(&ca);
  return rc;
}
