/* SHA-256 (OpenSSL EVP) and the Keccak sponge (Nettle's permutation). */
#include "reference.h"

#include <nettle/sha3.h>
#include <openssl/evp.h>
#include <string.h>

int sp_sha256(const uint8_t *data, size_t len, uint8_t out[32]) {
  unsigned int n = 0;
  if (EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) != 1 || n != 32)
    return -SP_ECRYPTO;
  return 0;
}

/* Keccak[c=512] with output 256 bits. The state lanes are little-endian
 * 64-bit words (FIPS 202 section B.1 / Keccak reference), so byte i of the
 * state is byte i % 8 of lane i / 8. */
#define KECCAK_RATE 136

static void absorb_block(struct sha3_state *st, const uint8_t *block) {
  for (int i = 0; i < KECCAK_RATE / 8; i++) {
    uint64_t lane = 0;
    for (int b = 7; b >= 0; b--) lane = lane << 8 | block[8 * i + b];
    st->a[i] ^= lane;
  }
  sha3_permute(st);
}

void sp_keccak256_sponge(const uint8_t *data, size_t len, uint8_t pad,
                         uint8_t out[32]) {
  struct sha3_state st;
  memset(&st, 0, sizeof st);
  while (len >= KECCAK_RATE) {
    absorb_block(&st, data);
    data += KECCAK_RATE;
    len -= KECCAK_RATE;
  }
  uint8_t last[KECCAK_RATE];
  memset(last, 0, sizeof last);
  if (len > 0) memcpy(last, data, len);
  last[len] ^= pad;
  last[KECCAK_RATE - 1] ^= 0x80;
  absorb_block(&st, last);
  for (int i = 0; i < 32; i++) out[i] = (uint8_t)(st.a[i / 8] >> (8 * (i % 8)));
}

void sp_keccak256(const uint8_t *data, size_t len, uint8_t out[32]) {
  sp_keccak256_sponge(data, len, 0x01, out);
}
