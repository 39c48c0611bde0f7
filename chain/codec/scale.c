/* SCALE readers and writers for fixed layouts (see scale.h). */
#include "chain/codec/scale.h"

#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"

/* ------------------------------------------------------------ reader ---- */

void sp_scale_reader_init(sp_scale_reader *r, const uint8_t *data, size_t len,
                          sp_chain_error *err) {
  /* An empty writer's buffer is NULL; reads of zero bytes still form
   * r->data + r->pos, which must not be arithmetic on a null pointer
   * (found by fuzz_scale_type). */
  static const uint8_t empty[1];
  r->data = data ? data : empty;
  r->len = data ? len : 0;
  r->pos = 0;
  r->err = err;
}

size_t sp_scale_remaining(const sp_scale_reader *r) { return r->len - r->pos; }

static int truncated(sp_scale_reader *r, size_t want, const char *what) {
  return sp_chain_fail(r->err, SP_CHAIN_ESCALE,
                       "truncated SCALE input: %s needs %zu bytes at offset "
                       "%zu, %zu left",
                       what, want, r->pos, sp_scale_remaining(r));
}

int sp_scale_expect_end(sp_scale_reader *r, const char *what) {
  if (r->pos == r->len) return 0;
  return sp_chain_fail(r->err, SP_CHAIN_ESCALE,
                       "oversized SCALE input: %zu trailing bytes after %s",
                       sp_scale_remaining(r), what);
}

static int read_le(sp_scale_reader *r, size_t n, const char *what,
                   uint8_t *out) {
  if (sp_scale_remaining(r) < n) return truncated(r, n, what);
  memcpy(out, r->data + r->pos, n);
  r->pos += n;
  return 0;
}

static uint64_t le_u64(const uint8_t *b, size_t n) {
  uint64_t v = 0;
  for (size_t i = n; i-- > 0;)
    v = (v << 8) | b[i];
  return v;
}

int sp_scale_read_u8(sp_scale_reader *r, uint8_t *v) {
  return read_le(r, 1, "u8", v);
}

int sp_scale_read_u16(sp_scale_reader *r, uint16_t *v) {
  uint8_t b[2];
  int rc = read_le(r, 2, "u16", b);
  if (rc == 0) *v = (uint16_t)le_u64(b, 2);
  return rc;
}

int sp_scale_read_u32(sp_scale_reader *r, uint32_t *v) {
  uint8_t b[4];
  int rc = read_le(r, 4, "u32", b);
  if (rc == 0) *v = (uint32_t)le_u64(b, 4);
  return rc;
}

int sp_scale_read_u64(sp_scale_reader *r, uint64_t *v) {
  uint8_t b[8];
  int rc = read_le(r, 8, "u64", b);
  if (rc == 0) *v = le_u64(b, 8);
  return rc;
}

int sp_scale_read_u128(sp_scale_reader *r, sp_u128 *v) {
  uint8_t b[16];
  int rc = read_le(r, 16, "u128", b);
  if (rc == 0) *v = ((sp_u128)le_u64(b + 8, 8) << 64) | le_u64(b, 8);
  return rc;
}

int sp_scale_read_bool(sp_scale_reader *r, bool *v) {
  if (sp_scale_remaining(r) < 1) return truncated(r, 1, "bool");
  uint8_t b = r->data[r->pos];
  if (b > 1)
    return sp_chain_fail(r->err, SP_CHAIN_ESCALE,
                         "invalid bool byte 0x%02x at offset %zu", b, r->pos);
  r->pos++;
  *v = b == 1;
  return 0;
}

int sp_scale_read_compact(sp_scale_reader *r, sp_u128 *v) {
  size_t start = r->pos;
  if (sp_scale_remaining(r) < 1) return truncated(r, 1, "compact integer");
  uint8_t b0 = r->data[r->pos];
  size_t n;
  switch (b0 & 3) {
  case 0: n = 1; break;
  case 1: n = 2; break;
  case 2: n = 4; break;
  default: n = 1 + (size_t)(b0 >> 2) + 4; break;
  }
  if (n > 17)
    return sp_chain_fail(r->err, SP_CHAIN_ESCALE,
                         "compact integer of %zu bytes at offset %zu is wider "
                         "than 128 bits",
                         n - 1, start);
  if (sp_scale_remaining(r) < n) return truncated(r, n, "compact integer");
  const uint8_t *b = r->data + r->pos;
  sp_u128 x;
  bool canonical;
  if ((b0 & 3) == 3) {
    size_t m = n - 1;
    x = 0;
    for (size_t i = m; i-- > 0;)
      x = (x << 8) | b[1 + i];
    /* Big mode must not carry a zero top byte nor a value that fits the
     * four-byte mode (parity-scale-codec's canonical check). */
    canonical = b[m] != 0 && x >= ((sp_u128)1 << 30);
  } else {
    x = le_u64(b, n) >> 2;
    canonical =
        n == 1 || (n == 2 && x >= (1u << 6)) || (n == 4 && x >= (1u << 14));
  }
  if (!canonical)
    return sp_chain_fail(r->err, SP_CHAIN_ESCALE,
                         "non-canonical compact integer at offset %zu", start);
  r->pos += n;
  *v = x;
  return 0;
}

/* The readers below initialize what a callee fills: gcc 12 at -O2 cannot
 * see across sp_chain_fail() that every failure path returns non-zero, and
 * warns (-Wmaybe-uninitialized) that the value may be read unset. */
int sp_scale_read_compact_u32(sp_scale_reader *r, uint32_t *v) {
  size_t start = r->pos;
  sp_u128 x = 0;
  int rc = sp_scale_read_compact(r, &x);
  if (rc) return rc;
  if (x > UINT32_MAX) {
    r->pos = start;
    return sp_chain_fail(r->err, SP_CHAIN_ESCALE,
                         "compact integer at offset %zu does not fit in u32",
                         start);
  }
  *v = (uint32_t)x;
  return 0;
}

int sp_scale_read_compact_u64(sp_scale_reader *r, uint64_t *v) {
  size_t start = r->pos;
  sp_u128 x = 0;
  int rc = sp_scale_read_compact(r, &x);
  if (rc) return rc;
  if (x > UINT64_MAX) {
    r->pos = start;
    return sp_chain_fail(r->err, SP_CHAIN_ESCALE,
                         "compact integer at offset %zu does not fit in u64",
                         start);
  }
  *v = (uint64_t)x;
  return 0;
}

int sp_scale_read_bytes(sp_scale_reader *r, size_t n, const uint8_t **p) {
  if (sp_scale_remaining(r) < n) return truncated(r, n, "byte string");
  *p = r->data + r->pos;
  r->pos += n;
  return 0;
}

int sp_scale_read_length(sp_scale_reader *r, size_t min_item_size,
                         size_t *count) {
  size_t start = r->pos;
  uint32_t n = 0;
  int rc = sp_scale_read_compact_u32(r, &n);
  if (rc) return rc;
  size_t left = sp_scale_remaining(r);
  bool too_long =
      min_item_size ? (size_t)n > left / min_item_size : n > (1u << 20);
  if (too_long) {
    r->pos = start;
    return sp_chain_fail(r->err, SP_CHAIN_ESCALE,
                         "length %u at offset %zu exceeds the %zu bytes left",
                         n, start, left);
  }
  *count = n;
  return 0;
}

int sp_scale_read_byte_vec(sp_scale_reader *r, const uint8_t **p, size_t *n) {
  size_t start = r->pos;
  size_t len = 0;
  int rc = sp_scale_read_length(r, 1, &len);
  if (rc) return rc;
  rc = sp_scale_read_bytes(r, len, p);
  if (rc) {
    r->pos = start;
    return rc;
  }
  *n = len;
  return 0;
}

int sp_scale_read_string(sp_scale_reader *r, char **s) {
  size_t start = r->pos;
  const uint8_t *p = NULL;
  size_t n = 0;
  int rc = sp_scale_read_byte_vec(r, &p, &n);
  if (rc) return rc;
  if (!sp_utf8_valid(p, n) || memchr(p, 0, n) != NULL) { /* text: no NUL */
    r->pos = start;
    return sp_chain_fail(r->err, SP_CHAIN_ESCALE,
                         "string at offset %zu is not valid UTF-8 text", start);
  }
  char *copy = malloc(n + 1);
  if (!copy) {
    r->pos = start;
    return sp_chain_fail(r->err, SP_CHAIN_ENOMEM, "out of memory");
  }
  memcpy(copy, p, n);
  copy[n] = '\0';
  *s = copy;
  return 0;
}

void sp_scale_free_strings(char **v, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(v[i]);
  free(v);
}

/* Every string takes at least its one-byte length. */
int sp_scale_read_strings(sp_scale_reader *r, char ***out, size_t *n) {
  size_t count;
  int rc = sp_scale_read_length(r, 1, &count);
  if (rc) return rc;
  char **v = count ? calloc(count, sizeof *v) : NULL;
  if (count && !v)
    return sp_chain_fail(r->err, SP_CHAIN_ENOMEM, "out of memory");
  for (size_t i = 0; i < count; i++) {
    rc = sp_scale_read_string(r, &v[i]);
    if (rc) {
      sp_scale_free_strings(v, i);
      return rc;
    }
  }
  *out = v;
  *n = count;
  return 0;
}

int sp_scale_read_option(sp_scale_reader *r, bool *some) {
  if (sp_scale_remaining(r) < 1) return truncated(r, 1, "Option tag");
  uint8_t b = r->data[r->pos];
  if (b > 1)
    return sp_chain_fail(r->err, SP_CHAIN_ESCALE,
                         "invalid Option tag 0x%02x at offset %zu", b, r->pos);
  r->pos++;
  *some = b == 1;
  return 0;
}

/* ------------------------------------------------------------ writer ---- */

void sp_scale_writer_init(sp_scale_writer *w) { memset(w, 0, sizeof *w); }

void sp_scale_writer_free(sp_scale_writer *w) {
  free(w->data);
  memset(w, 0, sizeof *w);
}

int sp_scale_writer_ok(const sp_scale_writer *w) {
  return w->failed ? -SP_CHAIN_ENOMEM : 0;
}

void sp_scale_put_bytes(sp_scale_writer *w, const void *p, size_t n) {
  if (w->failed || n == 0) return;
  if (n > SIZE_MAX / 2 - w->len) {
    w->failed = true;
    return;
  }
  if (w->len + n > w->cap) {
    size_t cap = w->cap ? w->cap : 64;
    while (cap < w->len + n)
      cap *= 2;
    uint8_t *grown = realloc(w->data, cap);
    if (!grown) {
      w->failed = true;
      return;
    }
    w->data = grown;
    w->cap = cap;
  }
  memcpy(w->data + w->len, p, n);
  w->len += n;
}

static void put_le(sp_scale_writer *w, sp_u128 v, size_t n) {
  uint8_t b[16];
  for (size_t i = 0; i < n; i++)
    b[i] = (uint8_t)(v >> (8 * i));
  sp_scale_put_bytes(w, b, n);
}

void sp_scale_put_u8(sp_scale_writer *w, uint8_t v) { put_le(w, v, 1); }
void sp_scale_put_u16(sp_scale_writer *w, uint16_t v) { put_le(w, v, 2); }
void sp_scale_put_u32(sp_scale_writer *w, uint32_t v) { put_le(w, v, 4); }
void sp_scale_put_u64(sp_scale_writer *w, uint64_t v) { put_le(w, v, 8); }
void sp_scale_put_u128(sp_scale_writer *w, sp_u128 v) { put_le(w, v, 16); }
void sp_scale_put_bool(sp_scale_writer *w, bool v) { put_le(w, v ? 1 : 0, 1); }

void sp_scale_put_compact(sp_scale_writer *w, sp_u128 v) {
  if (v < (1u << 6)) {
    put_le(w, v << 2, 1);
  } else if (v < (1u << 14)) {
    put_le(w, (v << 2) | 1, 2);
  } else if (v < ((sp_u128)1 << 30)) {
    put_le(w, (v << 2) | 2, 4);
  } else {
    size_t n = 4;
    while (n < 16 && (v >> (8 * n)) != 0)
      n++;
    sp_scale_put_u8(w, (uint8_t)(((n - 4) << 2) | 3));
    put_le(w, v, n);
  }
}

void sp_scale_put_byte_vec(sp_scale_writer *w, const void *p, size_t n) {
  sp_scale_put_compact(w, n);
  sp_scale_put_bytes(w, p, n);
}

void sp_scale_put_string(sp_scale_writer *w, const char *s) {
  sp_scale_put_byte_vec(w, s, strlen(s));
}

/* ----------------------------------------------------- big integers ---- */

static void negate_le(uint8_t *b, size_t n) {
  unsigned carry = 1;
  for (size_t i = 0; i < n; i++) {
    unsigned x = (uint8_t)~b[i] + carry;
    b[i] = (uint8_t)x;
    carry = x >> 8;
  }
}

void sp_scale_le_to_decimal(const uint8_t *le, size_t n, bool is_signed,
                            char out[80]) {
  uint8_t mag[32] = {0};
  if (n > 32) n = 32;
  memcpy(mag, le, n);
  bool negative = is_signed && n > 0 && (le[n - 1] & 0x80);
  if (negative) negate_le(mag, n);
  char digits[80];
  size_t nd = 0;
  bool zero;
  do {
    unsigned rem = 0;
    zero = true;
    for (size_t i = n; i-- > 0;) {
      unsigned cur = (rem << 8) | mag[i];
      mag[i] = (uint8_t)(cur / 10);
      rem = cur % 10;
      if (mag[i]) zero = false;
    }
    digits[nd++] = (char)('0' + rem);
  } while (!zero);
  size_t o = 0;
  if (negative) out[o++] = '-';
  while (nd > 0)
    out[o++] = digits[--nd];
  out[o] = '\0';
}

int sp_scale_decimal_to_le(const char *text, size_t n, bool is_signed,
                           uint8_t *le) {
  if (n == 0 || n > 32 || !text)
    return sp_chain_fail(NULL, SP_CHAIN_ETYPE, "bad width");
  bool negative = text[0] == '-';
  const char *p = text + (negative ? 1 : 0);
  if (*p == '\0') return -SP_CHAIN_ETYPE;
  uint8_t mag[33] = {0};
  for (; *p; p++) {
    if (*p < '0' || *p > '9') return -SP_CHAIN_ETYPE;
    unsigned carry = (unsigned)(*p - '0');
    for (size_t i = 0; i < 33; i++) {
      unsigned x = mag[i] * 10u + carry;
      mag[i] = (uint8_t)x;
      carry = x >> 8;
    }
    if (carry || mag[32]) return -SP_CHAIN_ETYPE;
  }
  for (size_t i = n; i < 33; i++)
    if (mag[i]) return -SP_CHAIN_ETYPE;
  bool is_zero = true;
  for (size_t i = 0; i < n; i++)
    if (mag[i]) is_zero = false;
  if (negative && !is_signed && !is_zero) return -SP_CHAIN_ETYPE;
  if (is_signed && (mag[n - 1] & 0x80)) {
    /* Only -2^(8n-1) itself has the top bit set in magnitude form. */
    bool min_value = negative && mag[n - 1] == 0x80;
    for (size_t i = 0; min_value && i + 1 < n; i++)
      if (mag[i]) min_value = false;
    if (!min_value) return -SP_CHAIN_ETYPE;
  }
  if (negative && !is_zero) negate_le(mag, n);
  memcpy(le, mag, n);
  return 0;
}
