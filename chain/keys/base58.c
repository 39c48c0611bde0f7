/* Base58 by repeated division: quadratic, which is nothing at address size. */
#include "chain/keys/base58.h"

#include <string.h>

#include "common/error.h"

static const char alphabet[] =
    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

int sp_base58_encode(const uint8_t *data, size_t len, char *out, size_t cap) {
  if (len > SP_BASE58_MAX) return -SP_ERANGE;
  size_t zeros = 0;
  while (zeros < len && data[zeros] == 0)
    zeros++;
  /* log(256) / log(58) < 1.37: enough base-58 digits for the rest. */
  uint8_t digits[SP_BASE58_MAX * 138 / 100 + 1];
  size_t ndigits = 0;
  for (size_t i = zeros; i < len; i++) {
    unsigned carry = data[i];
    for (size_t j = 0; j < ndigits; j++) {
      carry += (unsigned)digits[j] << 8;
      digits[j] = (uint8_t)(carry % 58);
      carry /= 58;
    }
    while (carry > 0) {
      digits[ndigits++] = (uint8_t)(carry % 58);
      carry /= 58;
    }
  }
  size_t total = zeros + ndigits;
  if (total + 1 > cap) return -SP_ERANGE;
  for (size_t i = 0; i < zeros; i++)
    out[i] = '1';
  for (size_t i = 0; i < ndigits; i++)
    out[zeros + i] = alphabet[digits[ndigits - 1 - i]];
  out[total] = '\0';
  return (int)total;
}

static int digit_value(char c) {
  const char *p = c != '\0' ? strchr(alphabet, c) : NULL;
  return p != NULL ? (int)(p - alphabet) : -1;
}

int sp_base58_decode(const char *text, uint8_t *out, size_t cap,
                     size_t *out_len) {
  size_t n = strlen(text);
  if (n == 0) return -SP_EBASE58;
  if (n > SP_BASE58_MAX) return -SP_ERANGE;
  size_t ones = 0;
  while (ones < n && text[ones] == '1')
    ones++;
  uint8_t bytes[SP_BASE58_MAX]; /* little-endian, base 256 */
  size_t nbytes = 0;
  for (size_t i = ones; i < n; i++) {
    int v = digit_value(text[i]);
    if (v < 0) return -SP_EBASE58;
    unsigned carry = (unsigned)v;
    for (size_t j = 0; j < nbytes; j++) {
      carry += (unsigned)bytes[j] * 58;
      bytes[j] = (uint8_t)(carry & 0xff);
      carry >>= 8;
    }
    while (carry > 0) {
      bytes[nbytes++] = (uint8_t)(carry & 0xff);
      carry >>= 8;
    }
  }
  if (ones + nbytes > cap) return -SP_ERANGE;
  memset(out, 0, ones);
  for (size_t i = 0; i < nbytes; i++)
    out[ones + i] = bytes[nbytes - 1 - i];
  *out_len = ones + nbytes;
  return 0;
}
