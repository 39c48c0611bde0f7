/*
 * The seal kernels of the optimized CPU backend, behind one interface in the
 * manner of BLAKE3's per-ISA files: every SHA-256 stage has the signature of
 * sp_sha256_stage_fn and every Keccak stage that of sp_keccak_stage_fn, and a
 * kernel path (what `--isa` names) is one of each. dispatch.c knows which
 * paths this CPU can run; the backend and the tests only use this header.
 *
 * One batch is SP_SEAL_BATCH consecutive nonces. The SHA-256 stage hashes
 * the 40-byte pre-seal of each (one 64-byte block: see sp_seal_prep) and
 * leaves each digest as the four 64-bit Keccak input lanes it becomes. The
 * Keccak stage runs Keccak-f[1600] on those lanes and returns a bit mask of
 * the candidates: nonces whose seal's top 64 bits under the rule are at most
 * the threshold's top 64 bits. Only candidates can meet the difficulty; the
 * backend checks them exactly (sp_seal_meets_difficulty).
 */
#ifndef SUBPOW_OPTIMIZED_SEAL_KERNELS_H
#define SUBPOW_OPTIMIZED_SEAL_KERNELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/seal_schedule.h"
#include "reference/reference.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Nonces per batch: two 8-lane AVX-512 Keccak groups, one 16-lane AVX-512
 * SHA-256 group, four 4-nonce SHA-NI groups. */
#define SP_SEAL_BATCH 16

/*
 * Everything about a piece of work that the kernels may fold in, computed
 * once per scan by sp_seal_prep_init. The pre-seal block is 16 big-endian
 * words: 0 and 1 the nonce (little-endian bytes), 2..9 the
 * block_and_hotkey_hash, 10 the padding bit 0x80000000, 11..14 zero, 15 the
 * length in bits, 320 (FIPS 180-4 section 5.1.1). Only words 0 and 1 change
 * with the nonce.
 */
typedef struct sp_seal_prep {
  uint32_t w[16]; /* the block's words; w[0] = w[1] = 0 */
  /* For rounds t = 2..15: K[t] + W[t]. For t = 16..31: the part of
   * K[t] + W[t] that does not depend on W[0], W[1] (sum of the constant terms
   * of the schedule, see sha256_lanes.h), and wc[t] the same without K[t].
   * For t = 32..63: K[t]. kw[0], kw[1] are K[0], K[1]. */
  uint32_t kw[64];
  uint32_t wc[32];
  /* The state after round 0 is IV except a = r0_a + W[0], e = r0_e + W[0]. */
  uint32_t r0_a, r0_e;
  /* SHA-NI: K + W for message blocks 1..3 (words 4..15), and sha256msg1 of
   * blocks (1, 2) and (2, 3), all constant. Laid out as __m128i. */
  _Alignas(16) uint32_t ni_kw[3][4];
  _Alignas(16) uint32_t ni_msg1[2][4];
  /* The reject test. */
  uint64_t threshold_top; /* top 64 bits of sp_difficulty_threshold */
  bool top_is_lane3;      /* chain-le: lane 3; else byte-swapped lane 0 */
  /* The work itself, for the exact test of candidates. */
  uint8_t block_and_hotkey_hash[32];
  uint64_t difficulty;
  sp_rule rule;
} sp_seal_prep;

/* SHA-256's initial hash value and round constants: sp_sha256_iv and
 * sp_sha256_k of backend/seal_schedule.h. */

/* Fills *p for a piece of work. */
void sp_seal_prep_init(sp_seal_prep *p, const uint8_t block_and_hotkey_hash[32],
                       uint64_t difficulty, sp_rule rule);

/* The Keccak input of a batch: lane[j][i] is bytes 8j..8j+7 of the SHA-256
 * digest of nonce first + i, read little-endian (FIPS 202 lane order). */
typedef struct sp_digest_batch {
  _Alignas(64) uint64_t lane[4][SP_SEAL_BATCH];
} sp_digest_batch;

/* Hashes the pre-seals of nonces first, first + 1, ... (mod 2^64) of one
 * batch into *out. */
typedef void sp_sha256_stage_fn(const sp_seal_prep *p, uint64_t first,
                                sp_digest_batch *out);

/* Keccak-256 of each digest of the batch; bit i of the result is set when
 * nonce i is a candidate (its seal's top 64 bits <= p->threshold_top). */
typedef uint32_t sp_keccak_stage_fn(const sp_seal_prep *p,
                                    const sp_digest_batch *in);

/* The stages, one file each. Only the portable ones exist on every CPU
 * architecture; the others are compiled on x86-64 only (SP_CPU_X86), and not
 * at all with SP_PORTABLE_ONLY (CMake option SUBPOW_CPU_PORTABLE_ONLY, which
 * builds here what other architectures get). */
sp_sha256_stage_fn sp_sha256_stage_portable;
sp_keccak_stage_fn sp_keccak_stage_portable;
#if (defined(__x86_64__) || defined(_M_X64)) && !defined(SP_PORTABLE_ONLY)
#define SP_CPU_X86 1
sp_sha256_stage_fn sp_sha256_stage_shani;  /* SHA-NI, SSE4.1 */
sp_sha256_stage_fn sp_sha256_stage_avx2;   /* 8 lanes of 32 bits */
sp_sha256_stage_fn sp_sha256_stage_avx512; /* 16 lanes; F, BW */
sp_keccak_stage_fn sp_keccak_stage_avx2;   /* 4 lanes of 64 bits */
sp_keccak_stage_fn sp_keccak_stage_avx512; /* 8 lanes; F, BW */
#else
#define SP_CPU_X86 0
#endif

/* Keccak-256 of one 32-byte message given as its four lanes: the full seal,
 * for candidates and tests (portable C). */
void sp_keccak_seal_portable(const uint64_t lanes[4], uint8_t seal[32]);

/* A kernel path: what `--isa NAME` selects. */
typedef struct sp_seal_path {
  const char *name; /* "portable", "avx512+shani", ... */
  sp_sha256_stage_fn *sha256;
  sp_keccak_stage_fn *keccak;
} sp_seal_path;

/* The paths this CPU can run, fastest first (see dispatch.c for the order
 * and the reason); the last one is always "portable". */
size_t sp_seal_paths_supported(const sp_seal_path *const **paths);

/* The path called `name` among all paths known to this build, or NULL.
 * *supported says whether this CPU can run it. */
const sp_seal_path *sp_seal_path_find(const char *name, bool *supported);

/* Every path name known to this build, comma-separated, for messages. */
const char *sp_seal_path_names(void);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_OPTIMIZED_SEAL_KERNELS_H */
