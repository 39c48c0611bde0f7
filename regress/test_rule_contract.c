/*
 * One rule contract for every path that solves: a rule that is none of
 * sp_rule's (42, 9, -1) is -SP_EINVAL from the reference's scan
 * (sp_solve_for_nonce_block), from every backend built in (the reference
 * backend's scan returned 0 and the reference path 3 solutions for rule
 * 42, while the cpu backend said -SP_EINVAL), and meets no difficulty.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "backend/backend.h"
#include "common/error.h"
#include "reference/reference.h"
#include "registry/registry.h"

static const int BAD[] = {42, 9, 3, -1};

static bool count_found(void *user, uint64_t nonce, const uint8_t seal[32]) {
  (void)nonce, (void)seal;
  (*(int *)user)++;
  return true;
}

Test(rule_contract, the_reference_path_refuses_an_invalid_rule) {
  uint8_t h[32];
  memset(h, 0x5a, sizeof h);
  for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
    sp_rule rule = (sp_rule)BAD[i];
    cr_expect_eq(sp_rule_check(rule), -SP_EINVAL, "rule %d", BAD[i]);
    int found = 0;
    uint64_t scanned = 99;
    int64_t rc = sp_solve_for_nonce_block(h, 1, rule, (sp_nonce_range){0, 64},
                                          true, count_found, &found, &scanned);
    cr_expect_eq(rc, -SP_EINVAL, "rule %d: %lld", BAD[i], (long long)rc);
    cr_expect_eq(found, 0, "rule %d", BAD[i]);
    cr_expect_eq(scanned, 0, "rule %d", BAD[i]);
    uint8_t seal[32] = {0}; /* meets any difficulty under a real rule */
    cr_expect_not(sp_seal_meets_difficulty(seal, 1, rule), "rule %d", BAD[i]);
  }
  for (int r = SP_RULE_SDK; r <= SP_RULE_CHAIN_LE; r++)
    cr_expect_eq(sp_rule_check((sp_rule)r), 0);
}

static void on_found(void *user, uint64_t nonce, const uint8_t seal[32]) {
  (void)nonce, (void)seal;
  (*(int *)user)++;
}

Test(rule_contract, every_backend_refuses_an_invalid_rule) {
  const sp_backend_vtable *const *list;
  size_t n = sp_backend_registry(&list);
  cr_assert_geq(n, 1);
  for (size_t k = 0; k < n; k++) {
    const sp_backend_vtable *vt = list[k];
    sp_backend_options o;
    memset(&o, 0, sizeof o);
    o.threads = 1;
    o.no_pin = true;
    sp_backend *b = NULL;
    sp_error_record err = {0};
    int rc = vt->open(&o, &b, &err);
    if (rc == -SP_EUNAVAILABLE) continue; /* no such hardware here */
    cr_assert_eq(rc, 0, "%s: %s", vt->name, err.message);
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
      sp_work w = {.difficulty = 1, .rule = (sp_rule)BAD[i]};
      memset(w.block_and_hotkey_hash, 0x5a, 32);
      int found = 0;
      sp_solution_sink sink = {.found = on_found, .user = &found};
      uint64_t scanned = 0;
      sp_error_clear(&err);
      rc = vt->scan(b, &w, (sp_nonce_range){0, 256}, &sink, NULL, NULL,
                    &scanned, &err);
      cr_expect_eq(rc, -SP_EINVAL, "%s, rule %d: %d", vt->name, BAD[i], rc);
      cr_expect_eq(found, 0, "%s, rule %d", vt->name, BAD[i]);
      cr_expect_not_null(strstr(err.message, "rule"), "%s: %s", vt->name,
                         err.message);
    }
    vt->close(b);
  }
}
