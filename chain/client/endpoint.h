/*
 * Where a network name or URL points: the JSON-RPC endpoint to POST to.
 *
 * Network names are the Bittensor SDK's (docs/protocol.md section 6):
 *   finney   wss://entrypoint-finney.opentensor.ai:443
 *   test     wss://test.finney.opentensor.ai:443
 *   archive  wss://archive.chain.opentensor.ai:443
 *   local    ws://127.0.0.1:9944
 * Substrate nodes serve JSON-RPC over plain HTTP POST on the port of their
 * WebSocket server, so for the HTTP transport (sp_endpoint_resolve)
 * ws:// becomes http:// and wss:// becomes https://
 * with the same host, port and path. http:// and https:// URLs are used
 * as they are.
 */
#ifndef SUBPOW_CHAIN_CLIENT_ENDPOINT_H
#define SUBPOW_CHAIN_CLIENT_ENDPOINT_H

#include <stddef.h>

#include "chain/codec/chain_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The WebSocket URL of a network name ("finney" -> "wss://..."), or NULL
 * when `name` is not one of finney, test, archive, local.
 */
const char *sp_endpoint_network_url(const char *name);

/*
 * Writes the HTTP(S) URL for `network_or_url` into `out` (capacity `cap`).
 * Returns 0, or -SP_CHAIN_EARG with a message when it is neither a known
 * network name nor a ws://, wss://, http:// or https:// URL with a host,
 * or when the URL does not fit in `cap` or contains spaces or control
 * characters.
 */
int sp_endpoint_resolve(const char *network_or_url, char *out, size_t cap,
                        sp_chain_error *err);

/*
 * The same for a WebSocket connection: network names give their ws(s)://
 * URL, http:// becomes ws:// and https:// becomes wss://, ws(s):// URLs
 * stay. Same errors.
 */
int sp_endpoint_resolve_ws(const char *network_or_url, char *out, size_t cap,
                           sp_chain_error *err);

/* Whether `network_or_url` is a network name or a ws:// / wss:// URL
 * (what uses WebSocket unless a transport is forced). */
int sp_endpoint_is_ws(const char *network_or_url);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_CHAIN_CLIENT_ENDPOINT_H */
