/* Folding a piece of work into constants for the kernels (seal_kernels.h). */
#include "optimized/seal_kernels.h"

#include <string.h>

#include "backend/seal_schedule.h"

static uint32_t ror(uint32_t x, int n) { return x >> n | x << (32 - n); }
static uint32_t s0(uint32_t x) { return ror(x, 7) ^ ror(x, 18) ^ x >> 3; }

void sp_seal_prep_init(sp_seal_prep *p, const uint8_t block_and_hotkey_hash[32],
                       uint64_t difficulty, sp_rule rule) {
  memset(p, 0, sizeof *p);
  /* The 64-bit nonce varies: words 0 and 1. Every W[t] for t >= 16 then
   * varies too, and from t = 32 on no constant term is left to fold
   * (sha256_lanes.h makes the same split). */
  sp_preseal_block(block_and_hotkey_hash, p->w);
  sp_sha256_folded f;
  sp_sha256_fold(p->w, 0x3, &f);
  for (int t = 0; t < 64; t++)
    p->kw[t] = sp_sha256_k[t] + (f.varies >> t & 1 ? f.part[t] : f.w[t]);
  for (int t = 16; t < 32; t++)
    p->wc[t] = f.part[t];

  const uint32_t *h = sp_sha256_iv;
  uint32_t big_s1 = ror(h[4], 6) ^ ror(h[4], 11) ^ ror(h[4], 25);
  uint32_t ch = (h[4] & h[5]) ^ (~h[4] & h[6]);
  uint32_t big_s0 = ror(h[0], 2) ^ ror(h[0], 13) ^ ror(h[0], 22);
  uint32_t maj = (h[0] & h[1]) ^ (h[0] & h[2]) ^ (h[1] & h[2]);
  uint32_t t1 = h[7] + big_s1 + ch + sp_sha256_k[0]; /* + W[0] */
  p->r0_a = t1 + big_s0 + maj;
  p->r0_e = h[3] + t1;

  for (int b = 1; b < 4; b++)
    for (int k = 0; k < 4; k++)
      p->ni_kw[b - 1][k] = sp_sha256_k[4 * b + k] + p->w[4 * b + k];
  for (int m = 0; m < 2; m++)
    for (int k = 0; k < 4; k++) {
      int t = 4 * (m + 1) + k;
      p->ni_msg1[m][k] = p->w[t] + s0(p->w[t + 1]);
    }

  uint8_t threshold[32];
  sp_difficulty_threshold(difficulty, rule, threshold);
  p->threshold_top = 0;
  for (int i = 0; i < 8; i++)
    p->threshold_top = p->threshold_top << 8 | threshold[i];
  p->top_is_lane3 = rule == SP_RULE_CHAIN_LE;
  memcpy(p->block_and_hotkey_hash, block_and_hotkey_hash, 32);
  p->difficulty = difficulty;
  p->rule = rule;
}
