/*
 * The mock node's runtime (mock_runtime.c, not a public interface): the
 * transaction pool's validation and the pallet's dispatch, over the state
 * of mock_state.h.
 */
#ifndef SUBPOW_CHAIN_MOCK_MOCK_RUNTIME_H
#define SUBPOW_CHAIN_MOCK_MOCK_RUNTIME_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "chain/mock/mock_state.h"
#include "chain/mock/rpc_server.h"

/* The transaction pool's validation of a submitted extrinsic. On success
 * appends it to the pool and returns 0 with its hash; else fills the JSON-RPC
 * error in `reply` (codes 1002 decode/verification, 1010 invalid
 * transaction, -32603 out of memory), which is the record the node answers
 * with, and returns -SP_EINVAL for a refused extrinsic or -SP_ENOMEM.
 * Caller holds n->lock. */
int mock_submit(sp_mock_node *n, const uint8_t *bytes, size_t len,
                uint8_t hash[32], sp_rpc_reply *reply);

/* Applies every pooled extrinsic in block `number` and returns the block's
 * events as a JSON array of EventRecords. Caller holds n->lock. */
json_t *mock_apply_pool(sp_mock_node *n, uint64_t number);

/* The runtime's on_initialize for block `number`, before its extrinsics:
 * the per-block counters, and in the modern profile the burn's decay
 * towards MinBurn. Caller holds n->lock. */
void mock_on_initialize(sp_mock_node *n, uint64_t number);

/* Account nonce as the pool sees it (stored nonce + pending). */
uint32_t mock_next_index(sp_mock_node *n, const uint8_t account[32]);

#endif
