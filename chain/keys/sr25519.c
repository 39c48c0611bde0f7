/* sr25519 over libsodium's ristretto255; see sr25519.h for the sources. */
#include "chain/keys/sr25519.h"

#include <sodium.h>
#include <string.h>

#include "chain/keys/merlin.h"
#include "common/error.h"

/* The group order l = 2^252 + 27742317777372353535851937790883648493,
 * little-endian. */
static const uint8_t group_order[32] = {
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
    0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};

/* True when the little-endian 256-bit `s` is below l. */
static int scalar_is_canonical(const uint8_t s[32]) {
  for (int i = 31; i >= 0; i--) {
    if (s[i] < group_order[i]) return 1;
    if (s[i] > group_order[i]) return 0;
  }
  return 0; /* equal to l */
}

/* schnorrkel's divide_scalar_bytes_by_cofactor: a right shift by 3 of the
 * little-endian integer. */
static void divide_by_cofactor(uint8_t s[32]) {
  uint8_t low = 0;
  for (int i = 31; i >= 0; i--) {
    uint8_t r = s[i] & 7;
    s[i] = (uint8_t)((s[i] >> 3) + low);
    low = (uint8_t)(r << 5);
  }
}

/* libsodium's ristretto255 base multiplication clears only bit 255 of the
 * scalar (no clamping), and our scalars are below l < 2^253, so it computes
 * exactly key * B. It fails only for the identity, i.e. key = 0 mod l. */
static int public_from_scalar(const uint8_t key[32], uint8_t public_key[32]) {
  return crypto_scalarmult_ristretto255_base(public_key, key) == 0
             ? 0
             : -SP_EBAD_SECRET;
}

int sp_sr25519_from_mini_secret(const uint8_t mini[32], uint8_t secret[64],
                                uint8_t public_key[32]) {
  uint8_t h[64];
  if (crypto_hash_sha512(h, mini, 32) != 0) return -SP_ECRYPTO;
  h[0] &= 248;
  h[31] &= 63;
  h[31] |= 64;
  divide_by_cofactor(h);
  memcpy(secret, h, 64);
  sodium_memzero(h, sizeof h);
  int rc = public_from_scalar(secret, public_key);
  return rc == 0 ? 0 : -SP_ECRYPTO; /* key >= 2^251 is never 0 mod l */
}

int sp_sr25519_public_from_secret(const uint8_t secret[64],
                                  uint8_t public_key[32]) {
  if (!scalar_is_canonical(secret)) return -SP_EBAD_SECRET;
  return public_from_scalar(secret, public_key);
}

/* The transcript of SigningContext::new(ctx).bytes(msg), then the steps
 * both signing and verification take before R. */
static void signing_transcript(sp_merlin *t, const char *ctx,
                               const uint8_t *msg, size_t len,
                               const uint8_t public_key[32]) {
  sp_merlin_init(t, "SigningContext");
  sp_merlin_append(t, "", (const uint8_t *)ctx, strlen(ctx));
  sp_merlin_append(t, "sign-bytes", msg, len);
  sp_merlin_append(t, "proto-name", (const uint8_t *)"Schnorr-sig", 11);
  sp_merlin_append(t, "sign:pk", public_key, 32);
}

int sp_sr25519_sign_with_randomness(const uint8_t secret[64],
                                    const uint8_t public_key[32],
                                    const char *ctx, const uint8_t *msg,
                                    size_t len, const uint8_t random[32],
                                    uint8_t sig[64]) {
  if (!scalar_is_canonical(secret)) return -SP_EBAD_SECRET;
  sp_merlin t;
  signing_transcript(&t, ctx, msg, len, public_key);
  uint8_t wide[64], r[32], k[32], kx[32];
  const uint8_t *witness[1] = {secret + 32};
  const size_t witness_len[1] = {32};
  sp_merlin_witness_bytes(&t, "signing", witness, witness_len, 1, random, wide,
                          64);
  crypto_core_ristretto255_scalar_reduce(r, wide);
  int rc = 0;
  /* r = 0 would need a 2^-252 accident; the base multiplication refuses it. */
  if (crypto_scalarmult_ristretto255_base(sig, r) != 0) {
    rc = -SP_ECRYPTO;
    goto out;
  }
  sp_merlin_append(&t, "sign:R", sig, 32);
  sp_merlin_challenge(&t, "sign:c", wide, 64);
  crypto_core_ristretto255_scalar_reduce(k, wide);
  crypto_core_ristretto255_scalar_mul(kx, k, secret);
  crypto_core_ristretto255_scalar_add(sig + 32, kx, r);
  sig[63] |= 0x80;
out:
  sodium_memzero(wide, sizeof wide);
  sodium_memzero(r, sizeof r);
  sodium_memzero(kx, sizeof kx);
  sp_merlin_wipe(&t);
  return rc;
}

int sp_sr25519_sign(const uint8_t secret[64], const uint8_t public_key[32],
                    const char *ctx, const uint8_t *msg, size_t len,
                    uint8_t sig[64]) {
  if (sodium_init() < 0) return -SP_ECRYPTO;
  uint8_t random[32];
  randombytes_buf(random, sizeof random);
  int rc = sp_sr25519_sign_with_randomness(secret, public_key, ctx, msg, len,
                                           random, sig);
  sodium_memzero(random, sizeof random);
  return rc;
}

int sp_sr25519_verify(const uint8_t public_key[32], const char *ctx,
                      const uint8_t *msg, size_t len, const uint8_t sig[64]) {
  if (!crypto_core_ristretto255_is_valid_point(public_key))
    return -SP_EBAD_PUBLIC;
  if ((sig[63] & 0x80) == 0) return -SP_EBAD_SIGNATURE;
  uint8_t s[32];
  memcpy(s, sig + 32, 32);
  s[31] &= 0x7f;
  if (!scalar_is_canonical(s)) return -SP_EBAD_SIGNATURE;

  sp_merlin t;
  signing_transcript(&t, ctx, msg, len, public_key);
  sp_merlin_append(&t, "sign:R", sig, 32);
  uint8_t wide[64], k[32];
  sp_merlin_challenge(&t, "sign:c", wide, 64);
  crypto_core_ristretto255_scalar_reduce(k, wide);

  /* R' = sB - kA must equal R. libsodium refuses to return the identity from
   * a multiplication; sB = identity means s = 0 and kA = identity cannot
   * happen for a valid A and k != 0, so a refusal is a failed check. */
  uint8_t sb[32], ka[32], r[32];
  if (crypto_scalarmult_ristretto255_base(sb, s) != 0 ||
      crypto_scalarmult_ristretto255(ka, k, public_key) != 0 ||
      crypto_core_ristretto255_sub(r, sb, ka) != 0)
    return -SP_EBAD_SIGNATURE;
  return sodium_memcmp(r, sig, 32) == 0 ? 0 : -SP_EBAD_SIGNATURE;
}
