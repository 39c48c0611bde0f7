/* Ed25519 with OpenSSL's one-shot EVP_DigestSign / EVP_DigestVerify (no
 * digest: Ed25519 hashes internally). */
#include "chain/keys/ed25519.h"

#include <openssl/err.h>
#include <openssl/evp.h>

#include "common/error.h"

int sp_ed25519_public_from_seed(const uint8_t seed[32],
                                uint8_t public_key[32]) {
  EVP_PKEY *k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
  if (k == NULL) return -SP_ECRYPTO;
  size_t n = 32;
  int ok = EVP_PKEY_get_raw_public_key(k, public_key, &n) == 1 && n == 32;
  EVP_PKEY_free(k); /* OpenSSL clears private key material on free */
  return ok ? 0 : -SP_ECRYPTO;
}

int sp_ed25519_sign(const uint8_t seed[32], const uint8_t *msg, size_t len,
                    uint8_t sig[64]) {
  EVP_PKEY *k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
  if (k == NULL) return -SP_ECRYPTO;
  EVP_MD_CTX *md = EVP_MD_CTX_new();
  size_t n = 64;
  static const uint8_t empty[1] = {0};
  int ok = md != NULL && EVP_DigestSignInit(md, NULL, NULL, NULL, k) == 1 &&
           EVP_DigestSign(md, sig, &n, len ? msg : empty, len) == 1 && n == 64;
  EVP_MD_CTX_free(md);
  EVP_PKEY_free(k);
  return ok ? 0 : -SP_ECRYPTO;
}

int sp_ed25519_verify(const uint8_t public_key[32], const uint8_t *msg,
                      size_t len, const uint8_t sig[64]) {
  EVP_PKEY *k =
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, public_key, 32);
  if (k == NULL) return -SP_EBAD_PUBLIC;
  EVP_MD_CTX *md = EVP_MD_CTX_new();
  static const uint8_t empty[1] = {0};
  int rc = -SP_ECRYPTO;
  if (md != NULL && EVP_DigestVerifyInit(md, NULL, NULL, NULL, k) == 1)
    rc = EVP_DigestVerify(md, sig, 64, len ? msg : empty, len) == 1
             ? 0
             : -SP_EBAD_SIGNATURE;
  EVP_MD_CTX_free(md);
  EVP_PKEY_free(k);
  /* A failed check leaves entries on OpenSSL's per-thread error queue; other
   * users of OpenSSL in the process (libcurl's TLS) must not see them. */
  if (rc != 0) ERR_clear_error();
  return rc;
}
