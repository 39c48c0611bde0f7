/*
 * UTF-8 as RFC 3629 defines it: no overlong forms, no surrogates
 * (U+D800..U+DFFF), nothing past U+10FFFF. SCALE's `str` (a node's text),
 * WebSocket text frames (RFC 6455 section 8.1) and what common/sanitize.h
 * lets through are all checked by these two functions.
 */
#ifndef SUBPOW_COMMON_UTF8_H
#define SUBPOW_COMMON_UTF8_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The length (1 to 4) of the valid UTF-8 sequence that starts at `s`, using
 * at most `n` bytes, or 0 when none starts there (also when n is 0). A NUL
 * byte is a valid sequence of length 1. */
size_t sp_utf8_char_len(const void *s, size_t n);

/* True when the `n` bytes at `s` are valid UTF-8 (NUL bytes included; a
 * caller that forbids them checks for them itself). */
bool sp_utf8_valid(const void *s, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_COMMON_UTF8_H */
