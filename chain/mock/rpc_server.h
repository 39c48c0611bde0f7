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

/* Requests served so far (answered or faulted). */
uint64_t sp_rpc_server_requests(const sp_rpc_server *s);

/* Stops the server and frees it (waits for requests in flight). */
void sp_rpc_server_stop(sp_rpc_server *s);

#endif
