/* Strict hex encoding and decoding; see hex.h. */
#include "common/hex.h"

#include <string.h>

/* The value of hex digit `c`, or -1 when it is none (a value, not an
 * error: sp_hex_decode answers -SP_EHEX_CHAR for it). */
static int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int sp_hex_decode(const char *hex, size_t want, uint8_t *out, size_t cap,
                  size_t *out_len) {
  if (hex == NULL) return -SP_EINVAL;
  if (hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) hex += 2;
  size_t n = strlen(hex);
  for (size_t i = 0; i < n; i++)
    if (hex_digit(hex[i]) < 0) return -SP_EHEX_CHAR;
  if (n % 2 != 0) return -SP_EHEX_ODD;
  size_t bytes = n / 2;
  if ((want != 0 && bytes != want) || bytes > cap) return -SP_EHEX_SIZE;
  for (size_t i = 0; i < bytes; i++)
    out[i] = (uint8_t)(hex_digit(hex[2 * i]) << 4 | hex_digit(hex[2 * i + 1]));
  if (out_len != NULL) *out_len = bytes;
  return 0;
}

void sp_hex_encode(const uint8_t *bytes, size_t len, char *out) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < len; i++) {
    out[2 * i] = digits[bytes[i] >> 4];
    out[2 * i + 1] = digits[bytes[i] & 15];
  }
  out[2 * len] = '\0';
}
