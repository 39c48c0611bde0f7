/*
 * A key of either scheme, with what a wallet file can hold about it, and
 * the sp_signer over it.
 *
 * sr25519 (every btcli/btwallet key): `secret` is the 64-byte schnorrkel
 * SecretKey::to_bytes (scalar || nonce), `mini` the 32-byte mini secret
 * (secretSeed) when known. ed25519: `mini` is the 32-byte RFC 8032 seed (the
 * same mini secret a phrase gives) and `secret` holds seed || public key
 * (the 64-byte form of libsodium and polkadot-js).
 *
 * Holds secrets: wipe with sp_keypair_wipe (sodium_memzero) after use.
 */
#ifndef SUBPOW_CHAIN_KEYS_KEYPAIR_H
#define SUBPOW_CHAIN_KEYS_KEYPAIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chain/keys/bip39.h"
#include "chain/keys/signer.h"

typedef struct sp_keypair {
  int scheme; /* sp_signer_scheme */
  uint8_t public_key[32];
  bool has_secret; /* secret[] is set: the key can sign */
  bool has_mini;   /* mini[] is set (sr25519 mini secret / ed25519 seed) */
  bool has_phrase; /* phrase[] is set */
  uint8_t secret[64];
  uint8_t mini[32];
  char phrase[SP_BIP39_PHRASE_MAX];
} sp_keypair;

/* "sr25519" / "ed25519"; NULL for anything else. */
const char *sp_scheme_name(int scheme);
/* Parses "sr25519" or "ed25519"; returns 0 or -SP_EINVAL. */
int sp_scheme_parse(const char *name, int *scheme);

/* From a 32-byte mini secret / seed. Returns 0, -SP_EINVAL (bad scheme) or
 * -SP_ECRYPTO. */
int sp_keypair_from_mini_secret(int scheme, const uint8_t mini[32],
                                sp_keypair *kp);

/*
 * From a BIP-39 phrase (mini secret the Substrate way, with an empty BIP-39
 * password as wallets use); keeps the phrase in normalized form (single
 * spaces). Returns 0 or an error of sp_bip39_phrase_to_entropy.
 */
int sp_keypair_from_phrase(int scheme, const sp_bip39_wordlist *wl,
                           const char *phrase, sp_keypair *kp);

/*
 * From the 64-byte private key: sr25519 SecretKey::to_bytes (scalar must be
 * canonical), ed25519 seed || public (the public half must match the seed).
 * Returns 0, -SP_EBAD_SECRET or -SP_ECRYPTO.
 */
int sp_keypair_from_private_key(int scheme, const uint8_t secret[64],
                                sp_keypair *kp);

/* A key that can only verify (a coldkeypub). sr25519 keys must be ristretto
 * points: -SP_EBAD_PUBLIC otherwise. */
int sp_keypair_from_public(int scheme, const uint8_t public_key[32],
                           sp_keypair *kp);

/* Signs `msg` the way Substrate does (sr25519 with context "substrate",
 * randomized; ed25519 plain). Returns 0, -SP_EINVAL for a key without a
 * secret, or an error of the scheme. */
int sp_keypair_sign(const sp_keypair *kp, const uint8_t *msg, size_t len,
                    uint8_t sig[64]);

/* Verifies a Substrate signature of either scheme: 0 valid,
 * -SP_EBAD_SIGNATURE invalid, -SP_EBAD_PUBLIC / -SP_EINVAL for a bad key or
 * scheme. */
int sp_signature_verify(int scheme, const uint8_t public_key[32],
                        const uint8_t *msg, size_t len, const uint8_t sig[64]);

/* The key's SS58 address under `prefix` (42 for Subtensor). */
int sp_keypair_ss58(const sp_keypair *kp, uint16_t prefix, char *out,
                    size_t cap);

/*
 * Fills `signer` with the key's public key, scheme and a sign function that
 * signs with `kp`; `kp` must stay alive and unchanged while the signer is
 * used. Returns 0 or -SP_EINVAL when `kp` has no secret.
 */
int sp_keypair_signer(const sp_keypair *kp, sp_signer *signer);

/* Zeroes everything (sodium_memzero). */
void sp_keypair_wipe(sp_keypair *kp);

#endif /* SUBPOW_CHAIN_KEYS_KEYPAIR_H */
