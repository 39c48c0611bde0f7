/* The process-wide stop flag and its signal handler; see stop_signal.h. */
#include "engine/stop_signal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/error.h"

/* atomic_int is lock-free on every target we build for (checked below), so
 * the handler may store to it. */
static atomic_int pending;
static struct sigaction saved_int, saved_term;
static bool installed;

_Static_assert(ATOMIC_INT_LOCK_FREE == 2,
               "the stop flag must be lock-free to be set from a handler");

/* The self-pipe: the handler writes a byte (write is async-signal-safe)
 * whichever thread the kernel delivered the signal to, and
 * sp_stop_signal_wait polls the read end, so no signal is missed the way
 * `while (!flag) pause();` misses one delivered to another thread. Created
 * once, non-blocking and close-on-exec; never closed (the process may
 * install again). */
static int pipe_fd[2] = {-1, -1};

/* Returns 0, or -SP_EIO with pipe2's errno left in errno. */
static int ensure_pipe(void) {
  if (pipe_fd[0] >= 0) return 0;
  int fds[2];
  if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) return -SP_EIO;
  pipe_fd[0] = fds[0];
  pipe_fd[1] = fds[1];
  return 0;
}

void sp_stop_signal_raise(int signo) {
  int saved = errno; /* a handler must leave errno as it found it */
  atomic_store_explicit(&pending, signo, memory_order_relaxed);
  if (pipe_fd[1] >= 0) {
    char b = 1;
    /* A full pipe already holds a wake-up: nothing is lost. */
    ssize_t n = write(pipe_fd[1], &b, 1);
    (void)n;
  }
  errno = saved;
}

int sp_stop_signal_wait(int timeout_ms) {
  long long t0 = sp_monotonic_ms();
  for (;;) {
    int sig = sp_stop_signal_pending();
    if (sig != 0) return sig;
    int wait = timeout_ms;
    if (timeout_ms >= 0) {
      long long spent = sp_monotonic_ms() - t0;
      if (spent >= timeout_ms) return 0;
      wait = (int)(timeout_ms - spent);
    }
    if (pipe_fd[0] < 0 && ensure_pipe() != 0) {
      /* No pipe: poll the flag (still bounded: 50 ms at a time). */
      struct timespec ts = {0, 50 * 1000000L};
      nanosleep(&ts, NULL);
      continue;
    }
    struct pollfd pfd = {.fd = pipe_fd[0], .events = POLLIN};
    int rc = poll(&pfd, 1, wait);
    if (rc > 0) {
      char buf[64];
      while (read(pipe_fd[0], buf, sizeof buf) > 0) {
      }
    }
  }
}

static void on_signal(int signo) { sp_stop_signal_raise(signo); }

int sp_stop_signal_install(void) {
  if (installed) return 0;
  int rc = ensure_pipe();
  if (rc != 0) return rc;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  /* No SA_RESTART: a blocking read or sleep in the program returns EINTR
   * and can look at the flag at once. */
  sa.sa_flags = 0;
  if (sigaction(SIGINT, &sa, &saved_int) != 0) return -SP_EIO;
  if (sigaction(SIGTERM, &sa, &saved_term) != 0) {
    int e = errno;
    sigaction(SIGINT, &saved_int, NULL);
    errno = e;
    return -SP_EIO;
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
