/* Verification of the reference and of every backend; see verify.h. */
#include "verify/verify.h"

#include "common/clock.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where the checks of one run go: the failure callback and the counts of
 * the older interface, and the suite of a typed report (case by case). */
typedef struct ctx {
  sp_verify_fail_fn fail;
  void *user;
  sp_verify_result *r;
  sp_verify_suite *suite; /* NULL: no report */
  size_t case_at;         /* index of the open case + 1 (0: none) */
  double t0;              /* when the open case began */
} ctx;

static void end_case(ctx *x) {
  if (x->suite == NULL || x->case_at == 0) return;
  double t = sp_monotonic_seconds() - x->t0;
  x->suite->cases[x->case_at - 1].seconds = t;
  x->suite->seconds += t;
  x->case_at = 0;
}

/* Closes the open case and opens `name` (the checks after it count there). */
static void begin_case(ctx *x, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void begin_case(ctx *x, const char *fmt, ...) {
  if (x->suite == NULL) return;
  end_case(x);
  char name[96];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(name, sizeof name, fmt, ap);
  va_end(ap);
  if (sp_verify_suite_add_case(x->suite, name) == NULL) return;
  x->case_at = x->suite->n_cases;
  x->t0 = sp_monotonic_seconds();
}

static void report(ctx *x, bool ok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void report(ctx *x, bool ok, const char *fmt, ...) {
  sp_verify_case *c =
      x->suite != NULL && x->case_at ? &x->suite->cases[x->case_at - 1] : NULL;
  if (ok) {
    if (x->r != NULL) x->r->passed++;
    if (c != NULL) sp_verify_case_check(c, true, NULL);
    return;
  }
  if (x->r != NULL) x->r->failed++;
  char line[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (c != NULL) sp_verify_case_check(c, false, line);
  if (x->fail != NULL) x->fail(x->user, line);
}

static void check_library(ctx *x, const sp_vectors *v) {
  uint8_t out[32];
  begin_case(x, "hashes.json");
  for (size_t i = 0; i < v->n_hashes; i++) {
    const sp_hash_vector *h = &v->hashes[i];
    sp_keccak256(h->input, h->input_len, out);
    report(x, memcmp(out, h->keccak256, 32) == 0,
           "library: hashes.json case %zu: keccak256 of %zu bytes differs", i,
           h->input_len);
    sp_keccak256_sponge(h->input, h->input_len, 0x06, out);
    report(x, memcmp(out, h->sha3_256, 32) == 0,
           "library: hashes.json case %zu: sponge with SHA-3 padding differs",
           i);
    bool ok = sp_sha256(h->input, h->input_len, out) == 0 &&
              memcmp(out, h->sha256, 32) == 0;
    report(x, ok, "library: hashes.json case %zu: sha256 differs", i);
  }
  begin_case(x, "difficulty.json");
  for (size_t i = 0; i < v->n_rules; i++) {
    const sp_rule_vector *rv = &v->rules[i];
    for (int k = 0; k < 3; k++) {
      sp_rule rule = (sp_rule)k;
      bool got = sp_seal_meets_difficulty(rv->seal, rv->difficulty, rule);
      uint8_t t[32], val[32];
      sp_difficulty_threshold(rv->difficulty, rule, t);
      sp_seal_value(rv->seal, rule, val);
      bool by_threshold = memcmp(val, t, 32) <= 0;
      report(x, got == rv->expect[k] && by_threshold == got,
             "library: difficulty.json case %zu rule %s difficulty %" PRIu64
             ": expected %s, product rule says %s, threshold says %s",
             i, sp_rule_name(rule), rv->difficulty,
             rv->expect[k] ? "meets" : "fails", got ? "meets" : "fails",
             by_threshold ? "meets" : "fails");
    }
  }
  begin_case(x, "seals.json");
  for (size_t i = 0; i < v->n_seals; i++) {
    const sp_seal_vector *s = &v->seals[i];
    uint8_t bahh[32];
    sp_hash_block_with_hotkey(s->block_hash, s->hotkey, bahh);
    report(x, memcmp(bahh, s->block_and_hotkey_hash, 32) == 0,
           "library: seals.json case %zu: hash_block_with_hotkey differs", i);
    bool ok =
        sp_create_seal_hash(s->block_and_hotkey_hash, s->nonce, out) == 0 &&
        memcmp(out, s->seal, 32) == 0;
    report(x, ok,
           "library: seals.json case %zu: create_seal_hash(nonce %" PRIu64
           ") differs",
           i, s->nonce);
  }
  end_case(x);
}

void sp_verify_library(const sp_vectors *v, sp_verify_fail_fn fail, void *user,
                       sp_verify_result *r) {
  ctx x = {.fail = fail, .user = user, .r = r};
  check_library(&x, v);
}

void sp_verify_library_suite(const sp_vectors *v, sp_verify_suite *s) {
  ctx x = {.suite = s};
  check_library(&x, v);
}

/* splitmix64: small, fast, and good enough to draw test cases. */
static uint64_t splitmix64(uint64_t *state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

void sp_random_case_draw(uint64_t seed, unsigned index, sp_random_case *c) {
  uint64_t st = seed ^ ((uint64_t)index * 0xd1b54a32d192ed03ull);
  memset(c, 0, sizeof *c);
  for (int i = 0; i < 4; i++) {
    uint64_t w = splitmix64(&st);
    memcpy(c->work.block_and_hotkey_hash + 8 * i, &w, 8);
  }
  c->work.rule = (sp_rule)(index % 3);
  /* Difficulties: the tiny ones where nearly every nonce solves, small ones,
   * and up to 10^6 where solutions are rare (then the check is mostly that
   * nothing false is reported). */
  switch (splitmix64(&st) % 6) {
  case 0: c->work.difficulty = 1 + splitmix64(&st) % 3; break;
  case 1:
  case 2: c->work.difficulty = 1 + splitmix64(&st) % 100; break;
  case 3:
  case 4: c->work.difficulty = 1 + splitmix64(&st) % 10000; break;
  default: c->work.difficulty = 1 + splitmix64(&st) % 1000000; break;
  }
  uint64_t count = 64 + splitmix64(&st) % 1500;
  c->range.count = count;
  switch (splitmix64(&st) % 4) {
  case 0: c->range.start = (1ull << 32) - 1 - splitmix64(&st) % count; break;
  case 1: c->range.start = UINT64_MAX - count + 1; break; /* ends at 2^64 - 1 */
  case 2: /* crosses another 2^32 boundary */
    c->range.start = ((1 + splitmix64(&st) % 0xfffffffeull) << 32) - 1 -
                     splitmix64(&st) % count;
    break;
  default: c->range.start = splitmix64(&st); break;
  }
}

static bool same_set(const sp_solution_list *got, const uint64_t *want,
                     size_t n_want, char *diff, size_t difflen) {
  size_t i = 0, j = 0;
  diff[0] = '\0';
  while (i < got->count || j < n_want) {
    if (j == n_want || (i < got->count && got->nonces[i] < want[j])) {
      snprintf(diff, difflen, "extra nonce %" PRIu64, got->nonces[i]);
      return false;
    }
    if (i == got->count || got->nonces[i] > want[j]) {
      snprintf(diff, difflen, "missing nonce %" PRIu64, want[j]);
      return false;
    }
    i++, j++;
  }
  return true;
}

static bool collect_ref(void *user, uint64_t nonce, const uint8_t seal[32]) {
  (void)seal;
  sp_solution_list *l = user;
  sp_solution_sink s = sp_solution_list_sink(l);
  s.found(s.user, nonce, seal);
  return true;
}

static int check_backend(ctx *x, const sp_backend_vtable *vt, sp_backend *b,
                         const sp_vectors *v, uint64_t seed,
                         unsigned random_cases, sp_error_record *err) {
  const char *name = vt->name;
  begin_case(x, "seals.json");
  for (size_t i = 0; i < v->n_seals; i++) {
    const sp_seal_vector *s = &v->seals[i];
    sp_work w = {.difficulty = 0, .rule = SP_RULE_CHAIN_LE};
    memcpy(w.block_and_hotkey_hash, s->block_and_hotkey_hash, 32);
    sp_solution_list got = {0};
    uint64_t scanned = 0;
    sp_nonce_range one = {.start = s->nonce, .count = 1};
    int rc = sp_backend_solve(vt, b, &w, one, true, 0, &got, &scanned, err);
    if (rc != 0) {
      sp_solution_list_free(&got);
      return rc;
    }
    bool ok = got.count == 1 && got.nonces[0] == s->nonce &&
              memcmp(got.seals[0], s->seal, 32) == 0 && scanned == 1;
    report(x, ok,
           "%s: seals.json case %zu: nonce %" PRIu64 ": wrong seal or count "
           "(%zu solutions, %" PRIu64 " scanned)",
           name, i, s->nonce, got.count, scanned);
    sp_solution_list_free(&got);
  }
  begin_case(x, "solutions.json");
  for (size_t i = 0; i < v->n_solutions; i++) {
    const sp_solution_vector *sv = &v->solutions[i];
    for (int k = 0; k < 3; k++) {
      sp_work w = {.difficulty = sv->difficulty, .rule = (sp_rule)k};
      memcpy(w.block_and_hotkey_hash, sv->block_and_hotkey_hash, 32);
      sp_solution_list got = {0};
      uint64_t scanned = 0;
      sp_nonce_range range = {.start = sv->start, .count = sv->count};
      int rc = sp_backend_solve(vt, b, &w, range, true, 0, &got, &scanned, err);
      if (rc != 0) {
        sp_solution_list_free(&got);
        return rc;
      }
      char diff[128];
      bool ok = same_set(&got, sv->solutions[k], sv->n_solutions[k], diff,
                         sizeof diff) &&
                scanned == sp_nonce_range_length(range);
      report(x, ok,
             "%s: solutions.json case %zu rule %s difficulty %" PRIu64
             " range [%" PRIu64 ", +%" PRIu64 "): %s (scanned %" PRIu64 ")",
             name, i, sp_rule_name((sp_rule)k), sv->difficulty, sv->start,
             sv->count, diff[0] ? diff : "count mismatch", scanned);
      sp_solution_list_free(&got);
    }
  }
  for (unsigned i = 0; i < random_cases; i++) {
    if (i % SP_VERIFY_RANDOM_BATCH == 0) {
      unsigned last = i + SP_VERIFY_RANDOM_BATCH - 1;
      if (last >= random_cases) last = random_cases - 1;
      begin_case(x, "random seed=%" PRIu64 " cases %u-%u", seed, i, last);
    }
    sp_random_case c;
    sp_random_case_draw(seed, i, &c);
    sp_solution_list want = {0}, got = {0};
    uint64_t scanned = 0;
    int64_t n = sp_solve_for_nonce_block(
        c.work.block_and_hotkey_hash, c.work.difficulty, c.work.rule, c.range,
        true, collect_ref, &want, NULL);
    int rc = n < 0 ? (int)n
                   : sp_backend_solve(vt, b, &c.work, c.range, true, 0, &got,
                                      &scanned, err);
    if (rc != 0 || want.oom) {
      if (rc == 0) rc = -SP_ENOMEM;
      if (n < 0 || want.oom) sp_error_fail(err, -rc, "reference failed");
      sp_solution_list_free(&want);
      sp_solution_list_free(&got);
      return rc;
    }
    char diff[128];
    bool ok = same_set(&got, want.nonces, want.count, diff, sizeof diff) &&
              scanned == sp_nonce_range_length(c.range);
    char hex[65];
    sp_hex_encode(c.work.block_and_hotkey_hash, 32, hex);
    report(x, ok,
           "%s: random seed=%" PRIu64 " case=%u: block_and_hotkey_hash %s "
           "difficulty %" PRIu64 " rule %s range [%" PRIu64 ", +%" PRIu64
           "): %s (scanned %" PRIu64 ")",
           name, seed, i, hex, c.work.difficulty, sp_rule_name(c.work.rule),
           c.range.start, c.range.count, diff[0] ? diff : "count mismatch",
           scanned);
    sp_solution_list_free(&want);
    sp_solution_list_free(&got);
  }
  end_case(x);
  return 0;
}

int sp_verify_backend(const sp_backend_vtable *vt, sp_backend *b,
                      const sp_vectors *v, uint64_t seed, unsigned random_cases,
                      sp_verify_fail_fn fail, void *user, sp_verify_result *r,
                      sp_error_record *err) {
  ctx x = {.fail = fail, .user = user, .r = r};
  return check_backend(&x, vt, b, v, seed, random_cases, err);
}

int sp_verify_backend_suite(const sp_backend_vtable *vt, sp_backend *b,
                            const sp_vectors *v, uint64_t seed,
                            unsigned random_cases, sp_verify_suite *s,
                            sp_error_record *err) {
  ctx x = {.suite = s};
  sp_error_record own = {0};
  if (err == NULL) err = &own;
  int rc = check_backend(&x, vt, b, v, seed, random_cases, err);
  if (rc != 0) {
    /* The error fails the case it happened in (or one of its own). */
    end_case(&x);
    sp_verify_case *c = s->n_cases ? &s->cases[s->n_cases - 1] : NULL;
    if (c == NULL) c = sp_verify_suite_add_case(s, "backend");
    char line[700];
    snprintf(line, sizeof line, "%s: backend error: %s", vt->name,
             err->message);
    if (c != NULL) sp_verify_case_check(c, false, line);
  }
  return rc;
}
