/* The seal kernels of the cpu backend, stage by stage, against the
 * reference library: every SHA-256 and Keccak stage this CPU can run, on
 * seeded random inputs, with the reject test probed at its exact edge. */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <inttypes.h>
#include <string.h>

#ifndef SUBPOW_HAVE_CPU
Test(cpu_kernels, not_built) {
  cr_skip_test("the cpu backend is not built (no hwloc)");
}
#else
#include "optimized/cpu_backend.h"
#include "optimized/seal_kernels.h"

static uint64_t splitmix64(uint64_t *s) {
  uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/* The top 64 bits of a seal under a rule, straight from the reference's
 * reading of the seal as a number. */
static uint64_t seal_top(const uint8_t seal[32], sp_rule rule) {
  uint8_t v[32];
  sp_seal_value(seal, rule, v);
  uint64_t t = 0;
  for (int i = 0; i < 8; i++)
    t = t << 8 | v[i];
  return t;
}

static void lanes_to_bytes(const sp_digest_batch *b, int i, uint8_t out[32]) {
  for (int j = 0; j < 4; j++)
    for (int k = 0; k < 8; k++)
      out[8 * j + k] = (uint8_t)(b->lane[j][i] >> (8 * k));
}

/* First nonces of a batch: ordinary, across 2^32 and other 32-bit
 * boundaries inside the batch, and wrapping past 2^64 - 1. */
static uint64_t draw_first(uint64_t *s, unsigned i) {
  switch (i % 4) {
  case 0: return splitmix64(s);
  case 1: return (1ull << 32) - 1 - splitmix64(s) % SP_SEAL_BATCH;
  case 2:
    return ((splitmix64(s) | 1) << 32) - 1 - splitmix64(s) % SP_SEAL_BATCH;
  default: return UINT64_MAX - splitmix64(s) % SP_SEAL_BATCH;
  }
}

Test(cpu_kernels, every_sha256_stage_matches_openssl) {
  const sp_seal_path *const *paths;
  size_t n = sp_seal_paths_supported(&paths);
  cr_assert_geq(n, 1);
  for (size_t k = 0; k < n; k++) {
    const uint64_t seed = 0x5eed0001;
    uint64_t s = seed;
    for (unsigned c = 0; c < 200; c++) {
      sp_seal_prep p;
      uint8_t bahh[32];
      for (int i = 0; i < 32; i++)
        bahh[i] = (uint8_t)splitmix64(&s);
      sp_seal_prep_init(&p, bahh, 1, SP_RULE_SDK);
      uint64_t first = draw_first(&s, c);
      sp_digest_batch out;
      memset(&out, 0xa5, sizeof out);
      paths[k]->sha256(&p, first, &out);
      for (int i = 0; i < SP_SEAL_BATCH; i++) {
        uint64_t nonce = first + (uint64_t)i;
        uint8_t pre[40], want[32], got[32];
        for (int b = 0; b < 8; b++)
          pre[b] = (uint8_t)(nonce >> (8 * b));
        memcpy(pre + 8, bahh, 32);
        cr_assert_eq(sp_sha256(pre, sizeof pre, want), 0);
        lanes_to_bytes(&out, i, got);
        cr_assert_eq(memcmp(got, want, 32), 0,
                     "path %s: SHA-256 of nonce %" PRIu64
                     " differs (seed=%#" PRIx64 " case=%u lane %d)",
                     paths[k]->name, nonce, seed, c, i);
      }
    }
  }
}

Test(cpu_kernels, every_keccak_stage_cuts_exactly_at_the_threshold) {
  const sp_seal_path *const *paths;
  size_t n = sp_seal_paths_supported(&paths);
  for (size_t k = 0; k < n; k++) {
    const uint64_t seed = 0x5eed0002;
    uint64_t s = seed;
    for (unsigned c = 0; c < 60; c++) {
      sp_rule rule = (sp_rule)(c % 3);
      sp_digest_batch in;
      uint64_t top[SP_SEAL_BATCH];
      for (int i = 0; i < SP_SEAL_BATCH; i++) {
        for (int j = 0; j < 4; j++)
          in.lane[j][i] = splitmix64(&s);
        uint8_t msg[32], seal[32];
        lanes_to_bytes(&in, i, msg);
        sp_keccak256(msg, 32, seal);
        top[i] = seal_top(seal, rule);
      }
      sp_seal_prep p;
      uint8_t bahh[32] = {0};
      sp_seal_prep_init(&p, bahh, 1000, rule);
      for (int i = 0; i < SP_SEAL_BATCH; i++) {
        /* At threshold top[i] nonce i is a candidate, at top[i] - 1 not;
         * every other bit must agree with its own top. */
        for (int edge = 0; edge < 2; edge++) {
          if (edge == 1 && top[i] == 0) continue;
          p.threshold_top = top[i] - (uint64_t)edge;
          uint32_t mask = paths[k]->keccak(&p, &in);
          for (int m = 0; m < SP_SEAL_BATCH; m++) {
            bool want = top[m] <= p.threshold_top;
            cr_assert_eq((mask >> m) & 1, want,
                         "path %s rule %s: lane %d top %#" PRIx64
                         " threshold %#" PRIx64 " (seed=%#" PRIx64 " case=%u)",
                         paths[k]->name, sp_rule_name(rule), m, top[m],
                         p.threshold_top, seed, c);
          }
        }
      }
      p.threshold_top = UINT64_MAX;
      cr_assert_eq(paths[k]->keccak(&p, &in), (1u << SP_SEAL_BATCH) - 1,
                   "path %s: threshold 2^64 - 1 must pass every nonce",
                   paths[k]->name);
    }
  }
}

Test(cpu_kernels, the_candidate_seal_is_keccak256) {
  uint64_t s = 0x5eed0003;
  for (int c = 0; c < 2000; c++) {
    uint64_t lanes[4];
    for (int j = 0; j < 4; j++)
      lanes[j] = splitmix64(&s);
    uint8_t msg[32], want[32], got[32];
    for (int j = 0; j < 4; j++)
      for (int b = 0; b < 8; b++)
        msg[8 * j + b] = (uint8_t)(lanes[j] >> (8 * b));
    sp_keccak256(msg, 32, want);
    sp_keccak_seal_portable(lanes, got);
    cr_assert_eq(memcmp(got, want, 32), 0, "case %d (seed=0x5eed0003)", c);
  }
}

Test(cpu_kernels, prep_threshold_top_is_the_threshold_s_top) {
  static const uint64_t ds[] = {0,  1,    2,     3,       5,
                                17, 1000, 65537, 1000000, UINT64_MAX};
  for (size_t i = 0; i < sizeof ds / sizeof ds[0]; i++)
    for (int r = 0; r < 3; r++) {
      uint8_t t[32] = {0}, bahh[32] = {0};
      sp_difficulty_threshold(ds[i], (sp_rule)r, t);
      sp_seal_prep p;
      sp_seal_prep_init(&p, bahh, ds[i], (sp_rule)r);
      uint64_t want = 0;
      for (int b = 0; b < 8; b++)
        want = want << 8 | t[b];
      cr_assert_eq(p.threshold_top, want, "difficulty %" PRIu64 " rule %d",
                   ds[i], r);
      cr_assert_eq(p.top_is_lane3, r == SP_RULE_CHAIN_LE);
    }
}

Test(cpu_kernels, isa_list_is_the_supported_paths_best_first) {
  const char *const *names;
  size_t n = sp_cpu_isa_list(&names);
  const sp_seal_path *const *paths;
  cr_assert_eq(sp_seal_paths_supported(&paths), n);
  cr_assert_geq(n, 1);
  cr_assert_str_eq(names[n - 1], "portable");
  cr_assert_str_eq(sp_cpu_isa_best(), names[0]);
  for (size_t i = 0; i < n; i++) {
    bool supported = false;
    cr_assert_eq(sp_seal_path_find(names[i], &supported), paths[i]);
    cr_assert(supported, "%s", names[i]);
    cr_log_info("this CPU runs kernel path %s", names[i]);
  }
  bool supported = true;
  cr_assert_null(sp_seal_path_find("avx1024", &supported));
  cr_assert_not(supported);
  cr_assert_null(sp_seal_path_find(NULL, &supported));
}
#endif
