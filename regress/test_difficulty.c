/* The difficulty: packing, the three rules at their edges, and the threshold
 * form fast kernels use agreeing with the literal product. */
#include <criterion/criterion.h>
#include <string.h>

#include "reference/reference.h"

static uint64_t splitmix(uint64_t *s) {
  uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

Test(difficulty, pack_round_trips_high_word_first) {
  uint32_t p[2];
  sp_registration_diff_pack(0x0123456789abcdefull, p);
  cr_assert_eq(p[0], 0x01234567u);
  cr_assert_eq(p[1], 0x89abcdefu);
  const uint64_t edges[] = {0,
                            1,
                            0xffffffffull,
                            0x100000000ull,
                            UINT64_MAX,
                            UINT64_MAX - 1,
                            1ull << 63,
                            10000000};
  for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
    sp_registration_diff_pack(edges[i], p);
    cr_assert_eq(sp_registration_diff_unpack(p), edges[i]);
  }
  uint64_t seed = 42, st = seed;
  for (int i = 0; i < 100000; i++) {
    uint64_t d = splitmix(&st);
    sp_registration_diff_pack(d, p);
    cr_assert_eq(sp_registration_diff_unpack(p), d, "seed %lu i %d",
                 (unsigned long)seed, i);
  }
}

Test(difficulty, rule_names_parse_and_spec_versions) {
  sp_rule r;
  cr_assert_eq(sp_rule_parse("sdk", &r), 0);
  cr_assert_eq(r, SP_RULE_SDK);
  cr_assert_eq(sp_rule_parse("chain-be", &r), 0);
  cr_assert_eq(r, SP_RULE_CHAIN_BE);
  cr_assert_eq(sp_rule_parse("chain-le", &r), 0);
  cr_assert_eq(r, SP_RULE_CHAIN_LE);
  cr_assert_eq(sp_rule_parse("chain", &r), -SP_EINVAL);
  cr_assert_eq(sp_rule_parse("", &r), -SP_EINVAL);
  cr_assert_eq(sp_rule_parse(NULL, &r), -SP_EINVAL);
  cr_assert_eq(sp_rule_for_spec_version(282), SP_RULE_CHAIN_BE);
  cr_assert_eq(sp_rule_for_spec_version(283), SP_RULE_CHAIN_LE);
  cr_assert_eq(sp_rule_for_spec_version(397), SP_RULE_CHAIN_LE);
  cr_assert_null(sp_rule_name((sp_rule)7));
}

/* Big-endian value of floor((2^256 - 1) / d) computed by repeated
 * subtraction-free long division here (independent of the library's). */
static void max_over(uint64_t d, uint8_t q[32]) {
  unsigned __int128 rem = 0;
  for (int i = 0; i < 32; i++) {
    rem = rem << 8 | 0xff;
    q[i] = (uint8_t)(rem / d);
    rem %= d;
  }
}

static void reversed(const uint8_t in[32], uint8_t out[32]) {
  for (int i = 0; i < 32; i++)
    out[i] = in[31 - i];
}

Test(difficulty, product_exactly_max_splits_sdk_from_chain) {
  /* d divides 2^256 - 1: x = (2^256 - 1) / d gives the product exactly
   * 2^256 - 1, which the chain accepts and the SDK rejects. */
  const uint64_t divisors[] = {
      1, 3, 5, 15, 17, 257, 65537, 4294967297ull, UINT64_MAX};
  for (size_t i = 0; i < sizeof divisors / sizeof divisors[0]; i++) {
    uint64_t d = divisors[i];
    uint8_t x[32], le[32];
    max_over(d, x);
    cr_assert(sp_seal_meets_difficulty(x, d, SP_RULE_CHAIN_BE), "d=%lu",
              (unsigned long)d);
    cr_assert_not(sp_seal_meets_difficulty(x, d, SP_RULE_SDK), "d=%lu",
                  (unsigned long)d);
    reversed(x, le);
    cr_assert(sp_seal_meets_difficulty(le, d, SP_RULE_CHAIN_LE));
    /* one more overflows under every rule (for d = 1 there is no x + 1) */
    if (d == 1) continue;
    int k = 31;
    while (x[k] == 0xff)
      x[k--] = 0;
    x[k]++;
    cr_assert_not(sp_seal_meets_difficulty(x, d, SP_RULE_CHAIN_BE));
    reversed(x, le);
    cr_assert_not(sp_seal_meets_difficulty(le, d, SP_RULE_CHAIN_LE));
  }
}

Test(difficulty, zero_and_one) {
  uint8_t ones[32], zero[32] = {0};
  memset(ones, 0xff, 32);
  for (int r = 0; r < 3; r++) {
    cr_assert(sp_seal_meets_difficulty(ones, 0, (sp_rule)r));
    cr_assert(sp_seal_meets_difficulty(zero, 0, (sp_rule)r));
    cr_assert(sp_seal_meets_difficulty(zero, UINT64_MAX, (sp_rule)r));
  }
  /* d = 1: the SDK rejects only the seal 2^256 - 1; the chain rejects none */
  cr_assert_not(sp_seal_meets_difficulty(ones, 1, SP_RULE_SDK));
  cr_assert(sp_seal_meets_difficulty(ones, 1, SP_RULE_CHAIN_BE));
  cr_assert(sp_seal_meets_difficulty(ones, 1, SP_RULE_CHAIN_LE));
  ones[31] = 0xfe;
  cr_assert(sp_seal_meets_difficulty(ones, 1, SP_RULE_SDK));
}

Test(difficulty, byte_order_of_chain_le) {
  /* A seal whose first byte is 1 and the rest 0: tiny little-endian, huge
   * big-endian. At d = 2^8 the big-endian value 2^248 * 2^8 = 2^256
   * overflows, the little-endian value 1 * 2^8 does not. */
  uint8_t seal[32] = {1};
  cr_assert_not(sp_seal_meets_difficulty(seal, 256, SP_RULE_CHAIN_BE));
  cr_assert(sp_seal_meets_difficulty(seal, 256, SP_RULE_CHAIN_LE));
  cr_assert(sp_seal_meets_difficulty(seal, 255, SP_RULE_CHAIN_BE));
}

Test(difficulty, threshold_agrees_with_product_on_random_seals) {
  uint64_t seed = 2024, st = seed;
  for (int i = 0; i < 20000; i++) {
    uint8_t seal[32], t[32], x[32];
    for (int k = 0; k < 4; k++) {
      uint64_t w = splitmix(&st);
      memcpy(seal + 8 * k, &w, 8);
    }
    uint64_t d;
    switch (i % 4) {
    case 0: d = splitmix(&st); break;
    case 1: d = 1 + splitmix(&st) % 1000; break;
    case 2: d = splitmix(&st) >> (splitmix(&st) % 64); break;
    default: d = (uint64_t)i; break;
    }
    /* Bias toward the threshold: shift the seal's top so products land near
     * 2^256. */
    if (i % 2 == 0 && d > 0) {
      sp_difficulty_threshold(d, SP_RULE_CHAIN_BE, t);
      memcpy(seal, t, 24);
    }
    for (int r = 0; r < 3; r++) {
      sp_difficulty_threshold(d, (sp_rule)r, t);
      sp_seal_value(seal, (sp_rule)r, x);
      bool by_t = memcmp(x, t, 32) <= 0;
      cr_assert_eq(by_t, sp_seal_meets_difficulty(seal, d, (sp_rule)r),
                   "seed %lu case %d rule %d d %lu", (unsigned long)seed, i, r,
                   (unsigned long)d);
    }
  }
}
