/*
 * The solve engine: any number of workers, each an opened backend (a CPU
 * backend with many threads is one worker, a CUDA backend instance is one
 * worker), solving the current block's work together on disjoint nonces,
 * picking up new work as the chain moves, and stopping on a solution, on an
 * external condition, on a signal, or on request. It is the SDK's
 * `_solve_for_difficulty_fast(_cuda)` made backend-agnostic.
 *
 * How it works
 *  - Work: the current sp_block_work and a generation counter, published by
 *    sp_engine_publish_work (any thread) or by polling a sp_work_source from
 *    the control loop. Publishing bumps the generation.
 *  - Workers: one thread per worker. Each loops: copy the current work and
 *    its generation, claim a chunk of nonces from one global atomic cursor
 *    (a random start, then fetch-and-add: no two chunks overlap, across
 *    workers and across blocks, until 2^64 nonces have been claimed), and
 *    scan it with a keep_going that turns false as soon as the generation
 *    changes, a stop is requested or a stop signal arrived. Backends poll
 *    keep_going at least once per update interval, so new work is picked up
 *    at update-interval boundaries.
 *  - Solutions: each seal a backend reports is checked with the reference
 *    (one seal costs about a microsecond; a registration with a bad seal
 *    costs a fee) and labelled with the block of the work the worker copied
 *    before the scan, never a newer one, then queued.
 *  - The control loop (sp_engine_run, in the caller's thread) polls the
 *    source, the stop condition and the signal flag, updates the statistics
 *    and returns on the first event.
 *
 * Typical use (`bench register`):
 *
 *   sp_engine_config cfg;
 *   sp_engine_config_default(&cfg);
 *   cfg.source = &chain_source;            // polled every cfg.source_ms
 *   cfg.stop_condition = hotkey_registered; cfg.stop_condition_user = ...;
 *   cfg.on_stats = show; cfg.on_stats_user = &logger;
 *   sp_engine *e;
 *   sp_engine_create(&cfg, &e, err, sizeof err);
 *   sp_engine_add_worker(e, vt, backend, 0, err, sizeof err); // per backend
 *   sp_engine_start(e, err, sizeof err);
 *   sp_engine_solution sol;
 *   sp_engine_event ev = sp_engine_run(e, &sol);  // SP_ENGINE_SOLUTION: sol
 *   sp_engine_stop_and_join(e, 3000);             // every worker, 3 s
 *   sp_engine_destroy(e);                         // then close the backends
 *
 * Thread safety: sp_engine_publish_work, sp_engine_request_stop,
 * sp_engine_stats and sp_engine_next_solution may be called from any thread
 * at any time between create and destroy; everything else from the thread
 * that created the engine.
 */
#ifndef SUBPOW_ENGINE_ENGINE_H
#define SUBPOW_ENGINE_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/backend.h"
#include "common/clock.h"
#include "engine/solution_queue.h"
#include "engine/solve_stats.h"
#include "engine/work_source.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sp_engine sp_engine;

typedef struct sp_engine_config {
  /* Polled every source_ms by the control loop; NULL: push-only (publish work
   * with sp_engine_publish_work before sp_engine_start). Copied. */
  const sp_work_source *source;
  /* false: the first solution stops every worker (the SDK's behaviour);
   * true: workers go on and each sp_engine_run returns the next solution. */
  bool keep_going;
  /* The global nonce cursor starts at a random nonce (getrandom) when
   * random_start, else at nonce_start. */
  bool random_start;
  uint64_t nonce_start;
  /* Nonces a worker claims at a time; 0: adaptive, so that a chunk takes
   * about chunk_ms at the worker's measured rate (first chunk 65536). */
  uint64_t chunk;
  unsigned chunk_ms;     /* default 100 */
  unsigned poll_ms;      /* control loop period (50): how soon a signal, a
                            stop request or a worker error is seen */
  unsigned source_ms;    /* source polling period (0: poll_ms); a chain
                            source asking a node every second sets 1000 */
  unsigned stats_ms;     /* on_stats period (250) */
  unsigned condition_ms; /* stop_condition period (1000): it may be an RPC */
  /* Returns true to stop (e.g. "the hotkey is now registered"). */
  bool (*stop_condition)(void *user);
  void *stop_condition_user;
  /* Called from the control loop with fresh statistics. */
  void (*on_stats)(void *user, const sp_solve_stats *s);
  void *on_stats_user;
  double time_limit_s;   /* sp_engine_run returns SP_ENGINE_TIME_LIMIT after
                            this long since start; 0: no limit */
  unsigned n_samples;    /* EWMA samples (10) */
  double alpha;          /* EWMA alpha (0.80) */
  bool sdk_literal_ewma; /* reproduce the SDK's weighting (solve_stats.h)
                          */
  size_t queue_capacity; /* solutions held before dropping (65536) */
  /* What the control loop reads the time from: the source, stats and
   * condition periods and time_limit_s run on it (zeroed: the monotonic
   * clock). Tests drive a manual clock; the loop still wakes every poll_ms
   * of real time to look at it. Workers' round timings stay real. */
  sp_clock clock;
} sp_engine_config;

/* Fills the defaults above (random start, first solution stops). */
void sp_engine_config_default(sp_engine_config *cfg);

/* Why sp_engine_run returned. */
typedef enum sp_engine_event {
  SP_ENGINE_SOLUTION = 1, /* *solution holds one; without keep_going the
                             workers were told to stop */
  SP_ENGINE_CONDITION,    /* stop_condition returned true */
  SP_ENGINE_SIGNAL,       /* SIGINT/SIGTERM (sp_stop_signal_pending) */
  SP_ENGINE_REQUESTED,    /* sp_engine_request_stop was called */
  SP_ENGINE_TIME_LIMIT,
  SP_ENGINE_SOURCE_ERROR, /* the source's poll failed: sp_engine_error */
  SP_ENGINE_WORKER_ERROR, /* a backend's scan failed: sp_engine_error */
  SP_ENGINE_STOPPED,      /* the workers were already told to stop (a
                             first solution was returned before) and no
                             solution is left in the queue */
  SP_ENGINE_NOT_STARTED,  /* sp_engine_run before sp_engine_start */
} sp_engine_event;

/* "solution", "condition", "signal", ... */
const char *sp_engine_event_name(sp_engine_event ev);

/* Creates an engine with no workers. Returns 0, or a negative sp_error code
 * (-SP_EINVAL: bad configuration; -SP_ENOMEM: out of memory) and fills `err`
 * (may be NULL). */
int sp_engine_create(const sp_engine_config *cfg, sp_engine **out,
                     sp_error_record *err);

/*
 * Adds a worker scanning with the opened backend `b` of `vt` (the caller
 * keeps ownership and closes it after sp_engine_destroy). `chunk` overrides
 * the configured chunk for this worker (0: the configured one). Only before
 * sp_engine_start. Returns the worker's index (>= 0), or a negative sp_error
 * code (-SP_EINVAL: already started, no backend; -SP_ENOMEM) and fills `err`
 * (may be NULL).
 */
int sp_engine_add_worker(sp_engine *e, const sp_backend_vtable *vt,
                         sp_backend *b, uint64_t chunk, sp_error_record *err);

/*
 * As sp_engine_add_worker, but the engine takes `b` over: it closes it with
 * vt->close exactly once, when no scan can use it any more: in
 * sp_engine_destroy for a worker that was joined or never started, else in
 * the worker's own thread as it leaves a scan that outlived the destroy.
 * The caller must not close `b`, not even when this fails (it is then
 * closed at once). This is how a caller that must return while a worker is
 * stuck in a slow scan (a busy machine, a hung device) avoids freeing the
 * backend under it. Returns and fills `err` as sp_engine_add_worker.
 */
int sp_engine_add_owned_worker(sp_engine *e, const sp_backend_vtable *vt,
                               sp_backend *b, uint64_t chunk,
                               sp_error_record *err);

/* Makes `w` the current work and bumps the generation: workers leave their
 * current scan at the next keep_going poll and start on it. Any thread. */
void sp_engine_publish_work(sp_engine *e, const sp_block_work *w);

/*
 * Starts the workers. With a source and no work published yet, polls the
 * source once first. Returns 0, or a negative sp_error code and fills `err`
 * (may be NULL): -SP_EINVAL (already started, no workers, no work), the
 * source's own code ("engine: work source: ..."), or -SP_ENOMEM (a thread
 * that would not start).
 */
int sp_engine_start(sp_engine *e, sp_error_record *err);

/*
 * The control loop: runs in the caller's thread until an event and returns
 * it. Checks, in this order every poll_ms: a stop signal, a stop request, a
 * worker error, a queued solution, workers already stopped, the source, the
 * stop condition, the time limit; calls on_stats every stats_ms and once
 * more before returning. Every event but SP_ENGINE_SOLUTION with keep_going
 * tells the workers to stop. Call it again after SP_ENGINE_SOLUTION for the
 * next solution (with keep_going), or to drain the queue (without: it then
 * ends with SP_ENGINE_STOPPED). Solutions still queued after another event
 * can be taken with sp_engine_next_solution.
 */
sp_engine_event sp_engine_run(sp_engine *e, sp_engine_solution *solution);

/* Takes the oldest queued solution; false when none. Any thread. */
bool sp_engine_next_solution(sp_engine *e, sp_engine_solution *out);

/* Tells the workers and sp_engine_run to stop. Any thread; not from a
 * signal handler (use sp_stop_signal_raise there). */
void sp_engine_request_stop(sp_engine *e);

/* A snapshot of the statistics, totals brought up to now. Any thread. */
void sp_engine_stats(sp_engine *e, sp_solve_stats *out);

/* The message of the last SP_ENGINE_SOURCE_ERROR / SP_ENGINE_WORKER_ERROR
 * ("" when none); valid until destroy. */
const char *sp_engine_error(sp_engine *e);

/*
 * The SDK's `_terminate_workers_and_wait_for_exit`: tells every worker to
 * stop and joins each until `deadline_ms` after the call. Returns the number
 * of workers that did not exit in time (0: all joined). A worker that did
 * not exit is still inside its backend's scan: do not close that backend;
 * sp_engine_destroy detaches it and the engine's memory lives until it
 * returns (an owned backend, sp_engine_add_owned_worker, is closed then).
 */
int sp_engine_stop_and_join(sp_engine *e, unsigned deadline_ms);

/* Worker i's backend name; whether it has been joined; whether its thread
 * may still be using its backend (started and not joined): such a backend
 * must not be closed. */
int sp_engine_worker_count(const sp_engine *e);
const char *sp_engine_worker_backend(const sp_engine *e, int i);
bool sp_engine_worker_joined(const sp_engine *e, int i);
bool sp_engine_worker_in_use(const sp_engine *e, int i);

/* The first nonce of the global cursor (for tests and logs). */
uint64_t sp_engine_nonce_start(const sp_engine *e);

/* Stops and joins (3 s deadline) if still running, then frees. NULL is a
 * no-op. */
void sp_engine_destroy(sp_engine *e);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_ENGINE_ENGINE_H */
