/*
 * Test support: the set-up the chain tests share, over chain_fixture.h:
 * a fixture read or the test skipped (saying so) when it is absent, its
 * metadata parsed, and the pieces of a stub node (http_stub.h) that plays
 * a JSON-RPC node: its answers, 0x hex, a client that retries quickly.
 */
#ifndef SUBPOW_REGRESS_CHAIN_SETUP_H
#define SUBPOW_REGRESS_CHAIN_SETUP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chain/client/jsonrpc.h"
#include "chain/codec/metadata.h"
#include "regress/support/chain_fixture.h"
#include "regress/support/http_stub.h"

/* The finney fixture `name` (sp_fixture_read: malloc'd, NUL-terminated);
 * skips the test when it is absent. */
char *sp_fixture_text(const char *name);

/* The bytes of finney fixture `name` (hex text), decoded (malloc'd, *len
 * bytes); skips the test when it is absent. */
uint8_t *sp_fixture_hex_bytes(const char *name, size_t *len);

/* The modern fixture `name` (sp_modern_fixture_bytes: malloc'd, *len
 * bytes); skips the test when it is absent. */
uint8_t *sp_modern_fixture(const char *name, size_t *len);

/* The metadata of finney fixture `name` (hex; `versioned` as
 * sp_metadata_parse_hex), or of modern fixture `name` (SCALE bytes):
 * skips the test when the file is absent, fails it when it does not
 * parse. The caller frees it (sp_metadata_free). */
sp_metadata *sp_fixture_metadata(const char *name, bool versioned);
sp_metadata *sp_modern_fixture_metadata(const char *name);

/* "0x" and the hex of the n bytes at b (malloc'd). */
char *sp_hex0x(const uint8_t *b, size_t n);

/* The JSON-RPC request in a stub node's `body`: its id, method ("" when
 * none) and params (NULL when none) into the pointers, borrowed from the
 * returned request, which the caller frees (json_decref). */
json_t *sp_jsonrpc_request(const char *body, long long *id, const char **method,
                           json_t **params);

/* A stub node's JSON-RPC answer to request `id` in `r`: the error object
 * `error` (JSON text, malloc'd, freed here) when given, else `result`
 * (whose reference is taken), else (both NULL) the error "Method not
 * found" (-32601). */
void sp_http_reply_jsonrpc(sp_http_reply *r, long long id, json_t *result,
                           char *error);

/* The default RPC options with a backoff of 1 to 2 ms, so that a test
 * that makes the client retry does not wait. */
void sp_rpc_options_quick(sp_rpc_options *o);

#endif
