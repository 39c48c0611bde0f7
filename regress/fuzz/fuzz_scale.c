/*
 * Fuzz target: the SCALE reader (chain/codec/scale.h) and the big-integer text
 * conversions. The input is a program run on itself: each step reads an
 * opcode byte with the reader, then the read the opcode names from the
 * same reader. Properties, per read:
 *   - a failed read leaves the reader where it was and says why in one
 *     printable line (scale.h's contract), with code SP_CHAIN_ESCALE;
 *   - a successful read consumes exactly the bytes of its layout, and
 *     re-encoding the value with the writer gives those bytes back (so
 *     compact decoding is canonical: one value, one encoding);
 *   - a string read succeeds exactly when jansson, an independent UTF-8
 *     validator, accepts the bytes and they hold no NUL;
 *   - little-endian integers of 1..32 bytes survive a trip through their
 *     decimal text.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chain/codec/scale.h"
#include "regress/fuzz/fuzz_support.h"

/* The canonical encoding of what the reader consumed, via the writer. */
static void expect_bytes(const sp_scale_writer *w, const uint8_t *consumed,
                         size_t n, const char *what) {
  FUZZ_CHECK(sp_scale_writer_ok(w) == 0, "writer failed");
  FUZZ_CHECK(w->len == n && memcmp(w->data, consumed, n) == 0,
             "%s: re-encoding gives %zu bytes, %zu were read", what, w->len, n);
}

static void decimal_round_trip(const uint8_t *le, size_t n, bool is_signed) {
  char text[80];
  sp_scale_le_to_decimal(le, n, is_signed, text);
  uint8_t back[32];
  int rc = sp_scale_decimal_to_le(text, n, is_signed, back);
  FUZZ_CHECK(rc == 0 && memcmp(back, le, n) == 0,
             "%zu-byte %s integer -> \"%s\" does not parse back", n,
             is_signed ? "signed" : "unsigned", text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  sp_chain_error err;
  sp_scale_reader r;
  sp_scale_reader_init(&r, data, size, &err);
  for (int step = 0; step < 256 && sp_scale_remaining(&r) > 0; step++) {
    uint8_t op = 0;
    FUZZ_CHECK(sp_scale_read_u8(&r, &op) == 0, "reading the opcode");
    size_t at = r.pos;
    memset(&err, 0, sizeof err);
    sp_scale_writer w;
    sp_scale_writer_init(&w);
    int rc = 0;
    switch (op % 14) {
    case 0: {
      uint8_t v;
      if ((rc = sp_scale_read_u8(&r, &v)) == 0) sp_scale_put_u8(&w, v);
      break;
    }
    case 1: {
      uint16_t v;
      if ((rc = sp_scale_read_u16(&r, &v)) == 0) sp_scale_put_u16(&w, v);
      break;
    }
    case 2: {
      uint32_t v;
      if ((rc = sp_scale_read_u32(&r, &v)) == 0) sp_scale_put_u32(&w, v);
      break;
    }
    case 3: {
      uint64_t v;
      if ((rc = sp_scale_read_u64(&r, &v)) == 0) sp_scale_put_u64(&w, v);
      break;
    }
    case 4: {
      sp_u128 v;
      if ((rc = sp_scale_read_u128(&r, &v)) == 0) sp_scale_put_u128(&w, v);
      break;
    }
    case 5: {
      bool v;
      if ((rc = sp_scale_read_bool(&r, &v)) == 0) sp_scale_put_bool(&w, v);
      break;
    }
    case 6: {
      sp_u128 v;
      if ((rc = sp_scale_read_compact(&r, &v)) == 0)
        sp_scale_put_compact(&w, v);
      break;
    }
    case 7: {
      uint32_t v;
      if ((rc = sp_scale_read_compact_u32(&r, &v)) == 0)
        sp_scale_put_compact(&w, v);
      break;
    }
    case 8: {
      uint64_t v;
      if ((rc = sp_scale_read_compact_u64(&r, &v)) == 0)
        sp_scale_put_compact(&w, v);
      break;
    }
    case 9: {
      size_t min_item = (op >> 4) % 5, count = 0;
      if ((rc = sp_scale_read_length(&r, min_item, &count)) == 0) {
        size_t left = sp_scale_remaining(&r);
        FUZZ_CHECK(min_item ? count <= left / min_item : count <= (1u << 20),
                   "length %zu of items >= %zu bytes with %zu bytes left",
                   count, min_item, left);
        sp_scale_put_compact(&w, count);
      }
      break;
    }
    case 10: {
      const uint8_t *p = NULL;
      size_t n = 0;
      if ((rc = sp_scale_read_byte_vec(&r, &p, &n)) == 0) {
        FUZZ_CHECK(p + n == data + r.pos, "byte vector does not end at pos");
        sp_scale_put_byte_vec(&w, p, n);
      }
      break;
    }
    case 11: {
      /* What the bytes are, independently of the reader. */
      sp_scale_reader peek = r;
      const uint8_t *p = NULL;
      size_t n = 0;
      bool text = false;
      if (sp_scale_read_byte_vec(&peek, &p, &n) == 0) {
        json_t *j = memchr(p, 0, n) ? NULL : json_stringn((const char *)p, n);
        text = j != NULL;
        json_decref(j);
      }
      char *s = NULL;
      if ((rc = sp_scale_read_string(&r, &s)) == 0) {
        FUZZ_CHECK(text, "a string jansson refuses was accepted");
        FUZZ_CHECK(strlen(s) == n, "string length %zu, vector %zu", strlen(s),
                   n);
        sp_scale_put_string(&w, s);
        free(s);
      } else if (rc == -SP_CHAIN_ESCALE && n > 0 && p != NULL) {
        FUZZ_CHECK(!text, "valid UTF-8 refused as a string: %s", err.message);
      }
      break;
    }
    case 12: {
      bool some;
      if ((rc = sp_scale_read_option(&r, &some)) == 0)
        sp_scale_put_u8(&w, some ? 1 : 0);
      break;
    }
    default: {
      size_t n = (op >> 4) % 16 * 2 + 1 + (op >> 7); /* 1..32 */
      const uint8_t *p;
      if ((rc = sp_scale_read_bytes(&r, n, &p)) == 0) {
        decimal_round_trip(p, n, false);
        decimal_round_trip(p, n, true);
        sp_scale_put_bytes(&w, p, n);
      }
      break;
    }
    }
    if (rc != 0) {
      FUZZ_CHECK(r.pos == at, "a failed read (op %u) moved the reader %zu->%zu",
                 op % 14, at, r.pos);
      FUZZ_CHECK(rc == -SP_CHAIN_ESCALE && err.code == SP_CHAIN_ESCALE,
                 "rc %d code %d", rc, err.code);
      fuzz_check_message(err.message, sizeof err.message);
      sp_scale_writer_free(&w);
      break;
    }
    expect_bytes(&w, data + at, r.pos - at, "read");
    sp_scale_writer_free(&w);
  }
  return 0;
}
