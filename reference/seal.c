/* The seal of docs/protocol.md section 1. */
#include "reference.h"

#include <string.h>

void sp_hash_block_with_hotkey(const uint8_t block_hash[32],
                               const uint8_t hotkey[32], uint8_t out[32]) {
  uint8_t in[64];
  memcpy(in, block_hash, 32);
  memcpy(in + 32, hotkey, 32);
  sp_keccak256(in, sizeof in, out);
}

int sp_create_seal_hash(const uint8_t block_and_hotkey_hash[32], uint64_t nonce,
                        uint8_t seal[32]) {
  uint8_t pre_seal[40];
  for (int i = 0; i < 8; i++)
    pre_seal[i] = (uint8_t)(nonce >> (8 * i));
  memcpy(pre_seal + 8, block_and_hotkey_hash, 32);
  uint8_t digest[32];
  int rc = sp_sha256(pre_seal, sizeof pre_seal, digest);
  if (rc != 0) return rc;
  sp_keccak256(digest, sizeof digest, seal);
  return 0;
}
