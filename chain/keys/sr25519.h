/*
 * sr25519: schnorrkel 0.11 Schnorr signatures over ristretto255, as
 * Substrate (sp-core sr25519) uses them. Facts from w3f/schnorrkel
 * (src/keys.rs, src/sign.rs, src/context.rs, src/scalars.rs):
 *
 * - A 32-byte mini secret (what wallets call secretSeed) expands in
 *   ExpansionMode::Ed25519, as Substrate does: h = SHA-512(mini);
 *   key = h[0..32] clamped (&= 248, [31] &= 63, [31] |= 64) then divided by
 *   the cofactor 8 as a 256-bit integer, which leaves it below the group
 *   order; nonce = h[32..64].
 * - The 64-byte secret key (SecretKey::to_bytes, btwallet's privateKey) is
 *   key (canonical little-endian scalar) || nonce.
 * - The public key is key * B, ristretto-compressed.
 * - Signing context "substrate": transcript "SigningContext", append("",
 *   ctx), append("sign-bytes", msg); then proto-name "Schnorr-sig",
 *   "sign:pk", witness r from the transcript RNG keyed with the nonce and 32
 *   fresh random bytes, R = rB, "sign:R", k = challenge "sign:c" (64 bytes
 *   reduced), s = k * key + r. Signature = R || s with bit 7 of byte 63 set
 *   (schnorrkel's marker that tells it from ed25519).
 *
 * Signatures are randomized: two signatures of one message differ.
 */
#ifndef SUBPOW_CHAIN_KEYS_SR25519_H
#define SUBPOW_CHAIN_KEYS_SR25519_H

#include <stddef.h>
#include <stdint.h>

/* The signing context of every Substrate sr25519 signature. */
#define SP_SR25519_SUBSTRATE_CONTEXT "substrate"

/*
 * Expands a mini secret (Ed25519 mode) into the 64-byte secret key
 * (key || nonce) and its public key. Returns 0 or -SP_ECRYPTO.
 */
int sp_sr25519_from_mini_secret(const uint8_t mini[32], uint8_t secret[64],
                                uint8_t public_key[32]);

/*
 * Checks a 64-byte secret key (SecretKey::from_bytes: the scalar must be
 * canonical, i.e. below the group order, and not zero) and derives its public
 * key. Returns 0, -SP_EBAD_SECRET or -SP_ECRYPTO.
 */
int sp_sr25519_public_from_secret(const uint8_t secret[64],
                                  uint8_t public_key[32]);

/*
 * Signs `msg` under signing context `ctx` (SP_SR25519_SUBSTRATE_CONTEXT for
 * Substrate) with `secret` whose public key is `public_key`; the witness gets
 * 32 fresh bytes from libsodium's randombytes. Returns 0, -SP_EBAD_SECRET or
 * -SP_ECRYPTO.
 */
int sp_sr25519_sign(const uint8_t secret[64], const uint8_t public_key[32],
                    const char *ctx, const uint8_t *msg, size_t len,
                    uint8_t sig[64]);

/*
 * As sp_sr25519_sign with the witness randomness given: for tests that need
 * a reproducible signature. Never pass fixed bytes in real use (a repeated
 * witness with the same nonce and message is still safe in schnorrkel, but
 * the randomness is there as a second line of defence).
 */
int sp_sr25519_sign_with_randomness(const uint8_t secret[64],
                                    const uint8_t public_key[32],
                                    const char *ctx, const uint8_t *msg,
                                    size_t len, const uint8_t random[32],
                                    uint8_t sig[64]);

/*
 * Verifies `sig` on `msg` under `ctx` by `public_key`. Returns 0 when it
 * verifies; -SP_EBAD_SIGNATURE when it does not (including a signature
 * without schnorrkel's marker bit or with a non-canonical s);
 * -SP_EBAD_PUBLIC when `public_key` is not a valid ristretto point.
 */
int sp_sr25519_verify(const uint8_t public_key[32], const char *ctx,
                      const uint8_t *msg, size_t len, const uint8_t sig[64]);

#endif /* SUBPOW_CHAIN_KEYS_SR25519_H */
