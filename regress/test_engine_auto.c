/* --backend auto at the library level: a backend that fails verification is
 * never chosen, the fastest verified one is, results are cached against the
 * build id and re-used, a broken cache is rebuilt. Uses the committed vectors
 * with solutions.json cut to one case, so each verification is quick. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "autoselect/auto_backend.h"
#include "autoselect/build_id.h"
#include "regress/support/fake_backend.h"

static char dir[64], vectors[96], cache[96];

static void copy_file(const char *name) {
  char cmd[512];
  snprintf(cmd, sizeof cmd, "cp '%s/%s' '%s/%s'", SUBPOW_VECTORS_DIR, name,
           vectors, name);
  cr_assert_eq(system(cmd), 0);
}

static void setup(void) {
  strcpy(dir, "/tmp/subpow-auto-XXXXXX");
  cr_assert_not_null(mkdtemp(dir));
  snprintf(vectors, sizeof vectors, "%s/vectors", dir);
  snprintf(cache, sizeof cache, "%s/cache", dir);
  char cmd[256];
  snprintf(cmd, sizeof cmd, "mkdir -p '%s'", vectors);
  cr_assert_eq(system(cmd), 0);
  copy_file("hashes.json");
  copy_file("difficulty.json");
  copy_file("seals.json");
  char path[256];
  snprintf(path, sizeof path, "%s/solutions.json", SUBPOW_VECTORS_DIR);
  json_error_t je;
  json_t *root = json_load_file(path, 0, &je);
  cr_assert_not_null(root, "%s", je.text);
  json_t *cases = json_object_get(root, "cases");
  while (json_array_size(cases) > 1)
    json_array_remove(cases, json_array_size(cases) - 1);
  snprintf(path, sizeof path, "%s/solutions.json", vectors);
  cr_assert_eq(json_dump_file(root, path, 0), 0);
  json_decref(root);
}

static void teardown(void) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  cr_assert_eq(system(cmd), 0);
}

TestSuite(auto_backend, .init = setup, .fini = teardown);

static int open_liar(const sp_backend_options *o, sp_backend **b,
                     sp_error_record *e) {
  (void)o, (void)e;
  fake_config c = {.lie = true};
  *b = fake_backend_new(&c);
  return 0;
}
static int open_slow(const sp_backend_options *o, sp_backend **b,
                     sp_error_record *e) {
  (void)o, (void)e;
  fake_config c = {.slice = 200, .sleep_us = 2000};
  *b = fake_backend_new(&c);
  return 0;
}
static int open_absent(const sp_backend_options *o, sp_backend **b,
                       sp_error_record *e) {
  (void)o, (void)b;
  return sp_error_fail(e, SP_EUNAVAILABLE, "no GPU here");
}

static sp_backend_vtable named(const char *name,
                               int (*open)(const sp_backend_options *,
                                           sp_backend **, sp_error_record *)) {
  sp_backend_vtable v = fake_vtable;
  v.name = name;
  if (open) v.open = open;
  return v;
}

/* The preemption limit of choose(); the sample tests lift it so that only
 * the samples they shape decide (auto_backend.h). */
static double preempt_limit;

static int choose(const sp_backend_vtable *const *list, size_t n, bool refresh,
                  sp_auto_report *rep, sp_error_record *err) {
  sp_auto_config cfg = {.vectors_dir = vectors,
                        .max_preemptions_per_s = preempt_limit,
                        .cache_dir = cache,
                        .build_id = "test-build",
                        .random_cases = 4,
                        .rate_seconds = 0.1,
                        .refresh = refresh,
                        .candidates = list,
                        .n_candidates = n};
  const sp_backend_vtable *vt;
  sp_backend *b;
  sp_backend_options opts = {0};
  int rc = sp_auto_backend_open(&cfg, &opts, &vt, &b, rep, err);
  if (rc == 0) {
    cr_assert_eq(vt, rep->c[rep->chosen].vt);
    vt->close(b);
  }
  return rc;
}

Test(auto_backend, liar_never_chosen_and_results_cached) {
  sp_backend_vtable liar = named("liar", open_liar), good = named("good", NULL),
                    gpu = named("gpu", open_absent);
  const sp_backend_vtable *list[] = {&gpu, &liar, &good};
  sp_auto_report rep;
  sp_error_record err = {0};
  cr_assert_eq(choose(list, 3, false, &rep, &err), 0, "%s", err.message);
  cr_assert_eq(rep.chosen, 2);
  cr_assert_eq(rep.c[0].status, SP_AUTO_UNAVAILABLE);
  cr_assert_str_eq(rep.c[0].note, "no GPU here");
  cr_assert_eq(rep.c[1].status, SP_AUTO_FAILED);
  cr_assert(!rep.c[1].from_cache);
  cr_assert_gt(rep.c[1].entry.failed, 0);
  cr_assert(strstr(rep.c[1].note, "liar: seals.json case 0"), "%s",
            rep.c[1].note);
  cr_assert_eq(rep.c[2].status, SP_AUTO_VERIFIED);
  cr_assert_gt(rep.c[2].entry.passed, 10);
  cr_assert_gt(rep.c[2].entry.hashes_per_second, 1000);
  cr_assert_str_eq(rep.c[2].entry.key, "good|0/fake device/test/1");
  cr_assert_str_eq(rep.cache_note, "");
  char want[256];
  snprintf(want, sizeof want, "%s/auto-test-build.json", cache);
  cr_assert_str_eq(rep.cache_path, want);

  json_error_t je;
  json_t *root = json_load_file(want, 0, &je);
  cr_assert_not_null(root, "%s", je.text);
  cr_assert_str_eq(json_string_value(json_object_get(root, "build_id")),
                   "test-build");
  cr_assert_eq(json_array_size(json_object_get(root, "entries")), 2);
  json_decref(root);

  /* Again: nothing is verified, the same choice comes from the cache. */
  cr_assert_eq(choose(list, 3, false, &rep, &err), 0);
  cr_assert_eq(rep.chosen, 2);
  cr_assert(rep.c[1].from_cache && rep.c[2].from_cache);
  cr_assert_eq(rep.c[1].status, SP_AUTO_FAILED);
  /* --refresh verifies again. */
  cr_assert_eq(choose(list, 3, true, &rep, &err), 0);
  cr_assert(!rep.c[2].from_cache);
}

Test(auto_backend, fastest_verified_wins_in_any_order) {
  sp_backend_vtable slow = named("slow", open_slow), fast = named("fast", NULL);
  const sp_backend_vtable *a[] = {&slow, &fast}, *b[] = {&fast, &slow};
  sp_auto_report rep;
  sp_error_record err = {0};
  cr_assert_eq(choose(a, 2, false, &rep, &err), 0, "%s", err.message);
  cr_assert_str_eq(rep.c[rep.chosen].vt->name, "fast");
  cr_assert_lt(rep.c[0].entry.hashes_per_second,
               rep.c[1].entry.hashes_per_second);
  cr_assert_eq(choose(b, 2, false, &rep, &err), 0, "%s", err.message);
  cr_assert_str_eq(rep.c[rep.chosen].vt->name, "fast");
}

Test(auto_backend, nothing_verified_is_an_error) {
  sp_backend_vtable liar = named("liar", open_liar),
                    gpu = named("gpu", open_absent);
  const sp_backend_vtable *list[] = {&liar, &gpu};
  sp_auto_report rep;
  sp_error_record err = {0};
  cr_assert_lt(choose(list, 2, false, &rep, &err), 0);
  cr_assert_eq(rep.chosen, -1);
  cr_assert(strstr(err.message,
                   "no backend passed verification here (liar: liar: "
                   "seals.json case 0"),
            "%s", err.message);
  cr_assert(strstr(err.message, "; gpu: no GPU here)"), "%s", err.message);
}

Test(auto_backend, broken_cache_is_rebuilt) {
  char cmd[256], path[256];
  snprintf(cmd, sizeof cmd, "mkdir -p '%s'", cache);
  cr_assert_eq(system(cmd), 0);
  snprintf(path, sizeof path, "%s/auto-test-build.json", cache);
  FILE *f = fopen(path, "w");
  fputs("{\"build_id\": \"test-build\", \"entries\": [{\"key\": 3}]}", f);
  fclose(f);
  sp_backend_vtable good = named("good", NULL);
  const sp_backend_vtable *list[] = {&good};
  sp_auto_report rep;
  sp_error_record err = {0};
  cr_assert_eq(choose(list, 1, false, &rep, &err), 0, "%s", err.message);
  cr_assert(strstr(rep.cache_note, "entry 0 lacks key"), "%s", rep.cache_note);
  cr_assert(!rep.c[0].from_cache);
  cr_assert_eq(choose(list, 1, false, &rep, &err), 0);
  cr_assert(rep.c[0].from_cache, "the rewritten cache is used");
  cr_assert_str_eq(rep.cache_note, "");

  f = fopen(path, "w");
  fputs("not json", f);
  fclose(f);
  cr_assert_eq(choose(list, 1, false, &rep, &err), 0);
  cr_assert(strstr(rep.cache_note, "not JSON"), "%s", rep.cache_note);
}

Test(auto_backend, missing_vectors_is_an_error) {
  sp_backend_vtable good = named("good", NULL);
  const sp_backend_vtable *list[] = {&good};
  strcat(vectors, "/nope");
  sp_auto_report rep;
  sp_error_record err = {0};
  cr_assert_lt(choose(list, 1, false, &rep, &err), 0);
  cr_assert(strstr(err.message, "cannot load the vectors"), "%s", err.message);
}

Test(auto_backend, build_id_of_this_test_program) {
  char id[128];
  cr_assert_eq(sp_build_id(id, sizeof id), 0);
  cr_assert_geq(strlen(id), 16, "%s", id);
  for (const char *p = id; *p; p++)
    cr_assert(strchr("0123456789abcdef-sha", *p) != NULL, "%s", id);
  char again[128];
  sp_build_id(again, sizeof again);
  cr_assert_str_eq(id, again);
  char tiny[4];
  sp_build_id(tiny, sizeof tiny); /* too small: no overflow */
}

Test(auto_backend, default_cache_dir_follows_xdg) {
  char d[512];
  setenv("XDG_CACHE_HOME", "/x/cache", 1);
  cr_assert_eq(sp_auto_cache_default_dir(d, sizeof d), 0);
  cr_assert_str_eq(d, "/x/cache/subpow");
  setenv("XDG_CACHE_HOME", "relative", 1); /* ignored, as the spec says */
  setenv("HOME", "/home/u", 1);
  cr_assert_eq(sp_auto_cache_default_dir(d, sizeof d), 0);
  cr_assert_str_eq(d, "/home/u/.cache/subpow");
  unsetenv("HOME");
  cr_assert_lt(sp_auto_cache_default_dir(d, sizeof d), 0);
}

/* ---- calibration on a busy machine ----
 * A double whose timed samples (the measuring scans: difficulty 2^64 - 1,
 * a bounded range above 2^50, where no nonce solves) take a fixed 200 ms
 * each plus a planned extra, as a burst of other work would slow them, and
 * "hash" their range without computing. The machine's load can only add a
 * little to a 200 ms sleep, so the shapes hold on a loaded machine too. */
static unsigned plan_ms[16];
static unsigned samples_seen;

static int sampled_scan(sp_backend *b, const sp_work *w, sp_nonce_range r,
                        const sp_solution_sink *sink, sp_keep_going_fn kg,
                        void *kgu, uint64_t *scanned, sp_error_record *err) {
  if (w->difficulty == UINT64_MAX && r.start >= (1ull << 50) &&
      r.count != UINT64_MAX) {
    unsigned k = samples_seen++;
    usleep((200 + (k < 16 ? plan_ms[k] : 0)) * 1000u);
    *scanned = r.count;
    return 0;
  }
  return fake_vtable.scan(b, w, r, sink, kg, kgu, scanned, err);
}

static int open_paced(const sp_backend_options *o, sp_backend **b,
                      sp_error_record *e) {
  (void)o, (void)e;
  fake_config c = {.slice = 200};
  *b = fake_backend_new(&c);
  return 0;
}

static json_t *cached_entry(void) {
  char path[256];
  snprintf(path, sizeof path, "%s/auto-test-build.json", cache);
  json_error_t je;
  json_t *root = json_load_file(path, 0, &je);
  cr_assert_not_null(root, "%s", je.text);
  json_t *e = json_incref(json_array_get(json_object_get(root, "entries"), 0));
  json_decref(root);
  return e;
}

Test(auto_backend, one_slow_sample_is_outvoted) {
  preempt_limit = 1e12;
  memset(plan_ms, 0, sizeof plan_ms);
  plan_ms[1] = 400; /* one sample hit by a burst: many times slower */
  samples_seen = 0;
  sp_backend_vtable v = named("paced", open_paced);
  v.scan = sampled_scan;
  const sp_backend_vtable *list[] = {&v};
  sp_auto_report rep;
  sp_error_record err = {0};
  cr_assert_eq(choose(list, 1, false, &rep, &err), 0, "%s", err.message);
  cr_assert_eq(samples_seen, SP_AUTO_SAMPLES);
  cr_assert(rep.c[0].measured);
  cr_assert_not(rep.c[0].entry.rate_disturbed,
                "four samples agree: not disturbed");
  json_t *e = cached_entry();
  cr_assert(json_is_false(json_object_get(e, "rate_disturbed")));
  json_decref(e);
  /* cached and trusted: the next use measures nothing */
  cr_assert_eq(choose(list, 1, false, &rep, &err), 0, "%s", err.message);
  cr_assert_eq(samples_seen, SP_AUTO_SAMPLES);
  cr_assert(rep.c[0].from_cache && !rep.c[0].measured);
  preempt_limit = 0;
}

Test(auto_backend, disturbed_rate_is_measured_again) {
  preempt_limit = 1e12;
  memset(plan_ms, 0, sizeof plan_ms);
  /* every sample slower than the one before: no two agree */
  for (unsigned k = 0; k < SP_AUTO_SAMPLES; k++)
    plan_ms[k] = 150 * k;
  samples_seen = 0;
  sp_backend_vtable v = named("paced", open_paced);
  v.scan = sampled_scan;
  const sp_backend_vtable *list[] = {&v};
  sp_auto_report rep;
  sp_error_record err = {0};
  cr_assert_eq(choose(list, 1, false, &rep, &err), 0, "%s", err.message);
  cr_assert_eq(rep.chosen, 0, "still chosen for this run");
  cr_assert(rep.c[0].entry.rate_disturbed);
  json_t *e = cached_entry();
  cr_assert(json_is_true(json_object_get(e, "rate_disturbed")),
            "cached marked as disturbed");
  cr_assert(json_is_true(json_object_get(e, "verified")));
  json_decref(e);
  /* the next use keeps the verification but measures again; calm now */
  memset(plan_ms, 0, sizeof plan_ms);
  samples_seen = 0;
  cr_assert_eq(choose(list, 1, false, &rep, &err), 0, "%s", err.message);
  cr_assert(rep.c[0].from_cache && rep.c[0].measured);
  cr_assert_eq(samples_seen, SP_AUTO_SAMPLES);
  cr_assert_not(rep.c[0].entry.rate_disturbed);
  e = cached_entry();
  cr_assert(json_is_false(json_object_get(e, "rate_disturbed")));
  json_decref(e);
  preempt_limit = 0;
}
