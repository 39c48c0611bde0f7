/*
 * A Subtensor-compatible JSON-RPC node for tests and demos: `bench
 * mock-node`, and the embedded default network (`--network mock`) of
 * `bench register` and `bench faucet`.
 *
 * It produces blocks on a timer, keeps block hashes, storage and events,
 * serves the V14 metadata of mock_metadata.h, and applies submitted
 * extrinsics as the chain does: the signature, nonce and era are checked
 * when the extrinsic is submitted (the transaction pool), the call is
 * dispatched when the next block is produced, with the pallet's checks in
 * the pallet's order (subtensor-pow.md section 3), and the outcome is
 * recorded as storage changes and events. Runtime profiles: 282 (rule
 * chain-be), 343 (chain-le), 397 and later (`register` is a burned
 * registration signed by the coldkey; the work is ignored).
 *
 * Simplifications, each documented where it is made: storage is read at the
 * newest state whatever block hash a query names, except System.Events and
 * System.Number, which are kept per block; the transaction pool accepts only
 * the next nonce of an account (no future queue); no fees; subnets have no
 * size limit (no pruning).
 */
#ifndef SUBPOW_CHAIN_MOCK_MOCK_NODE_H
#define SUBPOW_CHAIN_MOCK_MOCK_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chain/mock/rpc_server.h"

#define SP_MOCK_MAX_SUBNETS 64

typedef struct sp_mock_subnet {
  uint16_t netuid;
  bool pow_allowed;
  uint64_t difficulty;
  uint64_t burn; /* rao, for burned registrations (spec 397+) */
} sp_mock_subnet;

typedef struct sp_mock_config {
  uint16_t port;              /* 0: a free port */
  unsigned block_time_ms;     /* block production interval */
  sp_mock_subnet subnets[SP_MOCK_MAX_SUBNETS];
  size_t n_subnets;
  uint32_t runtime;           /* spec_version: 282, 343 or >= 397 */
  bool faucet;                /* runtime built with the pow-faucet feature */
  uint64_t seed;              /* block hashes are a function of it */
  uint16_t max_registrations_per_block;
  uint16_t target_registrations_per_interval;
  uint32_t adjustment_interval; /* blocks after which the interval resets */
  sp_rpc_faults faults;
  bool stall_blocks;          /* start with the block producer stalled */
} sp_mock_config;

/* The defaults of `bench mock-node` with no options: port 9944, 1 s blocks,
 * subnet 1 with PoW allowed at difficulty 10,000, runtime 343, faucet on,
 * seed 0, 3 registrations per block, target 100 per interval of 360 blocks. */
void sp_mock_config_default(sp_mock_config *c);

/* Adds or updates a subnet; returns 0 or -1 when the table is full. */
int sp_mock_config_subnet(sp_mock_config *c, uint16_t netuid, bool pow_allowed,
                          uint64_t difficulty);

typedef struct sp_mock_node sp_mock_node;

/* Starts the node (genesis block 0, then blocks on the timer). Returns NULL
 * with a message in err (bad configuration, port in use). */
sp_mock_node *sp_mock_start(const sp_mock_config *c, char *err, size_t errlen);

/* The port it listens on, and its URL ("http://127.0.0.1:PORT"). */
uint16_t sp_mock_port(const sp_mock_node *n);
void sp_mock_url(const sp_mock_node *n, char *out, size_t cap);

/* Test controls. */
void sp_mock_set_faults(sp_mock_node *n, const sp_rpc_faults *f);
void sp_mock_set_stalled(sp_mock_node *n, bool stalled);
/* Produces one block now (also while stalled); returns its number. */
uint64_t sp_mock_produce_block(sp_mock_node *n);
uint64_t sp_mock_best(sp_mock_node *n);
/* The uid of a hotkey on a subnet: 0 when registered (*uid set), 1 when not. */
int sp_mock_uid(sp_mock_node *n, uint16_t netuid, const uint8_t hotkey[32],
                uint16_t *uid);
/* Free balance of an account, in rao; and setting it. */
uint64_t sp_mock_balance(sp_mock_node *n, const uint8_t account[32]);
void sp_mock_set_balance(sp_mock_node *n, const uint8_t account[32],
                         uint64_t rao);
/* Requests the RPC server has answered (or faulted). */
uint64_t sp_mock_requests(const sp_mock_node *n);

/* Stops producing blocks and serving, and frees the node. */
void sp_mock_stop(sp_mock_node *n);

#endif
