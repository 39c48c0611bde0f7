/*
 * subpow reference: the Subtensor proof of work, as specified, in plain C.
 *
 * Every function here is the C form of a function the Bittensor SDK documents
 * (bittensor/utils/registration.py) or of a check the Subtensor pallet makes
 * (pallets/subtensor/src/subnets/registration.rs). Speed does not matter in
 * this library: it is the yardstick every other backend is measured against,
 * so each function does the obvious thing. Facts and their sources are in
 * docs/protocol.md.
 *
 * Conventions: functions that can fail return 0 on success and a negative
 * SP_E* code on failure; they never print and never exit.
 */
#ifndef SUBPOW_REFERENCE_H
#define SUBPOW_REFERENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Error codes (returned negated) and sp_strerror: the one code space of
 * every subpow library. */
#include "common/error.h"

/* ---------------------------------------------------------------- hex ---- */

/* sp_hex_decode (strict, the SDK's `_hex_bytes_to_u8_list`) and
 * sp_hex_encode, from the bottom layer that every library shares. */
#include "common/hex.h"

/* ------------------------------------------------------ difficulty ---- */

/*
 * The SDK keeps the u64 difficulty in two u32 slots of a shared array, high
 * word first (`_registration_diff_pack` / `_registration_diff_unpack`).
 * unpack(pack(d)) == d for every u64 d.
 */
void sp_registration_diff_pack(uint64_t difficulty, uint32_t packed[2]);
uint64_t sp_registration_diff_unpack(const uint32_t packed[2]);

/* The three "meets difficulty" rules of docs/protocol.md section 2. */
typedef enum sp_rule {
  SP_RULE_SDK = 0, /* SDK/btcli: big-endian(seal) * d <  2^256 - 1 */
  SP_RULE_CHAIN_BE =
      1, /* chain, spec < 283: big-endian(seal) * d <= 2^256 - 1 */
  SP_RULE_CHAIN_LE =
      2, /* chain, spec >= 283: little-endian(seal) * d <= 2^256 - 1 */
} sp_rule;

/* "sdk", "chain-be", "chain-le"; NULL for an invalid rule. */
const char *sp_rule_name(sp_rule rule);

/*
 * The rule contract, the one check of it: 0 for the three rules above,
 * -SP_EINVAL for any other value. Every path that solves refuses an
 * invalid rule through it: sp_solve_for_nonce_block, every backend's scan
 * (sp_work_check in backend/backend.h), and sp_seal_meets_difficulty,
 * under which an invalid rule is met by no seal.
 */
int sp_rule_check(sp_rule rule);

/* Parses a rule name; returns 0 and sets *rule, or -SP_EINVAL. */
int sp_rule_parse(const char *name, sp_rule *rule);

/*
 * The rule the chain applies at a runtime spec_version: chain-be below 283,
 * chain-le from 283 on (subtensor commit aedad2e8e reached spec 283); the
 * switch is a row of the runtime eras table (common/runtime_era.h).
 */
sp_rule sp_rule_for_spec_version(uint32_t spec_version);

/*
 * True when `seal` meets `difficulty` under `rule`. Computed literally: the
 * seal as a 256-bit integer (byte order per rule) times the difficulty as a
 * 320-bit product, compared with 2^256 - 1. Defined for every u64 difficulty:
 * d = 0 accepts every seal under every rule. False for an invalid rule
 * (sp_rule_check).
 */
bool sp_seal_meets_difficulty(const uint8_t seal[32], uint64_t difficulty,
                              sp_rule rule);

/*
 * The largest 256-bit value x (big-endian bytes in `threshold`) such that
 * x * difficulty still passes `rule`: floor((2^256 - 1) / d) for the chain
 * rules, floor((2^256 - 2) / d) for the SDK rule; 2^256 - 1 when d = 0.
 * A seal passes iff its value under the rule's byte order is <= threshold.
 * This is the form fast kernels use; the reference test checks that the two
 * forms agree.
 */
void sp_difficulty_threshold(uint64_t difficulty, sp_rule rule,
                             uint8_t threshold[32]);

/* The seal read as a 256-bit integer under `rule`, as big-endian bytes. */
void sp_seal_value(const uint8_t seal[32], sp_rule rule, uint8_t value[32]);

/* ---------------------------------------------------------- hashes ---- */

/* SHA-256 through OpenSSL's EVP interface. Returns 0 or -SP_ECRYPTO. */
int sp_sha256(const uint8_t *data, size_t len, uint8_t out[32]);

/*
 * A Keccak sponge with rate 136 bytes (capacity 512) over Nettle's
 * sha3_permute, with the given domain padding byte: 0x01 is the original
 * Keccak-256 that Subtensor uses, 0x06 is FIPS-202 SHA3-256.
 */
void sp_keccak256_sponge(const uint8_t *data, size_t len, uint8_t pad,
                         uint8_t out[32]);

/* Keccak-256 (padding 0x01), as in the SDK's `keccak.new(digest_bits=256)`. */
void sp_keccak256(const uint8_t *data, size_t len, uint8_t out[32]);

/* Keccak-f[1600] (Nettle's permutation) on a 200-byte state whose lanes
 * are little-endian 64-bit words (FIPS 202 section B.1): the byte view
 * that sponges and duplexes (chain/keys/strobe.c) work in. Its temporary
 * copy of the state is wiped. */
void sp_keccak_f1600(uint8_t state[200]);

/* ------------------------------------------------------------ seal ---- */

/* `hash_block_with_hotkey`: Keccak-256(block_hash[32] || hotkey_pubkey[32]). */
void sp_hash_block_with_hotkey(const uint8_t block_hash[32],
                               const uint8_t hotkey[32], uint8_t out[32]);

/*
 * `create_seal_hash`: Keccak-256(SHA-256(nonce as 8 bytes little-endian ||
 * block_and_hotkey_hash)). Returns 0 or -SP_ECRYPTO.
 */
int sp_create_seal_hash(const uint8_t block_and_hotkey_hash[32], uint64_t nonce,
                        uint8_t seal[32]);

/* -------------------------------------------------------- solving ---- */

/*
 * The nonces of one scan: [start, start + count) clipped at 2^64 - 1.
 * A range never wraps around: when start + count would pass 2^64 the scan
 * stops after nonce 2^64 - 1 and `scanned` says how many were done. This is
 * what the chain allows (nonce is a u64) and keeps "no nonce twice" true.
 */
typedef struct sp_nonce_range {
  uint64_t start;
  uint64_t count;
} sp_nonce_range;

/* The number of nonces of `range` that exist: min(count, 2^64 - start). */
uint64_t sp_nonce_range_length(sp_nonce_range range);

/* Called for each solution found, in ascending nonce order. Return true to
 * keep scanning, false to stop. */
typedef bool (*sp_solution_fn)(void *user, uint64_t nonce,
                               const uint8_t seal[32]);

/*
 * `solve_for_nonce_block`: scans the range in ascending order and reports
 * solutions to `on_solution` (which may be NULL); with `all` false it stops
 * after the first. Stores the number of nonces hashed in *scanned (may be
 * NULL) and returns the number of solutions reported, or a negative error
 * (-SP_EINVAL for an invalid rule: sp_rule_check).
 */
int64_t sp_solve_for_nonce_block(const uint8_t block_and_hotkey_hash[32],
                                 uint64_t difficulty, sp_rule rule,
                                 sp_nonce_range range, bool all,
                                 sp_solution_fn on_solution, void *user,
                                 uint64_t *scanned);

/* ----------------------------------------------------- POWSolution ---- */

/* `POWSolution` of the SDK. */
typedef struct sp_pow_solution {
  uint64_t nonce;
  uint64_t block_number;
  uint64_t difficulty;
  uint8_t seal[32];
} sp_pow_solution;

/*
 * The SDK's `POWSolution.is_stale`: block_number < current_block - 3.
 * This is looser than the chain, which (pallet check 7) wants
 * current - b < 3 where `current` is the block that executes the extrinsic,
 * at the earliest best + 1. A solution the SDK calls fresh at b = best - 3,
 * best - 2 is already refused with InvalidWorkBlock.
 */
bool sp_pow_solution_is_stale_sdk(const sp_pow_solution *s,
                                  uint64_t current_block);

/*
 * The chain's submit window: true while an extrinsic sent now can still be
 * included, i.e. b <= best and (best + 1) - b < 3. A solution for a block the
 * node has not seen (b > best) is also refused.
 */
bool sp_pow_solution_in_submit_window(const sp_pow_solution *s,
                                      uint64_t best_block);

/* ------------------------------------------------------------ host ---- */

/*
 * `get_cpu_count`: the CPUs this process may run on (its affinity mask), not
 * the machine's total. At least 1.
 */
int sp_get_cpu_count(void);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_REFERENCE_H */
