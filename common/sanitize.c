/* Escaping outside text for one terminal line; see sanitize.h. */
#include "common/sanitize.h"

#include "common/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at p (at most n bytes) that may be
 * printed as it is, 0 when the byte there starts none or starts a C1
 * control (U+0080..U+009F: CSI is U+009B). */
static size_t utf8_len(const unsigned char *p, size_t n) {
  size_t len = sp_utf8_char_len(p, n);
  if (len == 2 && p[0] == 0xc2 && p[1] <= 0x9f) return 0; /* C1 controls */
  return len;
}

/* The escaped form of the character at p[0..n): its bytes in `piece`
 * (pointing into p or into esc) and length; returns the input bytes used. */
static size_t next_piece(const unsigned char *p, size_t n, char esc[8],
                         const char **piece, size_t *plen) {
  size_t k = utf8_len(p, n);
  unsigned c = p[0];
  if (k > 1 || (k == 1 && c >= 0x20 && c != 0x7f)) {
    *piece = (const char *)p;
    *plen = k;
    return k;
  }
  if (c == '\n')
    memcpy(esc, "\\n", 3);
  else if (c == '\r')
    memcpy(esc, "\\r", 3);
  else if (c == '\t')
    memcpy(esc, "\\t", 3);
  else if (c == 0x1b)
    memcpy(esc, "\\e", 3);
  else
    snprintf(esc, 8, "\\x%02x", c);
  *piece = esc;
  *plen = strlen(esc);
  return 1;
}

char *sp_sanitize_n(const char *in, size_t len, char *out, size_t cap) {
  if (cap == 0) return out;
  const unsigned char *p = (const unsigned char *)(in != NULL ? in : "");
  if (in == NULL) len = 0;
  char esc[8];
  const char *piece;
  size_t plen, total = 0;
  for (size_t i = 0; i < len && total < cap;) {
    i += next_piece(p + i, len - i, esc, &piece, &plen);
    total += plen;
  }
  /* Whole pieces only, so neither an escape nor a UTF-8 sequence is cut;
   * when it does not all fit, room is kept for "...". */
  size_t limit = total <= cap - 1 ? cap - 1 : (cap - 1 >= 3 ? cap - 4 : 0);
  size_t o = 0;
  for (size_t i = 0; i < len;) {
    size_t k = next_piece(p + i, len - i, esc, &piece, &plen);
    if (o + plen > limit) break;
    memcpy(out + o, piece, plen);
    o += plen;
    i += k;
  }
  if (total > cap - 1)
    for (int d = 0; d < 3 && o < cap - 1; d++)
      out[o++] = '.';
  out[o] = '\0';
  return out;
}

char *sp_sanitize(const char *in, char *out, size_t cap) {
  return sp_sanitize_n(in, in != NULL ? strlen(in) : 0, out, cap);
}

bool sp_sanitize_is_clean(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  size_t n = strlen(s);
  for (size_t i = 0; i < n;) {
    size_t k = utf8_len(p + i, n - i);
    if (k == 0 || (k == 1 && (p[i] < 0x20 || p[i] == 0x7f))) return false;
    i += k;
  }
  return true;
}

void sp_sanitize_inplace(char *s, size_t cap) {
  if (s == NULL || cap == 0 || sp_sanitize_is_clean(s)) return;
  size_t n = strlen(s);
  char *copy = malloc(n + 1);
  if (copy == NULL) {
    /* Without memory, drop what cannot be shown rather than print it. */
    for (size_t i = 0; i < n; i++)
      if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f) s[i] = '?';
    return;
  }
  memcpy(copy, s, n + 1);
  sp_sanitize_n(copy, n, s, cap);
  free(copy);
}

const char *sp_excerpt(const char *s, size_t len, char out[SP_EXCERPT_SIZE]) {
  size_t n = 0;
  for (size_t i = 0; i < len && n < 64; i++)
    out[n++] = (s[i] >= ' ' && s[i] < 0x7f) ? s[i] : '.';
  if (len > 64) out[n++] = '.', out[n++] = '.', out[n++] = '.';
  out[n] = '\0';
  return out;
}
