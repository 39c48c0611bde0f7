/* How the engine stops: on the first solution, on an external condition, on
 * request, on a time limit, on SIGINT/SIGTERM through the handler the API
 * installs, on a worker or source error; and joining within a deadline,
 * reporting a worker that did not exit. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "engine/engine.h"
#include "engine/stop_signal.h"
#include "regress/support/fake_backend.h"
#include "regress/support/manual_clock.h"

/* Waits (bounded, generously) until the engine's workers hashed more than
 * `n` nonces: the event "the engine is solving", instead of a sleep. */
static void wait_hashes(sp_engine *e, uint64_t n) {
  for (int i = 0; i < 600000; i++) {
    sp_solve_stats st;
    sp_engine_stats(e, &st);
    if (st.hashes_total > n) return;
    usleep(100);
  }
  cr_assert_fail("the workers hashed no more than %llu nonces in a minute",
                 (unsigned long long)n);
}

static sp_block_work some_work(uint64_t difficulty) {
  uint8_t block_hash[32], key[32];
  for (int i = 0; i < 32; i++)
    block_hash[i] = (uint8_t)(3 * i + 1), key[i] = (uint8_t)(200 - i);
  sp_block_work w;
  sp_block_work_make(123456, block_hash, key, difficulty, SP_RULE_CHAIN_LE, &w);
  return w;
}

/* An engine with `n` fake workers of `fc` on fixed work; started. */
static sp_engine *started(sp_engine_config *cfg, int n, const fake_config *fc,
                          uint64_t difficulty, sp_backend **fakes) {
  sp_engine *e;
  sp_error_record err = {0};
  cr_assert_eq(sp_engine_create(cfg, &e, &err), 0, "%s", err.message);
  for (int i = 0; i < n; i++) {
    fakes[i] = fake_backend_new(fc);
    cr_assert_eq(sp_engine_add_worker(e, &fake_vtable, fakes[i], 0, &err), i);
  }
  sp_block_work w = some_work(difficulty);
  sp_engine_publish_work(e, &w);
  cr_assert_eq(sp_engine_start(e, &err), 0, "%s", err.message);
  return e;
}

static void finish(sp_engine *e, sp_backend **fakes, int n) {
  cr_assert_eq(sp_engine_stop_and_join(e, 2000), 0);
  sp_engine_destroy(e);
  for (int i = 0; i < n; i++)
    fake_vtable.close(fakes[i]);
}

Test(engine_stop, first_solution_stops_every_worker) {
  sp_engine_config cfg;
  sp_engine_config_default(&cfg);
  sp_backend *f[2];
  sp_engine *e = started(&cfg, 2, NULL, 3000, f);
  sp_engine_solution s;
  cr_assert_eq(sp_engine_run(e, &s), SP_ENGINE_SOLUTION);
  /* Every worker leaves (a generous bound: a busy machine is slow, a
   * worker that ignores the stop never leaves). */
  cr_assert_eq(sp_engine_stop_and_join(e, 60000), 0);
  sp_block_work w = some_work(3000);
  uint8_t seal[32];
  sp_create_seal_hash(w.work.block_and_hotkey_hash, s.pow.nonce, seal);
  cr_assert_eq(memcmp(seal, s.pow.seal, 32), 0);
  cr_assert_eq(s.pow.block_number, 123456);
  cr_assert(sp_seal_meets_difficulty(seal, 3000, SP_RULE_CHAIN_LE));
  /* Later calls drain what other workers found meanwhile, then say so. */
  sp_engine_event ev;
  while ((ev = sp_engine_run(e, &s)) == SP_ENGINE_SOLUTION) {
  }
  cr_assert_eq(ev, SP_ENGINE_STOPPED);
  finish(e, f, 2);
}

static atomic_int condition_calls;
static bool registered_after_three(void *user) {
  (void)user;
  return atomic_fetch_add(&condition_calls, 1) + 1 >= 3;
}

Test(engine_stop, external_condition) {
  sp_engine_config cfg;
  sp_engine_config_default(&cfg);
  cfg.stop_condition = registered_after_three;
  cfg.condition_ms = 20;
  sp_backend *f[1];
  sp_engine *e = started(&cfg, 1, NULL, UINT64_MAX, f);
  sp_engine_solution s;
  cr_assert_eq(sp_engine_run(e, &s), SP_ENGINE_CONDITION);
  cr_assert_eq(atomic_load(&condition_calls), 3);
  finish(e, f, 1);
}

static void *stop_later(void *arg) {
  wait_hashes(arg, 0); /* while it solves */
  sp_engine_request_stop(arg);
  return NULL;
}

Test(engine_stop, request_from_another_thread) {
  sp_engine_config cfg;
  sp_engine_config_default(&cfg);
  sp_backend *f[2];
  sp_engine *e = started(&cfg, 2, NULL, UINT64_MAX, f);
  pthread_t t;
  pthread_create(&t, NULL, stop_later, e);
  sp_engine_solution s;
  cr_assert_eq(sp_engine_run(e, &s), SP_ENGINE_REQUESTED);
  pthread_join(t, NULL);
  finish(e, f, 2);
}

typedef struct time_limit_ctx {
  sp_engine *e;
  manual_clock *mc;
  atomic_bool returned; /* sp_engine_run returned */
  atomic_bool early;    /* ... before the clock passed the limit */
} time_limit_ctx;

/* Moves the clock to just before the limit, then past it, once the workers
 * hashed some nonces. */
static void *advance_past_limit(void *arg) {
  time_limit_ctx *tc = arg;
  wait_hashes(tc->e, 1000);
  manual_clock_advance(tc->mc, 0.29);
  wait_hashes(tc->e, 2000); /* the engine runs on meanwhile */
  atomic_store(&tc->early, atomic_load(&tc->returned));
  manual_clock_advance(tc->mc, 0.02);
  return NULL;
}

Test(engine_stop, time_limit_and_statistics) {
  sp_engine_config cfg;
  sp_engine_config_default(&cfg);
  cfg.time_limit_s = 0.3;
  /* The limit runs on a manual clock: it passes when the test moves the
   * clock, after the workers did some work, whatever the machine's load. */
  manual_clock mc;
  manual_clock_init(&mc, 100.0);
  cfg.clock = manual_clock_as_clock(&mc);
  sp_backend *f[1];
  sp_engine *e = started(&cfg, 1, NULL, UINT64_MAX, f);
  pthread_t t;
  time_limit_ctx tc = {.e = e, .mc = &mc};
  pthread_create(&t, NULL, advance_past_limit, &tc);
  sp_engine_solution s;
  cr_assert_eq(sp_engine_run(e, &s), SP_ENGINE_TIME_LIMIT);
  atomic_store(&tc.returned, true);
  pthread_join(t, NULL);
  cr_assert(!atomic_load(&tc.early),
            "the limit passed before the clock reached it");
  cr_assert_eq(sp_engine_stop_and_join(e, 60000), 0);
  sp_solve_stats st;
  sp_engine_stats(e, &st);
  cr_assert_gt(st.hashes_total, 1000);
  cr_assert_gt(st.rounds_total, 0);
  cr_assert_gt(st.hash_rate, 0);
  cr_assert_eq(st.block_number, 123456);
  cr_assert_eq(st.difficulty, UINT64_MAX);
  cr_assert_eq(st.workers, 1);
  cr_assert_eq(st.blocks_seen, 1);
  sp_engine_destroy(e);
  fake_vtable.close(f[0]);
}

typedef struct raise_ctx {
  sp_engine *e;
  int signo;
} raise_ctx;

static void *raise_later(void *arg) {
  raise_ctx *rc = arg;
  wait_hashes(rc->e, 0); /* while it solves */
  /* kill() delivers to the process, as a user's Ctrl-C does. */
  kill(getpid(), rc->signo);
  return NULL;
}

static void signal_stops(int signo) {
  cr_assert_eq(sp_stop_signal_install(), 0);
  sp_stop_signal_clear();
  sp_engine_config cfg;
  sp_engine_config_default(&cfg);
  sp_backend *f[2];
  sp_engine *e = started(&cfg, 2, NULL, UINT64_MAX, f);
  pthread_t t;
  raise_ctx rc = {.e = e, .signo = signo};
  pthread_create(&t, NULL, raise_later, &rc);
  sp_engine_solution s;
  cr_assert_eq(sp_engine_run(e, &s), SP_ENGINE_SIGNAL);
  cr_assert_eq(sp_stop_signal_pending(), signo);
  pthread_join(t, NULL);
  cr_assert_eq(sp_engine_stop_and_join(e, 60000), 0);
  sp_engine_destroy(e);
  for (int i = 0; i < 2; i++)
    fake_vtable.close(f[i]);
  sp_stop_signal_restore();
  sp_stop_signal_clear();
}

Test(engine_stop, sigint_through_installed_handler) { signal_stops(SIGINT); }
Test(engine_stop, sigterm_through_installed_handler) { signal_stops(SIGTERM); }

Test(engine_stop, raise_in_own_thread_and_restore) {
  cr_assert_eq(sp_stop_signal_install(), 0);
  raise(SIGINT);
  cr_assert_eq(sp_stop_signal_pending(), SIGINT);
  sp_stop_signal_clear();
  cr_assert_eq(sp_stop_signal_pending(), 0);
  sp_stop_signal_restore();
  /* The previous (default) disposition is back. */
  struct sigaction sa;
  sigaction(SIGINT, NULL, &sa);
  cr_assert_eq(sa.sa_handler, SIG_DFL);
}

/* A worker held in its scan past the stop (a gate, not a timer) is
 * reported after the join's deadline; the other is joined. */
Test(engine_stop, stuck_worker_reported_after_deadline) {
  sp_engine_config cfg;
  sp_engine_config_default(&cfg);
  sp_engine *e;
  sp_error_record err = {0};
  cr_assert_eq(sp_engine_create(&cfg, &e, &err), 0);
  fake_gate *g = fake_gate_new();
  fake_config good = {0}, stuck = {.hold = g};
  sp_backend *a = fake_backend_new(&good), *b = fake_backend_new(&stuck);
  sp_engine_add_worker(e, &fake_vtable, a, 0, &err);
  sp_engine_add_worker(e, &fake_vtable, b, 0, &err);
  sp_block_work w = some_work(UINT64_MAX);
  sp_engine_publish_work(e, &w);
  cr_assert_eq(sp_engine_start(e, &err), 0);
  cr_assert(fake_gate_wait_entered(g, 1, 60000), "worker 1 never scanned");
  sp_engine_request_stop(e);
  cr_assert(fake_gate_wait_held(g, 1, 60000), "worker 1 never saw the stop");
  double t0 = sp_monotonic_seconds();
  cr_assert_eq(sp_engine_stop_and_join(e, 200), 1);
  double dt = sp_monotonic_seconds() - t0;
  /* pthread_timedjoin_np waits at least until the deadline */
  cr_assert(dt >= 0.15, "join gave up after %.3f s, before 0.2", dt);
  cr_assert(sp_engine_worker_joined(e, 0));
  cr_assert(!sp_engine_worker_joined(e, 1));
  cr_assert(sp_engine_worker_in_use(e, 1));
  fake_gate_open(g);
  cr_assert_eq(sp_engine_stop_and_join(e, 60000), 0);
  cr_assert(sp_engine_worker_joined(e, 1));
  sp_engine_destroy(e);
  fake_vtable.close(a);
  fake_vtable.close(b);
  fake_gate_free(g);
}

Test(engine_stop, worker_error_is_reported) {
  sp_engine_config cfg;
  sp_engine_config_default(&cfg);
  cfg.chunk = 1000;
  fake_config fc = {.fail_after = 3};
  sp_backend *f[1];
  sp_engine *e = started(&cfg, 1, &fc, UINT64_MAX, f);
  sp_engine_solution s;
  cr_assert_eq(sp_engine_run(e, &s), SP_ENGINE_WORKER_ERROR);
  cr_assert(strstr(sp_engine_error(e), "device lost on scan 3") != NULL, "%s",
            sp_engine_error(e));
  cr_assert(strstr(sp_engine_error(e), "worker 0 (fake)") != NULL);
  finish(e, f, 1);
}

static int failing_poll(void *self, sp_block_work *out, sp_error_record *err) {
  int *calls = self;
  if ((*calls)++ == 0) {
    *out = some_work(UINT64_MAX);
    return 1;
  }
  return sp_error_fail(err, SP_EINVAL, "node unreachable");
}

Test(engine_stop, source_error_is_reported) {
  int calls = 0;
  sp_work_source src = {.poll = failing_poll, .self = &calls};
  sp_engine_config cfg;
  sp_engine_config_default(&cfg);
  cfg.source = &src;
  cfg.poll_ms = 10;
  sp_engine *e;
  sp_error_record err = {0};
  cr_assert_eq(sp_engine_create(&cfg, &e, &err), 0);
  sp_backend *f = fake_backend_new(NULL);
  sp_engine_add_worker(e, &fake_vtable, f, 0, &err);
  cr_assert_eq(sp_engine_start(e, &err), 0, "%s", err.message);
  sp_engine_solution s;
  cr_assert_eq(sp_engine_run(e, &s), SP_ENGINE_SOURCE_ERROR);
  cr_assert_str_eq(sp_engine_error(e), "work source: node unreachable");
  finish(e, &f, 1);
}

Test(engine_stop, wrong_seals_are_counted_never_returned) {
  sp_engine_config cfg;
  sp_engine_config_default(&cfg);
  cfg.time_limit_s = 0.2;
  fake_config liar = {.lie = true, .slice = 100};
  sp_backend *f[1];
  sp_engine *e = started(&cfg, 1, &liar, 1000, f);
  sp_engine_solution s;
  cr_assert_eq(sp_engine_run(e, &s), SP_ENGINE_TIME_LIMIT);
  sp_solve_stats st;
  sp_engine_stats(e, &st);
  cr_assert_gt(st.bad_solutions, 10);
  cr_assert_eq(st.solutions, 0);
  cr_assert(!sp_engine_next_solution(e, &s));
  finish(e, f, 1);
}

Test(engine_stop, misuse_is_refused) {
  sp_engine_config cfg;
  sp_engine_config_default(&cfg);
  sp_engine *e;
  sp_error_record err = {0};
  cr_assert_eq(sp_engine_create(&cfg, &e, &err), 0);
  sp_engine_solution s;
  cr_assert_eq(sp_engine_run(e, &s), SP_ENGINE_NOT_STARTED);
  cr_assert_lt(sp_engine_start(e, &err), 0);
  cr_assert_str_eq(err.message, "engine: no workers");
  sp_backend *f = fake_backend_new(NULL);
  cr_assert_lt(sp_engine_add_worker(e, NULL, f, 0, &err), 0);
  sp_engine_add_worker(e, &fake_vtable, f, 0, &err);
  cr_assert_lt(sp_engine_start(e, &err), 0);
  cr_assert(strstr(err.message, "no work") != NULL, "%s", err.message);
  sp_block_work w = some_work(UINT64_MAX);
  sp_engine_publish_work(e, &w);
  cr_assert_eq(sp_engine_start(e, &err), 0);
  cr_assert_lt(sp_engine_start(e, &err), 0);
  cr_assert_lt(sp_engine_add_worker(e, &fake_vtable, f, 0, &err), 0);
  sp_engine_destroy(e);
  fake_vtable.close(f);
  cfg.time_limit_s = -1;
  cr_assert_lt(sp_engine_create(&cfg, &e, &err), 0);
}

Test(engine_stop, fixed_nonce_start_and_cursor_wrap) {
  /* A cursor starting just below 2^64: the chunk crossing the end is cut at
   * 2^64 - 1 (nothing wraps into a range), and later chunks carry on from
   * 0 without a crash. */
  sp_engine_config cfg;
  sp_engine_config_default(&cfg);
  cfg.random_start = false;
  cfg.nonce_start = UINT64_MAX - 2500;
  cfg.chunk = 1000;
  cfg.time_limit_s = 0.1;
  sp_backend *f[1];
  sp_engine *e = started(&cfg, 1, NULL, UINT64_MAX, f);
  cr_assert_eq(sp_engine_nonce_start(e), UINT64_MAX - 2500);
  sp_engine_solution s;
  cr_assert_eq(sp_engine_run(e, &s), SP_ENGINE_TIME_LIMIT);
  cr_assert_eq(sp_engine_stop_and_join(e, 2000), 0);
  const fake_scan *sc;
  size_t n = fake_backend_scans(f[0], &sc);
  cr_assert_geq(n, 4);
  cr_assert_eq(sc[0].start, UINT64_MAX - 2500);
  cr_assert_eq(sc[2].start, UINT64_MAX - 500);
  cr_assert_eq(sc[2].done, 501); /* up to and including 2^64 - 1 */
  cr_assert_eq(sc[3].start, 499);
  sp_engine_destroy(e);
  fake_vtable.close(f[0]);
}

static int counting_poll(void *self, sp_block_work *out, sp_error_record *err) {
  (void)err;
  int *calls = self;
  if ((*calls)++ == 0) {
    *out = some_work(UINT64_MAX);
    return 1;
  }
  return 0;
}

Test(engine_stop, source_polled_every_source_ms) {
  int calls = 0;
  sp_work_source src = {.poll = counting_poll, .self = &calls};
  sp_engine_config cfg;
  sp_engine_config_default(&cfg);
  cfg.source = &src;
  cfg.poll_ms = 10;
  cfg.source_ms = 100;
  cfg.time_limit_s = 0.35;
  sp_engine *e;
  sp_error_record err = {0};
  cr_assert_eq(sp_engine_create(&cfg, &e, &err), 0);
  sp_backend *f = fake_backend_new(NULL);
  sp_engine_add_worker(e, &fake_vtable, f, 0, &err);
  cr_assert_eq(sp_engine_start(e, &err), 0, "%s", err.message);
  sp_engine_solution s;
  cr_assert_eq(sp_engine_run(e, &s), SP_ENGINE_TIME_LIMIT);
  /* Once at start, then at 0.1, 0.2, 0.3 s (not every 10 ms). */
  cr_assert(calls >= 3 && calls <= 5, "%d polls", calls);
  finish(e, &f, 1);
}
