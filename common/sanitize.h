/*
 * Text that came from outside (a node's specName, error messages and event
 * docs; a user's flag value echoed in an error) made safe to print on one
 * terminal line.
 *
 * Why: a hostile node's text reached the terminal raw and its escape
 * sequences cleared the screen and set the window title; a --network value
 * with a newline gave a two-line error. Every such string goes
 * through sp_sanitize at the boundary where it enters or is echoed.
 */
#ifndef SUBPOW_COMMON_SANITIZE_H
#define SUBPOW_COMMON_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Copies the `len` bytes at `in` into `out` (capacity `cap` >= 4, always
 * NUL-terminated), escaping what a terminal could act on: C0 controls and
 * DEL (\n, \r, \t, \e as such, others as \xNN), C1 controls (U+0080..U+009F,
 * also escape introducers) and bytes that are not valid UTF-8 (as \xNN).
 * Printable ASCII and valid UTF-8 text pass unchanged. When `out` is too
 * small the copy ends with "..." at a character boundary. Returns `out`.
 */
char *sp_sanitize_n(const char *in, size_t len, char *out, size_t cap);

/* sp_sanitize_n for a NUL-terminated string (NULL gives ""). */
char *sp_sanitize(const char *in, char *out, size_t cap);

/* Sanitizes the NUL-terminated string `s` in place, within its capacity
 * `cap` (escapes grow the text; what does not fit ends with "..."). */
void sp_sanitize_inplace(char *s, size_t cap);

/* True when sp_sanitize would return `s` unchanged. */
bool sp_sanitize_is_clean(const char *s);

/* The size of sp_excerpt's output: 64 characters, "..." and the NUL. */
#define SP_EXCERPT_SIZE 72

/*
 * The start of a peer's message (a response body, a WebSocket frame) for an
 * error message: its first 64 bytes with printable ASCII kept and every other
 * byte shown as '.', then "..." when there was more. `s` may be NULL when
 * `len` is 0. Returns `out`.
 */
const char *sp_excerpt(const char *s, size_t len, char out[SP_EXCERPT_SIZE]);

#endif /* SUBPOW_COMMON_SANITIZE_H */
