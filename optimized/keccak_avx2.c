/* The Keccak stage with AVX2: 4 digests in the 64-bit lanes of a ymm
 * register (keccak_lanes.h), four groups a batch. AVX2 has no rotate: a
 * rotation is two shifts and an OR, except by 8 and 56 (a byte shuffle). */
#include <immintrin.h>

#include "optimized/seal_kernels.h"

static const int8_t rol8_bytes[32] = {7,  0,  1,  2,  3,  4,  5,  6,  15, 8, 9,
                                      10, 11, 12, 13, 14, 7,  0,  1,  2,  3, 4,
                                      5,  6,  15, 8,  9,  10, 11, 12, 13, 14};
static const int8_t rol56_bytes[32] = {
    1, 2, 3, 4, 5, 6, 7, 0, 9, 10, 11, 12, 13, 14, 15, 8,
    1, 2, 3, 4, 5, 6, 7, 0, 9, 10, 11, 12, 13, 14, 15, 8};

static inline __attribute__((always_inline)) __m256i rol64(__m256i x, int n) {
  if (n == 8)
    return _mm256_shuffle_epi8(x,
                               _mm256_loadu_si256((const __m256i *)rol8_bytes));
  if (n == 56)
    return _mm256_shuffle_epi8(
        x, _mm256_loadu_si256((const __m256i *)rol56_bytes));
  return _mm256_or_si256(_mm256_slli_epi64(x, n), _mm256_srli_epi64(x, 64 - n));
}

#define V __m256i
#define V_XOR(a, b) _mm256_xor_si256(a, b)
#define V_XOR5(a, b, c, d, e) V_XOR(V_XOR(V_XOR(a, b), V_XOR(c, d)), e)
#define V_ROL(x, n) rol64(x, n)
#define V_CHI(a, b, c) _mm256_xor_si256(a, _mm256_andnot_si256(b, c))
#define V_CONST(u) _mm256_set1_epi64x((long long)(u))
#define KECCAK_XOR3 0
#include "optimized/keccak_lanes.h"

uint32_t sp_keccak_stage_avx2(const sp_seal_prep *p,
                              const sp_digest_batch *in) {
  uint32_t mask = 0;
  for (int g = 0; g < SP_SEAL_BATCH; g += 4) {
    __m256i d0 = _mm256_load_si256((const __m256i *)&in->lane[0][g]);
    __m256i d1 = _mm256_load_si256((const __m256i *)&in->lane[1][g]);
    __m256i d2 = _mm256_load_si256((const __m256i *)&in->lane[2][g]);
    __m256i d3 = _mm256_load_si256((const __m256i *)&in->lane[3][g]);
    _Alignas(32) uint64_t top[4];
    _mm256_store_si256((__m256i *)top,
                       keccak_top(d0, d1, d2, d3, p->top_is_lane3));
    for (int i = 0; i < 4; i++) {
      /* Big-endian rules: the seal's first 8 bytes; chain-le: lane 3. */
      uint64_t t = p->top_is_lane3 ? top[i] : __builtin_bswap64(top[i]);
      mask |= (uint32_t)(t <= p->threshold_top) << (g + i);
    }
  }
  return mask;
}
