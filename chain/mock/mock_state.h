/*
 * The mock node's state, shared by its files (not a public interface):
 * blocks, raw storage, the transaction pool, and typed access to storage
 * through the node's own metadata (mock_state.c). The layers of the mock:
 * mock_state.c at the bottom, mock_runtime.c (the pool and the pallet's
 * dispatch) and mock_dev.c (Chopsticks-style test controls, mock_dev.h) on
 * it, mock_node.c (blocks, JSON-RPC methods, the interface mock_node.h) on
 * top. Each includes only the headers below it: this one takes the
 * configuration from mock_config.h, not from mock_node.h.
 */
#ifndef SUBPOW_CHAIN_MOCK_MOCK_STATE_H
#define SUBPOW_CHAIN_MOCK_MOCK_STATE_H

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>

#include "chain/codec/metadata.h"
#include "chain/mock/mock_config.h"
#include "chain/mock/rpc_server.h"

typedef struct mock_block {
  uint64_t number;
  uint8_t hash[32], parent[32];
  uint8_t state_root[32]; /* a stand-in: see block_hash in mock_node.c */
  json_t *extrinsics;     /* array of "0x.." strings */
  uint8_t *events;        /* SCALE Vec<EventRecord> of this block */
  size_t events_len;
} mock_block;

typedef struct mock_pending {
  uint8_t *bytes; /* the encoded extrinsic */
  size_t len;
  uint8_t signer[32];
  uint32_t nonce;
  json_t *call; /* decoded call, {"Pallet": {"call": {args}}} */
} mock_pending;

struct sp_mock_node {
  sp_mock_config cfg;
  pthread_mutex_t lock; /* guards everything below */
  sp_metadata *md;
  uint8_t *metadata;
  size_t metadata_len;
  mock_block *blocks;
  size_t n_blocks, cap_blocks;
  json_t *storage; /* object: "0x<key>" -> "0x<value>" */
  mock_pending *pool;
  size_t n_pool, cap_pool;
  sp_rpc_server *server;
  pthread_t producer;
  bool producer_started;
  atomic_bool stop, stalled;
  pthread_cond_t wake;
  /* sp_mock_set_burn_on_submit: a one-shot price move at the next
   * submission */
  bool burn_armed;
  uint16_t burn_armed_netuid;
  uint64_t burn_armed_rao;
  char burn_armed_method[48]; /* "": at the next submission */
};

/* Typed storage through the metadata: `parts` is the JSON key (see
 * chain/client/storage.h), the value is JSON shaped as chain/codec/scale_type.h
 * says. st_get returns the stored value, the default when absent, or NULL for
 * an absent Optional item. st_set (a NULL value deletes) returns 0, or the
 * negative sp_error code of the codec when the item is unknown or the key or
 * value does not fit its types (-SP_CHAIN_ENOMEM when out of memory); the
 * mock's own writes fit by construction, so no record is kept. Callers hold
 * n->lock. */
json_t *st_get(sp_mock_node *n, const char *pallet, const char *item,
               json_t *parts);
int st_set(sp_mock_node *n, const char *pallet, const char *item, json_t *parts,
           json_t *value);
/* Unsigned integer helpers over st_get/st_set. */
uint64_t st_get_u64(sp_mock_node *n, const char *pallet, const char *item,
                    json_t *parts);
int st_set_u64(sp_mock_node *n, const char *pallet, const char *item,
               json_t *parts, uint64_t v);

/* The block with a given number or hash; NULL when unknown. */
mock_block *mock_block_by_number(sp_mock_node *n, uint64_t number);
mock_block *mock_block_by_hash(sp_mock_node *n, const uint8_t hash[32]);
static inline mock_block *mock_best(sp_mock_node *n) {
  return &n->blocks[n->n_blocks - 1];
}

#endif
