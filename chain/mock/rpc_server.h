/*
 * A JSON-RPC 2.0 server over HTTP POST (libmicrohttpd), the transport of the
 * mock Subtensor node. Substrate nodes answer JSON-RPC over plain HTTP on
 * the same port as WebSocket; this serves the HTTP half.
 *
 * The server owns nothing of the chain: every request is handed to a
 * handler callback through the dispatch (rpc_dispatch.h) that the
 * WebSocket side (ws_server.h) shares, from the server's threads (the handler
 * must be thread-safe). Faults can be injected for tests of clients.
 */
#ifndef SUBPOW_CHAIN_MOCK_RPC_SERVER_H
#define SUBPOW_CHAIN_MOCK_RPC_SERVER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chain/mock/rpc_dispatch.h"
#include "common/error_record.h"

typedef struct sp_rpc_server sp_rpc_server;

/*
 * Starts serving on 127.0.0.1:port (port 0: a free port). Returns the
 * server, or NULL and fills `err` (may be NULL): SP_EIO when the port
 * cannot be bound or the acceptor not started, SP_ENOMEM.
 */
sp_rpc_server *sp_rpc_server_start(uint16_t port, sp_rpc_handler handler,
                                   void *user, uint64_t seed,
                                   sp_error_record *err);

/* The port actually bound. */
uint16_t sp_rpc_server_port(const sp_rpc_server *s);

/* Replaces the fault settings (thread-safe). */
void sp_rpc_server_set_faults(sp_rpc_server *s, const sp_rpc_faults *f);

/* Requests served so far (answered or faulted; over WebSocket each
 * message; a connection refused while down counts one). */
uint64_t sp_rpc_server_requests(const sp_rpc_server *s);

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
