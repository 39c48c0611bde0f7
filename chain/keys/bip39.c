/* BIP-39 (https://github.com/bitcoin/bips/blob/master/bip-0039.mediawiki)
 * and substrate-bip39's mini secret; see bip39.h. */
#include "chain/keys/bip39.h"

#include <openssl/evp.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "reference/reference.h"

/* The index (0..2047) of the `len` bytes at `word` in the list, or -1 when
 * they are not a word of it: a "not found" index, which the caller turns
 * into -SP_EMNEMONIC_WORD. */
static int find_word(const sp_bip39_wordlist *wl, const char *word,
                     size_t len) {
  if (len == 0 || len > 8) return -1;
  /* The list is sorted (BIP-39 requires it for English). */
  int lo = 0, hi = 2047;
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    int c = strncmp(wl->words[mid], word, len);
    if (c == 0 && wl->words[mid][len] != '\0') c = 1;
    if (c == 0) return mid;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid - 1;
  }
  return -1;
}

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

int sp_bip39_phrase_to_entropy(const sp_bip39_wordlist *wl, const char *phrase,
                               uint8_t entropy[32], size_t *entropy_len) {
  uint16_t idx[24];
  int count = 0;
  int rc = 0;
  const char *p = phrase;
  while (*p != '\0') {
    while (is_space(*p))
      p++;
    if (*p == '\0') break;
    const char *start = p;
    while (*p != '\0' && !is_space(*p))
      p++;
    if (count == 24) {
      rc = -SP_EMNEMONIC_COUNT;
      goto out;
    }
    int i = find_word(wl, start, (size_t)(p - start));
    if (i < 0) {
      rc = -SP_EMNEMONIC_WORD;
      goto out;
    }
    idx[count++] = (uint16_t)i;
  }
  if (count < 12 || count % 3 != 0) {
    rc = -SP_EMNEMONIC_COUNT;
    goto out;
  }
  /* 11 bits a word: entropy bits then checksum bits, big-endian. */
  size_t total_bits = (size_t)count * 11;
  size_t cs_bits = total_bits / 33;
  size_t ent_bytes = (total_bits - cs_bits) / 8;
  uint8_t bits[33];
  memset(bits, 0, sizeof bits);
  for (int w = 0; w < count; w++)
    for (int b = 0; b < 11; b++)
      if (idx[w] & (1u << (10 - b))) {
        size_t pos = (size_t)w * 11 + (size_t)b;
        bits[pos / 8] |= (uint8_t)(0x80 >> (pos % 8));
      }
  uint8_t digest[32];
  if (sp_sha256(bits, ent_bytes, digest) != 0) {
    rc = -SP_ECRYPTO;
    goto wipe;
  }
  for (size_t b = 0; b < cs_bits; b++) {
    int want = (digest[0] >> (7 - b)) & 1;
    size_t pos = ent_bytes * 8 + b;
    int got = (bits[pos / 8] >> (7 - pos % 8)) & 1;
    if (want != got) {
      rc = -SP_EMNEMONIC_CHECKSUM;
      goto wipe;
    }
  }
  memcpy(entropy, bits, ent_bytes);
  *entropy_len = ent_bytes;
wipe:
  sodium_memzero(bits, sizeof bits);
  sodium_memzero(digest, sizeof digest);
out:
  sodium_memzero(idx, sizeof idx);
  return rc;
}

int sp_bip39_entropy_to_phrase(const sp_bip39_wordlist *wl,
                               const uint8_t *entropy, size_t len, char *out,
                               size_t cap) {
  if (len < 16 || len > 32 || len % 4 != 0) return -SP_EINVAL;
  uint8_t bits[33], digest[32];
  memcpy(bits, entropy, len);
  if (sp_sha256(entropy, len, digest) != 0) return -SP_ECRYPTO;
  bits[len] = digest[0]; /* at most 8 checksum bits are used */
  size_t words = (len * 8 + len / 4) / 11;
  size_t used = 0;
  int rc = 0;
  for (size_t w = 0; w < words; w++) {
    unsigned v = 0;
    for (size_t b = 0; b < 11; b++) {
      size_t pos = w * 11 + b;
      v = v << 1 | ((bits[pos / 8] >> (7 - pos % 8)) & 1u);
    }
    size_t wlen = strlen(wl->words[v]);
    if (used + (w > 0) + wlen + 1 > cap) {
      rc = -SP_ERANGE;
      break;
    }
    if (w > 0) out[used++] = ' ';
    memcpy(out + used, wl->words[v], wlen);
    used += wlen;
  }
  if (rc == 0)
    out[used] = '\0';
  else if (cap > 0)
    sodium_memzero(out, cap);
  sodium_memzero(bits, sizeof bits);
  sodium_memzero(digest, sizeof digest);
  return rc;
}

int sp_bip39_generate(const sp_bip39_wordlist *wl, int words, char *out,
                      size_t cap) {
  if (words < 12 || words > 24 || words % 3 != 0) return -SP_EINVAL;
  if (sodium_init() < 0) return -SP_ECRYPTO;
  uint8_t entropy[32];
  size_t len = (size_t)words * 4 / 3;
  randombytes_buf(entropy, len);
  int rc = sp_bip39_entropy_to_phrase(wl, entropy, len, out, cap);
  sodium_memzero(entropy, sizeof entropy);
  return rc;
}

int sp_bip39_mini_secret(const uint8_t *entropy, size_t len,
                         const char *password, uint8_t mini[32]) {
  if (len < 16 || len > 32 || len % 4 != 0) return -SP_EINVAL;
  if (password == NULL) password = "";
  size_t plen = strlen(password);
  char *salt = malloc(8 + plen + 1);
  if (salt == NULL) return -SP_ENOMEM;
  memcpy(salt, "mnemonic", 8);
  memcpy(salt + 8, password, plen);
  uint8_t seed[64];
  int ok = PKCS5_PBKDF2_HMAC((const char *)entropy, (int)len,
                             (const unsigned char *)salt, (int)(8 + plen), 2048,
                             EVP_sha512(), sizeof seed, seed) == 1;
  sodium_memzero(salt, 8 + plen);
  free(salt);
  if (ok) memcpy(mini, seed, 32);
  sodium_memzero(seed, sizeof seed);
  return ok ? 0 : -SP_ECRYPTO;
}
