/* The Keccak stage with AVX-512: 8 digests in the 64-bit lanes of a zmm
 * register (keccak_lanes.h), vpternlogq for chi and the three-input XORs of
 * theta, vprolq for the rotations, and an unsigned compare into a mask for
 * the reject test. Needs AVX-512 F and BW (the byte swap). */
#include <immintrin.h>

#include "optimized/seal_kernels.h"

#define V __m512i
#define V_XOR(a, b) _mm512_xor_si512(a, b)
#define V_XOR3(a, b, c) _mm512_ternarylogic_epi64(a, b, c, 0x96)
#define V_XOR5(a, b, c, d, e) V_XOR3(V_XOR3(a, b, c), d, e)
#define V_ROL(x, n) _mm512_rol_epi64(x, n)
#define V_CHI(a, b, c) _mm512_ternarylogic_epi64(a, b, c, 0xd2)
#define V_CONST(u) _mm512_set1_epi64((long long)(u))
#define KECCAK_XOR3 1
#include "optimized/keccak_lanes.h"

static const int8_t bswap64_bytes[64] = {
    7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8,
    7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8,
    7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8,
    7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8};

uint32_t sp_keccak_stage_avx512(const sp_seal_prep *p,
                                const sp_digest_batch *in) {
  const __m512i threshold = _mm512_set1_epi64((long long)p->threshold_top);
  uint32_t mask = 0;
  for (int g = 0; g < SP_SEAL_BATCH; g += 8) {
    __m512i d0 = _mm512_load_si512(&in->lane[0][g]);
    __m512i d1 = _mm512_load_si512(&in->lane[1][g]);
    __m512i d2 = _mm512_load_si512(&in->lane[2][g]);
    __m512i d3 = _mm512_load_si512(&in->lane[3][g]);
    /* Big-endian rules read the seal's first 8 bytes as the top; chain-le
     * reads the last 8 bytes little-endian (docs/protocol.md section 2). */
    __m512i top = keccak_top(d0, d1, d2, d3, p->top_is_lane3);
    if (!p->top_is_lane3)
      top = _mm512_shuffle_epi8(top, _mm512_loadu_si512(bswap64_bytes));
    mask |= (uint32_t)_mm512_cmple_epu64_mask(top, threshold) << g;
  }
  return mask;
}
