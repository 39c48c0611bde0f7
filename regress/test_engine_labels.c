/* The engine with the scripted source: solutions carry the block they were
 * computed for across block changes, none is lost, workers never scan a
 * nonce twice, and mixed backends share the nonce space. */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/scripted_source.h"
#include "registry/registry.h"
#include "regress/support/fake_backend.h"

static const uint8_t hotkey[32] = {
    0xd4, 0x35, 0x93, 0xc7, 0x15, 0xfd, 0xd3, 0x1c, 0x61, 0x14, 0x1a,
    0xbd, 0x04, 0xa9, 0x9f, 0xd6, 0x82, 0x2c, 0x85, 0x58, 0x85, 0x4c,
    0xcd, 0xe3, 0x9a, 0x56, 0x84, 0xe7, 0xa5, 0x6d, 0xa2, 0x7d};

typedef struct collected {
  sp_engine_solution *s;
  size_t n, cap;
} collected;

static void collect(collected *c, const sp_engine_solution *s) {
  if (c->n == c->cap) {
    c->cap = c->cap ? 2 * c->cap : 256;
    c->s = realloc(c->s, c->cap * sizeof *c->s);
    cr_assert_not_null(c->s);
  }
  c->s[c->n++] = *s;
}

/* Runs the engine in keep-going mode until `seconds`, collecting every
 * solution (also the ones still queued after the stop). */
static void run_collect(sp_engine *e, collected *c) {
  sp_engine_solution s;
  sp_engine_event ev;
  while ((ev = sp_engine_run(e, &s)) == SP_ENGINE_SOLUTION)
    collect(c, &s);
  cr_assert_eq(ev, SP_ENGINE_TIME_LIMIT, "run ended with %s: %s",
               sp_engine_event_name(ev), sp_engine_error(e));
  cr_assert_eq(sp_engine_stop_and_join(e, 2000), 0, "a worker did not exit");
  while (sp_engine_next_solution(e, &s))
    collect(c, &s);
}

/* Every solution's seal is the reference seal of the labelled block's work,
 * meets its difficulty, and its block hash is the script's. */
static void check_labels(const sp_scripted_source *src, const collected *c) {
  for (size_t i = 0; i < c->n; i++) {
    const sp_engine_solution *s = &c->s[i];
    sp_block_work w;
    sp_scripted_block(src, s->pow.block_number, &w);
    cr_assert_eq(memcmp(w.block_hash, s->block_hash, 32), 0,
                 "solution %zu: block hash is not block %" PRIu64 "'s", i,
                 s->pow.block_number);
    cr_assert_eq(
        memcmp(w.work.block_and_hotkey_hash, s->block_and_hotkey_hash, 32), 0,
        "solution %zu: wrong block_and_hotkey_hash", i);
    uint8_t seal[32];
    cr_assert_eq(
        sp_create_seal_hash(w.work.block_and_hotkey_hash, s->pow.nonce, seal),
        0);
    cr_assert_eq(memcmp(seal, s->pow.seal, 32), 0,
                 "solution %zu: nonce %" PRIu64 " labelled block %" PRIu64
                 " has another block's seal",
                 i, s->pow.nonce, s->pow.block_number);
    cr_assert(sp_seal_meets_difficulty(seal, w.work.difficulty, w.work.rule));
    cr_assert_eq(s->pow.difficulty, w.work.difficulty);
  }
}

typedef struct key {
  uint8_t h[32];
  uint64_t nonce;
} key;

static int cmp_key(const void *a, const void *b) {
  const key *x = a, *y = b;
  int c = memcmp(x->h, y->h, 32);
  if (c) return c;
  return x->nonce < y->nonce ? -1 : x->nonce > y->nonce;
}

typedef struct keys {
  key *k;
  size_t n, cap;
  const uint8_t *h;
} keys;

static bool push_key(void *user, uint64_t nonce, const uint8_t seal[32]) {
  (void)seal;
  keys *ks = user;
  if (ks->n == ks->cap) {
    ks->cap = ks->cap ? 2 * ks->cap : 256;
    ks->k = realloc(ks->k, ks->cap * sizeof *ks->k);
  }
  memcpy(ks->k[ks->n].h, ks->h, 32);
  ks->k[ks->n++].nonce = nonce;
  return true;
}

typedef struct range {
  uint64_t start, end; /* [start, end) of hashed nonces */
} range;

static int cmp_range(const void *a, const void *b) {
  const range *x = a, *y = b;
  return x->start < y->start ? -1 : x->start > y->start;
}

/* From the scan logs of every fake worker: the ranges hashed are pairwise
 * disjoint, and the reference finds exactly the solutions the engine
 * returned (same block_and_hotkey_hash and nonce): nothing lost, nothing
 * extra. Returns how many distinct works were scanned. */
static size_t check_complete(sp_backend *const *fakes, size_t n_fakes,
                             const collected *c) {
  keys want = {0};
  range *rs = NULL;
  size_t n_r = 0, cap_r = 0;
  uint8_t seen[512][32];
  size_t n_seen = 0;
  for (size_t f = 0; f < n_fakes; f++) {
    const fake_scan *sc;
    size_t n = fake_backend_scans(fakes[f], &sc);
    for (size_t i = 0; i < n; i++) {
      if (sc[i].done == 0) continue;
      if (n_r == cap_r) {
        cap_r = cap_r ? 2 * cap_r : 256;
        rs = realloc(rs, cap_r * sizeof *rs);
      }
      rs[n_r++] = (range){sc[i].start, sc[i].start + sc[i].done};
      want.h = sc[i].block_and_hotkey_hash;
      sp_nonce_range r = {sc[i].start, sc[i].done};
      cr_assert_geq(sp_solve_for_nonce_block(sc[i].block_and_hotkey_hash,
                                             sc[i].difficulty, sc[i].rule, r,
                                             true, push_key, &want, NULL),
                    0);
      bool known = false;
      for (size_t j = 0; j < n_seen && !known; j++)
        known = memcmp(seen[j], sc[i].block_and_hotkey_hash, 32) == 0;
      if (!known && n_seen < 512)
        memcpy(seen[n_seen++], sc[i].block_and_hotkey_hash, 32);
    }
  }
  qsort(rs, n_r, sizeof *rs, cmp_range);
  for (size_t i = 1; i < n_r; i++)
    cr_assert_leq(rs[i - 1].end, rs[i].start,
                  "nonces [%" PRIu64 ", %" PRIu64 ") scanned twice",
                  rs[i].start, rs[i - 1].end);
  key *got = calloc(c->n + 1, sizeof *got);
  for (size_t i = 0; i < c->n; i++) {
    memcpy(got[i].h, c->s[i].block_and_hotkey_hash, 32);
    got[i].nonce = c->s[i].pow.nonce;
  }
  qsort(got, c->n, sizeof *got, cmp_key);
  qsort(want.k, want.n, sizeof *want.k, cmp_key);
  cr_assert_eq(c->n, want.n,
               "engine returned %zu solutions, the scanned ranges hold %zu",
               c->n, want.n);
  for (size_t i = 0; i < c->n; i++)
    cr_assert_eq(cmp_key(&got[i], &want.k[i]), 0,
                 "solution sets differ at %zu (nonce %" PRIu64 " vs %" PRIu64
                 ")",
                 i, got[i].nonce, want.k[i].nonce);
  free(got);
  free(want.k);
  free(rs);
  return n_seen;
}

static sp_engine *make_engine(sp_scripted_source *src, sp_work_source *ws,
                              double seconds) {
  sp_engine_config cfg;
  sp_engine_config_default(&cfg);
  *ws = sp_scripted_source_as_source(src);
  cfg.source = ws;
  cfg.keep_going = true;
  cfg.time_limit_s = seconds;
  cfg.poll_ms = 5;
  cfg.chunk = 3000; /* several chunks per block */
  sp_engine *e;
  sp_error_record err = {0};
  cr_assert_eq(sp_engine_create(&cfg, &e, &err), 0, "%s", err.message);
  return e;
}

Test(engine_labels, fakes_across_block_changes_no_loss_no_overlap) {
  sp_scripted_source src;
  sp_scripted_source_init(&src, 1000, 20, 0, 42, hotkey, 1500,
                          SP_RULE_CHAIN_LE);
  sp_work_source ws;
  sp_engine *e = make_engine(&src, &ws, 0.6);
  fake_config fc = {.slice = 400};
  sp_backend *fakes[2] = {fake_backend_new(&fc), fake_backend_new(&fc)};
  sp_error_record err = {0};
  for (int i = 0; i < 2; i++)
    cr_assert_geq(sp_engine_add_worker(e, &fake_vtable, fakes[i], 0, &err), 0,
                  "%s", err.message);
  cr_assert_eq(sp_engine_start(e, &err), 0, "%s", err.message);
  collected c = {0};
  run_collect(e, &c);
  sp_solve_stats st;
  sp_engine_stats(e, &st);
  sp_engine_destroy(e);

  cr_assert_gt(c.n, 20, "only %zu solutions in 0.6 s at difficulty 1500", c.n);
  check_labels(&src, &c);
  size_t works = check_complete(fakes, 2, &c);
  cr_assert_geq(works, 5, "workers saw only %zu blocks in 0.6 s at 20 ms",
                works);
  cr_assert_geq(src.n_published, 5);
  cr_assert_eq(st.solutions, c.n);
  cr_assert_eq(st.bad_solutions, 0);
  cr_assert_eq(st.dropped_solutions, 0);
  /* Labels spread over several blocks, each no newer than the work. */
  uint64_t lo = UINT64_MAX, hi = 0;
  for (size_t i = 0; i < c.n; i++) {
    if (c.s[i].pow.block_number < lo) lo = c.s[i].pow.block_number;
    if (c.s[i].pow.block_number > hi) hi = c.s[i].pow.block_number;
  }
  cr_assert_gt(hi, lo, "all solutions labelled block %" PRIu64, lo);
  cr_assert_leq(hi, src.last);
  free(c.s);
  for (int i = 0; i < 2; i++)
    fake_vtable.close(fakes[i]);
}

Test(engine_labels, mixed_backends_share_disjoint_nonces) {
  /* Three workers of three backends: the fake, a slow copy under another
   * name, and the real reference backend. */
  sp_backend_vtable slow_vt = fake_vtable;
  slow_vt.name = "fake-slow";
  const sp_backend_vtable *ref = sp_backend_find("reference");
  cr_assert_not_null(ref);
  sp_backend_options opts = {0};
  sp_backend *rb;
  sp_error_record err = {0};
  cr_assert_eq(ref->open(&opts, &rb, &err), 0, "%s", err.message);

  sp_scripted_source src;
  sp_scripted_source_init(&src, 77, 25, 0, 7, hotkey, 1200, SP_RULE_SDK);
  sp_work_source ws;
  sp_engine *e = make_engine(&src, &ws, 0.5);
  fake_config fast = {.slice = 300}, slow = {.slice = 200, .sleep_us = 2000};
  sp_backend *fakes[2] = {fake_backend_new(&fast), fake_backend_new(&slow)};
  cr_assert_eq(sp_engine_add_worker(e, &fake_vtable, fakes[0], 0, &err), 0);
  cr_assert_eq(sp_engine_add_worker(e, &slow_vt, fakes[1], 1000, &err), 1);
  cr_assert_eq(sp_engine_add_worker(e, ref, rb, 0, &err), 2);
  cr_assert_str_eq(sp_engine_worker_backend(e, 1), "fake-slow");
  cr_assert_eq(sp_engine_start(e, &err), 0, "%s", err.message);
  collected c = {0};
  run_collect(e, &c);
  sp_engine_destroy(e);

  check_labels(&src, &c);
  bool by[3] = {false};
  for (size_t i = 0; i < c.n; i++)
    by[c.s[i].worker] = true;
  cr_assert(by[0] && by[2], "fast fake and reference should both solve");
  /* Completeness can only be checked on the logged (fake) workers: keep
   * their solutions only. */
  collected fc = {0};
  for (size_t i = 0; i < c.n; i++)
    if (c.s[i].worker < 2) collect(&fc, &c.s[i]);
  check_complete(fakes, 2, &fc);
  free(fc.s);
  free(c.s);
  fake_vtable.close(fakes[0]);
  fake_vtable.close(fakes[1]);
  ref->close(rb);
}

Test(engine_labels, reference_workers_label_right) {
  const sp_backend_vtable *ref = sp_backend_find("reference");
  sp_backend_options opts = {0};
  sp_backend *rb[2];
  sp_error_record err = {0};
  sp_scripted_source src;
  sp_scripted_source_init(&src, 5000, 30, 0, 99, hotkey, 4000,
                          SP_RULE_CHAIN_BE);
  sp_work_source ws;
  sp_engine_config cfg;
  sp_engine_config_default(&cfg);
  ws = sp_scripted_source_as_source(&src);
  cfg.source = &ws;
  cfg.keep_going = true;
  cfg.time_limit_s = 0.4;
  cfg.poll_ms = 5;
  sp_engine *e;
  cr_assert_eq(sp_engine_create(&cfg, &e, &err), 0);
  for (int i = 0; i < 2; i++) {
    cr_assert_eq(ref->open(&opts, &rb[i], &err), 0);
    cr_assert_eq(sp_engine_add_worker(e, ref, rb[i], 0, &err), i);
  }
  cr_assert_eq(sp_engine_start(e, &err), 0, "%s", err.message);
  collected c = {0};
  run_collect(e, &c);
  sp_engine_destroy(e);
  cr_assert_gt(c.n, 5);
  check_labels(&src, &c);
  free(c.s);
  for (int i = 0; i < 2; i++)
    ref->close(rb[i]);
}
