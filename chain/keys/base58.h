/*
 * Base58 with the Bitcoin alphabet, as SS58 addresses use it (no checksum
 * here: SS58 adds its own). Leading zero bytes become leading '1's and back.
 */
#ifndef SUBPOW_CHAIN_KEYS_BASE58_H
#define SUBPOW_CHAIN_KEYS_BASE58_H

#include <stddef.h>
#include <stdint.h>

/* Largest input either function accepts (bytes to encode, characters to
 * decode); addresses are far below it. */
#define SP_BASE58_MAX 256

/*
 * Encodes `len` bytes (len <= SP_BASE58_MAX) into `out` (capacity `cap`,
 * NUL-terminated). Returns the string length, or -SP_ERANGE when `len` is too
 * large or `out` too small.
 */
int sp_base58_encode(const uint8_t *data, size_t len, char *out, size_t cap);

/*
 * Decodes the NUL-terminated `text` into `out` (capacity `cap`); stores the
 * byte count in *out_len. Returns 0, -SP_EBASE58 for an empty string or a
 * character outside the alphabet (this includes 0, O, I, l and spaces), or
 * -SP_ERANGE when the result does not fit or `text` is too long.
 */
int sp_base58_decode(const char *text, uint8_t *out, size_t cap,
                     size_t *out_len);

#endif /* SUBPOW_CHAIN_KEYS_BASE58_H */
