/* Strict hex quantities; see quantity.h. */
#include "chain/client/quantity.h"

#include <stddef.h>

/* The value of hex digit `c`, or -1 when it is none (a value, not an
 * error: the caller refuses the text). */
static int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int sp_hex_quantity_parse(const char *text, uint64_t *out) {
  if (text == NULL || text[0] != '0' || (text[1] != 'x' && text[1] != 'X'))
    return -1;
  const char *p = text + 2;
  if (*p == '\0') return -1;
  uint64_t v = 0;
  for (; *p != '\0'; p++) {
    int d = hex_digit(*p);
    if (d < 0) return -1;
    if (v >> 60 != 0) return -1; /* another digit would overflow */
    v = v << 4 | (uint64_t)d;
  }
  *out = v;
  return 0;
}
