/* The solve engine; see engine.h. */
#include "engine/engine.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/deadline.h"
#include "common/rng.h"
#include "engine/stop_signal.h"

typedef struct engine_worker {
  sp_engine *e;
  int index;
  const sp_backend_vtable *vt;
  sp_backend *b;
  uint64_t chunk_fixed; /* 0: the engine's setting */
  pthread_t thread;
  bool started, joined, detached;
  /* The engine closes b (sp_engine_add_owned_worker). Whichever of the
   * worker leaving its loop and sp_engine_destroy comes second does it:
   * each swaps handoff to true and the one that sees true already closes,
   * so b is closed exactly once and never while a scan may still use it. */
  bool owned;
  atomic_bool handoff;
  /* Written by the worker, read by the statistics. */
  _Atomic uint64_t hashes, rounds, round_ns_sum, last_round_ns;
  atomic_bool exited;
  /* The worker's own copy of the work it is scanning, and its generation:
   * the labels of what it finds. */
  sp_block_work work;
  uint64_t gen;
  sp_error_record err; /* the last scan's error */
} engine_worker;

struct sp_engine {
  sp_engine_config cfg;
  sp_work_source source;
  bool has_source;

  pthread_mutex_t work_mu; /* work, have_work, blocks_seen, error */
  pthread_cond_t work_cv;  /* work published or stop */
  sp_block_work work;
  bool have_work;
  uint64_t blocks_seen;
  _Atomic uint64_t generation;
  char error[512];

  _Atomic uint64_t cursor;
  uint64_t nonce_start;
  atomic_bool stop;           /* workers leave */
  atomic_bool stop_requested; /* sp_engine_request_stop */
  atomic_bool worker_failed;
  _Atomic uint64_t bad_solutions;
  sp_solution_queue queue;

  engine_worker *workers;
  int n_workers, cap_workers;
  bool started;
  atomic_int refs; /* the owner plus each running worker thread */

  /* Control loop timing (caller's thread). */
  double next_poll, next_stats, next_condition;

  pthread_mutex_t stats_mu; /* tracker */
  sp_stats_tracker tracker;
};

/* The control loop's clock (cfg.clock; the monotonic clock by default). */
static double engine_now(const sp_engine *e) {
  return sp_clock_now(&e->cfg.clock);
}

void sp_engine_config_default(sp_engine_config *cfg) {
  memset(cfg, 0, sizeof *cfg);
  cfg->random_start = true;
  cfg->chunk_ms = 100;
  cfg->poll_ms = 50;
  cfg->stats_ms = 250;
  cfg->condition_ms = 1000;
  cfg->n_samples = SP_EWMA_DEFAULT_SAMPLES;
  cfg->alpha = SP_EWMA_DEFAULT_ALPHA;
  cfg->queue_capacity = 65536;
}

const char *sp_engine_event_name(sp_engine_event ev) {
  switch (ev) {
  case SP_ENGINE_SOLUTION: return "solution";
  case SP_ENGINE_CONDITION: return "condition";
  case SP_ENGINE_SIGNAL: return "signal";
  case SP_ENGINE_REQUESTED: return "requested";
  case SP_ENGINE_TIME_LIMIT: return "time limit";
  case SP_ENGINE_SOURCE_ERROR: return "source error";
  case SP_ENGINE_WORKER_ERROR: return "worker error";
  case SP_ENGINE_STOPPED: return "stopped";
  case SP_ENGINE_NOT_STARTED: return "not started";
  }
  return "?";
}

int sp_engine_create(const sp_engine_config *cfg, sp_engine **out,
                     sp_error_record *err) {
  *out = NULL;
  sp_engine_config c;
  if (cfg == NULL)
    sp_engine_config_default(&c);
  else
    c = *cfg;
  if (c.time_limit_s < 0 || !isfinite(c.time_limit_s)) {
    return sp_error_fail(err, SP_EINVAL,
                         "engine: time limit must be a finite number >= 0");
  }
  if (c.chunk_ms == 0) c.chunk_ms = 100;
  if (c.poll_ms == 0) c.poll_ms = 50;
  if (c.source_ms == 0) c.source_ms = c.poll_ms;
  if (c.stats_ms == 0) c.stats_ms = 250;
  if (c.condition_ms == 0) c.condition_ms = 1000;
  if (c.queue_capacity == 0) c.queue_capacity = 65536;
  sp_engine *e = calloc(1, sizeof *e);
  if (e == NULL || sp_solution_queue_init(&e->queue, c.queue_capacity) != 0) {
    free(e);
    return sp_error_fail(err, SP_ENOMEM, "engine: out of memory");
  }
  e->cfg = c;
  if (c.source != NULL) {
    e->source = *c.source;
    e->has_source = true;
  }
  e->cfg.source = NULL; /* not kept: the copy above is */
  pthread_mutex_init(&e->work_mu, NULL);
  pthread_cond_init(&e->work_cv, NULL);
  pthread_mutex_init(&e->stats_mu, NULL);
  e->nonce_start = c.random_start ? sp_rng_seed() : c.nonce_start;
  atomic_init(&e->cursor, e->nonce_start);
  atomic_init(&e->generation, 0);
  atomic_init(&e->stop, false);
  atomic_init(&e->stop_requested, false);
  atomic_init(&e->worker_failed, false);
  atomic_init(&e->bad_solutions, 0);
  atomic_init(&e->refs, 1);
  *out = e;
  return 0;
}

int sp_engine_add_worker(sp_engine *e, const sp_backend_vtable *vt,
                         sp_backend *b, uint64_t chunk, sp_error_record *err) {
  if (e->started) {
    return sp_error_fail(err, SP_EINVAL,
                         "engine: workers must be added before start");
  }
  if (vt == NULL || b == NULL) {
    return sp_error_fail(err, SP_EINVAL,
                         "engine: a worker needs an opened backend");
  }
  if (e->n_workers == e->cap_workers) {
    int cap = e->cap_workers ? e->cap_workers * 2 : 4;
    engine_worker *w = realloc(e->workers, (size_t)cap * sizeof *w);
    if (w == NULL) {
      return sp_error_fail(err, SP_ENOMEM, "engine: out of memory");
    }
    e->workers = w;
    e->cap_workers = cap;
  }
  engine_worker *w = &e->workers[e->n_workers];
  memset(w, 0, sizeof *w);
  w->e = e;
  w->index = e->n_workers;
  w->vt = vt;
  w->b = b;
  w->chunk_fixed = chunk;
  atomic_init(&w->hashes, 0);
  atomic_init(&w->rounds, 0);
  atomic_init(&w->round_ns_sum, 0);
  atomic_init(&w->last_round_ns, 0);
  atomic_init(&w->exited, false);
  atomic_init(&w->handoff, false);
  return e->n_workers++;
}

int sp_engine_add_owned_worker(sp_engine *e, const sp_backend_vtable *vt,
                               sp_backend *b, uint64_t chunk,
                               sp_error_record *err) {
  int i = sp_engine_add_worker(e, vt, b, chunk, err);
  if (i < 0) {
    if (vt != NULL && b != NULL) vt->close(b);
    return i;
  }
  e->workers[i].owned = true;
  return i;
}

/* The second of the two parties (the worker thread leaving, the owner
 * destroying) closes an owned backend; see engine_worker.handoff. */
static void hand_off(engine_worker *w) {
  if (w->owned && atomic_exchange(&w->handoff, true)) w->vt->close(w->b);
}

void sp_engine_publish_work(sp_engine *e, const sp_block_work *w) {
  pthread_mutex_lock(&e->work_mu);
  e->work = *w;
  e->have_work = true;
  e->blocks_seen++;
  atomic_fetch_add_explicit(&e->generation, 1, memory_order_release);
  pthread_cond_broadcast(&e->work_cv);
  pthread_mutex_unlock(&e->work_mu);
}

static bool stopping(const sp_engine *e) {
  return atomic_load_explicit(&e->stop, memory_order_relaxed) ||
         sp_stop_signal_pending() != 0;
}

static void set_stop(sp_engine *e) {
  atomic_store(&e->stop, true);
  pthread_mutex_lock(&e->work_mu);
  pthread_cond_broadcast(&e->work_cv);
  pthread_mutex_unlock(&e->work_mu);
}

/* keep_going of a worker's scan: may run on many backend threads at once,
 * so it only reads atomics. */
static bool worker_keep_going(void *user) {
  const engine_worker *w = user;
  const sp_engine *e = w->e;
  return !stopping(e) &&
         atomic_load_explicit(&e->generation, memory_order_acquire) == w->gen;
}

/* The sink of a worker's scan: check the seal against the reference, label
 * it with the work the worker copied, queue it. */
static void worker_found(void *user, uint64_t nonce, const uint8_t seal[32]) {
  engine_worker *w = user;
  sp_engine *e = w->e;
  const sp_work *work = &w->work.work;
  uint8_t check[32];
  bool ok =
      sp_create_seal_hash(work->block_and_hotkey_hash, nonce, check) == 0 &&
      memcmp(check, seal, 32) == 0 &&
      sp_seal_meets_difficulty(check, work->difficulty, work->rule);
  if (!ok) {
    atomic_fetch_add(&e->bad_solutions, 1);
    return;
  }
  sp_engine_solution s;
  memset(&s, 0, sizeof s);
  s.pow.nonce = nonce;
  s.pow.block_number = w->work.block_number;
  s.pow.difficulty = work->difficulty;
  memcpy(s.pow.seal, check, 32);
  memcpy(s.block_hash, w->work.block_hash, 32);
  memcpy(s.block_and_hotkey_hash, work->block_and_hotkey_hash, 32);
  s.rule = work->rule;
  s.generation = w->gen;
  s.worker = w->index;
  sp_solution_queue_push(&e->queue, &s);
  if (!e->cfg.keep_going) atomic_store(&e->stop, true);
}

static void free_engine(sp_engine *e) {
  sp_solution_queue_destroy(&e->queue);
  pthread_mutex_destroy(&e->work_mu);
  pthread_cond_destroy(&e->work_cv);
  pthread_mutex_destroy(&e->stats_mu);
  free(e->workers);
  free(e);
}

static void release(sp_engine *e) {
  if (atomic_fetch_sub(&e->refs, 1) == 1) free_engine(e);
}

/* Keeps the first error only: later ones are usually its consequences. */
static void record_error(sp_engine *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void record_error(sp_engine *e, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  pthread_mutex_lock(&e->work_mu);
  if (e->error[0] == '\0') vsnprintf(e->error, sizeof e->error, fmt, ap);
  pthread_mutex_unlock(&e->work_mu);
  va_end(ap);
}

static void *worker_main(void *arg) {
  engine_worker *w = arg;
  sp_engine *e = w->e;
  const bool adaptive = w->chunk_fixed == 0 && e->cfg.chunk == 0;
  uint64_t chunk =
      w->chunk_fixed ? w->chunk_fixed : (e->cfg.chunk ? e->cfg.chunk : 65536);
  const sp_solution_sink sink = {.found = worker_found, .user = w};
  while (!stopping(e)) {
    pthread_mutex_lock(&e->work_mu);
    while (!e->have_work && !stopping(e))
      pthread_cond_wait(&e->work_cv, &e->work_mu);
    if (stopping(e)) {
      pthread_mutex_unlock(&e->work_mu);
      break;
    }
    w->work = e->work;
    w->gen = atomic_load_explicit(&e->generation, memory_order_acquire);
    pthread_mutex_unlock(&e->work_mu);

    sp_nonce_range range = {.start = atomic_fetch_add_explicit(
                                &e->cursor, chunk, memory_order_relaxed),
                            .count = chunk};
    uint64_t scanned = 0, t0 = sp_monotonic_ns();
    sp_error_clear(&w->err);
    int rc = w->vt->scan(w->b, &w->work.work, range, &sink, worker_keep_going,
                         w, &scanned, &w->err);
    uint64_t dt = sp_monotonic_ns() - t0;
    atomic_fetch_add(&w->hashes, scanned);
    atomic_fetch_add(&w->rounds, 1);
    atomic_fetch_add(&w->round_ns_sum, dt);
    atomic_store(&w->last_round_ns, dt);
    if (rc != 0) {
      record_error(e, "worker %d (%s): %s", w->index, w->vt->name,
                   w->err.message[0] ? w->err.message : sp_strerror(rc));
      atomic_store(&e->worker_failed, true);
      sp_solution_queue_kick(&e->queue);
      break;
    }
    if (adaptive && dt > 0 && scanned == sp_nonce_range_length(range)) {
      double next = (double)scanned * (e->cfg.chunk_ms * 1e6) / (double)dt;
      if (next < 1024) next = 1024;
      if (next > 0x1p40) next = 0x1p40;
      chunk = (uint64_t)next;
    }
  }
  atomic_store(&w->exited, true);
  hand_off(w); /* the last use of w->b in this thread */
  release(e);
  return NULL;
}

int sp_engine_start(sp_engine *e, sp_error_record *err) {
  if (e->started) {
    return sp_error_fail(err, SP_EINVAL, "engine: already started");
  }
  if (e->n_workers == 0) {
    return sp_error_fail(err, SP_EINVAL, "engine: no workers");
  }
  pthread_mutex_lock(&e->work_mu);
  bool have = e->have_work;
  pthread_mutex_unlock(&e->work_mu);
  if (!have && e->has_source) {
    sp_block_work w;
    sp_error_record perr = {0};
    int rc = e->source.poll(e->source.self, &w, &perr);
    if (rc < 0)
      return sp_error_fail(err, -rc, "engine: work source: %s",
                           perr.message[0] ? perr.message : sp_strerror(rc));
    if (rc == 1) {
      sp_engine_publish_work(e, &w);
      have = true;
    }
  }
  if (!have) {
    return sp_error_fail(err, SP_EINVAL,
                         "engine: no work to solve (publish work or give a "
                         "source that has some)");
  }
  double now = engine_now(e);
  sp_stats_tracker_init(&e->tracker, e->cfg.n_samples, e->cfg.alpha,
                        e->cfg.sdk_literal_ewma, now);
  e->next_poll = now + e->cfg.source_ms / 1000.0;
  e->next_stats = now + e->cfg.stats_ms / 1000.0;
  e->next_condition = now; /* the SDK checks registration before solving */
  atomic_fetch_add(&e->refs, e->n_workers);
  e->started = true;
  for (int i = 0; i < e->n_workers; i++) {
    engine_worker *w = &e->workers[i];
    int rc = pthread_create(&w->thread, NULL, worker_main, w);
    if (rc != 0) {
      atomic_fetch_sub(&e->refs, e->n_workers - i);
      sp_error_fail(err, SP_ENOMEM, "engine: cannot start worker %d: %s", i,
                    strerror(rc));
      sp_engine_stop_and_join(e, 3000);
      return -SP_ENOMEM;
    }
    w->started = true;
  }
  return 0;
}

/* Totals of every worker plus the current work's labels into *s. */
static void refresh_stats(sp_engine *e, double now, sp_solve_stats *s) {
  uint64_t hashes = 0, rounds = 0, ns_sum = 0, last_ns = 0;
  for (int i = 0; i < e->n_workers; i++) {
    engine_worker *w = &e->workers[i];
    hashes += atomic_load(&w->hashes);
    rounds += atomic_load(&w->rounds);
    ns_sum += atomic_load(&w->round_ns_sum);
    uint64_t l = atomic_load(&w->last_round_ns);
    if (l > last_ns) last_ns = l;
  }
  memset(s, 0, sizeof *s);
  pthread_mutex_lock(&e->work_mu);
  s->difficulty = e->work.work.difficulty;
  s->rule = e->work.work.rule;
  s->block_number = e->work.block_number;
  memcpy(s->block_hash, e->work.block_hash, 32);
  s->blocks_seen = e->blocks_seen;
  pthread_mutex_unlock(&e->work_mu);
  sp_solution_queue_counts(&e->queue, &s->solutions, &s->dropped_solutions);
  s->bad_solutions = atomic_load(&e->bad_solutions);
  s->workers = e->n_workers;
  pthread_mutex_lock(&e->stats_mu);
  sp_stats_tracker_update(&e->tracker, now, hashes, rounds,
                          (double)ns_sum * 1e-9, (double)last_ns * 1e-9, s);
  pthread_mutex_unlock(&e->stats_mu);
}

void sp_engine_stats(sp_engine *e, sp_solve_stats *out) {
  if (!e->started) {
    memset(out, 0, sizeof *out);
    out->workers = e->n_workers;
    out->expected_seconds = INFINITY;
    return;
  }
  refresh_stats(e, engine_now(e), out);
}

static void show_stats(sp_engine *e, double now) {
  if (e->cfg.on_stats == NULL) return;
  sp_solve_stats s;
  refresh_stats(e, now, &s);
  e->cfg.on_stats(e->cfg.on_stats_user, &s);
}

static double min_d(double a, double b) { return a < b ? a : b; }

sp_engine_event sp_engine_run(sp_engine *e, sp_engine_solution *solution) {
  if (!e->started) return SP_ENGINE_NOT_STARTED;
  const double poll_s = e->cfg.poll_ms / 1000.0;
  const double deadline = e->cfg.time_limit_s > 0
                              ? e->tracker.t_start + e->cfg.time_limit_s
                              : INFINITY;
  sp_engine_event ev;
  for (;;) {
    double now = engine_now(e);
    if (sp_stop_signal_pending()) {
      ev = SP_ENGINE_SIGNAL;
      break;
    }
    if (atomic_load(&e->stop_requested)) {
      ev = SP_ENGINE_REQUESTED;
      break;
    }
    if (atomic_load(&e->worker_failed)) {
      ev = SP_ENGINE_WORKER_ERROR;
      break;
    }
    /* The source and the stop condition are served when due before a
     * queued solution is returned: workers that solve faster than the
     * caller consumes (an easy difficulty, a caller that throws stale
     * solutions away) would otherwise keep the queue non-empty and starve
     * them, leaving every worker on the same old block forever. */
    if (e->has_source && now >= e->next_poll) {
      sp_block_work w;
      sp_error_record perr = {0};
      int rc = e->source.poll(e->source.self, &w, &perr);
      if (rc < 0) {
        record_error(e, "work source: %s",
                     perr.message[0] ? perr.message : sp_strerror(rc));
        ev = SP_ENGINE_SOURCE_ERROR;
        break;
      }
      if (rc == 1) sp_engine_publish_work(e, &w);
      /* From the end of the poll: a poll slower than the period (a chain
       * node's round trips) must still leave time to hand out solutions. */
      e->next_poll = engine_now(e) + e->cfg.source_ms / 1000.0;
    }
    if (e->cfg.stop_condition != NULL && now >= e->next_condition) {
      if (e->cfg.stop_condition(e->cfg.stop_condition_user)) {
        ev = SP_ENGINE_CONDITION;
        break;
      }
      e->next_condition = engine_now(e) + e->cfg.condition_ms / 1000.0;
    }
    if (sp_solution_queue_pop(&e->queue, solution)) {
      if (!e->cfg.keep_going) set_stop(e);
      show_stats(e, now);
      return SP_ENGINE_SOLUTION;
    }
    if (atomic_load(&e->stop)) { /* after a first solution, say */
      ev = SP_ENGINE_STOPPED;
      break;
    }
    if (now >= deadline) {
      ev = SP_ENGINE_TIME_LIMIT;
      break;
    }
    if (now >= e->next_stats) {
      show_stats(e, now);
      e->next_stats = now + e->cfg.stats_ms / 1000.0;
    }
    double until = min_d(e->next_stats, deadline);
    if (e->has_source) until = min_d(until, e->next_poll);
    if (e->cfg.stop_condition != NULL) until = min_d(until, e->next_condition);
    sp_solution_queue_wait(&e->queue, min_d(until - now, poll_s));
  }
  set_stop(e);
  show_stats(e, engine_now(e));
  return ev;
}

bool sp_engine_next_solution(sp_engine *e, sp_engine_solution *out) {
  return sp_solution_queue_pop(&e->queue, out);
}

void sp_engine_request_stop(sp_engine *e) {
  atomic_store(&e->stop_requested, true);
  set_stop(e);
  sp_solution_queue_kick(&e->queue);
}

const char *sp_engine_error(sp_engine *e) { return e->error; }

int sp_engine_stop_and_join(sp_engine *e, unsigned deadline_ms) {
  set_stop(e);
  sp_solution_queue_kick(&e->queue);
  struct timespec dl = sp_deadline_after_ms(CLOCK_REALTIME, deadline_ms);
  int missing = 0;
  for (int i = 0; i < e->n_workers; i++) {
    engine_worker *w = &e->workers[i];
    if (!w->started || w->joined || w->detached) continue;
    /* pthread_timedjoin_np (glibc) waits until an absolute CLOCK_REALTIME
     * time, so all workers share one deadline. */
    if (pthread_timedjoin_np(w->thread, NULL, &dl) == 0)
      w->joined = true;
    else
      missing++;
  }
  return missing;
}

int sp_engine_worker_count(const sp_engine *e) { return e->n_workers; }

const char *sp_engine_worker_backend(const sp_engine *e, int i) {
  return i >= 0 && i < e->n_workers ? e->workers[i].vt->name : NULL;
}

bool sp_engine_worker_joined(const sp_engine *e, int i) {
  return i >= 0 && i < e->n_workers && e->workers[i].joined;
}

bool sp_engine_worker_in_use(const sp_engine *e, int i) {
  return i >= 0 && i < e->n_workers && e->workers[i].started &&
         !e->workers[i].joined;
}

uint64_t sp_engine_nonce_start(const sp_engine *e) { return e->nonce_start; }

void sp_engine_destroy(sp_engine *e) {
  if (e == NULL) return;
  if (e->started) {
    sp_engine_stop_and_join(e, 3000);
    for (int i = 0; i < e->n_workers; i++) {
      engine_worker *w = &e->workers[i];
      if (w->started && !w->joined && !w->detached) {
        /* Still inside its scan: it frees the engine when it returns, if it
         * is the last one out (release), and closes its backend if owned. */
        pthread_detach(w->thread);
        w->detached = true;
      }
    }
  }
  for (int i = 0; i < e->n_workers; i++) {
    engine_worker *w = &e->workers[i];
    if (!w->owned) continue;
    if (w->started && !w->joined)
      hand_off(w); /* detached: closes only if the worker already left */
    else
      w->vt->close(w->b); /* joined or never started: nobody else has it */
  }
  release(e);
}
