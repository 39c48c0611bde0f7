/* Fuzz target: strict decimal u64 parsing (every numeric flag goes through
 * it). Accepted input must print back to itself modulo leading zeros. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/vectors.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *s = malloc(size + 1);
  if (s == NULL) return 0;
  memcpy(s, data, size);
  s[size] = '\0';
  uint64_t v = 0;
  if (sp_parse_u64(s, &v) == 0) {
    const char *p = s;
    while (p[0] == '0' && p[1] != '\0')
      p++;
    char back[24];
    snprintf(back, sizeof back, "%" PRIu64, v);
    if (strcmp(back, p) != 0) abort();
  }
  free(s);
  return 0;
}
