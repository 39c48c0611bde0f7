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
 *     293 and finney's 343
 * (SUBPOW_SHARED_DIR/fixtures/finney/metadata_v14.hex); also Difficulty(1) in
 * the genesis of raonet-spec218.json.
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
 * The modern profile (any spec_version of the runtime era "burned",
 * 397 and later: common/runtime_era.h) follows today's source, subtensor
 * main at 14bc6f9f9 (2026-06-30, spec 425), and metadata of spec 381
 * (the Subtensor project's recorded devnet-spec381-v16.scale):
 *   - register (6), burned_register (7) and register_limit (134) run
 *     do_register (pallets/subtensor/src/subnets/registration.rs) with its
 *     checks in its order: root (RegistrationNotPermittedOnRootSubnet),
 *     subnet (SubnetNotExists), NetworkRegistrationAllowed
 *     (SubNetRegistrationDisabled), already registered
 *     (HotKeyAlreadyRegisteredInSubNet), Burn against the coldkey's free
 *     balance (NotEnoughBalanceToStake), Owner of the hotkey
 *     (NonAssociatedColdKey), MaxAllowedUids 0 or full with nothing to
 *     prune (NoNeuronIdAvailable); then the payment, the neuron
 *     (NeuronRegistered), the burn bump. register_limit first checks root
 *     and subnet, then Burn <= limit_price (RegistrationPriceLimitExceeded).
 *     The signer is the coldkey; register's work and coldkey arguments are
 *     ignored (dispatches.rs). A failed call writes nothing.
 *   - Burn: update_registration_prices_for_networks in on_initialize
 *     decays it once per block after block 1 by the Q32 factor f with
 *     f^BurnHalfLife = 1/2 (decay_factor_q32, pow_q32, mul_by_q32 of
 *     utils/misc.rs, to the bit), then clamps to [MinBurn, MaxBurn];
 *     bump_registration_price_after_registration multiplies it by
 *     max(BurnIncreaseMult, 1) after each registration, so a second one in
 *     the same block pays more.
 *   - Defaults (absent keys): Burn 0.1 TAO (runtime lib.rs
 *     SubtensorInitialBurn), MinBurn 500,000 rao, MaxBurn 100 TAO,
 *     MaxAllowedUids 256, BurnHalfLife 360, BurnIncreaseMult 1.26,
 *     NetworkRegistrationAllowed true (pallet lib.rs and runtime lib.rs);
 *     a configured subnet starts at Burn 1 TAO (DefaultNeuronBurnCost).
 *   - faucet as in pow-faucet builds (do_faucet): the seal over the signing
 *     coldkey at the fixed difficulty 1,000,000 under hash_meets_difficulty
 *     (little-endian), the 3-block window, 10^12 rao minted, Faucet(coldkey,
 *     amount).
 *   - Metadata: module error indices of spec 381 (SubnetNotExists 75) plus
 *     RegistrationPriceLimitExceeded 134 (errors.rs at 14bc6f9f9), and the
 *     transaction extensions of runtime lib.rs at 14bc6f9f9 (with
 *     SudoTransactionExtension and CheckShieldedTxValidity): see
 *     mock_metadata.h.
 *   Simplified: the payment leaves the coldkey's free balance (the chain
 *   swaps it for the subnet's alpha: no pools here); no existential deposit
 *   (the chain's can_remove_balance_from_coldkey_account also keeps one);
 *   pruning takes the earliest registration, lowest uid on a tie (the
 *   chain's get_neuron_to_prune with every emission 0 and no immunity); no
 *   transaction fees.
 *   Test control: sp_mock_set_burn_on_submit moves the price at the next
 *   submission (between a client's read and its extrinsic).
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

#include "chain/mock/mock_config.h"
#include "chain/mock/rpc_server.h"
#include "common/error_record.h"

/* The defaults of `bench mock-node` with no options: port 9944, 1 s blocks,
 * subnet 1 with PoW allowed at difficulty 10,000, runtime 343, faucet on,
 * seed 0, an interval of 100 blocks; max_registrations_per_block and
 * target_registrations_per_interval 0, which sp_mock_start replaces with the
 * profile's (4 and 4 for 282, 1 and 2 for 343 and later: see above). */
void sp_mock_config_default(sp_mock_config *c);

/* Adds or updates a subnet; returns 0, or -SP_ERANGE when the table is
 * full (SP_MOCK_MAX_SUBNETS subnets). */
int sp_mock_config_subnet(sp_mock_config *c, uint16_t netuid, bool pow_allowed,
                          uint64_t difficulty);

/* True when `runtime` is a profile of the mock: 282, 343, or any
 * spec_version of the burned era (397 and later, common/runtime_era.h). */
bool sp_mock_runtime_known(uint32_t runtime);

/* Starts the node (genesis block 0, then blocks on the timer). Returns the
 * node, or NULL and fills `err` (may be NULL): SP_EINVAL for a bad
 * configuration (an unknown runtime, a block time of 0, netuid 0),
 * SP_CHAIN_EMETADATA when its metadata or genesis cannot be built (the
 * codec's code as the cause), SP_EIO when the port cannot be bound (in use)
 * or a thread not started, SP_ENOMEM. */
sp_mock_node *sp_mock_start(const sp_mock_config *c, sp_error_record *err);

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
/* Burn[netuid] in rao; setting it; and a one-shot move of the price: at
 * the next author_submitExtrinsic (before the pool looks at the
 * extrinsic), Burn[netuid] becomes `rao`. The last stands for the chain's
 * price changing between a client's read and its submission, without a
 * wall-clock race (Chopsticks' dev_setStorage from a proxy does the same
 * for the JSON-RPC driven tables). */
uint64_t sp_mock_burn(sp_mock_node *n, uint16_t netuid);
void sp_mock_set_burn(sp_mock_node *n, uint16_t netuid, uint64_t rao);
void sp_mock_set_burn_on_submit(sp_mock_node *n, uint16_t netuid, uint64_t rao);
/* The same, when the node is next asked JSON-RPC `method` (e.g.
 * "system_accountNextIndex": after a client's quote, before its re-check). */
void sp_mock_set_burn_on_method(sp_mock_node *n, const char *method,
                                uint16_t netuid, uint64_t rao);
/* Owner(hotkey) := coldkey (a hotkey that belongs to another coldkey). */
void sp_mock_set_owner(sp_mock_node *n, const uint8_t hotkey[32],
                       const uint8_t coldkey[32]);
/* Requests the RPC server has answered (or faulted). */
uint64_t sp_mock_requests(const sp_mock_node *n);

/* Stops producing blocks and serving, and frees the node. */
void sp_mock_stop(sp_mock_node *n);

#endif
