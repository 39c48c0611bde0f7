/* JSON output through jansson; see json_out.h. */
#include "bench/json_out.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/sanitize.h"

/* A string that starts with U+0001: sp_json_str never makes one (control
 * characters are escaped there), so in the dump `"\u0001u64:DIGITS"` can
 * only be a number of sp_json_u64. */
#define U64_MARK "\001u64:"
#define U64_MARK_DUMPED "\"\\u0001u64:"

json_t *sp_json_str(const char *s) {
  if (s == NULL) return json_null();
  size_t cap = strlen(s) * 4 + 4; /* an escape is at most 4 bytes a byte */
  char *clean = malloc(cap);
  if (clean == NULL) return NULL;
  sp_sanitize(s, clean, cap);
  json_t *j = json_string(clean);
  free(clean);
  return j;
}

json_t *sp_json_u64(uint64_t v) {
  if (v <= (uint64_t)INT64_MAX) return json_integer((json_int_t)v);
  char buf[32];
  snprintf(buf, sizeof buf, U64_MARK "%" PRIu64, v);
  return json_string(buf);
}

json_t *sp_json_fixed(double v, int decimals) {
  if (!isfinite(v)) return json_null();
  double scale = pow(10, decimals < 0 ? 0 : decimals > 9 ? 9 : decimals);
  double r = round(v * scale) / scale;
  if (decimals <= 0 && fabs(r) < 9e18) return json_integer((json_int_t)r);
  return json_real(r);
}

int sp_json_print(FILE *f, json_t *o) {
  if (o == NULL) return -SP_ENOMEM;
  /* 15 significant digits: sp_json_fixed already rounded, and the %.17g
   * default would print 5.001 as 5.0010000000000003. */
  char *text = json_dumps(o, JSON_REAL_PRECISION(15));
  json_decref(o);
  if (text == NULL) return -SP_ENOMEM;
  /* Turn the u64 markers back into numbers, in place (the text shrinks). */
  size_t ml = strlen(U64_MARK_DUMPED);
  char *w = text;
  for (const char *r = text; *r;) {
    if (strncmp(r, U64_MARK_DUMPED, ml) == 0) {
      r += ml;
      while (*r >= '0' && *r <= '9')
        *w++ = *r++;
      if (*r == '"') r++;
    } else {
      *w++ = *r++;
    }
  }
  *w = '\0';
  int rc = fprintf(f, "%s\n", text) < 0 || fflush(f) != 0 ? -SP_EIO : 0;
  free(text);
  return rc;
}
