/*
 * The CUDA backend. Without a GPU (CI) this checks what needs none: the
 * launch planning, the kernel's folded arithmetic run on the host against
 * the reference, and the "no CUDA device" error path. With a GPU it checks
 * the backend on the device: the vectors, >= 1000 seeded random cases
 * against the reference, difficulties 1..3 (buffer overflow and rescan),
 * continuity across launches, every kernel variant, the error paths.
 *
 * On a machine where the compiled-in paths do not exist (the GPU machine),
 * SUBPOW_TEST_VECTORS and SUBPOW_TEST_BENCH name the vectors folder and the
 * bench command.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "registry/registry.h"
#include "regress/support/run_command.h"
#include "verify/verify.h"

#ifndef SUBPOW_HAVE_CUDA

Test(cuda, not_built) {
  cr_skip_test(
      "the CUDA backend is not built here (no nvcc, or SUBPOW_WITH_CUDA=OFF)");
}

#else

#include "cuda/cuda_device.h"
#include "cuda/launch_plan.h"

extern const sp_backend_vtable sp_backend_cuda;

static uint64_t splitmix64(uint64_t *s) {
  uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static bool have_gpu(void) {
  int n = 0;
  sp_error_record err = {0};
  return sp_cuda_device_count(&n, &err) == 0 && n > 0;
}

#define NEED_GPU()                                                             \
  do {                                                                         \
    if (!have_gpu()) cr_skip_test("no CUDA device here: GPU test skipped");    \
  } while (0)

static const char *vectors_dir(void) {
  const char *d = getenv("SUBPOW_TEST_VECTORS");
  return d != NULL ? d : SUBPOW_VECTORS_DIR;
}

static const char *bench_path(void) {
  const char *b = getenv("SUBPOW_TEST_BENCH");
  return b != NULL ? b : SUBPOW_BENCH;
}

/* ------------------------------------------------- launch planning -- */

Test(cuda_plan, dispenser_hands_out_every_nonce_once_in_order) {
  struct {
    uint64_t start, count, max;
  } cases[] = {
      {(1ull << 32) - 1000, 5000, 700},           /* crosses 2^32 */
      {UINT64_MAX - 2999, 3000, 1024},            /* ends at 2^64 - 1 */
      {UINT64_MAX - 2999, UINT64_MAX, 1000},      /* clipped at 2^64 - 1 */
      {(5ull << 32) - 3, 10, 1},                  /* one nonce at a time */
      {0, 1000000, 1ull << 40},                   /* one piece */
      {(7ull << 32) - 5, 1ull << 33, 1ull << 40}, /* cut at each 2^32 */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    sp_nonce_range r = {.start = cases[i].start, .count = cases[i].count};
    sp_nonce_dispenser d;
    cr_assert_eq(sp_nonce_dispenser_init(&d, r), 0);
    uint64_t expect = r.start, total = 0, start, len;
    while (sp_nonce_dispenser_take(&d, cases[i].max, &start, &len)) {
      cr_assert_eq(start, expect, "case %zu: gap or overlap at %" PRIu64, i,
                   start);
      cr_assert(len >= 1 && len <= cases[i].max, "case %zu: piece of %" PRIu64,
                i, len);
      cr_assert_eq(start >> 32, (start + len - 1) >> 32,
                   "case %zu: piece [%" PRIu64 ", +%" PRIu64 ") crosses 2^32",
                   i, start, len);
      expect = start + len;
      total += len;
    }
    cr_assert_eq(total, sp_nonce_range_length(r), "case %zu", i);
    sp_nonce_dispenser_destroy(&d);
  }
}

/* Several workers (as with several GPUs) share one dispenser: the pieces
 * they took tile the range exactly. */
struct taker {
  sp_nonce_dispenser *d;
  uint64_t max;
  uint64_t starts[4096], lens[4096];
  size_t n;
};

static void *take_all(void *arg) {
  struct taker *t = arg;
  uint64_t s, l;
  while (t->n < 4096 && sp_nonce_dispenser_take(t->d, t->max, &s, &l)) {
    t->starts[t->n] = s;
    t->lens[t->n++] = l;
  }
  return NULL;
}

static int cmp_u64_pair(const void *a, const void *b) {
  uint64_t x = ((const uint64_t *)a)[0], y = ((const uint64_t *)b)[0];
  return x < y ? -1 : x > y;
}

Test(cuda_plan, dispenser_splits_a_range_among_devices) {
  sp_nonce_range r = {.start = (3ull << 32) - 123457, .count = 1000003};
  sp_nonce_dispenser d;
  cr_assert_eq(sp_nonce_dispenser_init(&d, r), 0);
  static struct taker t[4];
  pthread_t th[4];
  for (int i = 0; i < 4; i++) {
    t[i] = (struct taker){.d = &d, .max = 777 + 100 * (uint64_t)i};
    cr_assert_eq(pthread_create(&th[i], NULL, take_all, &t[i]), 0);
  }
  size_t n = 0;
  static uint64_t pieces[16384][2];
  for (int i = 0; i < 4; i++) {
    pthread_join(th[i], NULL);
    for (size_t k = 0; k < t[i].n; k++) {
      pieces[n][0] = t[i].starts[k];
      pieces[n++][1] = t[i].lens[k];
    }
  }
  qsort(pieces, n, sizeof pieces[0], cmp_u64_pair);
  uint64_t expect = r.start;
  for (size_t k = 0; k < n; k++) {
    cr_assert_eq(pieces[k][0], expect, "gap or overlap at %" PRIu64, expect);
    expect += pieces[k][1];
  }
  cr_assert_eq(expect, r.start + r.count);
  sp_nonce_dispenser_destroy(&d);
}

Test(cuda_plan, launch_sizes) {
  const uint64_t max = SP_CUDA_MAX_LAUNCH;
  /* Sparse solutions: threads x update interval. */
  cr_assert_eq(sp_cuda_launch_nonces(101376, 1024, UINT64_MAX, 1024, max),
               101376ull * 1024);
  /* The SDK's update interval of 50,000 would pass 2^31: capped. */
  cr_assert_eq(sp_cuda_launch_nonces(101376, 50000, UINT64_MAX, 1024, max),
               max);
  /* Dense solutions: about cap / 8 expected per launch, not below 2^20. */
  cr_assert_eq(sp_cuda_launch_nonces(101376, 1024, 1, 1024, max), 1ull << 20);
  cr_assert_eq(sp_cuda_launch_nonces(101376, 1024, 100000, 1024, max),
               100000ull * 128);
  cr_assert_eq(sp_cuda_launch_nonces(101376, 1024, 0, 1024, max), 1ull << 20);
  cr_assert_eq(sp_cuda_launch_nonces(1, 1, UINT64_MAX, 1024, max), 1);
  /* Rescans: pieces expecting half a buffer each, at least 2, at most len. */
  cr_assert_eq(sp_cuda_rescan_pieces(1500, 1500, 1024), 3);
  cr_assert_eq(sp_cuda_rescan_pieces(1ull << 20, 1ull << 20, 1024), 2049);
  cr_assert_eq(sp_cuda_rescan_pieces(1100, 1025, 1024), 3);
  cr_assert_eq(sp_cuda_rescan_pieces(2, 2000, 1024), 2);
}

/* -------------------------------- the kernel's arithmetic on the host -- */

static void seal_top64(const uint8_t seal[32], sp_rule rule, uint64_t *top) {
  uint8_t v[32];
  sp_seal_value(seal, rule, v);
  *top = 0;
  for (int i = 0; i < 8; i++)
    *top = *top << 8 | v[i];
}

/* The folded fast path (constants per launch, round 0 and the last round
 * cut down, the one lane of the reject test) and the exact path, run on the
 * host with the kernel's own code, against the reference. */
Test(cuda_emulation, folded_kernel_matches_reference) {
  const uint64_t seed = 0x5eed0c0da;
  uint64_t st = seed;
  for (unsigned i = 0; i < 3000; i++) {
    sp_work w = {.rule = (sp_rule)(i % 3)};
    for (int k = 0; k < 4; k++) {
      uint64_t x = splitmix64(&st);
      memcpy(w.block_and_hotkey_hash + 8 * k, &x, 8);
    }
    uint64_t nonce;
    switch (splitmix64(&st) % 4) {
    case 0: nonce = (1ull << 32) - 1 - splitmix64(&st) % 4; break;
    case 1: nonce = UINT64_MAX - splitmix64(&st) % 4; break;
    case 2: nonce = splitmix64(&st) % 100000; break;
    default: nonce = splitmix64(&st); break;
    }
    static const uint64_t ds[] = {0, 1, 2, 3, 5, 17, 65537, 1000000};
    uint64_t r = splitmix64(&st);
    w.difficulty = r % 3 == 0 ? ds[r / 3 % 8] : 1 + splitmix64(&st) % 1000000;
    uint8_t want[32], got[32];
    cr_assert_eq(sp_create_seal_hash(w.block_and_hotkey_hash, nonce, want), 0);
    uint64_t top, want_top;
    int candidate, meets;
    sp_cuda_emulate(&w, nonce, &top, &candidate, got, &meets);
    seal_top64(want, w.rule, &want_top);
    bool want_meets = sp_seal_meets_difficulty(want, w.difficulty, w.rule);
    cr_assert_eq(top, want_top,
                 "seed=%#" PRIx64 " case=%u nonce=%" PRIu64 " rule %s: fast "
                 "path top64 %016" PRIx64 ", reference %016" PRIx64,
                 seed, i, nonce, sp_rule_name(w.rule), top, want_top);
    cr_assert(memcmp(got, want, 32) == 0,
              "seed=%#" PRIx64 " case=%u nonce=%" PRIu64
              ": exact path seal differs",
              seed, i, nonce);
    cr_assert_eq(meets != 0, want_meets,
                 "seed=%#" PRIx64 " case=%u nonce=%" PRIu64
                 " difficulty %" PRIu64 " rule %s: verdict differs",
                 seed, i, nonce, w.difficulty, sp_rule_name(w.rule));
    cr_assert(!want_meets || candidate,
              "seed=%#" PRIx64 " case=%u: a solution is not a candidate", seed,
              i);
  }
}

/* ------------------------------------------------------ error paths -- */

Test(cuda_errors, bad_options_are_refused_before_the_hardware) {
  sp_backend *b = NULL;
  sp_error_record err = {0};
  sp_backend_options o = {.isa = "avx512"};
  cr_assert_eq(sp_backend_cuda.open(&o, &b, &err), -SP_EINVAL);
  cr_assert(strstr(err.message, "avx512") && strstr(err.message, "shf"),
            "message: %s", err.message);
  int twice[2] = {0, 0};
  sp_backend_options o2 = {.dev_ids = twice, .n_dev_ids = 2};
  cr_assert_eq(sp_backend_cuda.open(&o2, &b, &err), -SP_EINVAL);
  cr_assert(strstr(err.message, "listed twice"), "message: %s", err.message);
}

Test(cuda_errors, no_gpu_or_bad_device_exits_2_with_a_message) {
  char *argv_none[] = {(char *)bench_path(), "hashrate", "--backend", "cuda",
                       "--seconds",          "0.1",      NULL};
  char *argv_bad[] = {
      (char *)bench_path(), "hashrate", "--backend", "cuda", "--dev-id", "999",
      "--seconds",          "0.1",      NULL};
  sp_run_result r;
  if (!have_gpu()) {
    sp_backend *b = NULL;
    sp_error_record err = {0};
    sp_backend_options o = {0};
    cr_assert_eq(sp_backend_cuda.open(&o, &b, &err), SP_BACKEND_UNAVAILABLE);
    cr_assert(strstr(err.message, "no CUDA device"), "message: %s",
              err.message);
    cr_assert_eq(sp_run(argv_none, NULL, &r), 0);
    cr_assert_eq(r.status, 2, "status %d", r.status);
    cr_assert(strstr(r.err, "no CUDA device"), "stderr: %s", r.err);
  } else {
    cr_assert_eq(sp_run(argv_bad, NULL, &r), 0);
    cr_assert_eq(r.status, 2, "status %d", r.status);
    cr_assert(strstr(r.err, "CUDA device 999"), "stderr: %s", r.err);
  }
  cr_assert_eq(sp_count_lines(r.err), 1, "stderr: %s", r.err);
  sp_run_result_free(&r);
}

/* --------------------------------------------------------- on a GPU -- */

static void log_failure(void *user, const char *line) {
  (void)user;
  cr_log_error("%s", line);
}

static sp_backend *open_cuda(const sp_backend_options *o) {
  sp_backend *b = NULL;
  sp_error_record err = {0};
  int rc = sp_backend_cuda.open(o, &b, &err);
  cr_assert_eq(rc, 0, "open: %s", err.message);
  return b;
}

/* The backend's solutions of `range` (all of them, sorted) against the
 * reference's. */
static void check_range(sp_backend *b, const sp_work *w, sp_nonce_range range,
                        const char *what) {
  sp_solution_list got = {0}, want = {0};
  uint64_t scanned = 0;
  sp_error_record err = {0};
  int rc = sp_backend_solve(&sp_backend_cuda, b, w, range, true, 0, &got,
                            &scanned, &err);
  cr_assert_eq(rc, 0, "%s: %s", what, err.message);
  const sp_backend_vtable *ref = sp_backend_find("reference");
  sp_backend *rb = NULL;
  sp_backend_options o = {0};
  cr_assert_eq(ref->open(&o, &rb, &err), 0);
  rc = sp_backend_solve(ref, rb, w, range, true, 0, &want, NULL, &err);
  ref->close(rb);
  cr_assert_eq(rc, 0, "%s: reference: %s", what, err.message);
  cr_assert_eq(scanned, sp_nonce_range_length(range), "%s: scanned %" PRIu64,
               what, scanned);
  cr_assert_eq(
      got.count, want.count,
      "%s: difficulty %" PRIu64 " rule %s: %zu solutions, reference %zu", what,
      w->difficulty, sp_rule_name(w->rule), got.count, want.count);
  for (size_t i = 0; i < got.count; i++) {
    cr_assert_eq(got.nonces[i], want.nonces[i], "%s: solution %zu", what, i);
    cr_assert(memcmp(got.seals[i], want.seals[i], 32) == 0,
              "%s: seal of nonce %" PRIu64, what, got.nonces[i]);
  }
  sp_solution_list_free(&got);
  sp_solution_list_free(&want);
}

Test(cuda_gpu, vectors_and_1200_random_cases, .timeout = 600) {
  NEED_GPU();
  sp_vectors v;
  sp_error_record err = {0};
  cr_assert_eq(sp_vectors_load(vectors_dir(), &v, &err), 0, "%s", err.message);
  sp_backend_options o = {0};
  sp_backend *b = open_cuda(&o);
  sp_verify_result r = {0};
  int rc = sp_verify_backend(&sp_backend_cuda, b, &v, 20240601, 1200,
                             log_failure, NULL, &r, &err);
  sp_backend_cuda.close(b);
  sp_vectors_free(&v);
  cr_assert_eq(rc, 0, "backend error: %s", err.message);
  cr_assert_eq(r.failed, 0, "%lu of %lu checks failed (seed 20240601)",
               r.failed, r.passed + r.failed);
  cr_assert_geq(r.passed, 1200);
}

/* Difficulties 1..3: nearly every nonce solves, so a launch finds more than
 * its buffer holds and is rescanned in pieces; --all must stay exact. */
Test(cuda_gpu, tiny_difficulties_overflow_and_rescan, .timeout = 600) {
  NEED_GPU();
  sp_backend_options o = {0};
  sp_backend *b = open_cuda(&o);
  uint64_t st = 77;
  for (uint64_t d = 1; d <= 3; d++)
    for (int rule = 0; rule < 3; rule++) {
      sp_work w = {.difficulty = d, .rule = (sp_rule)rule};
      for (int k = 0; k < 4; k++) {
        uint64_t x = splitmix64(&st);
        memcpy(w.block_and_hotkey_hash + 8 * k, &x, 8);
      }
      check_range(b, &w, (sp_nonce_range){(1ull << 32) - 2500, 5000},
                  "across 2^32");
      check_range(b, &w, (sp_nonce_range){UINT64_MAX - 3999, UINT64_MAX},
                  "to 2^64 - 1");
    }
  /* And a rare-solution difficulty over a longer range. */
  sp_work w = {.difficulty = 1000000, .rule = SP_RULE_CHAIN_LE};
  memset(w.block_and_hotkey_hash, 0x5a, 32);
  check_range(b, &w, (sp_nonce_range){(9ull << 32) - 1000000, 2000000},
              "difficulty 10^6");
  sp_backend_cuda.close(b);
}

struct seen {
  uint64_t start, len;
  uint8_t *count;
  const sp_work *w;
  unsigned bad_seals;
};

static void mark(void *user, uint64_t nonce, const uint8_t seal[32]) {
  struct seen *s = user;
  if (nonce - s->start >= s->len) {
    s->bad_seals++;
    return;
  }
  uint8_t *c = &s->count[nonce - s->start];
  if (*c < 255) (*c)++;
  if (nonce % 997 == 0) {
    uint8_t want[32];
    if (sp_create_seal_hash(s->w->block_and_hotkey_hash, nonce, want) != 0 ||
        memcmp(want, seal, 32) != 0)
      s->bad_seals++;
  }
}

/* Small launches (32 threads a block, one nonce a thread a launch) over a
 * range of several launches across 2^32: at difficulty 0 every nonce is a
 * solution, so each must be reported exactly once. */
Test(cuda_gpu, continuity_across_launches, .timeout = 600) {
  NEED_GPU();
  sp_backend_options o = {.tpb = 32, .update_interval = 1};
  sp_backend *b = open_cuda(&o);
  sp_work w = {.difficulty = 0, .rule = SP_RULE_SDK};
  memset(w.block_and_hotkey_hash, 0xc3, 32);
  const uint64_t len = 400000;
  struct seen s = {.start = (1ull << 32) - 150001, .len = len, .w = &w};
  s.count = calloc(len, 1);
  cr_assert_not_null(s.count);
  sp_solution_sink sink = {.found = mark, .user = &s};
  uint64_t scanned = 0;
  sp_error_record err = {0};
  int rc = sp_backend_cuda.scan(b, &w, (sp_nonce_range){s.start, len}, &sink,
                                NULL, NULL, &scanned, &err);
  cr_assert_eq(rc, 0, "%s", err.message);
  cr_assert_eq(scanned, len);
  cr_assert_eq(s.bad_seals, 0);
  for (uint64_t i = 0; i < len; i++)
    cr_assert_eq(s.count[i], 1, "nonce %" PRIu64 " reported %u times",
                 s.start + i, s.count[i]);
  free(s.count);
  sp_backend_cuda.close(b);

  /* Strided threads (two nonces each a launch), several launches, sparse
   * solutions: the exact set. */
  sp_backend_options o2 = {.update_interval = 2};
  b = open_cuda(&o2);
  sp_work w2 = {.difficulty = 1000, .rule = SP_RULE_CHAIN_BE};
  memset(w2.block_and_hotkey_hash, 0x17, 32);
  check_range(b, &w2, (sp_nonce_range){UINT64_MAX - 799999, 800000},
              "strided launches");
  sp_backend_cuda.close(b);
}

/* The multi-device path (one worker per listed device, a shared
 * dispenser) with the one device there is, listed explicitly. */
Test(cuda_gpu, device_list_with_one_device) {
  NEED_GPU();
  int ids[1] = {0};
  sp_backend_options o = {.dev_ids = ids, .n_dev_ids = 1};
  sp_backend *b = open_cuda(&o);
  cr_assert_eq(sp_backend_cuda.device_count(b), 1);
  sp_device_info info;
  sp_backend_cuda.describe(b, 0, &info);
  cr_log_info("device 0: %s (%s, %d SMs)", info.name, info.isa, info.units);
  cr_assert_eq(info.id, 0);
  cr_assert_eq(strncmp(info.isa, "sm_", 3), 0, "isa: %s", info.isa);
  cr_assert(strstr(info.isa, "driver=") && strstr(info.isa, "sm_clock="),
            "isa: %s", info.isa);
  cr_assert_gt(info.units, 0);
  sp_work w = {.difficulty = 5000, .rule = SP_RULE_CHAIN_LE};
  memset(w.block_and_hotkey_hash, 0x99, 32);
  check_range(b, &w, (sp_nonce_range){(2ull << 32) - 300000, 600000},
              "device list");
  sp_backend_cuda.close(b);
}

static bool stop_after_three(void *user) {
  int *n = user;
  return ++*n <= 3;
}

Test(cuda_gpu, keep_going_stops_a_scan) {
  NEED_GPU();
  sp_backend_options o = {.update_interval = 16};
  sp_backend *b = open_cuda(&o);
  sp_work w = {.difficulty = UINT64_MAX, .rule = SP_RULE_CHAIN_LE};
  int polls = 0;
  uint64_t scanned = 0;
  sp_error_record err = {0};
  int rc = sp_backend_cuda.scan(b, &w, (sp_nonce_range){0, UINT64_MAX}, NULL,
                                stop_after_three, &polls, &scanned, &err);
  cr_assert_eq(rc, 0, "%s", err.message);
  cr_assert_eq(polls, 4);
  cr_assert_eq(scanned % 16, 0);
  cr_assert(scanned > 0 && scanned < (1ull << 40), "scanned %" PRIu64, scanned);
  sp_backend_cuda.close(b);
}

Test(cuda_gpu, every_kernel_variant, .timeout = 600) {
  NEED_GPU();
  sp_vectors v;
  sp_error_record err = {0};
  cr_assert_eq(sp_vectors_load(vectors_dir(), &v, &err), 0, "%s", err.message);
  for (int i = 0; i < sp_cuda_variant_count(); i++) {
    sp_backend_options o = {.isa = sp_cuda_variant_name(i)};
    sp_backend *b = open_cuda(&o);
    sp_verify_result r = {0};
    int rc = sp_verify_backend(&sp_backend_cuda, b, &v, 99 + (uint64_t)i, 150,
                               log_failure, NULL, &r, &err);
    sp_backend_cuda.close(b);
    cr_assert_eq(rc, 0, "variant %s: %s", sp_cuda_variant_name(i), err.message);
    cr_assert_eq(r.failed, 0, "variant %s: %lu failed (seed %d)",
                 sp_cuda_variant_name(i), r.failed, 99 + i);
  }
  sp_vectors_free(&v);
}

Test(cuda_gpu, bad_device_and_tpb) {
  NEED_GPU();
  sp_backend *b = NULL;
  sp_error_record err = {0};
  int ids[1] = {999};
  sp_backend_options o = {.dev_ids = ids, .n_dev_ids = 1};
  cr_assert_eq(sp_backend_cuda.open(&o, &b, &err), -SP_EINVAL);
  cr_assert(strstr(err.message, "CUDA device 999"), "message: %s", err.message);
  /* 1024 threads a block need at most 64 registers a thread; the kernels
   * use more, so this is refused with a message naming --tpb. */
  sp_backend_options o2 = {.tpb = 1024};
  int rc = sp_backend_cuda.open(&o2, &b, &err);
  if (rc == 0)
    sp_backend_cuda.close(b);
  else
    cr_assert(rc == -SP_EINVAL && strstr(err.message, "--tpb"), "rc %d: %s", rc,
              err.message);
}

Test(cuda_gpu, out_of_device_memory) {
  NEED_GPU();
  sp_error_record err = {0};
  cr_assert_eq(sp_cuda_hog_memory(0, &err), 0, "%s", err.message);
  sp_backend *b = NULL;
  sp_backend_options o = {0};
  int rc = sp_backend_cuda.open(&o, &b, &err);
  sp_cuda_release_memory();
  if (rc == 0) sp_backend_cuda.close(b);
  cr_assert_eq(rc, -SP_ENOMEM, "rc %d: %s", rc, err.message);
  cr_assert(strstr(err.message, "CUDA device 0") &&
                strstr(err.message, "out of memory"),
            "message: %s", err.message);
}

#endif /* SUBPOW_HAVE_CUDA */
