/*
 * The part of Strobe-128 (v1.0.2) that Merlin transcripts use: meta-AD, AD,
 * PRF and KEY, over Keccak-f[1600] (Nettle's sha3_permute). Facts from
 * dalek-cryptography/merlin src/strobe.rs (security level 128, so the rate R
 * is 200 - 2 * 128 / 8 - 2 = 166 bytes) and the Strobe spec.
 *
 * `more` continues the previous operation (same flags) without a new
 * operation header, as Merlin does for a label followed by its length.
 * The state holds secrets once KEY has run: wipe it with sp_strobe_wipe.
 */
#ifndef SUBPOW_CHAIN_KEYS_STROBE_H
#define SUBPOW_CHAIN_KEYS_STROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sp_strobe {
  uint8_t state[200];
  uint8_t pos;
  uint8_t pos_begin;
  uint8_t cur_flags;
} sp_strobe;

/* Strobe-128 initialised and then meta-AD(protocol_label). */
void sp_strobe_init(sp_strobe *s, const uint8_t *label, size_t len);
void sp_strobe_meta_ad(sp_strobe *s, const uint8_t *data, size_t len,
                       bool more);
void sp_strobe_ad(sp_strobe *s, const uint8_t *data, size_t len, bool more);
/* Squeezes `len` bytes into `out`. */
void sp_strobe_prf(sp_strobe *s, uint8_t *out, size_t len, bool more);
/* Overwrites the state with key material. */
void sp_strobe_key(sp_strobe *s, const uint8_t *data, size_t len, bool more);
/* Zeroes the state (sodium_memzero). */
void sp_strobe_wipe(sp_strobe *s);

#endif /* SUBPOW_CHAIN_KEYS_STROBE_H */
