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

/* The state's lanes are little-endian 64-bit words (FIPS 202 section B.1 /
 * Keccak reference), so byte i of the state is byte i % 8 of lane i / 8. */
void sp_keccak_f1600(uint8_t state[200]) {
  struct sha3_state st;
  for (int i = 0; i < 25; i++) {
    uint64_t lane = 0;
    for (int b = 7; b >= 0; b--)
      lane = lane << 8 | state[8 * i + b];
    st.a[i] = lane;
  }
  sha3_permute(&st);
  for (int i = 0; i < 25; i++)
    for (int b = 0; b < 8; b++)
      state[8 * i + b] = (uint8_t)(st.a[i] >> (8 * b));
  explicit_bzero(&st, sizeof st); /* Strobe's state holds key material */
}

/* Keccak[c=512] with output 256 bits over the byte state. */
#define KECCAK_RATE 136

void sp_keccak256_sponge(const uint8_t *data, size_t len, uint8_t pad,
                         uint8_t out[32]) {
  uint8_t st[200];
  memset(st, 0, sizeof st);
  while (len >= KECCAK_RATE) {
    for (int i = 0; i < KECCAK_RATE; i++)
      st[i] ^= data[i];
    sp_keccak_f1600(st);
    data += KECCAK_RATE;
    len -= KECCAK_RATE;
  }
  for (size_t i = 0; i < len; i++)
    st[i] ^= data[i];
  st[len] ^= pad;
  st[KECCAK_RATE - 1] ^= 0x80;
  sp_keccak_f1600(st);
  memcpy(out, st, 32);
}

void sp_keccak256(const uint8_t *data, size_t len, uint8_t out[32]) {
  sp_keccak256_sponge(data, len, 0x01, out);
}
