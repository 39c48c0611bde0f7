/* SS58 (https://docs.substrate.io/reference/address-formats/, and
 * sp-core's crypto.rs `to_ss58check_with_version` / `from_ss58check`). */
#include "chain/keys/ss58.h"

#include <sodium.h>
#include <string.h>

#include "chain/keys/base58.h"
#include "common/error.h"

static int checksum(const uint8_t *body, size_t len, uint8_t out[2]) {
  uint8_t hash[64];
  crypto_generichash_blake2b_state st;
  if (crypto_generichash_blake2b_init(&st, NULL, 0, sizeof hash) != 0 ||
      crypto_generichash_blake2b_update(&st, (const uint8_t *)"SS58PRE", 7) ||
      crypto_generichash_blake2b_update(&st, body, len) ||
      crypto_generichash_blake2b_final(&st, hash, sizeof hash))
    return -SP_ECRYPTO;
  out[0] = hash[0];
  out[1] = hash[1];
  return 0;
}

int sp_ss58_encode(const uint8_t account[32], uint16_t prefix, char *out,
                   size_t cap) {
  if (prefix > SP_SS58_MAX_PREFIX) return -SP_ERANGE;
  uint8_t raw[2 + 32 + 2];
  size_t plen;
  if (prefix < 64) {
    raw[0] = (uint8_t)prefix;
    plen = 1;
  } else {
    /* The 14-bit id: the first byte holds 01 then bits 2..7, the second byte
     * holds bits 0..1 on top and bits 8..13 below. */
    raw[0] = (uint8_t)(((prefix & 0xfc) >> 2) | 0x40);
    raw[1] = (uint8_t)((prefix >> 8) | ((prefix & 0x03) << 6));
    plen = 2;
  }
  memcpy(raw + plen, account, 32);
  int rc = checksum(raw, plen + 32, raw + plen + 32);
  if (rc) return rc;
  rc = sp_base58_encode(raw, plen + 34, out, cap);
  return rc < 0 ? rc : 0;
}

int sp_ss58_decode(const char *address, uint8_t account[32], uint16_t *prefix) {
  uint8_t raw[64];
  size_t len = 0;
  if (address == NULL) return -SP_EINVAL;
  int rc = sp_base58_decode(address, raw, sizeof raw, &len);
  if (rc == -SP_ERANGE) return -SP_ESS58_LENGTH;
  if (rc) return rc;
  size_t plen;
  uint16_t ident;
  if (raw[0] < 64) {
    plen = 1;
    ident = raw[0];
  } else if (raw[0] < 128) {
    if (len < 2) return -SP_ESS58_LENGTH;
    plen = 2;
    uint8_t lower = (uint8_t)((raw[0] << 2) | (raw[1] >> 6));
    uint8_t upper = raw[1] & 0x3f;
    ident = (uint16_t)(lower | (upper << 8));
  } else {
    return -SP_ESS58_PREFIX;
  }
  if (len != plen + 32 + 2) return -SP_ESS58_LENGTH;
  uint8_t sum[2];
  rc = checksum(raw, plen + 32, sum);
  if (rc) return rc;
  if (sum[0] != raw[plen + 32] || sum[1] != raw[plen + 33])
    return -SP_ESS58_CHECKSUM;
  memcpy(account, raw + plen, 32);
  if (prefix != NULL) *prefix = ident;
  return 0;
}
