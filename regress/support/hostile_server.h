/* Test support: tiny hostile JSON-RPC servers on 127.0.0.1, one thread per
 * connection, for the client's time bounds: each mode misbehaves in one
 * way a real node or a proxy can. */
#ifndef SUBPOW_REGRESS_HOSTILE_SERVER_H
#define SUBPOW_REGRESS_HOSTILE_SERVER_H

#include <stdint.h>

typedef enum sp_hostile_mode {
  SP_HOSTILE_HTTP_SILENT = 1, /* accepts, reads, never answers */
  SP_HOSTILE_WS_SILENT,       /* completes the WebSocket upgrade, then
                                 reads and never answers */
  SP_HOSTILE_WS_WRONG_IDS,    /* answers every request with another id */
  SP_HOSTILE_WS_TRICKLE,      /* after the upgrade, an answer one byte per
                                 second that never ends */
  SP_HOSTILE_REFUSED,         /* a bound port that does not listen: every
                                 connection is refused (ECONNREFUSED) */
} sp_hostile_mode;

typedef struct sp_hostile_server sp_hostile_server;

/* Starts a server of `mode` on an ephemeral port (fails the test on
 * error). */
sp_hostile_server *sp_hostile_start(sp_hostile_mode mode);

/* Its port. */
uint16_t sp_hostile_port(const sp_hostile_server *s);

/* Stops it: closes every connection, joins its threads, frees. */
void sp_hostile_stop(sp_hostile_server *s);

#endif
