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
 * Failure handling, per call:
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

#include "chain/codec/chain_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Which transport sp_rpc_open uses. AUTO: WebSocket for network names and
 * ws:// / wss:// URLs, HTTP for http:// / https:// URLs; HTTP and WS force
 * one (a ws URL is then posted to over http, an http URL opened as ws). */
typedef enum sp_rpc_transport {
  SP_RPC_TRANSPORT_AUTO = 0,
  SP_RPC_TRANSPORT_HTTP,
  SP_RPC_TRANSPORT_WS,
} sp_rpc_transport;

typedef struct sp_rpc_options {
  long connect_timeout_ms;   /* TCP + TLS connect, per attempt */
  long timeout_ms;           /* whole request, per attempt */
  int max_retries;           /* attempts = 1 + max_retries */
  long backoff_initial_ms;   /* wait before the first retry (before jitter) */
  long backoff_max_ms;       /* cap of the doubling wait */
  size_t max_response_bytes; /* larger responses are refused */
  uint64_t jitter_seed;      /* 0: seeded from the clock and pid */
  sp_rpc_transport transport;
  /* WebSocket only (ws.h): idle seconds before a ping (0: 20), and seconds
   * without valid traffic (a pong, a message) before the connection is
   * given up and made again (0 or <= ping: twice the ping). The response
   * limit above bounds every message. */
  unsigned ws_ping_s, ws_hangup_s;
  /* The end of the caller's whole time budget, on sp_monotonic_seconds()
   * (common/clock.h); 0: none. No wait of a call goes past it: connecting, each attempt,
   * the backoff between attempts; a call that finds it passed fails at
   * once (-SP_CHAIN_ETRANSPORT, "the time limit ran out"). This is how a
   * run's --seconds bounds everything from its first byte. */
  double deadline_s;
} sp_rpc_options;

/*
 * A connection refused (ECONNREFUSED) before the node ever answered is not
 * retried on either transport: nothing listens at that address, and
 * waiting does not start a node. The call fails at once with
 * -SP_CHAIN_ETRANSPORT, err->not_sent set and a message that names the URL
 * and what to start. A node that answered before and refuses later is
 * restarting: that is retried as any other transport failure.
 *
 * Defaults: connect 10 s, total 60 s (metadata is ~300 KB on a slow link),
 * 4 retries, backoff 250 ms doubling to 8 s, responses up to 64 MiB.
 */
void sp_rpc_options_default(sp_rpc_options *o);

typedef struct sp_rpc sp_rpc;
struct sp_ws;

/*
 * Opens a client for a network name or URL (see endpoint.h); `opts` may be
 * NULL for the defaults. Nothing is sent yet. Returns 0, -SP_CHAIN_EARG
 * (bad name/URL or options) or -SP_CHAIN_ENOMEM.
 */
int sp_rpc_open(sp_rpc **out, const char *network_or_url,
                const sp_rpc_options *opts, sp_chain_error *err);

/* `want_ms` cut to what is left before o->deadline_s: want_ms when there is
 * no deadline, else min(want_ms, left), and 0 when it has passed. */
long sp_rpc_budget_ms(const sp_rpc_options *o, long want_ms);

/* Fills err for a refused connection to `url` (see above) and returns
 * -SP_CHAIN_ETRANSPORT: one line naming the URL and what to start. */
int sp_rpc_fail_refused(sp_chain_error *err, const char *method,
                        const char *url);

/* Fills err for a call that found its deadline passed; returns
 * -SP_CHAIN_ETRANSPORT. */
int sp_rpc_fail_deadline(sp_chain_error *err, const char *method,
                         const char *url, int attempt);

/* Parses "http" / "ws" (for --transport); -1 for anything else. */
int sp_rpc_transport_parse(const char *name, sp_rpc_transport *out);

/* Closes the connection and frees the client (NULL is fine). */
void sp_rpc_close(sp_rpc *rpc);

/* The URL the client posts to (HTTP) or is connected to (WebSocket). */
const char *sp_rpc_url(const sp_rpc *rpc);

/* The WebSocket connection for subscriptions (ws.h), or NULL over HTTP. */
struct sp_ws *sp_rpc_ws(const sp_rpc *rpc);

/* HTTP attempts made so far (requests plus retries), for tests and logs. */
uint64_t sp_rpc_attempts(const sp_rpc *rpc);

/* Accepted JSON types of "result", for the `expect` mask; 0 = any. */
enum {
  SP_RPC_ANY = 0,
  SP_RPC_STRING = 1u << 0,
  SP_RPC_OBJECT = 1u << 1,
  SP_RPC_ARRAY = 1u << 2,
  SP_RPC_INTEGER = 1u << 3,
  SP_RPC_BOOL = 1u << 4,
  SP_RPC_NULL = 1u << 5,
};

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
 * The validation sp_rpc_call applies to every HTTP 200 body, on its own:
 * `body`/`len` (need not be NUL-terminated) must be the answer to request
 * `id` of `method` (used in messages only). Returns 0 with a new reference
 * to "result" in *result, -SP_CHAIN_ERPC (a well-formed JSON-RPC error:
 * err->rpc_code is its code, 0 when it has none) or -SP_CHAIN_EPROTOCOL; *result is NULL on
 * error. Exposed for tests and fuzzing (regress/fuzz/fuzz_rpc_response.c).
 */
int sp_rpc_parse_response(const char *body, size_t len, const char *method,
                          int64_t id, unsigned expect, json_t **result,
                          sp_chain_error *err);

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
