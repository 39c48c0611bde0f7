/*
 * SCALE: fixed integers, all four compact modes up to u128 with canonical
 * checks, bool, Option, strings, lengths and big decimals; the type
 * registry parser; the registry-driven JSON codec on every kind of type
 * (hand-built registry) including bounds, depth limits and a seeded
 * decode/re-encode property over random bytes, also on finney's types.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "chain/codec/metadata.h"
#include "chain/codec/scale.h"
#include "chain/codec/scale_type.h"
#include "chain/codec/type_registry.h"
#include "reference/reference.h"
#include "regress/support/chain_fixture.h"

static size_t unhex(const char *hex, uint8_t *out, size_t cap) {
  size_t n = 0;
  cr_assert_eq(sp_hex_decode(hex, 0, out, cap, &n), 0, "%s", hex);
  return n;
}

/* ------------------------------------------------------------ compact */

static void compact_is(sp_u128 v, const char *hex) {
  sp_scale_writer w;
  sp_scale_writer_init(&w);
  sp_scale_put_compact(&w, v);
  char got[80];
  sp_hex_encode(w.data, w.len, got);
  cr_expect_str_eq(got, hex);
  sp_scale_reader r;
  sp_scale_reader_init(&r, w.data, w.len, NULL);
  sp_u128 back = 0;
  cr_expect_eq(sp_scale_read_compact(&r, &back), 0, "%s", hex);
  cr_expect(back == v, "%s round trips", hex);
  cr_expect_eq(sp_scale_remaining(&r), 0);
  sp_scale_writer_free(&w);
}

Test(chain_scale, compact_all_modes) {
  compact_is(0, "00");
  compact_is(1, "04");
  compact_is(63, "fc");
  compact_is(64, "0101");
  compact_is(69, "1501"); /* parity-scale-codec's doc example */
  compact_is(16383, "fdff");
  compact_is(16384, "02000100");
  compact_is(65535, "feff0300");
  compact_is((1u << 30) - 1, "feffffff");
  compact_is(1u << 30, "0300000040");
  compact_is(UINT32_MAX, "03ffffffff");
  compact_is((sp_u128)UINT32_MAX + 1, "070000000001");
  compact_is(UINT64_MAX, "13ffffffffffffffff");
  compact_is(~(sp_u128)0, "33ffffffffffffffffffffffffffffffff");
  compact_is(1000000000000ULL, "070010a5d4e8"); /* 1000 TAO in rao */
}

static void compact_refused(const char *hex, const char *why) {
  uint8_t b[40];
  size_t n = unhex(hex, b, sizeof b);
  sp_scale_reader r;
  sp_chain_error err = {0};
  sp_scale_reader_init(&r, b, n, &err);
  sp_u128 v;
  cr_expect_eq(sp_scale_read_compact(&r, &v), -SP_CHAIN_ESCALE, "%s", hex);
  cr_expect_eq(r.pos, 0, "the reader does not move on error");
  cr_expect(strstr(err.message, why) != NULL, "%s: %s", hex, err.message);
}

Test(chain_scale, compact_refusals) {
  compact_refused("0100", "non-canonical");       /* 0 in two-byte mode */
  compact_refused("fd00", "non-canonical");       /* 63 in two-byte mode */
  compact_refused("02000000", "non-canonical");   /* 0 in four-byte mode */
  compact_refused("feff0000", "non-canonical");   /* 16383 in four-byte mode */
  compact_refused("0300000000", "non-canonical"); /* big mode, zero */
  compact_refused("03ffffff3f", "non-canonical"); /* 2^30-1 in big mode */
  compact_refused("07ffffffff00", "non-canonical"); /* zero top byte */
  compact_refused("37ffffffffffffffffffffffffffffffffff", "wider than 128");
  compact_refused("", "truncated");
  compact_refused("01", "truncated");
  compact_refused("020000", "truncated");
  compact_refused("13ffffffffffffff", "truncated");
  /* narrower reads */
  uint8_t b[16];
  size_t n = unhex("070000000001", b, sizeof b); /* 2^32 */
  sp_scale_reader r;
  sp_chain_error err = {0};
  sp_scale_reader_init(&r, b, n, &err);
  uint32_t v32;
  cr_expect_eq(sp_scale_read_compact_u32(&r, &v32), -SP_CHAIN_ESCALE);
  cr_expect_eq(r.pos, 0);
  uint64_t v64;
  cr_expect_eq(sp_scale_read_compact_u64(&r, &v64), 0);
  cr_expect_eq(v64, (uint64_t)UINT32_MAX + 1);
  n = unhex("17000000000000000001", b, sizeof b); /* 2^64 */
  sp_scale_reader_init(&r, b, n, &err);
  cr_expect_eq(sp_scale_read_compact_u64(&r, &v64), -SP_CHAIN_ESCALE);
}

/* --------------------------------------------------- fixed, bool, ... */

Test(chain_scale, fixed_ints_bool_option_strings) {
  sp_scale_writer w;
  sp_scale_writer_init(&w);
  sp_scale_put_u8(&w, 0xab);
  sp_scale_put_u16(&w, 0x1234);
  sp_scale_put_u32(&w, 0xdeadbeef);
  sp_scale_put_u64(&w, 0x0102030405060708ULL);
  sp_scale_put_u128(&w, ((sp_u128)0x1122334455667788ULL << 64) | 0x99);
  sp_scale_put_bool(&w, true);
  sp_scale_put_string(&w, "héllo");
  cr_assert_eq(sp_scale_writer_ok(&w), 0);
  char hex[200];
  sp_hex_encode(w.data, w.len, hex);
  cr_expect_str_eq(hex, "ab3412efbeadde0807060504030201"
                        "99000000000000008877665544332211"
                        "01"
                        "1868c3a96c6c6f");
  sp_scale_reader r;
  sp_scale_reader_init(&r, w.data, w.len, NULL);
  uint8_t a;
  uint16_t b;
  uint32_t c;
  uint64_t d;
  sp_u128 e;
  bool f;
  char *s;
  cr_assert_eq(sp_scale_read_u8(&r, &a), 0);
  cr_assert_eq(sp_scale_read_u16(&r, &b), 0);
  cr_assert_eq(sp_scale_read_u32(&r, &c), 0);
  cr_assert_eq(sp_scale_read_u64(&r, &d), 0);
  cr_assert_eq(sp_scale_read_u128(&r, &e), 0);
  cr_assert_eq(sp_scale_read_bool(&r, &f), 0);
  cr_assert_eq(sp_scale_read_string(&r, &s), 0);
  cr_expect(a == 0xab && b == 0x1234 && c == 0xdeadbeef &&
            d == 0x0102030405060708ULL && f);
  cr_expect(e == (((sp_u128)0x1122334455667788ULL << 64) | 0x99));
  cr_expect_str_eq(s, "héllo");
  free(s);
  cr_expect_eq(sp_scale_expect_end(&r, "x"), 0);
  cr_expect_eq(sp_scale_read_u8(&r, &a), -SP_CHAIN_ESCALE);
  sp_scale_writer_free(&w);

  uint8_t buf[16];
  sp_chain_error err = {0};
  size_t n = unhex("02", buf, sizeof buf);
  sp_scale_reader_init(&r, buf, n, &err);
  cr_expect_eq(sp_scale_read_bool(&r, &f), -SP_CHAIN_ESCALE);
  cr_expect(strstr(err.message, "invalid bool") != NULL);
  bool some;
  cr_expect_eq(sp_scale_read_option(&r, &some), -SP_CHAIN_ESCALE);
  n = unhex("01", buf, sizeof buf);
  sp_scale_reader_init(&r, buf, n, &err);
  cr_expect_eq(sp_scale_read_option(&r, &some), 0);
  cr_expect(some);
  /* strings: invalid UTF-8, embedded NUL, overlong, length past the end */
  static const char *bad[] = {"08c328", "0c610062", "08c0af", "1061"};
  for (size_t i = 0; i < 4; i++) {
    n = unhex(bad[i], buf, sizeof buf);
    sp_scale_reader_init(&r, buf, n, &err);
    cr_expect_eq(sp_scale_read_string(&r, &s), -SP_CHAIN_ESCALE, "%s", bad[i]);
    cr_expect_eq(r.pos, 0);
  }
  /* a length that cannot fit in what is left */
  n = unhex("fdff00", buf, sizeof buf);
  sp_scale_reader_init(&r, buf, n, &err);
  size_t count;
  cr_expect_eq(sp_scale_read_length(&r, 1, &count), -SP_CHAIN_ESCALE);
  cr_expect(strstr(err.message, "exceeds") != NULL, "%s", err.message);
  sp_scale_reader_init(&r, buf, n, &err);
  cr_expect_eq(sp_scale_read_length(&r, 0, &count), 0, "empty items: ok");
  cr_expect_eq(count, 16383);
  /* a reader over NULL is empty, not a crash */
  sp_scale_reader_init(&r, NULL, 99, &err);
  cr_expect_eq(sp_scale_read_u8(&r, &a), -SP_CHAIN_ESCALE);
}

Test(chain_scale, big_decimals) {
  uint8_t le[32];
  char text[80];
  memset(le, 0xff, 32);
  sp_scale_le_to_decimal(le, 16, false, text);
  cr_expect_str_eq(text, "340282366920938463463374607431768211455");
  sp_scale_le_to_decimal(le, 16, true, text);
  cr_expect_str_eq(text, "-1");
  sp_scale_le_to_decimal(le, 32, false, text);
  cr_expect_str_eq(text, "115792089237316195423570985008687907853269984665640"
                         "564039457584007913129639935");
  memset(le, 0, 32);
  le[15] = 0x80;
  sp_scale_le_to_decimal(le, 16, true, text);
  cr_expect_str_eq(text, "-170141183460469231731687303715884105728");
  sp_scale_le_to_decimal(le, 1, false, text);
  cr_expect_str_eq(text, "0");

  uint8_t out[32];
  cr_expect_eq(sp_scale_decimal_to_le(
                   "-170141183460469231731687303715884105728", 16, true, out),
               0);
  cr_expect_arr_eq(out, le, 16);
  cr_expect_eq(sp_scale_decimal_to_le("170141183460469231731687303715884105728",
                                      16, true, out),
               -SP_CHAIN_ETYPE, "i128 max + 1");
  cr_expect_eq(sp_scale_decimal_to_le("340282366920938463463374607431768211456",
                                      16, false, out),
               -SP_CHAIN_ETYPE, "u128 max + 1");
  cr_expect_eq(sp_scale_decimal_to_le("255", 1, false, out), 0);
  cr_expect_eq(out[0], 255);
  cr_expect_eq(sp_scale_decimal_to_le("256", 1, false, out), -SP_CHAIN_ETYPE);
  cr_expect_eq(sp_scale_decimal_to_le("-128", 1, true, out), 0);
  cr_expect_eq(out[0], 0x80);
  cr_expect_eq(sp_scale_decimal_to_le("-129", 1, true, out), -SP_CHAIN_ETYPE);
  cr_expect_eq(sp_scale_decimal_to_le("-1", 1, false, out), -SP_CHAIN_ETYPE);
  cr_expect_eq(sp_scale_decimal_to_le("-0", 1, false, out), 0);
  cr_expect_eq(sp_scale_decimal_to_le("", 4, false, out), -SP_CHAIN_ETYPE);
  cr_expect_eq(sp_scale_decimal_to_le("12a", 4, false, out), -SP_CHAIN_ETYPE);
  cr_expect_eq(sp_scale_decimal_to_le(" 1", 4, false, out), -SP_CHAIN_ETYPE);
  cr_expect_eq(sp_scale_decimal_to_le(
                   "99999999999999999999999999999999999999999999999999999999"
                   "999999999999999999999999",
                   32, false, out),
               -SP_CHAIN_ETYPE);
}

/* ---------------------------------------------- a hand-built registry */

enum {
  T_U8,
  T_U16,
  T_U32,
  T_U64,
  T_U128,
  T_BOOL,
  T_STR,
  T_CHAR,
  T_I8,
  T_I64,
  T_I128,
  T_U256,
  T_BYTES,
  T_ARR4,
  T_TUPLE,
  T_UNIT,
  T_CU32,
  T_CU128,
  T_NAMED,
  T_WRAP,
  T_PAIR,
  T_OPTION,
  T_ENUM,
  T_VEC16,
  T_CYCLE,
  T_BITS,
  T_VECUNIT,
  T_ARR16,
  T_EMPTY,
  T_CWRAP,
  T_COUNT
};

typedef struct field {
  const char *name;
  uint32_t type;
} field;

static void begin(sp_scale_writer *w, uint32_t id, const char *name) {
  sp_scale_put_compact(w, id);
  sp_scale_put_compact(w, name ? 1 : 0);
  if (name) sp_scale_put_string(w, name);
  sp_scale_put_compact(w, 0); /* params */
}

static void put_fields(sp_scale_writer *w, size_t n, const field *f) {
  sp_scale_put_compact(w, n);
  for (size_t i = 0; i < n; i++) {
    sp_scale_put_u8(w, f[i].name ? 1 : 0);
    if (f[i].name) sp_scale_put_string(w, f[i].name);
    sp_scale_put_compact(w, f[i].type);
    sp_scale_put_u8(w, 0);      /* type_name: None */
    sp_scale_put_compact(w, 0); /* docs */
  }
}

static void prim(sp_scale_writer *w, uint32_t id, uint8_t p) {
  begin(w, id, NULL);
  sp_scale_put_u8(w, 5);
  sp_scale_put_u8(w, p);
  sp_scale_put_compact(w, 0);
}

static void one(sp_scale_writer *w, uint32_t id, uint8_t kind, uint32_t item) {
  begin(w, id, NULL);
  sp_scale_put_u8(w, kind);
  sp_scale_put_compact(w, item);
  sp_scale_put_compact(w, 0);
}

static void array(sp_scale_writer *w, uint32_t id, uint32_t len,
                  uint32_t item) {
  begin(w, id, NULL);
  sp_scale_put_u8(w, 3);
  sp_scale_put_u32(w, len);
  sp_scale_put_compact(w, item);
  sp_scale_put_compact(w, 0);
}

static void composite(sp_scale_writer *w, uint32_t id, const char *name,
                      size_t n, const field *f) {
  begin(w, id, name);
  sp_scale_put_u8(w, 0);
  put_fields(w, n, f);
  sp_scale_put_compact(w, 0);
}

static sp_type_registry reg;

static void build_registry(void) {
  sp_scale_writer w;
  sp_scale_writer_init(&w);
  sp_scale_put_compact(&w, T_COUNT);
  static const uint8_t prims[] = {3, 4, 5, 6, 7, 0, 2, 1, 9, 12, 13, 8};
  for (uint32_t i = 0; i < sizeof prims; i++)
    prim(&w, i, prims[i]);
  one(&w, T_BYTES, 2, T_U8);
  array(&w, T_ARR4, 4, T_U8);
  begin(&w, T_TUPLE, NULL);
  sp_scale_put_u8(&w, 4);
  sp_scale_put_compact(&w, 2);
  sp_scale_put_compact(&w, T_U16);
  sp_scale_put_compact(&w, T_BOOL);
  sp_scale_put_compact(&w, 0);
  begin(&w, T_UNIT, NULL);
  sp_scale_put_u8(&w, 4);
  sp_scale_put_compact(&w, 0);
  sp_scale_put_compact(&w, 0);
  one(&w, T_CU32, 6, T_U32);
  one(&w, T_CU128, 6, T_U128);
  composite(&w, T_NAMED, "Named", 2, (field[]){{"a", T_U16}, {"b", T_BYTES}});
  composite(&w, T_WRAP, "Wrap", 1, (field[]){{NULL, T_U64}});
  composite(&w, T_PAIR, "Pair", 2, (field[]){{NULL, T_U8}, {NULL, T_U8}});
  begin(&w, T_OPTION, "Option");
  sp_scale_put_u8(&w, 1);
  sp_scale_put_compact(&w, 2);
  sp_scale_put_string(&w, "None");
  put_fields(&w, 0, NULL);
  sp_scale_put_u8(&w, 0);
  sp_scale_put_compact(&w, 0);
  sp_scale_put_string(&w, "Some");
  put_fields(&w, 1, (field[]){{NULL, T_U16}});
  sp_scale_put_u8(&w, 1);
  sp_scale_put_compact(&w, 0);
  sp_scale_put_compact(&w, 0);
  begin(&w, T_ENUM, "Kind");
  sp_scale_put_u8(&w, 1);
  sp_scale_put_compact(&w, 3);
  sp_scale_put_string(&w, "A");
  put_fields(&w, 0, NULL);
  sp_scale_put_u8(&w, 0);
  sp_scale_put_compact(&w, 0);
  sp_scale_put_string(&w, "B");
  put_fields(&w, 1, (field[]){{"x", T_U32}});
  sp_scale_put_u8(&w, 5);
  sp_scale_put_compact(&w, 0);
  sp_scale_put_string(&w, "C");
  put_fields(&w, 2, (field[]){{NULL, T_U8}, {NULL, T_U8}});
  sp_scale_put_u8(&w, 9);
  sp_scale_put_compact(&w, 0);
  sp_scale_put_compact(&w, 0);
  one(&w, T_VEC16, 2, T_U16);
  composite(&w, T_CYCLE, "Cycle", 1, (field[]){{"next", T_CYCLE}});
  begin(&w, T_BITS, NULL);
  sp_scale_put_u8(&w, 7);
  sp_scale_put_compact(&w, T_U8);
  sp_scale_put_compact(&w, T_UNIT);
  sp_scale_put_compact(&w, 0);
  one(&w, T_VECUNIT, 2, T_UNIT);
  array(&w, T_ARR16, 2, T_U16);
  composite(&w, T_EMPTY, "Empty", 0, NULL);
  one(&w, T_CWRAP, 6, T_WRAP);
  cr_assert_eq(sp_scale_writer_ok(&w), 0);
  sp_scale_reader r;
  sp_chain_error err = {0};
  sp_scale_reader_init(&r, w.data, w.len, &err);
  cr_assert_eq(sp_type_registry_parse(&r, &reg), 0, "%s", err.message);
  cr_assert_eq(sp_scale_expect_end(&r, "registry"), 0);
  sp_scale_writer_free(&w);
}

static void free_registry(void) { sp_type_registry_free(&reg); }

/* Encodes `json` as `type`, expects `hex`, decodes back to `want_json`
 * (NULL: the same JSON). */
static void codec(uint32_t type, const char *json, const char *hex,
                  const char *want_json) {
  json_error_t jerr;
  json_t *v = json_loads(json, JSON_DECODE_ANY, &jerr);
  cr_assert_not_null(v, "%s: %s", json, jerr.text);
  sp_scale_writer w;
  sp_scale_writer_init(&w);
  sp_chain_error err = {0};
  cr_assert_eq(sp_scale_encode_type(&reg, type, v, &w, &err), 0, "%s: %s", json,
               err.message);
  char *got = malloc(2 * w.len + 1);
  sp_hex_encode(w.data, w.len, got);
  cr_expect_str_eq(got, hex, "encoding %s", json);
  json_t *back;
  cr_assert_eq(sp_scale_decode_type_all(&reg, type, w.data, w.len, &back, &err),
               0, "%s: %s", hex, err.message);
  json_t *want =
      want_json ? json_loads(want_json, JSON_DECODE_ANY, NULL) : json_incref(v);
  char *b = json_dumps(back, JSON_ENCODE_ANY);
  cr_expect(json_equal(back, want), "%s decodes to %s", hex, b);
  free(b);
  json_decref(want);
  json_decref(back);
  json_decref(v);
  free(got);
  sp_scale_writer_free(&w);
}

Test(chain_scale, registry_codec_every_kind, .init = build_registry,
     .fini = free_registry) {
  codec(T_U8, "255", "ff", NULL);
  codec(T_U16, "\"513\"", "0102", "513");
  codec(T_U32, "4294967295", "ffffffff", NULL);
  codec(T_U64, "\"18446744073709551615\"", "ffffffffffffffff", NULL);
  codec(T_U64, "9223372036854775807", "ffffffffffffff7f", NULL);
  codec(T_U128, "\"340282366920938463463374607431768211455\"",
        "ffffffffffffffffffffffffffffffff", NULL);
  codec(T_I8, "-1", "ff", NULL);
  codec(T_I64, "-9223372036854775808", "0000000000000080", NULL);
  codec(T_I128, "\"-170141183460469231731687303715884105728\"",
        "00000000000000000000000000000080", NULL);
  codec(T_U256, "1",
        "0100000000000000000000000000000000000000000000000000000000000000",
        NULL);
  codec(T_BOOL, "true", "01", NULL);
  codec(T_STR, "\"hé\"", "0c68c3a9", NULL);
  codec(T_CHAR, "\"€\"", "ac200000", NULL);
  codec(T_BYTES, "\"0xdeadbeef\"", "10deadbeef", NULL);
  codec(T_BYTES, "[1, 2]", "080102", "\"0x0102\"");
  codec(T_BYTES, "\"0x\"", "00", NULL);
  codec(T_ARR4, "\"0x01020304\"", "01020304", NULL);
  codec(T_TUPLE, "[258, false]", "020100", NULL);
  codec(T_UNIT, "null", "", NULL);
  codec(T_UNIT, "[]", "", "null");
  codec(T_CU32, "16384", "02000100", NULL);
  codec(T_CU128, "\"340282366920938463463374607431768211455\"",
        "33ffffffffffffffffffffffffffffffff", NULL);
  codec(T_CWRAP, "1000000000000", "070010a5d4e8", NULL);
  codec(T_NAMED, "{\"a\": 1, \"b\": \"0x05\"}", "01000405", NULL);
  codec(T_WRAP, "7", "0700000000000000", NULL);
  codec(T_PAIR, "[1, 2]", "0102", NULL);
  codec(T_OPTION, "{\"None\": null}", "00", NULL);
  codec(T_OPTION, "\"None\"", "00", "{\"None\": null}");
  codec(T_OPTION, "{\"Some\": 513}", "010102", NULL);
  codec(T_ENUM, "\"A\"", "00", "{\"A\": null}");
  codec(T_ENUM, "{\"B\": {\"x\": 1}}", "0501000000", NULL);
  codec(T_ENUM, "{\"C\": [7, 8]}", "090708", NULL);
  codec(T_VEC16, "[1, 65535]", "080100ffff", NULL);
  codec(T_VEC16, "[]", "00", NULL);
  codec(T_VECUNIT, "[null, null, null]", "0c", NULL);
  codec(T_ARR16, "[1, 2]", "01000200", NULL);
  codec(T_EMPTY, "{}", "", "null");
}

static void encode_refused(uint32_t type, const char *json, int code,
                           const char *needle) {
  json_t *v = json_loads(json, JSON_DECODE_ANY, NULL);
  cr_assert_not_null(v, "%s", json);
  sp_scale_writer w;
  sp_scale_writer_init(&w);
  sp_chain_error err = {0};
  cr_expect_eq(sp_scale_encode_type(&reg, type, v, &w, &err), code, "%s", json);
  cr_expect(strstr(err.message, needle) != NULL, "%s -> %s", json, err.message);
  sp_scale_writer_free(&w);
  json_decref(v);
}

Test(chain_scale, registry_encode_refusals, .init = build_registry,
     .fini = free_registry) {
  encode_refused(T_U8, "256", -SP_CHAIN_ETYPE, "unsigned 8-bit");
  encode_refused(T_U8, "-1", -SP_CHAIN_ETYPE, "unsigned 8-bit");
  encode_refused(T_I8, "128", -SP_CHAIN_ETYPE, "signed 8-bit");
  encode_refused(T_U32, "1.5", -SP_CHAIN_ETYPE, "integer");
  encode_refused(T_U32, "true", -SP_CHAIN_ETYPE, "got true");
  encode_refused(T_U64, "\"0x10\"", -SP_CHAIN_ETYPE, "unsigned 64-bit");
  encode_refused(T_BOOL, "1", -SP_CHAIN_ETYPE, "true or false");
  encode_refused(T_STR, "5", -SP_CHAIN_ETYPE, "a string");
  encode_refused(T_CHAR, "\"ab\"", -SP_CHAIN_ETYPE, "one-character");
  encode_refused(T_BYTES, "\"0xabc\"", -SP_CHAIN_ETYPE, "invalid hex");
  encode_refused(T_BYTES, "[256]", -SP_CHAIN_ETYPE, "item 0");
  encode_refused(T_ARR4, "\"0x010203\"", -SP_CHAIN_ETYPE,
                 "expected 4 bytes, got 3");
  encode_refused(T_ARR16, "[1]", -SP_CHAIN_ETYPE, "expected 2 items");
  encode_refused(T_TUPLE, "[1]", -SP_CHAIN_ETYPE, "array of 2");
  encode_refused(T_UNIT, "0", -SP_CHAIN_ETYPE, "null");
  encode_refused(T_CU32, "4294967296", -SP_CHAIN_ETYPE, "unsigned 32-bit");
  encode_refused(T_NAMED, "{\"a\": 1}", -SP_CHAIN_ETYPE, "missing field \"b\"");
  encode_refused(T_NAMED, "{\"a\": 1, \"b\": \"0x\", \"c\": 2}",
                 -SP_CHAIN_ETYPE, "unknown field \"c\"");
  encode_refused(T_NAMED, "{\"a\": 70000, \"b\": \"0x\"}", -SP_CHAIN_ETYPE,
                 "a: value is not an unsigned 16-bit");
  encode_refused(T_NAMED, "[1, 2]", -SP_CHAIN_ETYPE, "an object");
  encode_refused(T_PAIR, "[1, 2, 3]", -SP_CHAIN_ETYPE, "array of 2");
  encode_refused(T_OPTION, "{\"Maybe\": 1}", -SP_CHAIN_ETYPE,
                 "no variant \"Maybe\"");
  encode_refused(T_OPTION, "{\"Some\": 1, \"None\": null}", -SP_CHAIN_ETYPE,
                 "Variant");
  encode_refused(T_OPTION, "\"Some\"", -SP_CHAIN_ETYPE, "Some");
  encode_refused(T_ENUM, "{\"B\": {\"x\": -1}}", -SP_CHAIN_ETYPE, "B: x");
  encode_refused(T_EMPTY, "1", -SP_CHAIN_ETYPE, "no fields");
  encode_refused(T_BITS, "{\"bits\": 0, \"bytes\": \"0x\"}",
                 -SP_CHAIN_EUNSUPPORTED, "bit sequences");
  /* nesting past the limit */
  char deep[1200] = "";
  for (int i = 0; i < 80; i++)
    strcat(deep, "{\"next\":");
  strcat(deep, "null");
  for (int i = 0; i < 80; i++)
    strcat(deep, "}");
  encode_refused(T_CYCLE, deep, -SP_CHAIN_ETYPE, "deeper than 64");
  encode_refused(999, "1", -SP_CHAIN_EARG, "not in the registry");
}

static void decode_refused(uint32_t type, const char *hex, const char *needle) {
  uint8_t b[64];
  size_t n = unhex(hex, b, sizeof b);
  json_t *v = NULL;
  sp_chain_error err = {0};
  cr_expect_lt(sp_scale_decode_type_all(&reg, type, b, n, &v, &err), 0, "%s",
               hex);
  cr_expect_null(v);
  cr_expect(strstr(err.message, needle) != NULL, "%s -> %s", hex, err.message);
}

Test(chain_scale, registry_decode_refusals, .init = build_registry,
     .fini = free_registry) {
  decode_refused(T_U32, "010203", "truncated");
  decode_refused(T_U32, "0102030405", "trailing");
  decode_refused(T_BOOL, "07", "invalid bool");
  decode_refused(T_OPTION, "02", "no variant 2");
  decode_refused(T_ENUM, "01", "no variant 1");
  decode_refused(T_ENUM, "0501", "B: x: truncated");
  decode_refused(T_VEC16, "0c01000200", "length 3 at offset 0 exceeds");
  decode_refused(T_NAMED, "0100", "truncated");
  decode_refused(T_BYTES, "fdff00", "exceeds");
  decode_refused(T_VEC16, "feffffff", "exceeds");
  decode_refused(T_VECUNIT, "02008000", "exceeds"); /* 2^21 units */
  decode_refused(T_CHAR, "00d80000", "invalid char");
  decode_refused(T_CHAR, "00000000", "invalid char");
  decode_refused(T_STR, "08c328", "UTF-8");
  decode_refused(T_CU32, "070000000001", "does not fit in 4 bytes");
  decode_refused(T_CYCLE, "", "no finite encoding");
  /* bit sequences decode (skip) but keep their bytes */
  uint8_t b[8];
  size_t n = unhex("28ff03", b, sizeof b);
  json_t *v;
  cr_assert_eq(sp_scale_decode_type_all(&reg, T_BITS, b, n, &v, NULL), 0);
  cr_expect_eq(json_integer_value(json_object_get(v, "bits")), 10);
  cr_expect_str_eq(json_string_value(json_object_get(v, "bytes")), "0xff03");
  json_decref(v);
  decode_refused(T_BITS, "28ff", "truncated");
}

/* Random bytes either fail to decode or decode to a value that re-encodes
 * to exactly the bytes consumed (SCALE is canonical, and so is our JSON). */
static void property(const sp_type_registry *r, const uint32_t *types,
                     size_t ntypes, unsigned seed, int rounds) {
  srand(seed);
  uint8_t buf[96];
  int decoded = 0;
  for (int k = 0; k < rounds; k++) {
    uint32_t t = types[(size_t)rand() % ntypes];
    size_t n = (size_t)rand() % sizeof buf;
    for (size_t i = 0; i < n; i++)
      buf[i] = (uint8_t)rand();
    /* small first bytes make short vectors and low enum indices likely */
    if (n && (rand() & 1)) buf[0] &= 0x1c;
    sp_scale_reader rd;
    sp_scale_reader_init(&rd, buf, n, NULL);
    json_t *v = NULL;
    if (sp_scale_decode_type(r, t, &rd, &v) != 0) {
      cr_expect_null(v, "seed %u round %d", seed, k);
      continue;
    }
    decoded++;
    sp_scale_writer w;
    sp_scale_writer_init(&w);
    sp_chain_error err = {0};
    int rc = sp_scale_encode_type(r, t, v, &w, &err);
    cr_expect_eq(rc, 0, "seed %u round %d type %u: %s", seed, k, t,
                 err.message);
    if (rc == 0) {
      cr_expect_eq(w.len, rd.pos, "seed %u round %d type %u", seed, k, t);
      if (w.len == rd.pos && w.len > 0)
        cr_expect_arr_eq(w.data, buf, w.len, "seed %u round %d type %u", seed,
                         k, t);
    }
    sp_scale_writer_free(&w);
    json_decref(v);
  }
  cr_expect_gt(decoded, rounds / 20, "seed %u: some inputs decode", seed);
}

Test(chain_scale, random_bytes_round_trip_handmade, .init = build_registry,
     .fini = free_registry) {
  uint32_t types[T_COUNT];
  size_t n = 0;
  for (uint32_t t = 0; t < T_COUNT; t++)
    if (t != T_BITS && t != T_CYCLE) types[n++] = t;
  property(&reg, types, n, 20240601u, 20000);
}

Test(chain_scale, random_bytes_round_trip_finney_types) {
  char *hex = sp_fixture_read("metadata_v14.hex", NULL);
  if (!hex)
    cr_skip_test("fixture %s absent: skipped",
                 sp_fixture_path("metadata_v14.hex"));
  sp_metadata *md;
  cr_assert_eq(sp_metadata_parse_hex(hex, false, &md, NULL), 0);
  free(hex);
  /* every type without bit sequences below it is fair game; the walk is
   * cheap because the random input bounds it */
  uint32_t *types = malloc(md->registry.ntypes * sizeof *types);
  size_t n = 0;
  for (uint32_t t = 0; t < md->registry.ntypes; t++)
    if (md->registry.types[t].kind != SP_TYPE_BIT_SEQUENCE) types[n++] = t;
  property(&md->registry, types, n, 7u, 20000);
  free(types);
  sp_metadata_free(md);
}

Test(chain_scale, registry_parse_refusals) {
  struct {
    const char *hex, *needle;
  } cases[] = {
      {"04040000050300", "has id 1"},       /* id 1 first */
      {"04000000021400", "does not exist"}, /* Vec<type 5> of 1 type */
      {"040000000900", "kind 9"},           /* unknown definition kind */
      {"0400000005ff00", "primitive type 255"},
      {"080000000503000400000502", "truncated"}, /* type 1 lacks docs */
      {"0800000005030004", "exceeds"},           /* 2 types cannot fit */
      {"ff", "wider than 128 bits"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    uint8_t b[32];
    size_t n = unhex(cases[i].hex, b, sizeof b);
    sp_scale_reader r;
    sp_chain_error err = {0};
    sp_scale_reader_init(&r, b, n, &err);
    sp_type_registry bad;
    cr_expect_lt(sp_type_registry_parse(&r, &bad), 0, "%s", cases[i].hex);
    cr_expect_eq(bad.ntypes, 0);
    cr_expect(strstr(err.message, cases[i].needle) != NULL, "%s -> %s",
              cases[i].hex, err.message);
  }
}
