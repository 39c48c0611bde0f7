/* Keys of either scheme; see keypair.h. */
#include "chain/keys/keypair.h"

#include <sodium.h>
#include <string.h>

#include "chain/keys/ed25519.h"
#include "chain/keys/sr25519.h"
#include "chain/keys/ss58.h"
#include "common/error.h"

const char *sp_scheme_name(int scheme) {
  switch (scheme) {
  case SP_SIGNER_SR25519: return "sr25519";
  case SP_SIGNER_ED25519: return "ed25519";
  default: return NULL;
  }
}

int sp_scheme_parse(const char *name, int *scheme) {
  if (strcmp(name, "sr25519") == 0)
    *scheme = SP_SIGNER_SR25519;
  else if (strcmp(name, "ed25519") == 0)
    *scheme = SP_SIGNER_ED25519;
  else
    return -SP_EINVAL;
  return 0;
}

int sp_keypair_from_mini_secret(int scheme, const uint8_t mini[32],
                                sp_keypair *kp) {
  sp_keypair_wipe(kp);
  kp->scheme = scheme;
  int rc;
  if (scheme == SP_SIGNER_SR25519) {
    rc = sp_sr25519_from_mini_secret(mini, kp->secret, kp->public_key);
  } else if (scheme == SP_SIGNER_ED25519) {
    rc = sp_ed25519_public_from_seed(mini, kp->public_key);
    memcpy(kp->secret, mini, 32);
    memcpy(kp->secret + 32, kp->public_key, 32);
  } else {
    return -SP_EINVAL;
  }
  if (rc != 0) {
    sp_keypair_wipe(kp);
    return rc;
  }
  memcpy(kp->mini, mini, 32);
  kp->has_mini = kp->has_secret = true;
  return 0;
}

int sp_keypair_from_phrase(int scheme, const sp_bip39_wordlist *wl,
                           const char *phrase, sp_keypair *kp) {
  uint8_t entropy[32], mini[32];
  size_t len = 0;
  int rc = sp_bip39_phrase_to_entropy(wl, phrase, entropy, &len);
  if (rc == 0) rc = sp_bip39_mini_secret(entropy, len, "", mini);
  if (rc == 0) rc = sp_keypair_from_mini_secret(scheme, mini, kp);
  if (rc == 0)
    rc = sp_bip39_entropy_to_phrase(wl, entropy, len, kp->phrase,
                                    sizeof kp->phrase);
  if (rc == 0)
    kp->has_phrase = true;
  else
    sp_keypair_wipe(kp);
  sodium_memzero(entropy, sizeof entropy);
  sodium_memzero(mini, sizeof mini);
  return rc;
}

int sp_keypair_from_private_key(int scheme, const uint8_t secret[64],
                                sp_keypair *kp) {
  sp_keypair_wipe(kp);
  int rc;
  if (scheme == SP_SIGNER_SR25519) {
    rc = sp_sr25519_public_from_secret(secret, kp->public_key);
    if (rc == 0) memcpy(kp->secret, secret, 64);
  } else if (scheme == SP_SIGNER_ED25519) {
    rc = sp_keypair_from_mini_secret(scheme, secret, kp);
    if (rc == 0 && sodium_memcmp(kp->public_key, secret + 32, 32) != 0)
      rc = -SP_EBAD_SECRET;
    kp->has_mini = false; /* the file gave the 64-byte form only */
  } else {
    return -SP_EINVAL;
  }
  if (rc != 0) {
    sp_keypair_wipe(kp);
    return rc;
  }
  kp->scheme = scheme;
  kp->has_secret = true;
  return 0;
}

int sp_keypair_from_public(int scheme, const uint8_t public_key[32],
                           sp_keypair *kp) {
  sp_keypair_wipe(kp);
  if (scheme == SP_SIGNER_SR25519) {
    if (!crypto_core_ristretto255_is_valid_point(public_key))
      return -SP_EBAD_PUBLIC;
  } else if (scheme != SP_SIGNER_ED25519) {
    return -SP_EINVAL;
  }
  kp->scheme = scheme;
  memcpy(kp->public_key, public_key, 32);
  return 0;
}

int sp_keypair_sign(const sp_keypair *kp, const uint8_t *msg, size_t len,
                    uint8_t sig[64]) {
  if (!kp->has_secret) return -SP_EINVAL;
  if (kp->scheme == SP_SIGNER_SR25519)
    return sp_sr25519_sign(kp->secret, kp->public_key,
                           SP_SR25519_SUBSTRATE_CONTEXT, msg, len, sig);
  if (kp->scheme == SP_SIGNER_ED25519)
    return sp_ed25519_sign(kp->secret, msg, len, sig);
  return -SP_EINVAL;
}

int sp_signature_verify(int scheme, const uint8_t public_key[32],
                        const uint8_t *msg, size_t len, const uint8_t sig[64]) {
  if (scheme == SP_SIGNER_SR25519)
    return sp_sr25519_verify(public_key, SP_SR25519_SUBSTRATE_CONTEXT, msg, len,
                             sig);
  if (scheme == SP_SIGNER_ED25519)
    return sp_ed25519_verify(public_key, msg, len, sig);
  return -SP_EINVAL;
}

int sp_keypair_ss58(const sp_keypair *kp, uint16_t prefix, char *out,
                    size_t cap) {
  return sp_ss58_encode(kp->public_key, prefix, out, cap);
}

static int sign_with_keypair(void *ctx, const uint8_t *msg, size_t len,
                             uint8_t sig[64]) {
  return sp_keypair_sign((const sp_keypair *)ctx, msg, len, sig);
}

int sp_keypair_signer(const sp_keypair *kp, sp_signer *signer) {
  if (!kp->has_secret) return -SP_EINVAL;
  memcpy(signer->public_key, kp->public_key, 32);
  signer->scheme = kp->scheme;
  signer->sign = sign_with_keypair;
  signer->ctx = (void *)kp;
  return 0;
}

void sp_keypair_wipe(sp_keypair *kp) { sodium_memzero(kp, sizeof *kp); }
