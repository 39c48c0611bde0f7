/*
 * Hex, as the SDK and the chain write it: strict decoding (the C form of the
 * SDK's `_hex_bytes_to_u8_list`; unlike cubit, which maps a bad character to
 * 0, every malformed input is an error here) and lowercase encoding. The
 * installed reference/reference.h includes this header, so the functions
 * stay part of the reference API.
 */
#ifndef SUBPOW_COMMON_HEX_H
#define SUBPOW_COMMON_HEX_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Strict hex decoding. Accepts an optional "0x" or "0X" prefix followed by an
 * even number of hex digits (either case); nothing else (no spaces, no sign).
 * When `want` is not zero the input must decode to exactly `want` bytes, else
 * -SP_EHEX_SIZE. Decodes into `out` (capacity `cap`) and stores the length in
 * `*out_len` (which may be NULL). Returns 0, -SP_EHEX_CHAR, -SP_EHEX_ODD or
 * -SP_EHEX_SIZE (also when the result would not fit in `cap`), -SP_EINVAL for
 * a NULL `hex`. `out` is unchanged on error.
 */
int sp_hex_decode(const char *hex, size_t want, uint8_t *out, size_t cap,
                  size_t *out_len);

/*
 * Lowercase hex of `len` bytes, without prefix, NUL-terminated; `out` must
 * hold 2 * len + 1 characters.
 */
void sp_hex_encode(const uint8_t *bytes, size_t len, char *out);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_COMMON_HEX_H */
