/* Folding a piece of work into constants for the kernels (seal_kernels.h). */
#include "optimized/seal_kernels.h"

#include <string.h>

const uint32_t sp_sha256_iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                  0xa54ff53a, 0x510e527f, 0x9b05688c,
                                  0x1f83d9ab, 0x5be0cd19};

const uint32_t sp_sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static uint32_t ror(uint32_t x, int n) { return x >> n | x << (32 - n); }
static uint32_t s0(uint32_t x) { return ror(x, 7) ^ ror(x, 18) ^ x >> 3; }
static uint32_t s1(uint32_t x) { return ror(x, 17) ^ ror(x, 19) ^ x >> 10; }

/* Words 2..15 of the block are the same for every nonce. */
static bool is_constant_word(int i) { return i >= 2 && i <= 15; }

void sp_seal_prep_init(sp_seal_prep *p, const uint8_t block_and_hotkey_hash[32],
                       uint64_t difficulty, sp_rule rule) {
  memset(p, 0, sizeof *p);
  for (int i = 0; i < 8; i++) {
    const uint8_t *b = block_and_hotkey_hash + 4 * i;
    p->w[2 + i] = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
                  (uint32_t)b[2] << 8 | b[3];
  }
  p->w[10] = 0x80000000u;
  p->w[15] = 40 * 8;
  for (int t = 0; t < 16; t++)
    p->kw[t] = sp_sha256_k[t] + p->w[t];
  /* The schedule W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16]: the
   * terms on constant words are summed here, the others stay in the kernel
   * (sha256_lanes.h makes the same split). W[t] for t >= 16 is never
   * constant, so from t = 32 on nothing is left to fold. */
  for (int t = 16; t < 32; t++) {
    uint32_t c = 0;
    if (is_constant_word(t - 2)) c += s1(p->w[t - 2]);
    if (is_constant_word(t - 7)) c += p->w[t - 7];
    if (is_constant_word(t - 15)) c += s0(p->w[t - 15]);
    if (is_constant_word(t - 16)) c += p->w[t - 16];
    p->wc[t] = c;
    p->kw[t] = sp_sha256_k[t] + c;
  }
  for (int t = 32; t < 64; t++)
    p->kw[t] = sp_sha256_k[t];

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
