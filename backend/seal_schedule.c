/* The pre-seal block and its folded schedule; see seal_schedule.h. */
#include "backend/seal_schedule.h"

#include <stdbool.h>
#include <string.h>

#include "backend/sha256_constants.h"

const uint32_t sp_sha256_k[64] = SP_SHA256_K_INIT;
const uint32_t sp_sha256_iv[8] = SP_SHA256_IV_INIT;

static uint32_t ror(uint32_t x, int n) { return x >> n | x << (32 - n); }
static uint32_t s0(uint32_t x) { return ror(x, 7) ^ ror(x, 18) ^ x >> 3; }
static uint32_t s1(uint32_t x) { return ror(x, 17) ^ ror(x, 19) ^ x >> 10; }

void sp_preseal_block(const uint8_t block_and_hotkey_hash[32], uint32_t w[16]) {
  memset(w, 0, 16 * sizeof *w);
  for (int i = 0; i < 8; i++) {
    const uint8_t *b = block_and_hotkey_hash + 4 * i;
    w[2 + i] = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
               (uint32_t)b[2] << 8 | b[3];
  }
  w[10] = 0x80000000u;
  w[15] = 40 * 8;
}

void sp_sha256_fold(const uint32_t block[16], uint16_t varying_words,
                    sp_sha256_folded *out) {
  memset(out, 0, sizeof *out);
  out->varies = varying_words;
  for (int t = 0; t < 16; t++)
    if (!(varying_words >> t & 1)) out->w[t] = block[t];
  for (int t = 16; t < 64; t++) {
    const int src[4] = {t - 2, t - 7, t - 15, t - 16};
    bool constant = true;
    uint32_t part = 0;
    for (int k = 0; k < 4; k++) {
      int s = src[k];
      if (out->varies >> s & 1) {
        constant = false;
        continue;
      }
      part += k == 0 ? s1(out->w[s]) : k == 2 ? s0(out->w[s]) : out->w[s];
    }
    if (constant) {
      out->w[t] = part;
    } else {
      out->varies |= UINT64_C(1) << t;
      out->part[t] = part;
    }
  }
}
