/*
 * The mock node's Chopsticks-style test controls over JSON-RPC (mock_dev.c,
 * not a public interface): dev_newBlock, dev_setStorage and
 * author_pendingExtrinsics. They sit on the node's state (mock_state.h),
 * below the node (mock_node.c), which hands its block producer in.
 */
#ifndef SUBPOW_CHAIN_MOCK_MOCK_DEV_H
#define SUBPOW_CHAIN_MOCK_MOCK_DEV_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "chain/mock/mock_state.h"
#include "chain/mock/rpc_dispatch.h"

/* Produces one block now and returns its number; takes n->lock itself
 * (mock_node.c's sp_mock_produce_block). */
typedef uint64_t (*mock_produce_fn)(sp_mock_node *n);

/* Answers the test controls and returns true, or returns false for any
 * other method. dev_newBlock makes its blocks with `produce`. Takes n->lock
 * itself: callers must not hold it. */
bool mock_dev_handle(sp_mock_node *n, mock_produce_fn produce,
                     const char *method, json_t *params, sp_rpc_reply *reply);

#endif
