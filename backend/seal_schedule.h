/*
 * The host-side preparation every seal kernel shares: the SHA-256 pre-seal
 * block of a piece of work and its message schedule with everything that
 * does not depend on the nonce folded into constants. The CPU backend
 * (optimized/seal_prep.c: the 64-bit nonce varies, words 0 and 1) and the
 * CUDA backend (cuda/seal_kernel.cu: one launch shares the nonce's high
 * word, so only word 0 varies) fold the same way from here.
 *
 * The pre-seal is one 64-byte block of 16 big-endian words: 0 and 1 the
 * nonce's little-endian bytes, 2..9 the block_and_hotkey_hash, 10 the
 * padding bit 0x80000000, 11..14 zero, 15 the length in bits, 320 (FIPS
 * 180-4 section 5.1.1). The schedule is W[t] = s1(W[t-2]) + W[t-7] +
 * s0(W[t-15]) + W[t-16] for t = 16..63 (section 6.2.2).
 */
#ifndef SUBPOW_BACKEND_SEAL_SCHEDULE_H
#define SUBPOW_BACKEND_SEAL_SCHEDULE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* FIPS 180-4's K and IV (sha256_constants.h). */
extern const uint32_t sp_sha256_k[64];
extern const uint32_t sp_sha256_iv[8];

/* The pre-seal block of `block_and_hotkey_hash` with words 0 and 1 (the
 * nonce) zero. */
void sp_preseal_block(const uint8_t block_and_hotkey_hash[32], uint32_t w[16]);

typedef struct sp_sha256_folded {
  uint64_t varies; /* bit t: W[t] depends on a varying word */
  uint32_t w[64];  /* W[t] where it is constant, else 0 */
  /* Where W[t] varies (t >= 16): the sum of the recurrence's terms on
   * constant words, which a kernel adds to the varying terms; else 0. */
  uint32_t part[64];
} sp_sha256_folded;

/* Folds the schedule of `block` (varying words read as 0) where the words
 * of `varying_words` (bit i: word i, i < 16) vary. */
void sp_sha256_fold(const uint32_t block[16], uint16_t varying_words,
                    sp_sha256_folded *out);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_BACKEND_SEAL_SCHEDULE_H */
