/* RFC 3629 UTF-8; see utf8.h. */
#include "common/utf8.h"

#include <stdint.h>

size_t sp_utf8_char_len(const void *s, size_t n) {
  const unsigned char *p = s;
  if (n == 0) return 0;
  unsigned c = p[0];
  size_t len;
  uint32_t cp;
  if (c < 0x80) return 1;
  if ((c & 0xe0) == 0xc0) {
    len = 2;
    cp = c & 0x1f;
  } else if ((c & 0xf0) == 0xe0) {
    len = 3;
    cp = c & 0x0f;
  } else if ((c & 0xf8) == 0xf0) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (n < len) return 0;
  for (size_t i = 1; i < len; i++) {
    if ((p[i] & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (p[i] & 0x3f);
  }
  static const uint32_t min_cp[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < min_cp[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
    return 0;
  return len;
}

bool sp_utf8_valid(const void *s, size_t n) {
  const unsigned char *p = s;
  for (size_t i = 0; i < n;) {
    size_t k = sp_utf8_char_len(p + i, n - i);
    if (k == 0) return false;
    i += k;
  }
  return true;
}
