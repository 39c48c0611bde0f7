/* Registry-driven SCALE <-> JSON (see scale_type.h). */
#include "chain/codec/scale_type.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/hex.h"

/* Deeper nesting than any runtime type needs; stops registry cycles and
 * hostile input from exhausting the stack. */
#define MAX_DEPTH 64
/* The values (JSON nodes) one decode may produce: a fixed allowance plus a
 * few per input byte. Every value of a type that is not zero-sized takes a
 * byte, so real input stays far below; but zero-sized items carry no bytes
 * ([[(); 2^20]; 2^20] is 2^40 values from 0 bytes: 37 s and 3 GB),
 * and only this budget bounds them. */
#define VALUES_BASE (1u << 16)
#define VALUES_PER_BYTE 4
/* The budget's value once a check refused the decode for it. */
#define BUDGET_SPENT SIZE_MAX

static int nomem(sp_chain_error *err) {
  return sp_chain_fail(err, SP_CHAIN_ENOMEM, "out of memory");
}

static bool is_u8(const sp_type_registry *reg, uint32_t index) {
  const sp_type *t = sp_type_get(reg, index);
  return t && t->kind == SP_TYPE_PRIMITIVE && t->primitive == SP_PRIM_U8;
}

/* Byte width and signedness of integer primitives; 0 for the others
 * (type_registry.h: sp_primitive_describe, the one table). */
static size_t int_width(sp_primitive p, bool *is_signed) {
  sp_primitive_info info = sp_primitive_describe(p);
  *is_signed = info.is_signed;
  return info.integer ? info.size : 0;
}

/* ------------------------------------------------------- JSON helpers ---- */

json_t *sp_json_hex(const uint8_t *bytes, size_t len) {
  char *text = malloc(2 * len + 3);
  if (!text) return NULL;
  text[0] = '0';
  text[1] = 'x';
  sp_hex_encode(bytes, len, text + 2);
  json_t *s = json_string(text);
  free(text);
  return s;
}

/* A hex string of any length: *bytes is malloc'd (NULL for length 0). */
static int json_hex_any(const json_t *v, uint8_t **bytes, size_t *len) {
  if (!json_is_string(v)) return -SP_CHAIN_ETYPE;
  const char *s = json_string_value(v);
  size_t n = strlen(s);
  size_t cap = n / 2 + 1;
  uint8_t *buf = malloc(cap);
  if (!buf) return -SP_CHAIN_ENOMEM;
  size_t got;
  if (sp_hex_decode(s, 0, buf, cap, &got) != 0) {
    free(buf);
    return -SP_CHAIN_ETYPE;
  }
  *bytes = buf;
  *len = got;
  return 0;
}

int sp_json_hex_fixed(const json_t *v, uint8_t *out, size_t len) {
  if (!json_is_string(v)) return -SP_CHAIN_ETYPE;
  size_t got;
  return sp_hex_decode(json_string_value(v), len, out, len, &got) == 0
             ? 0
             : -SP_CHAIN_ETYPE;
}

/* The JSON value as n little-endian bytes (integer or decimal string). */
static int json_to_le(const json_t *v, size_t n, bool is_signed, uint8_t *le) {
  char text[32];
  const char *digits;
  if (json_is_integer(v)) {
    snprintf(text, sizeof text, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    digits = text;
  } else if (json_is_string(v)) {
    digits = json_string_value(v);
  } else {
    return -SP_CHAIN_ETYPE;
  }
  return sp_scale_decimal_to_le(digits, n, is_signed, le);
}

int sp_json_to_u128(const json_t *v, sp_u128 max, sp_u128 *out) {
  uint8_t le[16];
  if (json_to_le(v, 16, false, le) != 0) return -SP_CHAIN_ETYPE;
  sp_u128 x = 0;
  for (size_t i = 16; i-- > 0;)
    x = (x << 8) | le[i];
  if (x > max) return -SP_CHAIN_ETYPE;
  *out = x;
  return 0;
}

/* An integer as JSON: a json integer when it fits, else decimal text. */
static json_t *json_from_le(const uint8_t *le, size_t n, bool is_signed) {
  char text[80];
  sp_scale_le_to_decimal(le, n, is_signed, text);
  errno = 0;
  char *end;
  long long x = strtoll(text, &end, 10);
  if (errno == 0 && *end == '\0') return json_integer((json_int_t)x);
  return json_string(text);
}

/* ----------------------------------------------------------- decoding ---- */

static int decode(const sp_type_registry *reg, uint32_t type,
                  sp_scale_reader *r, json_t **out, int depth, size_t *left);

static int decode_fields(const sp_type_registry *reg, const sp_type_field *f,
                         size_t n, sp_scale_reader *r, json_t **out, int depth,
                         size_t *left) {
  if (n == 0) {
    *out = json_null();
    return 0;
  }
  bool named = true;
  for (size_t i = 0; i < n; i++)
    if (!f[i].name) named = false;
  if (!named && n == 1) return decode(reg, f[0].type, r, out, depth + 1, left);
  json_t *acc = named ? json_object() : json_array();
  if (!acc) return nomem(r->err);
  for (size_t i = 0; i < n; i++) {
    json_t *v;
    int rc = decode(reg, f[i].type, r, &v, depth + 1, left);
    if (rc) {
      json_decref(acc);
      if (f[i].name) return sp_chain_error_wrap(r->err, rc, "%s", f[i].name);
      return sp_chain_error_wrap(r->err, rc, "field %zu", i);
    }
    if ((named ? json_object_set_new(acc, f[i].name, v)
               : json_array_append_new(acc, v)) != 0) {
      json_decref(acc);
      return nomem(r->err);
    }
  }
  *out = acc;
  return 0;
}

static int decode_primitive(const sp_type *t, sp_scale_reader *r,
                            json_t **out) {
  bool is_signed;
  size_t width = int_width(t->primitive, &is_signed);
  json_t *v = NULL;
  if (width) {
    const uint8_t *le;
    int rc = sp_scale_read_bytes(r, width, &le);
    if (rc) return rc;
    v = json_from_le(le, width, is_signed);
  } else if (t->primitive == SP_PRIM_BOOL) {
    bool b;
    int rc = sp_scale_read_bool(r, &b);
    if (rc) return rc;
    v = json_boolean(b);
  } else if (t->primitive == SP_PRIM_STR) {
    char *s;
    int rc = sp_scale_read_string(r, &s);
    if (rc) return rc;
    v = json_string(s);
    free(s);
  } else { /* char: a Unicode scalar value as u32 */
    size_t at = r->pos;
    uint32_t cp;
    int rc = sp_scale_read_u32(r, &cp);
    if (rc) return rc;
    if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
      return sp_chain_fail(r->err, SP_CHAIN_ESCALE,
                           "invalid char 0x%x at offset %zu", cp, at);
    char u[5] = {0};
    if (cp < 0x80) {
      u[0] = (char)cp;
    } else if (cp < 0x800) {
      u[0] = (char)(0xc0 | (cp >> 6)), u[1] = (char)(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      u[0] = (char)(0xe0 | (cp >> 12));
      u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
      u[2] = (char)(0x80 | (cp & 0x3f));
    } else {
      u[0] = (char)(0xf0 | (cp >> 18));
      u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
      u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
      u[3] = (char)(0x80 | (cp & 0x3f));
    }
    v = json_string(u);
  }
  if (!v) return nomem(r->err);
  *out = v;
  return 0;
}

static int decode_compact(const sp_type_registry *reg, const sp_type *t,
                          sp_scale_reader *r, json_t **out) {
  uint32_t inner = sp_type_unwrap(reg, t->item);
  const sp_type *it = sp_type_get(reg, inner);
  if (it->kind == SP_TYPE_TUPLE && it->ntuple == 0) {
    *out = json_null(); /* Compact<()> carries no bytes */
    return 0;
  }
  bool is_signed = false;
  size_t width =
      it->kind == SP_TYPE_PRIMITIVE ? int_width(it->primitive, &is_signed) : 0;
  if (width == 0 || width > 16 || is_signed)
    return sp_chain_fail(r->err, SP_CHAIN_EMETADATA,
                         "Compact of type %u, which is not an unsigned "
                         "integer of at most 128 bits",
                         inner);
  size_t at = r->pos;
  sp_u128 x;
  int rc = sp_scale_read_compact(r, &x);
  if (rc) return rc;
  if (width < 16 && (x >> (8 * width)) != 0)
    return sp_chain_fail(r->err, SP_CHAIN_ESCALE,
                         "compact integer at offset %zu does not fit in %zu "
                         "bytes",
                         at, width);
  uint8_t le[16];
  for (size_t i = 0; i < 16; i++)
    le[i] = (uint8_t)(x >> (8 * i));
  *out = json_from_le(le, 16, false);
  return *out ? 0 : nomem(r->err);
}

static int decode_items(const sp_type_registry *reg, uint32_t item,
                        size_t count, sp_scale_reader *r, json_t **out,
                        int depth, size_t *left) {
  if (is_u8(reg, item)) {
    const uint8_t *p;
    int rc = sp_scale_read_bytes(r, count, &p);
    if (rc) return rc;
    *out = sp_json_hex(p, count);
    return *out ? 0 : nomem(r->err);
  }
  /* Refused before anything is allocated: items that cannot fit in the
   * bytes left, and zero-sized items beyond the values budget. */
  uint64_t min = sp_type_min_size(reg, item);
  if (min > 0 && count > sp_scale_remaining(r) / min)
    return sp_chain_fail(r->err, SP_CHAIN_ESCALE,
                         "%zu items of at least %" PRIu64
                         " bytes at offset %zu exceed the %zu bytes left",
                         count, min, r->pos, sp_scale_remaining(r));
  if (count > *left) {
    int rc = sp_chain_fail(r->err, SP_CHAIN_ESCALE,
                           "%zu items of a zero-sized type at offset %zu "
                           "exceed the %zu values this decode may still "
                           "produce (hostile metadata?)",
                           count, r->pos, *left);
    *left = BUDGET_SPENT;
    return rc;
  }
  json_t *arr = json_array();
  if (!arr) return nomem(r->err);
  for (size_t i = 0; i < count; i++) {
    json_t *v;
    int rc = decode(reg, item, r, &v, depth + 1, left);
    if (rc) {
      json_decref(arr);
      return sp_chain_error_wrap(r->err, rc, "item %zu", i);
    }
    if (json_array_append_new(arr, v) != 0) {
      json_decref(arr);
      return nomem(r->err);
    }
  }
  *out = arr;
  return 0;
}

static int decode_bits(const sp_type_registry *reg, const sp_type *t,
                       sp_scale_reader *r, json_t **out) {
  const sp_type *store = sp_type_get(reg, t->bit_store);
  bool is_signed;
  size_t width = store->kind == SP_TYPE_PRIMITIVE
                     ? int_width(store->primitive, &is_signed)
                     : 0;
  if (width == 0 || width > 8)
    return sp_chain_fail(r->err, SP_CHAIN_EMETADATA,
                         "bit sequence with an unsupported store type %u",
                         t->bit_store);
  /* bitvec's SCALE form: Compact<u32> bit count, then whole store words. */
  uint32_t bits;
  int rc = sp_scale_read_compact_u32(r, &bits);
  if (rc) return rc;
  size_t word_bits = 8 * width;
  size_t nbytes = ((size_t)bits + word_bits - 1) / word_bits * width;
  const uint8_t *p;
  rc = sp_scale_read_bytes(r, nbytes, &p);
  if (rc) return rc;
  *out = json_pack("{s:I,s:o}", "bits", (json_int_t)bits, "bytes",
                   sp_json_hex(p, nbytes));
  return *out ? 0 : nomem(r->err);
}

static int decode(const sp_type_registry *reg, uint32_t type,
                  sp_scale_reader *r, json_t **out, int depth, size_t *left) {
  const sp_type *t = sp_type_get(reg, type);
  if (!t)
    return sp_chain_fail(r->err, SP_CHAIN_EARG,
                         "type %u is not in the registry", type);
  if (depth > MAX_DEPTH)
    return sp_chain_fail(r->err, SP_CHAIN_ESCALE,
                         "value nested deeper than %d levels", MAX_DEPTH);
  /* The type's minimum size (computed once per registry) refuses at once
   * what cannot fit, instead of descending to find out. */
  uint64_t min = sp_type_min_size(reg, type);
  const char *name = sp_type_name(t);
  if (min == SP_TYPE_SIZE_INFINITE)
    return sp_chain_fail(r->err, SP_CHAIN_EMETADATA,
                         "type %u%s%s has no finite encoding: it contains "
                         "itself with no way out",
                         type, *name ? " " : "", name);
  if (min > sp_scale_remaining(r))
    return sp_chain_fail(r->err, SP_CHAIN_ESCALE,
                         "truncated SCALE input: type %u%s%s needs at least "
                         "%" PRIu64 " bytes at offset %zu, %zu left",
                         type, *name ? " " : "", name, min, r->pos,
                         sp_scale_remaining(r));
  if (*left == 0 || *left == BUDGET_SPENT) {
    *left = BUDGET_SPENT;
    return sp_chain_fail(r->err, SP_CHAIN_ESCALE,
                         "the value has more parts than a decode may produce "
                         "(at offset %zu; hostile metadata?)",
                         r->pos);
  }
  (*left)--;
  switch (t->kind) {
  case SP_TYPE_COMPOSITE:
    return decode_fields(reg, t->fields, t->nfields, r, out, depth, left);
  case SP_TYPE_VARIANT: {
    size_t at = r->pos;
    uint8_t index;
    int rc = sp_scale_read_u8(r, &index);
    if (rc) return rc;
    const sp_type_variant *v = sp_type_variant_by_index(t, index);
    if (!v)
      return sp_chain_fail(r->err, SP_CHAIN_ESCALE,
                           "enum %s has no variant %u (byte at offset %zu)",
                           sp_type_name(t), index, at);
    json_t *fields;
    rc = decode_fields(reg, v->fields, v->nfields, r, &fields, depth, left);
    if (rc) return sp_chain_error_wrap(r->err, rc, "%s", v->name);
    *out = json_object();
    if (!*out || json_object_set_new(*out, v->name, fields) != 0) {
      json_decref(*out);
      return nomem(r->err);
    }
    return 0;
  }
  case SP_TYPE_SEQUENCE: {
    size_t count;
    uint64_t item_min = sp_type_min_size(reg, t->item);
    int rc = sp_scale_read_length(
        r, item_min > SIZE_MAX ? SIZE_MAX : (size_t)item_min, &count);
    if (rc) return rc;
    return decode_items(reg, t->item, count, r, out, depth, left);
  }
  case SP_TYPE_ARRAY:
    return decode_items(reg, t->item, t->array_len, r, out, depth, left);
  case SP_TYPE_TUPLE: {
    if (t->ntuple == 0) {
      *out = json_null();
      return 0;
    }
    json_t *arr = json_array();
    if (!arr) return nomem(r->err);
    for (size_t i = 0; i < t->ntuple; i++) {
      json_t *v;
      int rc = decode(reg, t->tuple[i], r, &v, depth + 1, left);
      if (rc) {
        json_decref(arr);
        return sp_chain_error_wrap(r->err, rc, "tuple item %zu", i);
      }
      json_array_append_new(arr, v);
    }
    *out = arr;
    return 0;
  }
  case SP_TYPE_PRIMITIVE: return decode_primitive(t, r, out);
  case SP_TYPE_COMPACT: return decode_compact(reg, t, r, out);
  case SP_TYPE_BIT_SEQUENCE: return decode_bits(reg, t, r, out);
  }
  return sp_chain_fail(r->err, SP_CHAIN_EMETADATA, "unknown type kind");
}

int sp_scale_decode_type(const sp_type_registry *reg, uint32_t type,
                         sp_scale_reader *r, json_t **out) {
  *out = NULL;
  size_t n = sp_scale_remaining(r);
  size_t budget = VALUES_BASE + (n > (SIZE_MAX - VALUES_BASE) / VALUES_PER_BYTE
                                     ? SIZE_MAX - 1 - VALUES_BASE
                                     : VALUES_PER_BYTE * n);
  size_t left = budget;
  int rc = decode(reg, type, r, out, 0, &left);
  /* The path to where the budget ran out can be 64 levels long and would
   * crowd out the reason: say it first. */
  if (rc && left == BUDGET_SPENT)
    return sp_chain_fail(r->err, SP_CHAIN_ESCALE,
                         "a value of type %u would have more than the %zu "
                         "values one decode of %zu bytes may produce: "
                         "zero-sized items (hostile metadata?)",
                         type, budget, n);
  return rc;
}

int sp_scale_decode_type_all(const sp_type_registry *reg, uint32_t type,
                             const uint8_t *bytes, size_t len, json_t **out,
                             sp_chain_error *err) {
  sp_scale_reader r;
  sp_scale_reader_init(&r, bytes, len, err);
  json_t *v;
  int rc = sp_scale_decode_type(reg, type, &r, &v);
  if (rc) return rc;
  rc = sp_scale_expect_end(&r, "the value");
  if (rc) {
    json_decref(v);
    return rc;
  }
  *out = v;
  return 0;
}

/* ----------------------------------------------------------- encoding ---- */

static int mismatch(sp_chain_error *err, const char *want, const json_t *v) {
  static const char *const names[] = {"an object",  "an array", "a string",
                                      "an integer", "a real",   "true",
                                      "false",      "null"};
  int k = v ? (int)json_typeof(v) : 7;
  return sp_chain_fail(err, SP_CHAIN_ETYPE, "expected %s, got %s", want,
                       names[k]);
}

static int encode(const sp_type_registry *reg, uint32_t type, const json_t *v,
                  sp_scale_writer *w, sp_chain_error *err, int depth);

static bool no_value(const json_t *v) {
  return json_is_null(v) || (json_is_object(v) && json_object_size(v) == 0) ||
         (json_is_array(v) && json_array_size(v) == 0);
}

static int encode_fields(const sp_type_registry *reg, const sp_type_field *f,
                         size_t n, const json_t *v, sp_scale_writer *w,
                         sp_chain_error *err, int depth) {
  if (n == 0) return no_value(v) ? 0 : mismatch(err, "null (no fields)", v);
  bool named = true;
  for (size_t i = 0; i < n; i++)
    if (!f[i].name) named = false;
  if (!named && n == 1) return encode(reg, f[0].type, v, w, err, depth + 1);
  if (named) {
    if (!json_is_object(v)) return mismatch(err, "an object", v);
    for (size_t i = 0; i < n; i++) {
      const json_t *fv = json_object_get(v, f[i].name);
      if (!fv)
        return sp_chain_fail(err, SP_CHAIN_ETYPE, "missing field \"%s\"",
                             f[i].name);
      int rc = encode(reg, f[i].type, fv, w, err, depth + 1);
      if (rc) return sp_chain_error_wrap(err, rc, "%s", f[i].name);
    }
    if (json_object_size(v) != n) {
      const char *key;
      json_t *unused;
      json_object_foreach((json_t *)v, key, unused) {
        bool known = false;
        for (size_t i = 0; i < n; i++)
          if (strcmp(f[i].name, key) == 0) known = true;
        if (!known)
          return sp_chain_fail(err, SP_CHAIN_ETYPE, "unknown field \"%s\"",
                               key);
      }
    }
    return 0;
  }
  if (!json_is_array(v) || json_array_size(v) != n) {
    char want[48];
    snprintf(want, sizeof want, "an array of %zu values", n);
    return mismatch(err, want, v);
  }
  for (size_t i = 0; i < n; i++) {
    int rc = encode(reg, f[i].type, json_array_get(v, i), w, err, depth + 1);
    if (rc) return sp_chain_error_wrap(err, rc, "field %zu", i);
  }
  return 0;
}

/* Whether s[0..n) is exactly one UTF-8 code point other than NUL (*cp set);
 * a predicate, its false is the caller's type mismatch. */
static bool one_code_point(const char *s, size_t n, uint32_t *cp) {
  const uint8_t *u = (const uint8_t *)s;
  if (n == 1 && u[0] < 0x80)
    *cp = u[0];
  else if (n == 2 && (u[0] & 0xe0) == 0xc0)
    *cp = ((uint32_t)(u[0] & 0x1f) << 6) | (u[1] & 0x3f);
  else if (n == 3 && (u[0] & 0xf0) == 0xe0)
    *cp = ((uint32_t)(u[0] & 0x0f) << 12) | ((uint32_t)(u[1] & 0x3f) << 6) |
          (u[2] & 0x3f);
  else if (n == 4 && (u[0] & 0xf8) == 0xf0)
    *cp = ((uint32_t)(u[0] & 0x07) << 18) | ((uint32_t)(u[1] & 0x3f) << 12) |
          ((uint32_t)(u[2] & 0x3f) << 6) | (u[3] & 0x3f);
  else
    return false;
  return *cp != 0; /* jansson strings are valid UTF-8 already */
}

static int encode_primitive(const sp_type *t, const json_t *v,
                            sp_scale_writer *w, sp_chain_error *err) {
  bool is_signed;
  size_t width = int_width(t->primitive, &is_signed);
  if (width) {
    uint8_t le[32];
    if (!json_is_integer(v) && !json_is_string(v))
      return mismatch(err, "an integer or a decimal string", v);
    if (json_to_le(v, width, is_signed, le) != 0)
      return sp_chain_fail(err, SP_CHAIN_ETYPE,
                           "value is not %s %zu-bit integer",
                           is_signed ? "a signed" : "an unsigned", 8 * width);
    sp_scale_put_bytes(w, le, width);
    return 0;
  }
  switch (t->primitive) {
  case SP_PRIM_BOOL:
    if (!json_is_boolean(v)) return mismatch(err, "true or false", v);
    sp_scale_put_bool(w, json_is_true(v));
    return 0;
  case SP_PRIM_STR:
    if (!json_is_string(v)) return mismatch(err, "a string", v);
    sp_scale_put_byte_vec(w, json_string_value(v), json_string_length(v));
    return 0;
  default: { /* char */
    uint32_t cp;
    if (!json_is_string(v) ||
        !one_code_point(json_string_value(v), json_string_length(v), &cp))
      return mismatch(err, "a one-character string", v);
    sp_scale_put_u32(w, cp);
    return 0;
  }
  }
}

static int encode_compact(const sp_type_registry *reg, const sp_type *t,
                          const json_t *v, sp_scale_writer *w,
                          sp_chain_error *err) {
  uint32_t inner = sp_type_unwrap(reg, t->item);
  const sp_type *it = sp_type_get(reg, inner);
  if (it->kind == SP_TYPE_TUPLE && it->ntuple == 0)
    return no_value(v) ? 0 : mismatch(err, "null", v);
  bool is_signed = false;
  size_t width =
      it->kind == SP_TYPE_PRIMITIVE ? int_width(it->primitive, &is_signed) : 0;
  if (width == 0 || width > 16 || is_signed)
    return sp_chain_fail(err, SP_CHAIN_EUNSUPPORTED,
                         "Compact of type %u is not an unsigned integer of "
                         "at most 128 bits",
                         inner);
  sp_u128 max = width == 16 ? ~(sp_u128)0 : (((sp_u128)1 << (8 * width)) - 1);
  sp_u128 x;
  if (sp_json_to_u128(v, max, &x) != 0)
    return sp_chain_fail(err, SP_CHAIN_ETYPE,
                         "value is not an unsigned %zu-bit integer", 8 * width);
  sp_scale_put_compact(w, x);
  return 0;
}

static int encode_items(const sp_type_registry *reg, uint32_t item,
                        const json_t *v, bool with_length, size_t fixed_len,
                        sp_scale_writer *w, sp_chain_error *err, int depth) {
  if (is_u8(reg, item) && json_is_string(v)) {
    uint8_t *bytes;
    size_t n;
    int rc = json_hex_any(v, &bytes, &n);
    if (rc == -SP_CHAIN_ENOMEM) return nomem(err);
    if (rc) return sp_chain_fail(err, SP_CHAIN_ETYPE, "invalid hex string");
    if (!with_length && n != fixed_len) {
      free(bytes);
      return sp_chain_fail(err, SP_CHAIN_ETYPE, "expected %zu bytes, got %zu",
                           fixed_len, n);
    }
    if (with_length) sp_scale_put_compact(w, n);
    sp_scale_put_bytes(w, bytes, n);
    free(bytes);
    return 0;
  }
  if (!json_is_array(v))
    return mismatch(
        err, is_u8(reg, item) ? "a hex string or an array" : "an array", v);
  size_t n = json_array_size(v);
  if (!with_length && n != fixed_len)
    return sp_chain_fail(err, SP_CHAIN_ETYPE, "expected %zu items, got %zu",
                         fixed_len, n);
  if (with_length) sp_scale_put_compact(w, n);
  for (size_t i = 0; i < n; i++) {
    int rc = encode(reg, item, json_array_get(v, i), w, err, depth + 1);
    if (rc) return sp_chain_error_wrap(err, rc, "item %zu", i);
  }
  return 0;
}

static int encode_variant(const sp_type_registry *reg, const sp_type *t,
                          const json_t *v, sp_scale_writer *w,
                          sp_chain_error *err, int depth) {
  const char *name;
  const json_t *fields;
  if (json_is_string(v)) {
    name = json_string_value(v);
    fields = NULL;
  } else if (json_is_object(v) && json_object_size(v) == 1) {
    void *it = json_object_iter((json_t *)v);
    name = json_object_iter_key(it);
    fields = json_object_iter_value(it);
  } else {
    return mismatch(err, "{\"Variant\": value} or \"Variant\"", v);
  }
  const sp_type_variant *var = sp_type_variant_by_name(t, name);
  if (!var)
    return sp_chain_fail(err, SP_CHAIN_ETYPE, "enum %s has no variant \"%s\"",
                         sp_type_name(t), name);
  sp_scale_put_u8(w, var->index);
  json_t *null_value = NULL;
  if (!fields) fields = null_value = json_null();
  int rc = encode_fields(reg, var->fields, var->nfields, fields, w, err, depth);
  json_decref(null_value);
  return rc ? sp_chain_error_wrap(err, rc, "%s", var->name) : 0;
}

static int encode(const sp_type_registry *reg, uint32_t type, const json_t *v,
                  sp_scale_writer *w, sp_chain_error *err, int depth) {
  const sp_type *t = sp_type_get(reg, type);
  if (!t)
    return sp_chain_fail(err, SP_CHAIN_EARG, "type %u is not in the registry",
                         type);
  if (depth > MAX_DEPTH)
    return sp_chain_fail(err, SP_CHAIN_ETYPE,
                         "value nested deeper than %d levels", MAX_DEPTH);
  if (!v) return mismatch(err, "a value", v);
  int rc;
  switch (t->kind) {
  case SP_TYPE_COMPOSITE:
    rc = encode_fields(reg, t->fields, t->nfields, v, w, err, depth);
    break;
  case SP_TYPE_VARIANT: rc = encode_variant(reg, t, v, w, err, depth); break;
  case SP_TYPE_SEQUENCE:
    rc = encode_items(reg, t->item, v, true, 0, w, err, depth);
    break;
  case SP_TYPE_ARRAY:
    rc = encode_items(reg, t->item, v, false, t->array_len, w, err, depth);
    break;
  case SP_TYPE_TUPLE:
    if (t->ntuple == 0) {
      rc = no_value(v) ? 0 : mismatch(err, "null", v);
    } else if (!json_is_array(v) || json_array_size(v) != t->ntuple) {
      char want[48];
      snprintf(want, sizeof want, "an array of %zu values", t->ntuple);
      rc = mismatch(err, want, v);
    } else {
      rc = 0;
      for (size_t i = 0; i < t->ntuple && !rc; i++) {
        rc = encode(reg, t->tuple[i], json_array_get(v, i), w, err, depth + 1);
        if (rc) rc = sp_chain_error_wrap(err, rc, "tuple item %zu", i);
      }
    }
    break;
  case SP_TYPE_PRIMITIVE: rc = encode_primitive(t, v, w, err); break;
  case SP_TYPE_COMPACT: rc = encode_compact(reg, t, v, w, err); break;
  default:
    rc = sp_chain_fail(err, SP_CHAIN_EUNSUPPORTED,
                       "encoding bit sequences is not supported");
  }
  if (rc == 0 && sp_scale_writer_ok(w) != 0) return nomem(err);
  return rc;
}

int sp_scale_encode_type(const sp_type_registry *reg, uint32_t type,
                         const json_t *value, sp_scale_writer *w,
                         sp_chain_error *err) {
  return encode(reg, type, value, w, err, 0);
}
