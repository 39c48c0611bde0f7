/* The SHA-256 stage in plain C, one nonce at a time (sha256_lanes.h with a
 * single 32-bit lane). Runs on any CPU; the yardstick for the SIMD stages. */
#include "optimized/seal_kernels.h"

#define V uint32_t
#define V_ADD(a, b) ((uint32_t)((a) + (b)))
#define V_BCAST(u) ((uint32_t)(u))
#define V_ROR(x, n) ((uint32_t)((x) >> (n) | (x) << (32 - (n))))
#define V_SHR(x, n) ((uint32_t)((x) >> (n)))
#define V_XOR3(a, b, c) ((a) ^ (b) ^ (c))
#define V_CH(e, f, g) ((((f) ^ (g)) & (e)) ^ (g))
#define V_MAJ(a, b, c) (((a) & (b)) | ((c) & ((a) | (b))))
#include "optimized/sha256_lanes.h"

static uint32_t bswap32(uint32_t x) { return __builtin_bswap32(x); }

void sp_sha256_stage_portable(const sp_seal_prep *p, uint64_t first,
                              sp_digest_batch *out) {
  for (int i = 0; i < SP_SEAL_BATCH; i++) {
    uint64_t nonce = first + (uint64_t)i;
    /* The nonce's little-endian bytes, read as big-endian words. */
    uint32_t h[8];
    sha256_lanes(p, bswap32((uint32_t)nonce), bswap32((uint32_t)(nonce >> 32)),
                 h);
    /* Digest bytes 8j..8j+7 are h[2j], h[2j+1] big-endian; read as a
     * little-endian lane that is bswap(h[2j]) in the low half. */
    for (int j = 0; j < 4; j++)
      out->lane[j][i] =
          (uint64_t)bswap32(h[2 * j + 1]) << 32 | bswap32(h[2 * j]);
  }
}
