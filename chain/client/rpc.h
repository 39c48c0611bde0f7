/*
 * JSON-RPC 2.0 to a Substrate node, with jansson: over HTTP(S) with
 * libcurl (below), or over WebSocket with libwebsockets (ws.h), chosen by
 * sp_rpc_options.transport (AUTO: by the URL's scheme). sp_rpc_call has the
 * same contract on both; subscriptions need WebSocket (sp_rpc_ws).
 *
 * Over HTTP:
 * One sp_rpc holds one CURL handle, so consecutive calls reuse the same
 * keep-alive connection (and TLS session). It is not thread-safe: use one
 * per thread.
 *
 * Failure handling, per call (the policy is jsonrpc.h's, the same on both
 * transports):
 *   - transport errors (connection refused or reset, timeouts, a body cut
 *     short, an HTTP 200 whose JSON body ends early) and HTTP 429 / 5xx
 *     are retried up to `max_retries` times, after
 *     an exponential backoff (backoff_initial_ms doubling up to
 *     backoff_max_ms) with "equal jitter" (a uniformly random wait between
 *     half the step and the whole step) so that many clients do not retry in
 *     step;
 *   - other HTTP statuses, JSON-RPC errors and malformed responses are not
 *     retried: a node that answers "error" will answer it again, and a
 *     JSON-RPC error may be a rejected transaction that must not be resent;
 *     nor is a submission (author_submit*) whose answer came back garbled,
 *     timed out, broke off or came as an HTTP 5xx other than 503: the node
 *     may have it, and the caller must treat its outcome as unknown and look
 *     for it on chain. A submission is retried only when it cannot have
 *     reached the node (the name did not resolve, the connection was
 *     refused) or the node said it did not process it (HTTP 429, 503).
 * Every response is validated: a JSON object with "jsonrpc": "2.0", an "id"
 * equal to the request's, and exactly one of "result" (of the type the
 * caller expects) or "error" (an object with an integer "code" and a string
 * "message"). Anything else is -SP_CHAIN_EPROTOCOL with a message that
 * quotes the start of what came back.
 */
#ifndef SUBPOW_CHAIN_CLIENT_RPC_H
#define SUBPOW_CHAIN_CLIENT_RPC_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chain/client/jsonrpc.h"
#include "chain/codec/chain_error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sp_rpc sp_rpc;
struct sp_ws;

/*
 * Opens a client for a network name or URL (see endpoint.h); `opts` may be
 * NULL for the defaults. Nothing is sent yet. Returns 0, -SP_CHAIN_EARG
 * (bad name/URL or options) or -SP_CHAIN_ENOMEM.
 */
int sp_rpc_open(sp_rpc **out, const char *network_or_url,
                const sp_rpc_options *opts, sp_chain_error *err);

/* Parses "http" / "ws" (for --transport): 0 with *out set, or -1 for
 * anything else. A yes-or-no parse of an option's value, so -1 and no
 * record: the command line words the usage error. */
int sp_rpc_transport_parse(const char *name, sp_rpc_transport *out);

/* Closes the connection and frees the client (NULL is fine). */
void sp_rpc_close(sp_rpc *rpc);

/* The URL the client posts to (HTTP) or is connected to (WebSocket). */
const char *sp_rpc_url(const sp_rpc *rpc);

/* The WebSocket connection for subscriptions (ws.h), or NULL over HTTP. */
struct sp_ws *sp_rpc_ws(const sp_rpc *rpc);

/* HTTP attempts made so far (requests plus retries), for tests and logs. */
uint64_t sp_rpc_attempts(const sp_rpc *rpc);

/*
 * Calls `method` with `params` (a JSON array, or NULL for []; the reference
 * is stolen, even on error) and stores a new reference to "result" in
 * *result (caller decrefs). Returns 0 or a negative code: -SP_CHAIN_ERPC
 * (err->rpc_code and the message carry the node's code, message and data;
 * an error object without a code, as Chopsticks sends over HTTP, gives
 * rpc_code 0 and keeps the message),
 * -SP_CHAIN_ETRANSPORT, -SP_CHAIN_EHTTP (err->http_status),
 * -SP_CHAIN_EPROTOCOL, -SP_CHAIN_EARG or -SP_CHAIN_ENOMEM.
 */
int sp_rpc_call(sp_rpc *rpc, const char *method, json_t *params,
                unsigned expect, json_t **result, sp_chain_error *err);

/*
 * A call whose result is "0x" hex (or null when `found` is not NULL: then a
 * null result sets *found = false and *bytes = NULL). *bytes is malloc'd.
 * Invalid hex is -SP_CHAIN_EPROTOCOL.
 */
int sp_rpc_call_hex(sp_rpc *rpc, const char *method, json_t *params,
                    bool *found, uint8_t **bytes, size_t *len,
                    sp_chain_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_CHAIN_CLIENT_RPC_H */
