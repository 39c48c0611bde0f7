/*
 * JSON-RPC 2.0 over WebSocket (ws:// and wss://) to a Substrate node, with
 * libwebsockets (framing, TLS, ping/pong) and jansson.
 *
 * One sp_ws is one connection served by a thread of its own. Calls may come
 * from any number of threads at once: each request gets an id and waits for
 * the answer with that id, so many are in flight together. Subscriptions
 * (chain_subscribeNewHeads, author_submitAndWatchExtrinsic) deliver their
 * notifications to a callback on the connection's thread.
 *
 * Failure handling:
 *   - a connection that fails, closes or goes silent (no pong within
 *     hangup_s of the last valid traffic) is reopened with exponential
 *     backoff and jitter (the options' backoff_* values); subscriptions made
 *     with `resubscribe` are made again on the new connection and their
 *     callback gets SP_WS_GAP (notifications may have been missed in
 *     between); the others get SP_WS_LOST and end;
 *   - a call whose connection went away before the answer is sent again on
 *     the next connection, up to max_retries times, except a state-changing
 *     method (author_submit*), whose outcome is then unknown
 *     (-SP_CHAIN_ETRANSPORT saying so);
 *   - hostile input: a message over max_message_bytes, a binary message,
 *     one that is not UTF-8 or not JSON closes the connection (then the
 *     above); an answer to an id nobody waits for, or a notification for a
 *     subscription nobody holds, is counted and dropped (sp_ws_stats).
 * A call's attempts, backoff and deadline are jsonrpc.h's loop (sp_rpc_run),
 * which validates every answer, as over HTTP; this file only moves the
 * messages.
 *
 * TLS: the server certificate is verified against OpenSSL's default CA
 * file (X509_get_default_cert_file, or $SSL_CERT_FILE), which is the system
 * store (Debian: /etc/ssl/certs/ca-certificates.crt). libwebsockets' own
 * default (LWS_OPENSSL_CLIENT_CERTS, "../share" in Debian's build) is not
 * used.
 */
#ifndef SUBPOW_CHAIN_CLIENT_WS_H
#define SUBPOW_CHAIN_CLIENT_WS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chain/client/jsonrpc.h"
#include "chain/codec/chain_error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sp_ws sp_ws;

/*
 * Opens a connection to `url` (ws:// or wss://) with `opts` (jsonrpc.h; NULL:
 * defaults). The connection is made by the service thread; this returns as
 * soon as it started (the first call waits for it, up to the connect
 * timeout). Returns 0, -SP_CHAIN_EARG (not a ws(s) URL, bad options) or
 * -SP_CHAIN_ENOMEM.
 */
int sp_ws_open(sp_ws **out, const char *url, const sp_rpc_options *opts,
               sp_chain_error *err);

/* Closes the connection, ends every subscription (no callback) and frees
 * (NULL is fine). No call may be in progress. */
void sp_ws_close(sp_ws *ws);

const char *sp_ws_url(const sp_ws *ws);

/* As sp_rpc_call (rpc.h; the same options and policy, jsonrpc.h), over this
 * connection; thread-safe. */
int sp_ws_call(sp_ws *ws, const char *method, json_t *params, unsigned expect,
               json_t **result, sp_chain_error *err);

typedef enum sp_ws_event {
  SP_WS_NOTIFY = 1, /* a notification: `result` is its "result" */
  SP_WS_GAP,        /* reconnected and subscribed again: notifications may
                       have been missed since the last one */
  SP_WS_LOST,       /* the connection went away; the subscription is over
                       (one made without resubscribe) */
} sp_ws_event;

/* Called on the connection's thread; must be quick and must not call into
 * the same sp_ws (queue the work for another thread). `result` is borrowed. */
typedef void (*sp_ws_notify_fn)(void *user, sp_ws_event ev,
                                const json_t *result);

typedef struct sp_ws_sub sp_ws_sub;

/*
 * Subscribes: calls `method` with `params` (stolen; NULL: []) and, when the
 * node answers with a subscription id, delivers every notification of that
 * id to `fn`. `unsubscribe` (may be NULL) is the method sp_ws_unsubscribe
 * calls. With `resubscribe` the subscription is made again after a
 * reconnect (SP_WS_GAP); without, the callback gets SP_WS_LOST once and no
 * more. Returns 0 with *out set, or the error of the call (a node without
 * the method answers -SP_CHAIN_ERPC with rpc_code -32601).
 */
int sp_ws_subscribe(sp_ws *ws, const char *method, json_t *params,
                    const char *unsubscribe, bool resubscribe,
                    sp_ws_notify_fn fn, void *user, sp_ws_sub **out,
                    sp_chain_error *err);

/* Stops delivering (no callback runs after it returns), tells the node
 * (best effort) and frees `sub` (NULL is fine). Not from the callback. */
void sp_ws_unsubscribe(sp_ws *ws, sp_ws_sub *sub);

typedef struct sp_ws_stats {
  uint64_t connects;      /* connections established */
  uint64_t attempts;      /* requests sent, retries included */
  uint64_t stray_answers; /* answers to an id nobody waits for */
  uint64_t stray_notices; /* notifications for an unknown subscription */
  uint64_t bad_messages;  /* messages that closed the connection */
  char last_error[256];   /* why the last connection ended or failed */
} sp_ws_stats;

void sp_ws_stats_get(sp_ws *ws, sp_ws_stats *out);

/*
 * What one received message is, without a connection: the classification
 * the connection's thread applies (exposed for tests and fuzzing,
 * regress/fuzz/fuzz_ws_message.c). `msg`/`len` need not be NUL-terminated.
 *   SP_WS_MSG_ANSWER: a JSON object with an integer "id" (*id set);
 *   SP_WS_MSG_NOTICE: an object with a string "method" and "params" holding
 *     "subscription" (string or integer: *sub_id gets its text, at most
 *     sub_cap - 1 bytes) and "result" (*result: a new reference);
 *   SP_WS_MSG_BAD: anything else, with a one-line reason in err (not UTF-8,
 *     not JSON, not an object, an id that is not an integer, a subscription
 *     id too long).
 */
typedef enum sp_ws_msg_kind {
  SP_WS_MSG_BAD = 0,
  SP_WS_MSG_ANSWER,
  SP_WS_MSG_NOTICE,
} sp_ws_msg_kind;

sp_ws_msg_kind sp_ws_classify(const char *msg, size_t len, int64_t *id,
                              char *sub_id, size_t sub_cap, json_t **result,
                              sp_chain_error *err);

/*
 * Reassembly of a message from frames with a bound: appends `len` bytes to
 * *buf (length *have, capacity *cap), refusing (false, nothing appended)
 * when the message would exceed `max`. For tests and fuzzing.
 */
bool sp_ws_append(char **buf, size_t *have, size_t *cap, const char *data,
                  size_t len, size_t max);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_CHAIN_CLIENT_WS_H */
