/* A clock that tests move; see manual_clock.h. */
#include "regress/support/manual_clock.h"

static double manual_now(void *user) {
  manual_clock *m = user;
  return (double)atomic_load(&m->ns) * 1e-9;
}

void manual_clock_init(manual_clock *m, double start_s) {
  atomic_init(&m->ns, (long long)(start_s * 1e9));
}

void manual_clock_advance(manual_clock *m, double seconds) {
  atomic_fetch_add(&m->ns, (long long)(seconds * 1e9));
}

sp_clock manual_clock_as_clock(manual_clock *m) {
  return (sp_clock){.now = manual_now, .user = m, .wall = manual_now};
}
