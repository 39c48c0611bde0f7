/* The verification gate must fail a wrong backend: a backend that corrupts
 * one seal bit, or skips a nonce, is caught with its seed and inputs. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/verify.h"

enum fault { FLIP_SEAL_BIT, SKIP_NONCE, NONE };
struct sp_backend {
  enum fault fault;
};
static enum fault next_fault;

static int f_open(const sp_backend_options *o, sp_backend **out,
                  sp_error_record *e) {
  (void)o, (void)e;
  *out = calloc(1, sizeof **out);
  (*out)->fault = next_fault;
  return 0;
}
static int f_count(const sp_backend *b) {
  (void)b;
  return 1;
}
static void f_describe(const sp_backend *b, int i, sp_device_info *d) {
  (void)b, (void)i;
  memset(d, 0, sizeof *d);
}
static int f_scan(sp_backend *b, const sp_work *w, sp_nonce_range range,
                  const sp_solution_sink *sink, sp_keep_going_fn kg, void *kgu,
                  uint64_t *scanned, sp_error_record *err) {
  (void)kg, (void)kgu, (void)err;
  uint64_t len = sp_nonce_range_length(range);
  for (uint64_t i = 0; i < len; i++) {
    uint64_t nonce = range.start + i;
    uint8_t seal[32];
    sp_create_seal_hash(w->block_and_hotkey_hash, nonce, seal);
    if (b->fault == FLIP_SEAL_BIT && nonce % 5 == 0) seal[0] ^= 1;
    if (b->fault == SKIP_NONCE && nonce % 97 == 13) continue;
    if (sp_seal_meets_difficulty(seal, w->difficulty, w->rule))
      sink->found(sink->user, nonce, seal);
  }
  *scanned = len;
  return 0;
}
static void f_close(sp_backend *b) { free(b); }
static const sp_backend_vtable faulty = {.name = "faulty",
                                         .summary = "test double",
                                         .open = f_open,
                                         .device_count = f_count,
                                         .describe = f_describe,
                                         .scan = f_scan,
                                         .close = f_close};

static unsigned lines;
static char first_line[1024], random_line[1024];
static void on_fail(void *user, const char *line) {
  (void)user;
  if (lines++ == 0) snprintf(first_line, sizeof first_line, "%s", line);
  if (strstr(line, "random seed=") != NULL)
    snprintf(random_line, sizeof random_line, "%s", line);
}

static sp_verify_result run(enum fault f) {
  sp_vectors v;
  sp_error_record err = {0};
  cr_assert_eq(sp_vectors_load(SUBPOW_VECTORS_DIR, &v, &err), 0, "%s",
               err.message);
  /* Only the cheap solution vectors: drop the long ones. */
  while (v.n_solutions > 0 && v.solutions[v.n_solutions - 1].count > 50000) {
    v.n_solutions--;
    for (int k = 0; k < 3; k++)
      free(v.solutions[v.n_solutions].solutions[k]);
  }
  next_fault = f;
  sp_backend *b;
  faulty.open(NULL, &b, &err);
  sp_verify_result r = {0};
  lines = 0;
  cr_assert_eq(
      sp_verify_backend(&faulty, b, &v, 77, 30, on_fail, NULL, &r, &err), 0);
  faulty.close(b);
  sp_vectors_free(&v);
  return r;
}

Test(verify, honest_double_passes) {
  sp_verify_result r = run(NONE);
  cr_assert_eq(r.failed, 0, "%s", first_line);
  cr_assert_gt(r.passed, 200);
}

Test(verify, catches_a_flipped_seal_bit) {
  sp_verify_result r = run(FLIP_SEAL_BIT);
  cr_assert_gt(r.failed, 0);
  cr_assert_eq(lines, r.failed);
  cr_assert_not_null(strstr(first_line, "faulty: "));
}

Test(verify, catches_a_skipped_nonce_and_prints_the_seed) {
  random_line[0] = '\0';
  sp_verify_result r = run(SKIP_NONCE);
  cr_assert_gt(r.failed, 0);
  /* random cases name their seed and inputs so the failure reproduces */
  cr_assert_not_null(strstr(random_line, "faulty: random seed=77 case="), "%s",
                     random_line);
  cr_assert_not_null(strstr(random_line, "block_and_hotkey_hash "), "%s",
                     random_line);
  cr_assert(strstr(random_line, "missing nonce") != NULL ||
                strstr(random_line, "count mismatch") != NULL,
            "%s", random_line);
}

Test(verify, random_cases_are_deterministic_and_cover_the_edges) {
  bool ends_at_max = false, crosses_2_32 = false, tiny_d = false,
       rules[3] = {0};
  for (unsigned i = 0; i < 1000; i++) {
    sp_random_case a, b;
    sp_random_case_draw(5, i, &a);
    sp_random_case_draw(5, i, &b);
    cr_assert_eq(memcmp(&a, &b, sizeof a), 0);
    uint64_t len = sp_nonce_range_length(a.range);
    cr_assert_eq(len, a.range.count, "case %u leaves the nonce space", i);
    ends_at_max |= a.range.start + (len - 1) == UINT64_MAX;
    uint64_t last = a.range.start + len - 1;
    crosses_2_32 |= a.range.start < (1ull << 32) && last >= (1ull << 32);
    tiny_d |= a.work.difficulty <= 3;
    rules[a.work.rule] = true;
    cr_assert(a.work.difficulty >= 1 && a.work.difficulty <= 1000000);
  }
  cr_assert(ends_at_max && crosses_2_32 && tiny_d && rules[0] && rules[1] &&
            rules[2]);
}
