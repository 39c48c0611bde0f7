/* Fuzz target: strict hex decoding. Properties checked, not just "no crash":
 * a successful decode re-encodes to the same digits (lowercased), and a
 * failure leaves the output untouched. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reference/reference.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *s = malloc(size + 1);
  if (s == NULL) return 0;
  memcpy(s, data, size);
  s[size] = '\0';
  uint8_t out[128], guard[128];
  memset(out, 0xa5, sizeof out);
  memcpy(guard, out, sizeof out);
  size_t n = 0;
  size_t want = size > 0 ? data[0] % 4 * 16 : 0; /* 0, 16, 32 or 48 bytes */
  int rc = sp_hex_decode(s, want, out, sizeof out, &n);
  if (rc == 0) {
    char back[257];
    sp_hex_encode(out, n, back);
    const char *digits =
        s + ((s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 2 : 0);
    if (strlen(digits) != 2 * n) abort();
    for (size_t i = 0; i < 2 * n; i++) {
      char c = digits[i];
      if (c >= 'A' && c <= 'F') c = (char)(c - 'A' + 'a');
      if (c != back[i]) abort();
    }
    if (want != 0 && n != want) abort();
  } else if (memcmp(out, guard, sizeof out) != 0) {
    abort();
  }
  free(s);
  return 0;
}
