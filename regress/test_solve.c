/* solve_for_nonce_block: exact solution sets, first vs all, and the end of
 * the nonce space. */
#include <criterion/criterion.h>
#include <string.h>

#include "backend/backend.h"
#include "reference/reference.h"
#include "registry/registry.h"
#include "verify/vectors.h"

typedef struct {
  uint64_t nonces[4096];
  size_t n;
  size_t stop_after;
} collect;

static bool on_solution(void *user, uint64_t nonce, const uint8_t seal[32]) {
  (void)seal;
  collect *c = user;
  if (c->n < 4096) c->nonces[c->n] = nonce;
  c->n++;
  return c->stop_after == 0 || c->n < c->stop_after;
}

Test(solve, reproduces_every_solution_vector) {
  sp_vectors v;
  sp_error_record err = {0};
  cr_assert_eq(sp_vectors_load(SUBPOW_VECTORS_DIR, &v, &err), 0, "%s",
               err.message);
  for (size_t i = 0; i < v.n_solutions; i++) {
    const sp_solution_vector *sv = &v.solutions[i];
    if (sv->count > 100000) continue; /* the long ones run in bench verify */
    for (int r = 0; r < 3; r++) {
      static collect c;
      memset(&c, 0, sizeof c);
      uint64_t scanned = 0;
      sp_nonce_range range = {sv->start, sv->count};
      int64_t n = sp_solve_for_nonce_block(sv->block_and_hotkey_hash,
                                           sv->difficulty, (sp_rule)r, range,
                                           true, on_solution, &c, &scanned);
      cr_assert_eq(n, (int64_t)sv->n_solutions[r], "case %zu rule %d", i, r);
      cr_assert_eq(scanned, sv->count);
      for (size_t k = 0; k < c.n; k++)
        cr_assert_eq(c.nonces[k], sv->solutions[r][k], "case %zu rule %d k %zu",
                     i, r, k);
      /* without `all`: the first one only */
      static collect first;
      memset(&first, 0, sizeof first);
      n = sp_solve_for_nonce_block(sv->block_and_hotkey_hash, sv->difficulty,
                                   (sp_rule)r, range, false, on_solution,
                                   &first, &scanned);
      cr_assert_eq(n, sv->n_solutions[r] ? 1 : 0);
      if (n == 1) {
        cr_assert_eq(first.nonces[0], sv->solutions[r][0]);
        cr_assert_eq(scanned, sv->solutions[r][0] - sv->start + 1);
      }
    }
  }
  sp_vectors_free(&v);
}

Test(solve, range_stops_at_the_last_nonce) {
  sp_nonce_range r = {UINT64_MAX - 9, 100};
  cr_assert_eq(sp_nonce_range_length(r), 10);
  r = (sp_nonce_range){UINT64_MAX, UINT64_MAX};
  cr_assert_eq(sp_nonce_range_length(r), 1);
  r = (sp_nonce_range){0, UINT64_MAX};
  cr_assert_eq(sp_nonce_range_length(r), UINT64_MAX);
  r = (sp_nonce_range){5, 0};
  cr_assert_eq(sp_nonce_range_length(r), 0);
  r = (sp_nonce_range){UINT64_MAX - 9, 10};
  cr_assert_eq(sp_nonce_range_length(r), 10);

  /* difficulty 0: every nonce solves, so the callback sees exactly the
   * nonces scanned: the last is 2^64 - 1 and nothing wraps to 0. */
  uint8_t bahh[32] = {7};
  static collect c;
  memset(&c, 0, sizeof c);
  uint64_t scanned = 0;
  int64_t n = sp_solve_for_nonce_block(bahh, 0, SP_RULE_CHAIN_LE,
                                       (sp_nonce_range){UINT64_MAX - 4, 50},
                                       true, on_solution, &c, &scanned);
  cr_assert_eq(n, 5);
  cr_assert_eq(scanned, 5);
  cr_assert_eq(c.nonces[4], UINT64_MAX);
  cr_assert_eq(c.nonces[0], UINT64_MAX - 4);
}

Test(solve, callback_can_stop_the_scan) {
  uint8_t bahh[32] = {9};
  static collect c;
  memset(&c, 0, sizeof c);
  c.stop_after = 3;
  uint64_t scanned = 0;
  int64_t n = sp_solve_for_nonce_block(bahh, 0, SP_RULE_SDK,
                                       (sp_nonce_range){100, 1000}, true,
                                       on_solution, &c, &scanned);
  cr_assert_eq(n, 3);
  cr_assert_eq(scanned, 3);
}

Test(solve, backend_solve_first_is_the_lowest) {
  /* sp_backend_solve in "first" mode with small windows must return the
   * lowest solution even when a window holds several. */
  const sp_backend_vtable *vt = sp_backend_find("reference");
  cr_assert_not_null(vt);
  sp_backend *b;
  sp_error_record err = {0};
  cr_assert_eq(vt->open(&(sp_backend_options){0}, &b, &err), 0);
  sp_work w = {.difficulty = 3, .rule = SP_RULE_CHAIN_LE};
  memset(w.block_and_hotkey_hash, 0x11, 32);
  sp_solution_list all = {0}, first = {0};
  uint64_t s1, s2;
  sp_nonce_range r = {(1ull << 32) - 20, 40};
  cr_assert_eq(sp_backend_solve(vt, b, &w, r, true, 0, &all, &s1, &err), 0);
  cr_assert_eq(sp_backend_solve(vt, b, &w, r, false, 7, &first, &s2, &err), 0);
  cr_assert_gt(all.count, 1);
  cr_assert_eq(first.count, 1);
  cr_assert_eq(first.nonces[0], all.nonces[0]);
  for (size_t i = 1; i < all.count; i++)
    cr_assert_gt(all.nonces[i], all.nonces[i - 1]);
  cr_assert_eq(s1, 40);
  sp_solution_list_free(&all);
  sp_solution_list_free(&first);
  vt->close(b);
}
