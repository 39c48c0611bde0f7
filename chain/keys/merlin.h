/*
 * Merlin transcripts (merlin 3.0, "Merlin v1.0" protocol): the Fiat-Shamir
 * transcripts schnorrkel signs with. Facts from dalek-cryptography/merlin
 * src/transcript.rs: append_message is meta-AD(label) meta-AD(LE32(len),
 * more) AD(message); challenge_bytes is meta-AD(label) meta-AD(LE32(len),
 * more) PRF; the transcript RNG is a clone rekeyed with witness bytes
 * (meta-AD(label) meta-AD(LE32(len), more) KEY(witness)), then with 32
 * external random bytes (meta-AD("rng") KEY(random)), then read with
 * meta-AD(LE32(len)) PRF.
 */
#ifndef SUBPOW_CHAIN_KEYS_MERLIN_H
#define SUBPOW_CHAIN_KEYS_MERLIN_H

#include <stddef.h>
#include <stdint.h>

#include "chain/keys/strobe.h"

typedef struct sp_merlin {
  sp_strobe strobe;
} sp_merlin;

/* Labels are NUL-terminated strings (they are program constants). */
void sp_merlin_init(sp_merlin *t, const char *label);
void sp_merlin_append(sp_merlin *t, const char *label, const uint8_t *msg,
                      size_t len);
void sp_merlin_challenge(sp_merlin *t, const char *label, uint8_t *out,
                         size_t len);

/*
 * The transcript RNG: fills `out` with bytes bound to the transcript (which
 * is not changed), to each witness in `witness`/`witness_len` (count `n`,
 * each rekeyed under `label`) and to the 32 bytes of `random`.
 */
void sp_merlin_witness_bytes(const sp_merlin *t, const char *label,
                             const uint8_t *const *witness,
                             const size_t *witness_len, size_t n,
                             const uint8_t random[32], uint8_t *out,
                             size_t len);

/* Zeroes the transcript. */
void sp_merlin_wipe(sp_merlin *t);

#endif /* SUBPOW_CHAIN_KEYS_MERLIN_H */
