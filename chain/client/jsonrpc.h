/*
 * The JSON-RPC 2.0 layer of the client, above its two transports (HTTP with
 * libcurl in rpc.c, WebSocket with libwebsockets in ws.c), which only move
 * messages: the options and time budget of a call, the validation of every
 * answer (ids, result types, error objects with or without a code), the
 * safe-to-resend policy, the backoff between attempts, the loop of attempts
 * itself (sp_rpc_run, over the sp_rpc_wire each transport fills) and the
 * messages of the failures both transports share. Written once here; rpc.h
 * is the client's interface.
 */
#ifndef SUBPOW_CHAIN_CLIENT_JSONRPC_H
#define SUBPOW_CHAIN_CLIENT_JSONRPC_H

#include <jansson.h>
#include <pthread.h>
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
   * (common/clock.h); 0: none. No wait of a call goes past it: connecting, each
   * attempt, the backoff between attempts; a call that finds it passed fails at
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

/* What became of one attempt that brought no valid answer, for the resend
 * policy. */
typedef enum sp_rpc_failure {
  SP_RPC_FAIL_NOT_SENT = 1,  /* cannot have reached the node (the name did
                                not resolve, no connection) */
  SP_RPC_FAIL_NOT_PROCESSED, /* the node said it did not process it (HTTP
                                429, 503) */
  SP_RPC_FAIL_MAYBE_SENT,    /* sent, the answer lost: a timeout, a reset,
                                a closed connection, another 5xx */
  SP_RPC_FAIL_GARBLED,       /* an answer that broke off mid-JSON */
  SP_RPC_FAIL_FINAL,         /* anything a resend gets again */
} sp_rpc_failure;

/* Methods that change the node's state (author_submit*). */
bool sp_rpc_changes_state(const char *method);

/*
 * Whether a request of `method` may be sent again after failure `f`. A
 * request that changes state is resent only when it cannot have reached
 * the node or the node said it did not process it: after any other
 * failure the node may have the extrinsic, a blind resend is refused as
 * already imported or outdated (which would hide that the first copy is in
 * the pool), and the caller must treat the outcome as unknown and look for
 * it on chain. Other methods are resent after any failure but FINAL.
 */
bool sp_rpc_may_resend(const char *method, sp_rpc_failure f);

/*
 * The wait before retry number `retry` (1, 2, ...): equal-jitter
 * exponential backoff (a uniformly random wait between half the step and
 * the whole step, the step doubling from o->backoff_initial_ms up to
 * o->backoff_max_ms) so that many clients do not retry in step, drawn from
 * *rng (common/rng.h), and cut to the budget left (sp_rpc_budget_ms).
 */
long sp_rpc_backoff_ms(const sp_rpc_options *o, uint64_t *rng, int retry);

/*
 * One attempt of a call, as sp_rpc_run hands it to a transport: the
 * request to send (in) and what became of it (out).
 */
typedef struct sp_rpc_attempt {
  /* in */
  const char *method; /* for messages */
  int64_t id;         /* the id in `text` */
  const char *text;   /* the whole request, NUL-terminated */
  size_t len;
  int number;   /* 1, 2, ...: "(attempt N)" in messages */
  long wait_ms; /* timeout_ms cut to the deadline (sp_rpc_budget_ms), > 0 */
  /* out, when the transport returns 0: the answer's text (need not be
   * NUL-terminated), the transport's until its next attempt or the end of
   * the call */
  const char *answer;
  size_t answer_len;
  /* out, when it returns an error: whether the request may have reached
   * the node (the resend policy decides on it), and, for an attempt that
   * is not sent again, the context sp_rpc_run prefixes to the message
   * (NULL: none) */
  sp_rpc_failure failure;
  const char *unknown_note;
} sp_rpc_attempt;

/*
 * What a transport gives sp_rpc_run: a way to move one request and its
 * answer. The retries, the backoff between them, the deadline, the resend
 * policy and the validation of the answer are sp_rpc_run's.
 */
typedef struct sp_rpc_wire {
  /*
   * Sends a->text and waits for the answer with id a->id, at most
   * a->wait_ms (a transport that must connect first waits for that within
   * the deadline too). Returns 0 with a->answer set, or a negative code with
   * `err` filled (err->not_sent when the request cannot have reached the
   * node) and a->failure set: SP_RPC_FAIL_FINAL for a failure that ends
   * the call whatever the method (out of memory, a connection refused
   * before the node ever answered, a deadline that ran out while
   * connecting, an answer over max_response_bytes, an HTTP status a resend
   * gets again).
   */
  int (*exchange)(void *ctx, sp_rpc_attempt *a, sp_chain_error *err);
  /* A request id unique among the connection's requests. */
  int64_t (*next_id)(void *ctx);
  /* Each attempt a request of its own, with a new id (WebSocket: a late
   * answer to an earlier attempt is not taken for a later one's); else one
   * id for all the attempts of a call (HTTP). */
  bool new_id_per_attempt;
  void *ctx;
  const sp_rpc_options *opts; /* retries, backoff, timeout, deadline */
  const char *url;            /* for messages */
  /* The generator of the backoff's jitter (common/rng.h), drawn with
   * rng_lock held when that is not NULL. */
  uint64_t *rng;
  pthread_mutex_t *rng_lock;
} sp_rpc_wire;

/*
 * Calls `method` with `params` (a JSON array, borrowed) over `wire`, as
 * rpc.h says: each attempt within what is left of the deadline (a call
 * that finds it passed fails with sp_rpc_fail_deadline), after a failure
 * the backoff (sp_rpc_backoff_ms) and another attempt while
 * sp_rpc_may_resend allows it and max_retries does, every answer checked
 * by sp_rpc_check_response (one that broke off mid-JSON is a
 * SP_RPC_FAIL_GARBLED failure). Returns 0 with a new reference to "result"
 * in *result, or the last attempt's error (*result NULL), err filled.
 */
int sp_rpc_run(const sp_rpc_wire *wire, const char *method,
               const json_t *params, unsigned expect, json_t **result,
               sp_chain_error *err);

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
 * Whether a "result" value `v` is of a type the `expect` mask accepts
 * (SP_RPC_ANY accepts any; a real number matches no mask). The check
 * sp_rpc_parse_response applies last; exposed for tests and fuzzing.
 */
bool sp_rpc_result_type_ok(const json_t *v, unsigned expect);

/*
 * The validation sp_rpc_call applies to every HTTP 200 body, on its own:
 * `body`/`len` (need not be NUL-terminated) must be the answer to request
 * `id` of `method` (used in messages only). Returns 0 with a new reference
 * to "result" in *result, -SP_CHAIN_ERPC (a well-formed JSON-RPC error:
 * err->rpc_code is its code, 0 when it has none) or -SP_CHAIN_EPROTOCOL;
 * *result is NULL on error. Exposed for tests and fuzzing
 * (regress/fuzz/fuzz_rpc_response.c).
 */
int sp_rpc_parse_response(const char *body, size_t len, const char *method,
                          int64_t id, unsigned expect, json_t **result,
                          sp_chain_error *err);

/* sp_rpc_parse_response, also telling (*cut_short, may be NULL) a body
 * that ends before its JSON does: a transfer cut short, not the node's
 * answer. */
int sp_rpc_check_response(const char *body, size_t len, const char *method,
                          int64_t id, unsigned expect, json_t **result,
                          bool *cut_short, sp_chain_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_CHAIN_CLIENT_JSONRPC_H */
