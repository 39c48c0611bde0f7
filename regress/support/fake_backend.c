/* Backend test doubles; see fake_backend.h. */
#include "regress/support/fake_backend.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct sp_backend {
  fake_config cfg;
  fake_scan *scans;
  size_t n_scans, cap_scans;
  unsigned n_calls;
  atomic_int in_scan; /* scans running now */
  atomic_bool closed; /* close came while in_scan > 0: the scan frees */
};

struct fake_gate {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  bool open;
  unsigned held, entered;
};

static atomic_uint closes, closes_during_scan;
static pthread_mutex_t closes_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t closes_cv = PTHREAD_COND_INITIALIZER;

static void deadline_in(struct timespec *dl, unsigned ms) {
  clock_gettime(CLOCK_REALTIME, dl);
  dl->tv_sec += ms / 1000;
  dl->tv_nsec += (long)(ms % 1000) * 1000000L;
  if (dl->tv_nsec >= 1000000000L) dl->tv_sec++, dl->tv_nsec -= 1000000000L;
}

fake_gate *fake_gate_new(void) {
  fake_gate *g = calloc(1, sizeof *g);
  if (g == NULL) abort();
  pthread_mutex_init(&g->mu, NULL);
  pthread_cond_init(&g->cv, NULL);
  return g;
}

void fake_gate_open(fake_gate *g) {
  pthread_mutex_lock(&g->mu);
  g->open = true;
  pthread_cond_broadcast(&g->cv);
  pthread_mutex_unlock(&g->mu);
}

bool fake_gate_wait_held(fake_gate *g, unsigned n, unsigned timeout_ms) {
  struct timespec dl;
  deadline_in(&dl, timeout_ms);
  pthread_mutex_lock(&g->mu);
  int rc = 0;
  while (g->held < n && rc != ETIMEDOUT)
    rc = pthread_cond_timedwait(&g->cv, &g->mu, &dl);
  bool ok = g->held >= n;
  pthread_mutex_unlock(&g->mu);
  return ok;
}

bool fake_gate_wait_entered(fake_gate *g, unsigned n, unsigned timeout_ms) {
  struct timespec dl;
  deadline_in(&dl, timeout_ms);
  pthread_mutex_lock(&g->mu);
  int rc = 0;
  while (g->entered < n && rc != ETIMEDOUT)
    rc = pthread_cond_timedwait(&g->cv, &g->mu, &dl);
  bool ok = g->entered >= n;
  pthread_mutex_unlock(&g->mu);
  return ok;
}

void fake_gate_free(fake_gate *g) {
  if (g == NULL) return;
  pthread_mutex_destroy(&g->mu);
  pthread_cond_destroy(&g->cv);
  free(g);
}

static void gate_hold(fake_gate *g) {
  pthread_mutex_lock(&g->mu);
  g->held++;
  pthread_cond_broadcast(&g->cv);
  while (!g->open)
    pthread_cond_wait(&g->cv, &g->mu);
  pthread_mutex_unlock(&g->mu);
}

unsigned fake_backend_closes(void) { return atomic_load(&closes); }
unsigned fake_backend_closes_during_scan(void) {
  return atomic_load(&closes_during_scan);
}

bool fake_backend_wait_closes(unsigned n, unsigned timeout_ms) {
  struct timespec dl;
  deadline_in(&dl, timeout_ms);
  pthread_mutex_lock(&closes_mu);
  int rc = 0;
  while (atomic_load(&closes) < n && rc != ETIMEDOUT)
    rc = pthread_cond_timedwait(&closes_cv, &closes_mu, &dl);
  bool ok = atomic_load(&closes) >= n;
  pthread_mutex_unlock(&closes_mu);
  return ok;
}

static void free_backend(sp_backend *b) {
  free(b->scans);
  free(b);
}

sp_backend *fake_backend_new(const fake_config *cfg) {
  sp_backend *b = calloc(1, sizeof *b);
  if (b == NULL) abort();
  if (cfg != NULL) b->cfg = *cfg;
  if (b->cfg.slice == 0) b->cfg.slice = 500;
  return b;
}

size_t fake_backend_scans(const sp_backend *b, const fake_scan **out) {
  *out = b->scans;
  return b->n_scans;
}

static int f_open(const sp_backend_options *o, sp_backend **out,
                  sp_error_record *e) {
  (void)o, (void)e;
  *out = fake_backend_new(NULL);
  return 0;
}
static int f_count(const sp_backend *b) {
  (void)b;
  return 1;
}
static void f_describe(const sp_backend *b, int i, sp_device_info *d) {
  (void)b;
  memset(d, 0, sizeof *d);
  snprintf(d->name, sizeof d->name, "fake device");
  snprintf(d->isa, sizeof d->isa, "test");
  d->units = 1;
  d->id = i;
}

static void sleep_ms(unsigned ms) {
  struct timespec ts = {.tv_sec = ms / 1000,
                        .tv_nsec = (long)(ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0) {
  }
}

struct relay {
  const sp_solution_sink *sink;
};
static bool relay_found(void *user, uint64_t nonce, const uint8_t seal[32]) {
  struct relay *r = user;
  r->sink->found(r->sink->user, nonce, seal);
  return true;
}

static void log_scan(sp_backend *b, const sp_work *w, sp_nonce_range range,
                     uint64_t done) {
  if (b->n_scans == b->cap_scans) {
    b->cap_scans = b->cap_scans ? 2 * b->cap_scans : 256;
    b->scans = realloc(b->scans, b->cap_scans * sizeof *b->scans);
    if (b->scans == NULL) abort();
  }
  fake_scan *s = &b->scans[b->n_scans++];
  memcpy(s->block_and_hotkey_hash, w->block_and_hotkey_hash, 32);
  s->difficulty = w->difficulty;
  s->rule = w->rule;
  s->start = range.start;
  s->count = range.count;
  s->done = done;
}

static int scan_body(sp_backend *b, const sp_work *w, sp_nonce_range range,
                     const sp_solution_sink *sink, sp_keep_going_fn kg,
                     void *kgu, uint64_t *scanned, sp_error_record *err) {
  b->n_calls++;
  *scanned = 0;
  if (b->cfg.fail_after != 0 && b->n_calls >= b->cfg.fail_after) {
    return sp_error_fail(err, SP_EINVAL, "fake: device lost on scan %u",
                         b->n_calls);
  }
  if (b->cfg.stuck_ms) {
    sleep_ms(b->cfg.stuck_ms);
    log_scan(b, w, range, 0);
    return 0;
  }
  uint64_t len = sp_nonce_range_length(range), done = 0;
  struct relay r = {.sink = sink};
  while (done < len) {
    if (kg != NULL && !kg(kgu)) {
      if (b->cfg.hold != NULL) gate_hold(b->cfg.hold);
      break;
    }
    uint64_t n = len - done < b->cfg.slice ? len - done : b->cfg.slice;
    sp_nonce_range part = {.start = range.start + done, .count = n};
    if (b->cfg.lie) {
      uint8_t zero[32] = {0};
      sink->found(sink->user, part.start, zero);
    } else {
      uint64_t got = 0;
      if (sp_solve_for_nonce_block(w->block_and_hotkey_hash, w->difficulty,
                                   w->rule, part, true, relay_found, &r,
                                   &got) < 0)
        abort();
    }
    done += n;
    if (b->cfg.sleep_us) {
      struct timespec ts = {.tv_nsec = (long)b->cfg.sleep_us * 1000L};
      nanosleep(&ts, NULL);
    }
  }
  log_scan(b, w, range, done);
  *scanned = done;
  return 0;
}

static int f_scan(sp_backend *b, const sp_work *w, sp_nonce_range range,
                  const sp_solution_sink *sink, sp_keep_going_fn kg, void *kgu,
                  uint64_t *scanned, sp_error_record *err) {
  atomic_fetch_add(&b->in_scan, 1);
  fake_gate *g = b->cfg.hold;
  if (g != NULL) {
    pthread_mutex_lock(&g->mu);
    g->entered++;
    pthread_cond_broadcast(&g->cv);
    pthread_mutex_unlock(&g->mu);
  }
  int rc = scan_body(b, w, range, sink, kg, kgu, scanned, err);
  if (atomic_fetch_sub(&b->in_scan, 1) == 1 && atomic_load(&b->closed))
    free_backend(b); /* closed under us: the close was recorded */
  return rc;
}

static void f_close(sp_backend *b) {
  pthread_mutex_lock(&closes_mu);
  atomic_fetch_add(&closes, 1);
  bool busy = atomic_load(&b->in_scan) > 0;
  if (busy) {
    atomic_fetch_add(&closes_during_scan, 1);
    atomic_store(&b->closed, true);
  }
  pthread_cond_broadcast(&closes_cv);
  pthread_mutex_unlock(&closes_mu);
  if (!busy) free_backend(b);
}

const sp_backend_vtable fake_vtable = {
    .name = "fake",
    .summary = "test double",
    .open = f_open,
    .device_count = f_count,
    .describe = f_describe,
    .scan = f_scan,
    .close = f_close,
};
