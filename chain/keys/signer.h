/*
 * The signer interface the extrinsic builder signs through.
 *
 * chain/client/extrinsic.c needs a public key and a "sign these bytes"
 * function, not a key file or a key type: wallets (sr25519 or ed25519 keys
 * loaded from btcli files), test doubles and hardware signers all fit behind
 * this struct. The struct is plain data so that a caller can fill it on the
 * stack.
 *
 * Contract of `sign`:
 *   - `msg`/`len` is the exact byte string to sign (the builder already
 *     replaced payloads longer than 256 bytes by their BLAKE2b-256, as
 *     Substrate does); `sign` must not hash it again.
 *   - sr25519 signatures use the schnorrkel signing context "substrate";
 *     ed25519 signatures are plain RFC 8032 signatures over `msg`.
 *   - it writes exactly 64 bytes into `sig` and returns 0, or returns a
 *     negative error code (any value < 0) and leaves `sig` unspecified.
 *   - it may be called several times per extrinsic build and from only one
 *     thread at a time per signer.
 * The secret stays behind `ctx`; nothing in chain/ reads or copies it.
 */
#ifndef SUBPOW_CHAIN_KEYS_SIGNER_H
#define SUBPOW_CHAIN_KEYS_SIGNER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Signature schemes, numbered as MultiSignature's variants in Substrate
 * (sp_runtime::MultiSignature: 0 Ed25519, 1 Sr25519, 2 Ecdsa). The builder
 * still looks the variant index up by name in the chain's metadata. */
typedef enum sp_signer_scheme {
  SP_SIGNER_ED25519 = 0,
  SP_SIGNER_SR25519 = 1,
} sp_signer_scheme;

typedef struct sp_signer {
  uint8_t public_key[32]; /* the account id (AccountId32) of the signer */
  int scheme;             /* an sp_signer_scheme */
  int (*sign)(void *ctx, const uint8_t *msg, size_t len, uint8_t sig[64]);
  void *ctx; /* passed to sign unchanged */
} sp_signer;

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_CHAIN_KEYS_SIGNER_H */
