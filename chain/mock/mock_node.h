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
 * the pallet's order (docs/protocol.md section 3), and the outcome is
 * recorded as storage changes and events. Runtime profiles: 282 (rule
 * chain-be), 343 (chain-le), 397 and later (`register` is a burned
 * registration signed by the coldkey; the work is ignored).
 *
 * Simplifications, each documented where it is made: storage is read at the
 * newest state whatever block hash a query names, except System.Events and
 * System.Number, which are kept per block; the transaction pool accepts only
 * the next nonce of an account (no future queue); no fees; subnets have no
 * size limit (no pruning).
 *
 * Held to the real runtime: regress/realchain runs one scenario
 * table on the real spec 218 and 293 runtimes under Chopsticks and on this
 * mock's profiles 282 and 343, and requires the same outcome (exit status,
 * error name, which checks fire before solving). Test controls named and
 * shaped as Chopsticks' are served for that (dev_newBlock, dev_setStorage,
 * author_pendingExtrinsics: mock_dev.c).
 *
 * Where the defaults that stand for the chain's come from (read under
 * Chopsticks by polkadot-js, regress/realchain scenario 0):
 *   - Difficulty when absent 10,000,000: the storage default of spec 218,
 *     293 and finney's 343 (SUBPOW_SHARED_DIR/fixtures/finney/metadata_v14.hex);
 *     also Difficulty(1) in the genesis of raonet-spec218.json.
 *   - MaxRegistrationsPerBlock / TargetRegistrationsPerInterval of a
 *     configured subnet: profile 282 takes 4 / 4, netuid 1 in the spec-218
 *     genesis; 343 and later take 1 / 2, netuid 1 under spec 293 (its
 *     storage defaults; finney's spec-343 metadata has the same). When
 *     absent (unconfigured subnets) the storage defaults 1 / 2 of spec 293
 *     and 343.
 *   - adjustment_interval 100: AdjustmentInterval of spec 218 and 293
 *     (genesis and default) and of finney's 343 metadata.
 *   - NetworkPowRegistrationAllowed when absent true: spec 293 and 343
 *     (spec 218's default is false; the mock stores the value of every
 *     subnet it has, and a client reads it only for a subnet that exists).
 *   - Burn when absent 1e8 rao: spec 293 and 343; a configured subnet's
 *     burn is 1e9 rao (1 TAO), Burn(1) in the spec-218 genesis. Burn matters
 *     only to burned registration (397+), which no real runtime here has.
 * Not from the chain: the demo subnet's difficulty (10,000 by default, so
 * that `bench register` on the mock takes a moment), the block time, the
 * seed.
 *
 * Known differences from the real runtimes that a registration client
 * cannot be misled by (each seen in the realchain table):
 *   - subnets start empty: uids count from 0 (netuid 1 of raonet-spec218
 *     holds one neuron at genesis, so its first registration gets uid 1); a
 *     client reads the uid from the chain either way.
 *   - no root subnet (netuid 0) and no MaxAllowedUids, MinDifficulty,
 *     MaxDifficulty, AdjustmentInterval or NetworkRegistrationAllowed
 *     items: no difficulty adjustment, no pruning; a client refuses netuid
 *     0 before asking the chain, and reads none of these items.
 *   - the pool's refusal of a registration over the interval limit is
 *     {code 1010, "Invalid Transaction", data "Custom error:
 *     RateLimitExceeded"}; the real pool says the same with the custom
 *     error's number (Chopsticks over HTTP: {"message":
 *     "{\"invalid\":{\"custom\":5}}"}, no code; 6 under spec 293).
 *     Either way the client reports the node's message, a refusal before
 *     inclusion.
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
  uint16_t max_registrations_per_block;       /* 0: the profile's */
  uint16_t target_registrations_per_interval; /* 0: the profile's */
  uint32_t adjustment_interval; /* blocks after which the interval resets */
  sp_rpc_faults faults;
  bool stall_blocks;          /* start with the block producer stalled */
} sp_mock_config;

/* The defaults of `bench mock-node` with no options: port 9944, 1 s blocks,
 * subnet 1 with PoW allowed at difficulty 10,000, runtime 343, faucet on,
 * seed 0, an interval of 100 blocks; max_registrations_per_block and
 * target_registrations_per_interval 0, which sp_mock_start replaces with the
 * profile's (4 and 4 for 282, 1 and 2 for 343 and later: see above). */
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

/* Its WebSocket URL ("ws://127.0.0.1:PORT"): the same port serves both. */
void sp_mock_ws_url(const sp_mock_node *n, char *out, size_t cap);

/* Test controls. */
/* Closes every WebSocket connection now (clients reconnect). */
void sp_mock_drop_connections(sp_mock_node *n);
/* While down, nothing is answered and WebSocket connections are refused
 * and closed; the chain's state is kept (a node restarting). */
void sp_mock_set_down(sp_mock_node *n, bool down);
unsigned sp_mock_ws_connections(sp_mock_node *n);
void sp_mock_set_faults(sp_mock_node *n, const sp_rpc_faults *f);
void sp_mock_set_stalled(sp_mock_node *n, bool stalled);
/* Produces one block now (also while stalled); returns its number. */
uint64_t sp_mock_produce_block(sp_mock_node *n);
uint64_t sp_mock_best(sp_mock_node *n);
/* Extrinsics in the transaction pool (waiting for the next block). */
size_t sp_mock_pool_size(sp_mock_node *n);
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
