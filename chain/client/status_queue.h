/*
 * The statuses of one watched extrinsic on their way from the WebSocket
 * connection's reader thread to the thread that watches it
 * (watch_ws.c): a bounded ring. The caller holds its own lock around
 * every call. Internal to chain/client.
 *
 * Bounded, because a node may send statuses faster than they are read
 * (a flood of "broadcast"); but a flood must never push out the status
 * the watch waits for. So when the ring is full, the oldest status of the
 * lowest rank goes (see sp_status_rank), provided it ranks no higher than
 * the new one; otherwise the new one is given up.
 */
#ifndef SUBPOW_CHAIN_CLIENT_STATUS_QUEUE_H
#define SUBPOW_CHAIN_CLIENT_STATUS_QUEUE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SP_STATUS_QUEUE_MAX 64

typedef struct sp_status_queue {
  json_t *items[SP_STATUS_QUEUE_MAX];
  size_t head, n;
  uint64_t given_up; /* statuses dropped because the ring was full */
} sp_status_queue;

/* The rank of a TransactionStatus (a string, or an object with one key):
 * 2 for one that ends the watch without inclusion ("dropped", "invalid",
 * "usurped"), 1 for one that names a block ("inBlock", "retracted",
 * "finalized", "finalityTimeout"), 0 for the rest ("ready", "future",
 * "broadcast", anything unknown). */
int sp_status_rank(const json_t *status);

/* Takes `status` over (it is freed when given up). Returns false when it
 * was given up. */
bool sp_status_queue_push(sp_status_queue *q, json_t *status);

/* The oldest status (the caller owns it), or NULL when empty. */
json_t *sp_status_queue_pop(sp_status_queue *q);

/* Frees every status left. */
void sp_status_queue_clear(sp_status_queue *q);

#endif
