/*
 * A submission watched through author_submitAndWatchExtrinsic over the
 * WebSocket transport, the way sp_chain_submit_prepared / sp_chain_watch
 * (client.h) use it when the client is a WebSocket one. Internal to
 * chain/client.
 *
 * Statuses are substrate's TransactionStatus (sc_transaction_pool_api,
 * serialized in camelCase): "ready", "future", {"broadcast": [...]},
 * {"inBlock": hash}, {"retracted": hash}, {"finalityTimeout": hash},
 * {"finalized": hash}, {"usurped": hash}, "dropped", "invalid".
 */
#ifndef SUBPOW_CHAIN_CLIENT_WATCH_WS_H
#define SUBPOW_CHAIN_CLIENT_WATCH_WS_H

#include "chain/client/client.h"

typedef struct sp_ws_watch sp_ws_watch;

/* sp_ws_watch_submit's answer when the node has no such method (-32601):
 * nothing was submitted; submit with author_submitExtrinsic instead. */
#define SP_WS_WATCH_NO_METHOD 1
/* sp_ws_watch_follow's answer when the connection went away: look for the
 * extrinsic by polling from sub->first_block. */
#define SP_WS_WATCH_LOST 2

/* Submits sub->bytes and sets sub->ws_watch. Returns 0, SP_WS_WATCH_NO_METHOD,
 * -SP_CHAIN_ERPC (the pool refused it) or another error (the answer was
 * lost: the node may have it; err->not_sent when it surely was not sent). */
int sp_ws_watch_submit(sp_chain_client *c, sp_chain_submission *sub,
                       sp_chain_error *err);

/* Follows the statuses until inBlock (then reads the outcome: 0), a final
 * status without inclusion (-SP_CHAIN_ETIMEOUT, out->final_status), the
 * time limit or opts->cancel (-SP_CHAIN_ETIMEOUT), or a lost connection
 * (SP_WS_WATCH_LOST). Each status goes to opts->on_status. */
int sp_ws_watch_follow(sp_chain_client *c, const sp_chain_submission *sub,
                       const sp_submit_options *opts, sp_chain_outcome *out,
                       sp_chain_error *err);

/* Unsubscribes and frees (NULL is fine). */
void sp_ws_watch_free(sp_ws_watch *w);

#endif
