/* Escaping outside text for one terminal line; see sanitize.h. */
#include "util/sanitize.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at p (at most n bytes), 0 when the byte
 * there starts none (RFC 3629: no overlongs, no surrogates, <= U+10FFFF). */
static size_t utf8_len(const unsigned char *p, size_t n) {
  unsigned c = p[0];
  size_t len;
  uint32_t cp;
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) {
    len = 2;
    cp = c & 0x1f;
  } else if (c >= 0xe0 && c <= 0xef) {
    len = 3;
    cp = c & 0x0f;
  } else if (c >= 0xf0 && c <= 0xf4) {
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
  if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
      (cp >= 0xd800 && cp <= 0xdfff))
    return 0;
  if (cp >= 0x80 && cp <= 0x9f) return 0; /* C1 controls: CSI is U+009B */
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
