/*
 * A JSON-RPC 2.0 server over HTTP POST (libmicrohttpd), the transport of the
 * mock Subtensor node. Substrate nodes answer JSON-RPC over plain HTTP on
 * the same port as WebSocket; this serves the HTTP half.
 *
 * The server owns nothing of the chain: every request is handed to a
 * handler callback, from the server's threads (the handler must be
 * thread-safe). Faults can be injected for tests of clients.
 */
#ifndef SUBPOW_CHAIN_MOCK_RPC_SERVER_H
#define SUBPOW_CHAIN_MOCK_RPC_SERVER_H

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
  json_t *result;     /* set on success (json_null() is a valid result) */
  int error_code;     /* non-zero on error */
  char error_message[256];
  json_t *error_data; /* optional, owned */
} sp_rpc_reply;

typedef void (*sp_rpc_handler)(void *user, const char *method, json_t *params,
                               sp_rpc_reply *reply);

/* Faults applied to each request, for tests of clients. Rates are out of
 * 1000 requests, drawn from a seeded generator. */
typedef struct sp_rpc_faults {
  unsigned latency_ms;      /* added before every answer */
  unsigned drop_per_mille;  /* close the connection without an answer */
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

typedef struct sp_rpc_server sp_rpc_server;

/*
 * Starts serving on 127.0.0.1:port (port 0: a free port). Returns NULL with
 * a message in err when the port cannot be bound.
 */
sp_rpc_server *sp_rpc_server_start(uint16_t port, sp_rpc_handler handler,
                                   void *user, uint64_t seed, char *err,
                                   size_t errlen);

/* The port actually bound. */
uint16_t sp_rpc_server_port(const sp_rpc_server *s);

/* Replaces the fault settings (thread-safe). */
void sp_rpc_server_set_faults(sp_rpc_server *s, const sp_rpc_faults *f);

/* Requests served so far (answered or faulted; over WebSocket each
 * message; a connection refused while down counts one). */
uint64_t sp_rpc_server_requests(const sp_rpc_server *s);

/* For the WebSocket side (ws_server.c), from any thread: the answer
 * object to a request text (as over HTTP); the handler itself; a call's
 * result (NULL on error); the current faults and a roll (0..999) of the
 * seeded generator. */
json_t *sp_rpc_server_dispatch(sp_rpc_server *s, const char *body, size_t len);
void sp_rpc_server_handle(sp_rpc_server *s, const char *method, json_t *params,
                          sp_rpc_reply *reply);
json_t *sp_rpc_server_call(sp_rpc_server *s, const char *method,
                           json_t *params);
void sp_rpc_server_roll(sp_rpc_server *s, sp_rpc_faults *f, unsigned *roll);
/* Counts one request of the WebSocket side in sp_rpc_server_requests. */
void sp_rpc_server_count_request(sp_rpc_server *s);

/* Notifications to WebSocket subscribers (ws_server.h): a new best (or
 * finalized) header; a status of a watched extrinsic ("0x.." hash; `last`
 * ends its watch). Call without holding the handler's locks. */
void sp_rpc_server_publish_head(sp_rpc_server *s, bool finalized,
                                const json_t *header);
void sp_rpc_server_publish_extrinsic(sp_rpc_server *s, const char *hash_hex,
                                     const json_t *status, bool last);

/* Test controls: close every WebSocket connection now; while `down`, every
 * HTTP request and WebSocket upgrade is dropped and open WebSocket
 * connections are closed (a node restarting, its state kept); the number of
 * open WebSocket connections. */
void sp_rpc_server_drop_ws(sp_rpc_server *s);
void sp_rpc_server_set_down(sp_rpc_server *s, bool down);
unsigned sp_rpc_server_ws_connections(sp_rpc_server *s);

/* Stops the server and frees it (waits for requests in flight). */
void sp_rpc_server_stop(sp_rpc_server *s);

#endif
