/* The SHA-256 stage with the SHA extensions (SHA-NI): each sha256rnds2 does
 * two rounds of one message, and its latency is the bottleneck of a single
 * message, so SHANI_STREAMS independent nonces are interleaved. The message
 * blocks 1..3 (words 4..15) are constant: their K + W and the two
 * sha256msg1 results on them come from sp_seal_prep. The instruction
 * sequence follows Intel's "New Instructions Supporting the Secure Hash
 * Algorithm on Intel Architecture Processors" (2013). Needs SHA and SSE4.1.
 * These instructions have no VEX form, so only xmm0..15 exist here: with 4
 * streams some message words live in memory. */
#include <immintrin.h>

#include "optimized/seal_kernels.h"

#ifndef SHANI_STREAMS
#define SHANI_STREAMS 4 /* 1, 2 and 8 measured slower: results/cpu.md */
#endif
#define S SHANI_STREAMS

static inline __m128i load4(const uint32_t *w) {
  return _mm_loadu_si128((const __m128i *)w);
}

static inline __attribute__((always_inline)) void
shani_streams(const sp_seal_prep *p, uint64_t first, sp_digest_batch *out,
              int base) {
  const __m128i abef_iv =
      _mm_set_epi32((int)sp_sha256_iv[0], (int)sp_sha256_iv[1],
                    (int)sp_sha256_iv[4], (int)sp_sha256_iv[5]);
  const __m128i cdgh_iv =
      _mm_set_epi32((int)sp_sha256_iv[2], (int)sp_sha256_iv[3],
                    (int)sp_sha256_iv[6], (int)sp_sha256_iv[7]);
  __m128i abef[S], cdgh[S], m[S][4];
#pragma GCC unroll 8
  for (int s = 0; s < S; s++) {
    uint64_t nonce = first + (uint64_t)(base + s);
    /* Words 0 and 1: the nonce's little-endian bytes read big-endian. */
    uint64_t w01 = (uint64_t)__builtin_bswap32((uint32_t)(nonce >> 32)) << 32 |
                   __builtin_bswap32((uint32_t)nonce);
    m[s][0] = _mm_set_epi64x((long long)((uint64_t)p->w[3] << 32 | p->w[2]),
                             (long long)w01);
    m[s][1] = load4(p->w + 4);
    m[s][2] = load4(p->w + 8);
    m[s][3] = load4(p->w + 12);
    abef[s] = abef_iv;
    cdgh[s] = cdgh_iv;
  }
#pragma GCC unroll 16
  for (int g = 0; g < 16; g++) {
#pragma GCC unroll 8
    for (int s = 0; s < S; s++) {
      __m128i msg =
          g >= 1 && g <= 3
              ? load4(p->ni_kw[g - 1])
              : _mm_add_epi32(m[s][g % 4], load4(sp_sha256_k + 4 * g));
      cdgh[s] = _mm_sha256rnds2_epu32(cdgh[s], abef[s], msg);
      if (g >= 3 && g <= 14) {
        /* Block g + 1 of the schedule. */
        __m128i tmp = _mm_alignr_epi8(m[s][g % 4], m[s][(g + 3) % 4], 4);
        m[s][(g + 1) % 4] = _mm_sha256msg2_epu32(
            _mm_add_epi32(m[s][(g + 1) % 4], tmp), m[s][g % 4]);
      }
      abef[s] =
          _mm_sha256rnds2_epu32(abef[s], cdgh[s], _mm_shuffle_epi32(msg, 0x0e));
      if (g == 2) { /* sha256msg1 of blocks 1, 2 and of 2, 3 are constant */
        m[s][1] = load4(p->ni_msg1[0]);
      } else if (g == 3) {
        m[s][2] = load4(p->ni_msg1[1]);
      } else if (g >= 1 && g <= 12) {
        m[s][(g + 3) % 4] =
            _mm_sha256msg1_epu32(m[s][(g + 3) % 4], m[s][g % 4]);
      }
    }
  }
  /* A full byte reversal turns ABEF into the digest's bytes 0..7 (low
   * qword, lane 0) and 16..23 (lane 2), and CDGH into lanes 1 and 3. */
  const __m128i reverse =
      _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
#pragma GCC unroll 8
  for (int s = 0; s < S; s++) {
    __m128i x = _mm_shuffle_epi8(_mm_add_epi32(abef[s], abef_iv), reverse);
    __m128i y = _mm_shuffle_epi8(_mm_add_epi32(cdgh[s], cdgh_iv), reverse);
    out->lane[0][base + s] = (uint64_t)_mm_cvtsi128_si64(x);
    out->lane[2][base + s] = (uint64_t)_mm_extract_epi64(x, 1);
    out->lane[1][base + s] = (uint64_t)_mm_cvtsi128_si64(y);
    out->lane[3][base + s] = (uint64_t)_mm_extract_epi64(y, 1);
  }
}

void sp_sha256_stage_shani(const sp_seal_prep *p, uint64_t first,
                           sp_digest_batch *out) {
  for (int base = 0; base < SP_SEAL_BATCH; base += S)
    shani_streams(p, first, out, base);
}
