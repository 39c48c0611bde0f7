/* The process-wide stop flag and its signal handler; see stop_signal.h. */
#include "engine/stop_signal.h"

#include <signal.h>
#include <stdatomic.h>
#include <string.h>

/* atomic_int is lock-free on every target we build for (checked below), so
 * the handler may store to it. */
static atomic_int pending;
static struct sigaction saved_int, saved_term;
static bool installed;

_Static_assert(ATOMIC_INT_LOCK_FREE == 2,
               "the stop flag must be lock-free to be set from a handler");

void sp_stop_signal_raise(int signo) {
  atomic_store_explicit(&pending, signo, memory_order_relaxed);
}

static void on_signal(int signo) { sp_stop_signal_raise(signo); }

int sp_stop_signal_install(void) {
  if (installed) return 0;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  /* No SA_RESTART: a blocking read or sleep in the program returns EINTR
   * and can look at the flag at once. */
  sa.sa_flags = 0;
  if (sigaction(SIGINT, &sa, &saved_int) != 0) return -1;
  if (sigaction(SIGTERM, &sa, &saved_term) != 0) {
    sigaction(SIGINT, &saved_int, NULL);
    return -1;
  }
  installed = true;
  return 0;
}

void sp_stop_signal_restore(void) {
  if (!installed) return;
  sigaction(SIGINT, &saved_int, NULL);
  sigaction(SIGTERM, &saved_term, NULL);
  installed = false;
}

int sp_stop_signal_pending(void) {
  return atomic_load_explicit(&pending, memory_order_relaxed);
}

void sp_stop_signal_clear(void) {
  atomic_store_explicit(&pending, 0, memory_order_relaxed);
}
