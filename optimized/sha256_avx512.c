/* The SHA-256 stage with AVX-512: 16 nonces in the 32-bit lanes of a zmm
 * register (sha256_lanes.h), with vpternlogd for the three-input functions
 * and vprord for the rotations. Needs AVX-512 F and BW (byte shuffles). */
#include <immintrin.h>

#include "optimized/seal_kernels.h"

#define V __m512i
#define V_ADD(a, b) _mm512_add_epi32(a, b)
#define V_BCAST(u) _mm512_set1_epi32((int)(u))
#define V_ROR(x, n) _mm512_ror_epi32(x, n)
#define V_SHR(x, n) _mm512_srli_epi32(x, n)
#define V_XOR3(a, b, c) _mm512_ternarylogic_epi32(a, b, c, 0x96)
#define V_CH(e, f, g) _mm512_ternarylogic_epi32(e, f, g, 0xca)
#define V_MAJ(a, b, c) _mm512_ternarylogic_epi32(a, b, c, 0xe8)
#include "optimized/sha256_lanes.h"

static const int32_t even_dwords[16] = {0,  2,  4,  6,  8,  10, 12, 14,
                                        16, 18, 20, 22, 24, 26, 28, 30};
static const int32_t odd_dwords[16] = {1,  3,  5,  7,  9,  11, 13, 15,
                                       17, 19, 21, 23, 25, 27, 29, 31};
/* Lanes i of two vectors side by side: (a[i], b[i]) for i = 0..7, 8..15. */
static const int32_t zip_low[16] = {0, 16, 1, 17, 2, 18, 3, 19,
                                    4, 20, 5, 21, 6, 22, 7, 23};
static const int32_t zip_high[16] = {8,  24, 9,  25, 10, 26, 11, 27,
                                     12, 28, 13, 29, 14, 30, 15, 31};
static const int8_t bswap32_bytes[64] = {
    3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12,
    3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12,
    3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12,
    3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12};

void sp_sha256_stage_avx512(const sp_seal_prep *p, uint64_t first,
                            sp_digest_batch *out) {
  const __m512i bswap = _mm512_loadu_si512(bswap32_bytes);
  __m512i base = _mm512_set1_epi64((long long)first);
  __m512i n0 = _mm512_add_epi64(base, _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0));
  __m512i n1 =
      _mm512_add_epi64(base, _mm512_set_epi64(15, 14, 13, 12, 11, 10, 9, 8));
  /* Word 0 is the nonce's low half, word 1 its high half, both as
   * big-endian reads of little-endian bytes. */
  __m512i lo =
      _mm512_permutex2var_epi32(n0, _mm512_loadu_si512(even_dwords), n1);
  __m512i hi =
      _mm512_permutex2var_epi32(n0, _mm512_loadu_si512(odd_dwords), n1);
  __m512i h[8];
  sha256_lanes(p, _mm512_shuffle_epi8(lo, bswap),
               _mm512_shuffle_epi8(hi, bswap), h);
  const __m512i zl = _mm512_loadu_si512(zip_low),
                zh = _mm512_loadu_si512(zip_high);
  for (int j = 0; j < 4; j++) {
    /* Lane j of a digest: bswap(h[2j]) low, bswap(h[2j+1]) high. */
    __m512i even = _mm512_shuffle_epi8(h[2 * j], bswap);
    __m512i odd = _mm512_shuffle_epi8(h[2 * j + 1], bswap);
    _mm512_store_si512(&out->lane[j][0],
                       _mm512_permutex2var_epi32(even, zl, odd));
    _mm512_store_si512(&out->lane[j][8],
                       _mm512_permutex2var_epi32(even, zh, odd));
  }
}
