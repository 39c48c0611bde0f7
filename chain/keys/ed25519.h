/*
 * Ed25519 (RFC 8032) through OpenSSL's EVP interface, as Substrate's
 * sp-core ed25519 uses it: the 32-byte secret seed is the RFC 8032 private
 * key (Substrate derives it from a phrase exactly as the sr25519 mini secret),
 * signatures are the plain 64-byte R || S over the message.
 */
#ifndef SUBPOW_CHAIN_KEYS_ED25519_H
#define SUBPOW_CHAIN_KEYS_ED25519_H

#include <stddef.h>
#include <stdint.h>

/* The public key of `seed`. Returns 0 or -SP_ECRYPTO. */
int sp_ed25519_public_from_seed(const uint8_t seed[32], uint8_t public_key[32]);

/* Signs `msg` (deterministic, RFC 8032). Returns 0 or -SP_ECRYPTO. */
int sp_ed25519_sign(const uint8_t seed[32], const uint8_t *msg, size_t len,
                    uint8_t sig[64]);

/*
 * Returns 0 when `sig` is a valid signature of `msg` by `public_key`,
 * -SP_EBAD_SIGNATURE when it is not, -SP_EBAD_PUBLIC when OpenSSL does not
 * take `public_key` as a key.
 */
int sp_ed25519_verify(const uint8_t public_key[32], const uint8_t *msg,
                      size_t len, const uint8_t sig[64]);

#endif /* SUBPOW_CHAIN_KEYS_ED25519_H */
