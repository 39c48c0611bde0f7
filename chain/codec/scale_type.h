/*
 * SCALE values described by a metadata type registry, as JSON (jansson).
 *
 * Events, storage values and call bodies have types known only at run time
 * from the chain's metadata; these two functions turn their bytes into a
 * json_t and back, following the registry entry by entry. The JSON shape is
 * ours (close to polkadot.js' toJSON, but stable and easy to read from C):
 *
 *   type                      decoded as                  encoded from
 *   bool                      true/false                  true/false
 *   u8..u32, i8..i64          integer                     integer or decimal
 * string u64, u128, u256, i128,    integer when it fits in     integer or
 * decimal string i256                      json_int_t, else a decimal string
 *   Compact<T>                as T                        as T
 *   str / char                string                      string (char: one
 * code point) Vec<u8>, [u8; N]          "0x" + lowercase hex        "0x" hex,
 * or an array of integers other Vec / arrays        array array (arrays: exact
 * length) tuple                     array; () is null           array; () from
 * null or [] struct with named fields  object {name: value}       object with
 * exactly those keys struct with one unnamed   the field's value itself    the
 * field's value struct with several       array                       array
 *   unnamed / no fields       null                        null or {} / []
 *   enum                      {"Variant": fields}, with   {"Variant": fields},
 * or "Variant" fields shaped as a struct's  for a variant without fields (null
 * when there are none) BitVec                    {"bits": n, "bytes": "0x.."}
 * not encodable (refused)
 *
 * Decoding is bounded: nesting deeper than 64 levels, truncated input and
 * invalid tags are errors with the offset; a value whose type needs more
 * bytes than are left (sp_type_min_size, computed once per registry) is
 * refused before it is descended into, and one decode produces at most
 * 65536 + 4 per input byte JSON values, so zero-sized items of hostile
 * metadata ([[(); 2^20]; 2^20]) are refused in bounded time and memory. No
 * input makes it crash or allocate more than the input's size allows.
 */
#ifndef SUBPOW_CHAIN_CODEC_SCALE_TYPE_H
#define SUBPOW_CHAIN_CODEC_SCALE_TYPE_H

#include <jansson.h>

#include "chain/codec/scale.h"
#include "chain/codec/type_registry.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Decodes one value of registry type `type` at the reader's position into a
 * new json_t (*out, caller decrefs). Returns 0, or a negative SP_CHAIN_* code
 * described in r->err; the reader position is unspecified after an error.
 */
int sp_scale_decode_type(const sp_type_registry *reg, uint32_t type,
                         sp_scale_reader *r, json_t **out);

/*
 * Decodes `len` bytes that must hold exactly one value of `type` (trailing
 * bytes are an error).
 */
int sp_scale_decode_type_all(const sp_type_registry *reg, uint32_t type,
                             const uint8_t *bytes, size_t len, json_t **out,
                             sp_chain_error *err);

/*
 * Appends the SCALE encoding of `value` as registry type `type` to `w`.
 * Returns 0, or -SP_CHAIN_ETYPE (the JSON does not fit the type; the
 * message names the path, e.g. "field hotkey: expected 32 bytes, got 31"),
 * -SP_CHAIN_EUNSUPPORTED (bit sequences) or -SP_CHAIN_ENOMEM. On error `w`
 * may hold a partial encoding; discard it.
 */
int sp_scale_encode_type(const sp_type_registry *reg, uint32_t type,
                         const json_t *value, sp_scale_writer *w,
                         sp_chain_error *err);

/*
 * Reads a JSON integer or decimal string as an unsigned integer no larger
 * than `max`. Returns 0 or -SP_CHAIN_ETYPE (no message).
 */
int sp_json_to_u128(const json_t *v, sp_u128 max, sp_u128 *out);

/* "0x" hex of `len` bytes as a new JSON string (NULL when out of memory). */
json_t *sp_json_hex(const uint8_t *bytes, size_t len);

/*
 * Decodes a JSON "0x"-hex string of exactly `len` bytes into `out`.
 * Returns 0 or -SP_CHAIN_ETYPE.
 */
int sp_json_hex_fixed(const json_t *v, uint8_t *out, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_CHAIN_CODEC_SCALE_TYPE_H */
