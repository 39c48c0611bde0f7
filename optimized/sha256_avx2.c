/* The SHA-256 stage with AVX2: 8 nonces in the 32-bit lanes of a ymm
 * register (sha256_lanes.h), two groups a batch. For x86-64 CPUs with AVX2
 * but neither SHA-NI nor AVX-512 (Haswell to Comet Lake). */
#include <immintrin.h>

#include "optimized/seal_kernels.h"

#define V __m256i
#define V_ADD(a, b) _mm256_add_epi32(a, b)
#define V_BCAST(u) _mm256_set1_epi32((int)(u))
#define V_ROR(x, n)                                                            \
  _mm256_or_si256(_mm256_srli_epi32(x, n), _mm256_slli_epi32(x, 32 - (n)))
#define V_SHR(x, n) _mm256_srli_epi32(x, n)
#define V_XOR3(a, b, c) _mm256_xor_si256(_mm256_xor_si256(a, b), c)
#define V_CH(e, f, g)                                                          \
  _mm256_xor_si256(_mm256_and_si256(_mm256_xor_si256(f, g), e), g)
#define V_MAJ(a, b, c)                                                         \
  _mm256_or_si256(_mm256_and_si256(a, b),                                      \
                  _mm256_and_si256(c, _mm256_or_si256(a, b)))
#include "optimized/sha256_lanes.h"

static const int8_t bswap32_bytes[32] = {
    3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12,
    3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12};

void sp_sha256_stage_avx2(const sp_seal_prep *p, uint64_t first,
                          sp_digest_batch *out) {
  const __m256i bswap = _mm256_loadu_si256((const __m256i *)bswap32_bytes);
  for (int g = 0; g < SP_SEAL_BATCH; g += 8) {
    uint32_t lo[8], hi[8];
    for (int i = 0; i < 8; i++) {
      uint64_t nonce = first + (uint64_t)(g + i);
      lo[i] = __builtin_bswap32((uint32_t)nonce);
      hi[i] = __builtin_bswap32((uint32_t)(nonce >> 32));
    }
    __m256i h[8];
    sha256_lanes(p, _mm256_loadu_si256((const __m256i *)lo),
                 _mm256_loadu_si256((const __m256i *)hi), h);
    for (int j = 0; j < 4; j++) {
      /* Lane j of a digest: bswap(h[2j]) low, bswap(h[2j+1]) high. */
      __m256i even = _mm256_shuffle_epi8(h[2 * j], bswap);
      __m256i odd = _mm256_shuffle_epi8(h[2 * j + 1], bswap);
      __m256i a = _mm256_unpacklo_epi32(even, odd); /* nonces 0 1 | 4 5 */
      __m256i b = _mm256_unpackhi_epi32(even, odd); /* nonces 2 3 | 6 7 */
      _mm256_store_si256((__m256i *)&out->lane[j][g],
                         _mm256_permute2x128_si256(a, b, 0x20));
      _mm256_store_si256((__m256i *)&out->lane[j][g + 4],
                         _mm256_permute2x128_si256(a, b, 0x31));
    }
  }
}
