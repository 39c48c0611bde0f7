/* The difficulty: its packed form in the SDK and the three rules of
 * docs/protocol.md section 2, computed literally with a 320-bit product. */
#include "reference.h"

#include "common/runtime_era.h"

#include <string.h>

void sp_registration_diff_pack(uint64_t difficulty, uint32_t packed[2]) {
  packed[0] = (uint32_t)(difficulty >> 32);
  packed[1] = (uint32_t)(difficulty & 0xffffffffu);
}

uint64_t sp_registration_diff_unpack(const uint32_t packed[2]) {
  return (uint64_t)packed[0] << 32 | packed[1];
}

const char *sp_rule_name(sp_rule rule) {
  switch (rule) {
  case SP_RULE_SDK: return "sdk";
  case SP_RULE_CHAIN_BE: return "chain-be";
  case SP_RULE_CHAIN_LE: return "chain-le";
  }
  return NULL;
}

int sp_rule_check(sp_rule rule) {
  return sp_rule_name(rule) != NULL ? 0 : -SP_EINVAL;
}

int sp_rule_parse(const char *name, sp_rule *rule) {
  static const sp_rule all[] = {SP_RULE_SDK, SP_RULE_CHAIN_BE,
                                SP_RULE_CHAIN_LE};
  if (name == NULL) return -SP_EINVAL;
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
    if (strcmp(name, sp_rule_name(all[i])) == 0) {
      *rule = all[i];
      return 0;
    }
  }
  return -SP_EINVAL;
}

sp_rule sp_rule_for_spec_version(uint32_t spec_version) {
  /* The switch (spec 283) is a row of the runtime eras table. */
  return sp_runtime_era_of(spec_version)->seal_little_endian ? SP_RULE_CHAIN_LE
                                                             : SP_RULE_CHAIN_BE;
}

void sp_seal_value(const uint8_t seal[32], sp_rule rule, uint8_t value[32]) {
  for (int i = 0; i < 32; i++)
    value[i] = rule == SP_RULE_CHAIN_LE ? seal[31 - i] : seal[i];
}

bool sp_seal_meets_difficulty(const uint8_t seal[32], uint64_t difficulty,
                              sp_rule rule) {
  if (sp_rule_check(rule) != 0) return false; /* met by no seal */
  uint8_t x[32];
  sp_seal_value(seal, rule, x);
  /* product = x * d, as 40 big-endian bytes, schoolbook one byte at a time */
  uint8_t product[40];
  unsigned __int128 carry = 0;
  for (int i = 31; i >= 0; i--) {
    carry += (unsigned __int128)x[i] * difficulty;
    product[i + 8] = (uint8_t)carry;
    carry >>= 8;
  }
  for (int i = 7; i >= 0; i--) {
    product[i] = (uint8_t)carry;
    carry >>= 8;
  }
  bool overflow = false; /* product >= 2^256 */
  for (int i = 0; i < 8; i++)
    overflow |= product[i] != 0;
  if (overflow) return false;
  bool all_ones = true; /* product == 2^256 - 1 */
  for (int i = 8; i < 40; i++)
    all_ones &= product[i] == 0xff;
  return rule == SP_RULE_SDK ? !all_ones : true;
}

/* floor(n / d) for a 256-bit big-endian n and a non-zero u64 d. */
static void div256(const uint8_t n[32], uint64_t d, uint8_t q[32]) {
  unsigned __int128 rem = 0;
  for (int i = 0; i < 32; i++) {
    rem = rem << 8 | n[i];
    q[i] = (uint8_t)(rem / d);
    rem %= d;
  }
}

void sp_difficulty_threshold(uint64_t difficulty, sp_rule rule,
                             uint8_t threshold[32]) {
  uint8_t limit[32];
  memset(limit, 0xff, sizeof limit);
  if (rule == SP_RULE_SDK) limit[31] = 0xfe; /* strict: x * d <= 2^256 - 2 */
  if (difficulty == 0) {
    memset(threshold, 0xff, 32); /* x * 0 = 0 passes for every x */
    return;
  }
  div256(limit, difficulty, threshold);
}
