/* The Keccak stage in plain 64-bit C, one digest at a time (keccak_lanes.h
 * with a single lane), and the full seal for candidates. */
#include "optimized/seal_kernels.h"

#define V uint64_t
#define V_XOR(a, b) ((a) ^ (b))
#define V_XOR5(a, b, c, d, e) ((a) ^ (b) ^ (c) ^ (d) ^ (e))
#define V_ROL(x, n) ((uint64_t)((x) << (n) | (x) >> (64 - (n))))
#define V_CHI(a, b, c) ((a) ^ (~(b) & (c)))
#define V_CONST(u) ((uint64_t)(u))
#define KECCAK_XOR3 0
#include "optimized/keccak_lanes.h"

uint32_t sp_keccak_stage_portable(const sp_seal_prep *p,
                                  const sp_digest_batch *in) {
  uint32_t mask = 0;
  for (int i = 0; i < SP_SEAL_BATCH; i++) {
    uint64_t d0 = in->lane[0][i], d1 = in->lane[1][i], d2 = in->lane[2][i],
             d3 = in->lane[3][i];
    /* Big-endian rules read the seal's first 8 bytes as the top; chain-le
     * reads the last 8 bytes little-endian (docs/protocol.md section 2). */
    uint64_t top = keccak_top(d0, d1, d2, d3, p->top_is_lane3);
    if (!p->top_is_lane3) top = __builtin_bswap64(top);
    mask |= (uint32_t)(top <= p->threshold_top) << i;
  }
  return mask;
}

void sp_keccak_seal_portable(const uint64_t lanes[4], uint8_t seal[32]) {
  uint64_t out[4];
  keccak_full(lanes[0], lanes[1], lanes[2], lanes[3], out);
  for (int j = 0; j < 4; j++)
    for (int b = 0; b < 8; b++)
      seal[8 * j + b] = (uint8_t)(out[j] >> (8 * b));
}
