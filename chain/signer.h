/* chain/signer.h */
#ifndef SUBPOW_CHAIN_SIGNER_H
#define SUBPOW_CHAIN_SIGNER_H
#include <stddef.h>
#include <stdint.h>
enum sp_signature_scheme { SP_SCHEME_ED25519 = 0, SP_SCHEME_SR25519 = 1 };
typedef struct sp_signer {
  uint8_t public_key[32];
  int scheme; /* enum sp_signature_scheme; also the MultiSignature variant index */
  /* Signs msg; returns 0 or a negative SP_E* code. */
  int (*sign)(void *ctx, const uint8_t *msg, size_t len, uint8_t sig[64]);
  void *ctx;
} sp_signer;
#endif
