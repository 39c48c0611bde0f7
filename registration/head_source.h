/*
 * Where the registration flow learns of new blocks: a chain_subscribeNewHeads
 * subscription over the WebSocket transport (chain/client/ws.h), so that new
 * work follows a block within a round trip instead of within a polling
 * period; or, over HTTP or on a node without the subscription, nothing
 * (the flow polls, as before).
 *
 * New heads, not finalized heads: the pallet checks the work's block
 * against the current block (best + 1 - block < 3, docs/protocol.md
 * section 3), and a GRANDPA-finalized head trails the best by two or more
 * blocks, which would spend most of the 3-block window before solving
 * starts.
 *
 * The subscription only says *when* to look: the flow then reads the best
 * block and difficulty as its poll does, so a missed or reordered
 * notification costs nothing. After a reconnect (SP_WS_GAP: heads may have
 * been missed) it says "look now"; while the subscription is gone it says
 * "look" every time (polling), and a slow safety poll catches a node that
 * goes quiet.
 */
#ifndef SUBPOW_REGISTRATION_HEAD_SOURCE_H
#define SUBPOW_REGISTRATION_HEAD_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chain/client/client.h"

typedef struct sp_head_source sp_head_source;

/*
 * Subscribes on `c` (which must outlive the source). Returns NULL when `c`
 * is an HTTP client (then `why`, when given, holds no code) or when the
 * node refused the subscription or memory ran out (then `why` holds the
 * code and a one-line reason, e.g. the node has no
 * chain_subscribeNewHeads). `why` may be NULL.
 */
sp_head_source *sp_head_source_start(sp_chain_client *c, sp_error_record *why);

/*
 * Whether the flow should read the best block now (`now` in seconds, any
 * monotonic origin): a head arrived or a gap was reported since the last
 * true, the subscription is lost, or `safety_s` passed since the last true.
 */
bool sp_head_source_due(sp_head_source *h, double now, double safety_s);

typedef struct sp_head_stats {
  uint64_t heads; /* notifications */
  uint64_t gaps;  /* reconnects that may have missed heads */
  bool lost;      /* the subscription is gone: polling */
} sp_head_stats;

void sp_head_source_stats(sp_head_source *h, sp_head_stats *out);

/* Unsubscribes and frees (NULL is fine). */
void sp_head_source_stop(sp_head_source *h);

#endif
