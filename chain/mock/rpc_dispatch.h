/*
 * The request dispatch of the mock node's servers, shared by the HTTP side
 * (rpc_server.c) and the WebSocket side (ws_server.c), which both sit on
 * it: a JSON-RPC 2.0 request text to its answer object through the node's
 * handler, the injected faults and their seeded generator, and the request
 * count. Internal to chain/mock, except the types the node's interface
 * names (sp_rpc_faults, sp_rpc_reply, sp_rpc_handler).
 */
#ifndef SUBPOW_CHAIN_MOCK_RPC_DISPATCH_H
#define SUBPOW_CHAIN_MOCK_RPC_DISPATCH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* JSON-RPC error codes (JSON-RPC 2.0 section 5.1). */
enum {
  SP_RPC_PARSE_ERROR = -32700,
  SP_RPC_INVALID_REQUEST = -32600,
  SP_RPC_METHOD_NOT_FOUND = -32601,
  SP_RPC_INVALID_PARAMS = -32602,
  SP_RPC_INTERNAL_ERROR = -32603,
};

/* A handler's answer: a result (owned reference), or an error. */
typedef struct sp_rpc_reply {
  json_t *result; /* set on success (json_null() is a valid result) */
  int error_code; /* non-zero on error */
  char error_message[256];
  json_t *error_data; /* optional, owned */
} sp_rpc_reply;

typedef void (*sp_rpc_handler)(void *user, const char *method, json_t *params,
                               sp_rpc_reply *reply);

/* Faults applied to each request, for tests of clients. Rates are out of
 * 1000 requests, drawn from a seeded generator. */
typedef struct sp_rpc_faults {
  unsigned latency_ms;     /* added before every answer */
  unsigned drop_per_mille; /* close the connection without an answer */
  unsigned http500_per_mille;
  unsigned malformed_per_mille; /* a truncated, invalid JSON body */
  /* The next this many author_submit* requests are carried out, then their
   * answer is lost (the connection closed): the client cannot know whether
   * the node took the extrinsic (it did). */
  unsigned lose_submit_answers;
  /* WebSocket only (ws_server.h); drop, malformed and latency above apply
   * to WebSocket answers too. */
  unsigned ws_oversize_per_mille;    /* an answer in a frame of ... */
  size_t ws_oversize_bytes;          /* ... this many bytes (0: 2 MiB) */
  unsigned ws_bad_utf8_per_mille;    /* a text frame that is not UTF-8 */
  unsigned ws_cut_per_mille;         /* half a message, then a close */
  unsigned ws_stall_per_mille;       /* the connection goes silent (no
                                        answers, no pongs) until closed */
  unsigned ws_drop_notice_per_mille; /* close instead of a new head */
  unsigned ws_drop_watch_per_mille;  /* close instead of an extrinsic
                                        status (author_extrinsicUpdate) */
  unsigned ws_stray_per_mille;       /* before an answer: an answer to an
                                        unknown id and a notification of an
                                        unknown subscription */
  bool ws_no_subscriptions;          /* subscribe methods: not found */
  /* author_submitAndWatchExtrinsic: "dropped" (ending the watch) right
   * after "ready", while the extrinsic stays in the pool and is included
   * in the next block (a node that lost track of what another included) */
  bool ws_report_dropped;
} sp_rpc_faults;

typedef struct mock_dispatch mock_dispatch;

/* A dispatch to `handler` (called from any thread: it must be
 * thread-safe), faults off, the generator seeded with `seed`. NULL when out
 * of memory. */
mock_dispatch *mock_dispatch_create(sp_rpc_handler handler, void *user,
                                    uint64_t seed);
void mock_dispatch_free(mock_dispatch *d);

/* The answer object to a request text (JSON-RPC 2.0 section 5: a parse
 * error, an invalid request, the handler's result or error). */
json_t *mock_dispatch_text(mock_dispatch *d, const char *body, size_t len);

/* The handler itself (params NULL: []). */
void mock_dispatch_handle(mock_dispatch *d, const char *method, json_t *params,
                          sp_rpc_reply *reply);

/* A call's result (a new reference), or NULL when the handler failed. */
json_t *mock_dispatch_call(mock_dispatch *d, const char *method,
                           json_t *params);

/* Replaces the faults; copies the current ones and draws a roll (0..999)
 * of the seeded generator (thread-safe). */
void mock_dispatch_set_faults(mock_dispatch *d, const sp_rpc_faults *f);
void mock_dispatch_roll(mock_dispatch *d, sp_rpc_faults *f, unsigned *roll);

/* Takes one of the pending lost submission answers (faults'
 * lose_submit_answers): true when this answer is to be lost. */
bool mock_dispatch_lose_submit(mock_dispatch *d);

/* Counts one request; the count so far. */
void mock_dispatch_count(mock_dispatch *d);
uint64_t mock_dispatch_requests(const mock_dispatch *d);

#endif
