/*
 * The one way the bench commands print JSON (--json): built with jansson,
 * never by hand, so that a quote or a control character in a URL, a wallet
 * name or a node's message cannot break the document.
 */
#ifndef SUBPOW_BENCH_JSON_OUT_H
#define SUBPOW_BENCH_JSON_OUT_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "common/error.h"

/* A JSON string of outside text `s`, sanitized first (common/sanitize.h: no
 * control characters, valid UTF-8, which jansson requires); json null for a
 * NULL `s`. Returns NULL only without memory. */
json_t *sp_json_str(const char *s);

/* A JSON number of the exact u64 `v`. jansson's integers are signed 64-bit,
 * so values above 2^63 - 1 are carried as a private marker that
 * sp_json_print turns back into the digits (nonces are random over the
 * whole u64 range). */
json_t *sp_json_u64(uint64_t v);

/* A JSON number of `v` rounded to `decimals` places (0 .. 9). */
json_t *sp_json_fixed(double v, int decimals);

/*
 * Prints `o` on `f` as one line ({"a": 1, "b": "x"}, keys in insertion
 * order) and a newline; takes the reference to `o` (NULL, from a failed
 * allocation, prints nothing). Returns 0, -SP_ENOMEM when `o` is NULL (or
 * cannot be dumped), or -SP_EIO when the write failed.
 */
int sp_json_print(FILE *f, json_t *o);

#endif /* SUBPOW_BENCH_JSON_OUT_H */
