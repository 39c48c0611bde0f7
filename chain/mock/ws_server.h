/*
 * The mock node's WebSocket side (RFC 6455), on the port of its HTTP server
 * as Substrate nodes serve both. rpc_server.c accepts each connection and
 * shows it to mock_ws_take first: an upgrade request is answered (101) and
 * served here, anything else goes to libmicrohttpd (MHD_add_connection).
 * (libmicrohttpd's own upgrade support, in its thread-per-connection mode,
 * lost the first frame of a client that writes right after the 101, as
 * libwebsockets does.)
 *
 * Why its own framing and not a library: this is the hostile peer of the
 * tests. It must send what a correct library never emits (a frame over the
 * client's limit, a text frame that is not UTF-8, half a JSON document, a
 * message cut by a close) on demand; the client side, which must be
 * correct, uses libwebsockets (chain/client/ws.c).
 *
 * Methods: every method of the HTTP side, plus the subscriptions a client
 * of a Substrate node uses: chain_subscribeNewHeads (also
 * chain_subscribeNewHead, subscribe_newHead; notifications
 * "chain_newHead"), chain_subscribeFinalizedHeads ("chain_finalizedHead"),
 * author_submitAndWatchExtrinsic ("author_extrinsicUpdate": "ready", then
 * {"inBlock": hash} and {"finalized": hash}, the mock finalizing at once)
 * state_subscribeRuntimeVersion (the current version, once: polkadot.js
 * subscribes on every connection) and their unsubscribe methods. A new-heads
 * subscription first gets the current best header, as Substrate's does.
 *
 * Internal to chain/mock (rpc_server.c drives it; both sit on the request
 * dispatch of rpc_dispatch.h).
 */
#ifndef SUBPOW_CHAIN_MOCK_WS_SERVER_H
#define SUBPOW_CHAIN_MOCK_WS_SERVER_H

#include <jansson.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "chain/mock/rpc_dispatch.h"

typedef struct mock_ws mock_ws;

/* A WebSocket side answering through `dispatch` (shared with the HTTP
 * side; it must outlive this). */
mock_ws *mock_ws_create(mock_dispatch *dispatch);
/* Closes every connection and joins their threads, then frees. */
void mock_ws_destroy(mock_ws *w);

/* Looks at the request head on the accepted socket `fd` (peeking until it
 * is whole, at most 8 KiB and 10 s; at once for a request that is not a
 * GET): a WebSocket upgrade is consumed and answered (101 and the
 * connection's reader and writer threads, or 400 and a close) and 1
 * returned, the socket now ours; anything else returns 0 with nothing read.
 * Blocks while it waits: call it on a thread of the connection's own. When
 * *stop turns true it closes fd and returns 1.
 *
 * Each connection sends through a bounded queue (8 MiB) served by its
 * writer thread, so publishing never waits on a socket; a client that lets
 * its queue overflow, or whose socket takes nothing for 10 s, is dropped.
 * Frames that break RFC 6455 fail the connection (1002): unmasked, control
 * frames over 125 bytes or fragmented (5.5), a new text or binary frame
 * inside a fragmented message (5.4). */
int mock_ws_take(mock_ws *w, int fd, const atomic_bool *stop);

/* Notifications to the subscribers (any thread, no lock of the node held). */
void mock_ws_publish_head(mock_ws *w, bool finalized, const json_t *header);
void mock_ws_publish_extrinsic(mock_ws *w, const char *hash_hex,
                               const json_t *status, bool last);

/* Closes every connection at once (tests: a dropped connection). */
void mock_ws_drop_all(mock_ws *w);
unsigned mock_ws_connections(mock_ws *w);

#endif
