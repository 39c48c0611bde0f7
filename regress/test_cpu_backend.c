/* The cpu backend through the backend interface: the reference's exact
 * solution sets on every kernel path this CPU runs, a partition of every
 * range into nonces scanned exactly once, stop requests, options, and the
 * worker threads' binding. */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <criterion/parameterized.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef SUBPOW_HAVE_CPU
Test(cpu_backend, not_built) {
  cr_skip_test("the cpu backend is not built (no hwloc)");
}
#else
#include "optimized/cpu_backend.h"
#include "optimized/seal_kernels.h"
#include "optimized/worker_pool.h"
#include "verify/verify.h"

static sp_backend *open_cpu(const char *isa, int threads, uint64_t interval) {
  sp_backend_options o = {
      .threads = threads, .isa = isa, .update_interval = interval};
  sp_backend *b = NULL;
  sp_error_record err = {0};
  int rc = sp_backend_cpu.open(&o, &b, &err);
  cr_assert_eq(rc, 0, "open(isa %s, threads %d): %s", isa ? isa : "(best)",
               threads, err.message);
  return b;
}

/* Skips the test when this build or this CPU has no path `isa`. */
static void require_path(const char *isa) {
  bool supported = false;
  if (sp_seal_path_find(isa, &supported) == NULL)
    cr_skip_test("kernel path %s is not built on this architecture", isa);
  if (!supported)
    cr_skip_test("this CPU cannot run kernel path %s: skipped", isa);
}

/* Every kernel path of any build; those this CPU lacks are skipped. The
 * parameter is an index: Criterion may run a test in a fresh process, where
 * pointers of the parent mean nothing. */
static const char *const all_paths[] = {"avx512", "avx512+shani", "avx2+shani",
                                        "avx2",   "shani",        "portable"};
ParameterizedTestParameters(cpu_backend, matches_the_reference) {
  static int index[] = {0, 1, 2, 3, 4, 5};
  return cr_make_param_array(int, index, sizeof index / sizeof index[0]);
}

static void log_failure(void *user, const char *line) {
  (void)user;
  cr_log_error("%s", line);
}

static bool collect_ref(void *user, uint64_t nonce, const uint8_t seal[32]) {
  sp_solution_sink s = sp_solution_list_sink(user);
  s.found(s.user, nonce, seal);
  return true;
}

/* One case against sp_solve_for_nonce_block: same nonces, same seals. */
static void check_case(const char *isa, sp_backend *b, const sp_work *w,
                       sp_nonce_range r) {
  sp_solution_list want = {0}, got = {0};
  uint64_t ref_scanned = 0, scanned = 0;
  sp_solve_for_nonce_block(w->block_and_hotkey_hash, w->difficulty, w->rule, r,
                           true, collect_ref, &want, &ref_scanned);
  sp_error_record err = {0};
  cr_assert_eq(
      sp_backend_solve(&sp_backend_cpu, b, w, r, true, 0, &got, &scanned, &err),
      0, "%s", err.message);
  cr_assert_eq(scanned, ref_scanned, "%s: start %" PRIu64 " count %" PRIu64,
               isa, r.start, r.count);
  cr_assert_eq(got.count, want.count,
               "%s: difficulty %" PRIu64 " rule %s start %" PRIu64
               " count %" PRIu64 ": %zu solutions, reference %zu",
               isa, w->difficulty, sp_rule_name(w->rule), r.start, r.count,
               got.count, want.count);
  for (size_t i = 0; i < got.count; i++) {
    cr_assert_eq(got.nonces[i], want.nonces[i], "%s", isa);
    cr_assert_eq(memcmp(got.seals[i], want.seals[i], 32), 0,
                 "%s: seal of nonce %" PRIu64, isa, got.nonces[i]);
  }
  sp_solution_list_free(&want);
  sp_solution_list_free(&got);
}

ParameterizedTest(int *which, cpu_backend, matches_the_reference) {
  const char *const *isa = &all_paths[*which];
  require_path(*isa);
  sp_backend *b = open_cpu(*isa, 0, 0);
  sp_device_info d;
  sp_backend_cpu.describe(b, 0, &d);
  cr_assert_str_eq(d.isa, *isa);

  /* The vectors, then 1000 seeded random cases (difficulty 1..10^6, ranges
   * crossing 2^32 boundaries and ending at 2^64 - 1, every rule); a failure
   * line names the seed and the case. */
  sp_vectors v;
  sp_error_record err = {0};
  cr_assert_eq(sp_vectors_load(SUBPOW_VECTORS_DIR, &v, &err), 0, "%s",
               err.message);
  sp_verify_result r = {0};
  const uint64_t seed = 20261125;
  int rc = sp_verify_backend(&sp_backend_cpu, b, &v, seed, 1000, log_failure,
                             NULL, &r, &err);
  sp_vectors_free(&v);
  cr_assert_eq(rc, 0, "%s", err.message);
  cr_assert_eq(r.failed, 0,
               "%s: %lu of %lu checks failed (seed=%" PRIu64 ", see the log)",
               *isa, r.failed, r.failed + r.passed, seed);
  cr_assert_geq(r.passed, 1000);

  /* Edges the random cases may miss: partial batches, a range clipped at
   * 2^64 - 1, difficulties 0 (every seal), 1..3 and 2^64 - 1. */
  sp_work w = {.difficulty = 0};
  for (int i = 0; i < 32; i++)
    w.block_and_hotkey_hash[i] = (uint8_t)(i * 29 + 3);
  static const uint64_t ds[] = {0, 1, 2, 3, UINT64_MAX};
  static const sp_nonce_range ranges[] = {{0, 1},
                                          {5, 15},
                                          {(1ull << 32) - 9, 17},
                                          {UINT64_MAX, 1},
                                          {UINT64_MAX - 20, 1000},
                                          {UINT64_MAX - 33, 34},
                                          {123456789, 0}};
  for (size_t i = 0; i < sizeof ds / sizeof ds[0]; i++)
    for (size_t j = 0; j < sizeof ranges / sizeof ranges[0]; j++)
      for (int rule = 0; rule < 3; rule++) {
        w.difficulty = ds[i];
        w.rule = (sp_rule)rule;
        check_case(*isa, b, &w, ranges[j]);
      }
  sp_backend_cpu.close(b);
}

/* ------------------------------------------------------- partition --- */

typedef struct hits {
  uint64_t start, length;
  uint8_t *count;   /* times each nonce was reported */
  uint64_t outside; /* reports of nonces outside the range */
  const uint8_t *bahh;
  uint64_t bad_seals;
} hits;

static void count_hit(void *user, uint64_t nonce, const uint8_t seal[32]) {
  hits *h = user;
  uint64_t off = nonce - h->start;
  if (off >= h->length) {
    h->outside++;
    return;
  }
  if (h->count[off] < 255) h->count[off]++;
  uint8_t want[32];
  if (sp_create_seal_hash(h->bahh, nonce, want) != 0 ||
      memcmp(want, seal, 32) != 0)
    h->bad_seals++;
}

/* At difficulty 0 every nonce solves, so the reports are the nonces hashed:
 * each must come exactly once and the count must be the range's length. */
static void check_partition(int threads, uint64_t interval,
                            sp_nonce_range range) {
  sp_backend *b = open_cpu(NULL, threads, interval);
  sp_work w = {.difficulty = 0, .rule = SP_RULE_SDK};
  for (int i = 0; i < 32; i++)
    w.block_and_hotkey_hash[i] = (uint8_t)(255 - i);
  uint64_t length = sp_nonce_range_length(range);
  hits h = {
      .start = range.start, .length = length, .bahh = w.block_and_hotkey_hash};
  h.count = calloc(length ? length : 1, 1);
  cr_assert_not_null(h.count);
  sp_solution_sink sink = {.found = count_hit, .user = &h};
  uint64_t scanned = 0;
  sp_error_record err = {0};
  cr_assert_eq(
      sp_backend_cpu.scan(b, &w, range, &sink, NULL, NULL, &scanned, &err), 0,
      "%s", err.message);
  cr_assert_eq(scanned, length,
               "threads %d interval %" PRIu64 " count %" PRIu64, threads,
               interval, range.count);
  cr_assert_eq(h.outside, 0);
  cr_assert_eq(h.bad_seals, 0);
  for (uint64_t i = 0; i < length; i++)
    cr_assert_eq(h.count[i], 1,
                 "threads %d interval %" PRIu64 ": nonce %" PRIu64
                 " reported %d times",
                 threads, interval, range.start + i, h.count[i]);
  free(h.count);
  sp_backend_cpu.close(b);
}

Test(cpu_backend, every_nonce_is_scanned_exactly_once) {
  static const uint64_t counts[] = {1, 15, 17, 1001, 40013};
  static const uint64_t intervals[] = {1, 7, 4096, 0};
  for (int threads = 1; threads <= 4; threads++)
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
      for (size_t j = 0; j < sizeof intervals / sizeof intervals[0]; j++) {
        if (intervals[j] == 1 && counts[i] > 1001)
          continue; /* slow, says nothing new */
        sp_nonce_range r = {.start = (1ull << 32) - counts[i] / 2,
                            .count = counts[i]};
        check_partition(threads, intervals[j], r);
      }
}

Test(cpu_backend, a_range_stops_after_nonce_2_64_minus_1) {
  for (int threads = 1; threads <= 4; threads++) {
    check_partition(threads, 100, (sp_nonce_range){UINT64_MAX - 1000, 5000});
    check_partition(threads, 0, (sp_nonce_range){UINT64_MAX, UINT64_MAX});
  }
}

/* ------------------------------------------------------------ stop --- */

typedef struct poll_budget {
  atomic_long calls;
  long yes; /* the first `yes` polls say go on */
} poll_budget;

static bool within_budget(void *user) {
  poll_budget *p = user;
  return atomic_fetch_add(&p->calls, 1) < p->yes;
}

Test(cpu_backend, a_stop_request_ends_the_scan_within_one_interval) {
  sp_work w = {.difficulty = UINT64_MAX, .rule = SP_RULE_CHAIN_LE};
  for (int threads = 1; threads <= 4; threads++) {
    const uint64_t interval = 1000;
    sp_backend *b = open_cpu(NULL, threads, interval);
    /* Each "go on" buys exactly one chunk of `interval` nonces, so after
     * the first "stop" no worker starts another chunk. */
    for (long yes = 0; yes <= 12; yes += 6) {
      poll_budget budget = {.yes = yes};
      uint64_t scanned = 0;
      sp_error_record err = {0};
      sp_nonce_range all = {.start = 0, .count = UINT64_MAX};
      cr_assert_eq(sp_backend_cpu.scan(b, &w, all, NULL, within_budget, &budget,
                                       &scanned, &err),
                   0, "%s", err.message);
      cr_assert_eq(scanned, (uint64_t)yes * interval,
                   "threads %d: %" PRIu64 " scanned", threads, scanned);
      /* One poll per chunk, plus at most one "stop" per worker. */
      cr_assert_leq(atomic_load(&budget.calls), yes + threads);
    }
    sp_backend_cpu.close(b);
  }
}

/* --------------------------------------------------------- options --- */

static int try_open(sp_backend_options o, sp_error_record *err) {
  sp_backend *b = NULL;
  sp_error_clear(err);
  int rc = sp_backend_cpu.open(&o, &b, err);
  if (rc == 0) sp_backend_cpu.close(b);
  return rc;
}

Test(cpu_backend, bad_options_are_refused_with_a_message) {
  sp_error_record err = {0};
  cr_assert_eq(try_open((sp_backend_options){.isa = "avx1024"}, &err),
               -SP_EINVAL);
  cr_assert_not_null(strstr(err.message, "avx1024"), "%s", err.message);
  cr_assert_not_null(strstr(err.message, "portable"), "%s", err.message);
  cr_assert_eq(try_open((sp_backend_options){.isa = ""}, &err), -SP_EINVAL);
  cr_assert_eq(try_open((sp_backend_options){.threads = -1}, &err), -SP_EINVAL);
  cr_assert_eq(try_open((sp_backend_options){.threads = 4097}, &err),
               -SP_EINVAL);
  cr_assert_neq(err.message[0], '\0');

  sp_backend *b = open_cpu("portable", 1, 0);
  sp_work w = {.difficulty = 1, .rule = (sp_rule)7};
  uint64_t scanned = 99;
  cr_assert_eq(sp_backend_cpu.scan(b, &w, (sp_nonce_range){0, 10}, NULL, NULL,
                                   NULL, &scanned, &err),
               -SP_EINVAL);
  cr_assert_eq(scanned, 0);
  cr_assert_not_null(strstr(err.message, "rule"), "%s", err.message);
  sp_backend_cpu.close(b);
}

Test(cpu_backend, a_path_this_cpu_lacks_is_refused) {
  const char *missing = NULL;
  for (size_t i = 0;
       i < sizeof all_paths / sizeof all_paths[0] && missing == NULL; i++) {
    bool supported = false;
    if (sp_seal_path_find(all_paths[i], &supported) != NULL && !supported)
      missing = all_paths[i];
  }
  if (missing == NULL)
    cr_skip_test("this CPU runs every kernel path built: nothing to refuse");
  sp_error_record err = {0};
  cr_assert_eq(try_open((sp_backend_options){.isa = missing}, &err),
               -SP_EINVAL);
  cr_assert_not_null(strstr(err.message, "cannot run"), "%s", err.message);
}

Test(cpu_backend, describes_its_threads_and_path) {
  sp_backend *b = open_cpu("portable", 3, 0);
  cr_assert_eq(sp_backend_cpu.device_count(b), 1);
  sp_device_info d;
  sp_backend_cpu.describe(b, 0, &d);
  cr_assert_eq(d.units, 3);
  cr_assert_str_eq(d.isa, "portable");
  cr_assert_neq(d.name[0], '\0');
  sp_backend_cpu.close(b);

  sp_backend_options o = {.per_hw_thread = true};
  sp_error_record err = {0};
  cr_assert_eq(sp_backend_cpu.open(&o, &b, &err), 0, "%s", err.message);
  sp_backend_cpu.describe(b, 0, &d);
  cr_assert_eq(d.units, sp_get_cpu_count(), "one worker per hardware thread");
  cr_assert_str_eq(d.isa, sp_cpu_isa_best());
  sp_backend_cpu.close(b);
}

/* ------------------------------------------------------------ pool --- */

typedef struct affinity {
  cpu_set_t set[64];
  int ran[64];
} affinity;

static void record_affinity(void *arg, int worker) {
  affinity *a = arg;
  pthread_getaffinity_np(pthread_self(), sizeof a->set[worker],
                         &a->set[worker]);
  a->ran[worker]++;
}

Test(cpu_backend, workers_are_bound_to_distinct_cores) {
  sp_worker_pool *p;
  sp_error_record err = {0};
  cr_assert_eq(sp_worker_pool_create(0, false, true, &p, &err), 0, "%s",
               err.message);
  int n = sp_worker_pool_size(p);
  cr_assert(n >= 1 && n <= 64);
  if (!sp_worker_pool_pinned(p)) {
    sp_worker_pool_destroy(p);
    cr_skip_test("the OS refused to bind threads here: binding not checked");
  }
  static affinity a;
  memset(&a, 0, sizeof a);
  sp_worker_pool_run(p, record_affinity, &a);
  sp_worker_pool_run(p, record_affinity, &a);
  for (int i = 0; i < n; i++) {
    cr_assert_eq(a.ran[i], 2, "worker %d ran %d times", i, a.ran[i]);
    cr_assert_gt(CPU_COUNT(&a.set[i]), 0);
    for (int j = 0; j < i; j++) {
      cpu_set_t both;
      CPU_AND(&both, &a.set[i], &a.set[j]);
      cr_assert_eq(CPU_COUNT(&both), 0, "workers %d and %d share a CPU", i, j);
    }
  }
  sp_worker_pool_destroy(p);

  /* Unpinned workers keep the process's whole affinity. */
  cpu_set_t mine;
  sched_getaffinity(0, sizeof mine, &mine);
  cr_assert_eq(sp_worker_pool_create(2, false, false, &p, &err), 0, "%s",
               err.message);
  memset(&a, 0, sizeof a);
  sp_worker_pool_run(p, record_affinity, &a);
  for (int i = 0; i < 2; i++)
    cr_assert(CPU_EQUAL(&a.set[i], &mine), "worker %d", i);
  sp_worker_pool_destroy(p);
}
#endif
