/*
 * SCALE, the Substrate encoding (parity-scale-codec), for fixed layouts.
 *
 * A reader walks a byte string with bounds checks: every read either
 * succeeds completely or fails with -SP_CHAIN_ESCALE, says at which offset
 * and why, and leaves the reader where it was. A writer appends to a
 * growable buffer; an allocation failure is sticky (checked once at the
 * end with sp_scale_writer_ok), so encoders need not test every append.
 *
 * The layouts (https://docs.substrate.io/reference/scale-codec/):
 *   fixed-width integers   little-endian, 1/2/4/8/16 bytes
 *   bool                   one byte, 0x00 or 0x01 (anything else is refused)
 *   Compact<uint>          mode in the two low bits of the first byte:
 *                          00 one byte (value < 2^6), 01 two bytes (< 2^14),
 *                          10 four bytes (< 2^30), 11 "big": (b >> 2) + 4
 *                          value bytes follow (4..67; we take up to 16, u128)
 *   Option<T>              0x00 = None, 0x01 + T = Some
 *   Vec<T>, String         Compact<u32> count, then the items / UTF-8 bytes
 *   tuples, structs        the fields one after the other, nothing else
 *   [T; N] arrays          N items, no length
 *   enums                  one index byte, then the variant's fields
 *
 * Compact decoding is canonical, as parity-scale-codec's is: a value
 * encoded in a longer mode than it needs (e.g. 0x0100 for 0 in two-byte
 * mode, or big mode with a zero top byte) is refused, so that one value has
 * one encoding and two byte strings never decode to the same extrinsic.
 */
#ifndef SUBPOW_CHAIN_CODEC_SCALE_H
#define SUBPOW_CHAIN_CODEC_SCALE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chain/codec/chain_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Balances and other 128-bit chain integers (GCC and Clang on 64-bit). */
__extension__ typedef unsigned __int128 sp_u128;

/* ------------------------------------------------------------ reader ---- */

typedef struct sp_scale_reader {
  const uint8_t *data;
  size_t len;
  size_t pos;
  sp_chain_error *err; /* where failures are described; may be NULL */
} sp_scale_reader;

/* Starts reading `len` bytes at `data`; `err` may be NULL. */
void sp_scale_reader_init(sp_scale_reader *r, const uint8_t *data, size_t len,
                          sp_chain_error *err);

/* Bytes not yet read. */
size_t sp_scale_remaining(const sp_scale_reader *r);

/* 0 when every byte was read, else -SP_CHAIN_ESCALE ("N trailing bytes"). */
int sp_scale_expect_end(sp_scale_reader *r, const char *what);

/* Fixed-width little-endian integers. */
int sp_scale_read_u8(sp_scale_reader *r, uint8_t *v);
int sp_scale_read_u16(sp_scale_reader *r, uint16_t *v);
int sp_scale_read_u32(sp_scale_reader *r, uint32_t *v);
int sp_scale_read_u64(sp_scale_reader *r, uint64_t *v);
int sp_scale_read_u128(sp_scale_reader *r, sp_u128 *v);

/* A bool: 0x00 or 0x01, any other byte is an error. */
int sp_scale_read_bool(sp_scale_reader *r, bool *v);

/* A canonical Compact<u128>. */
int sp_scale_read_compact(sp_scale_reader *r, sp_u128 *v);
/* A canonical compact that must also fit the narrower type. */
int sp_scale_read_compact_u32(sp_scale_reader *r, uint32_t *v);
int sp_scale_read_compact_u64(sp_scale_reader *r, uint64_t *v);

/* `n` raw bytes: *p points into the reader's buffer (no copy). */
int sp_scale_read_bytes(sp_scale_reader *r, size_t n, const uint8_t **p);

/*
 * The Compact<u32> count of a Vec whose items take at least `min_item_size`
 * bytes each: a count that cannot fit in the bytes left (count *
 * min_item_size > remaining) is refused before anyone allocates for it.
 * Pass min_item_size 0 only for items that may be empty; such counts are
 * capped at 2^20.
 */
int sp_scale_read_length(sp_scale_reader *r, size_t min_item_size,
                         size_t *count);

/* A Vec<u8>: *p points into the buffer, *n is its length. */
int sp_scale_read_byte_vec(sp_scale_reader *r, const uint8_t **p, size_t *n);

/*
 * A String as a malloc'd NUL-terminated copy (free it). Strings with an
 * embedded NUL or invalid UTF-8 are refused.
 */
int sp_scale_read_string(sp_scale_reader *r, char **s);

/* A Vec<String> (metadata docs and paths) as a malloc'd array of malloc'd
 * strings; free it with sp_scale_free_strings. */
int sp_scale_read_strings(sp_scale_reader *r, char ***out, size_t *n);
void sp_scale_free_strings(char **v, size_t n);

/* An Option tag: 0x00 -> *some = false, 0x01 -> true, else an error. */
int sp_scale_read_option(sp_scale_reader *r, bool *some);

/* ------------------------------------------------------------ writer ---- */

typedef struct sp_scale_writer {
  uint8_t *data;
  size_t len;
  size_t cap;
  bool failed; /* an allocation failed; every later append is a no-op */
} sp_scale_writer;

/* An empty writer (no allocation until the first append). */
void sp_scale_writer_init(sp_scale_writer *w);
/* Frees the buffer and resets the writer. */
void sp_scale_writer_free(sp_scale_writer *w);
/* 0, or -SP_CHAIN_ENOMEM if an append ever failed. */
int sp_scale_writer_ok(const sp_scale_writer *w);

void sp_scale_put_u8(sp_scale_writer *w, uint8_t v);
void sp_scale_put_u16(sp_scale_writer *w, uint16_t v);
void sp_scale_put_u32(sp_scale_writer *w, uint32_t v);
void sp_scale_put_u64(sp_scale_writer *w, uint64_t v);
void sp_scale_put_u128(sp_scale_writer *w, sp_u128 v);
void sp_scale_put_bool(sp_scale_writer *w, bool v);
/* The canonical (shortest) compact encoding of v. */
void sp_scale_put_compact(sp_scale_writer *w, sp_u128 v);
void sp_scale_put_bytes(sp_scale_writer *w, const void *p, size_t n);
/* Compact length then the bytes: Vec<u8> and String. */
void sp_scale_put_byte_vec(sp_scale_writer *w, const void *p, size_t n);
void sp_scale_put_string(sp_scale_writer *w, const char *s);

/* ----------------------------------------------------- big integers ---- */

/*
 * Decimal text of an n-byte little-endian integer (n <= 32), signed in
 * two's complement when `is_signed`. `out` needs 80 characters.
 */
void sp_scale_le_to_decimal(const uint8_t *le, size_t n, bool is_signed,
                            char out[80]);

/*
 * Parses an optional '-' and decimal digits into an n-byte little-endian
 * integer (n <= 32). Returns 0, or -SP_CHAIN_ETYPE when the text is not a
 * number or the value does not fit (unsigned: 0..2^(8n)-1; signed:
 * -2^(8n-1)..2^(8n-1)-1).
 */
int sp_scale_decimal_to_le(const char *text, size_t n, bool is_signed,
                           uint8_t *le);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_CHAIN_CODEC_SCALE_H */
