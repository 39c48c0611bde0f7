/*
 * The metadata the mock node serves: a V14 metadata it builds itself, with
 * finney's pallet and call indices (SubtensorModule 7: register 6,
 * burned_register 7, faucet 60; System 0; Balances 5), the module error
 * indices of the spec-343 runtime (docs/protocol.md section 4), the storage
 * items a registration reads, the events it emits, and the signed extensions
 * of section 5 in finney's order. Only what a registration client and a
 * generic Substrate client need is described; the shapes follow the real
 * runtime so that independent clients (polkadot.js) decode it.
 */
#ifndef SUBPOW_CHAIN_MOCK_MOCK_METADATA_H
#define SUBPOW_CHAIN_MOCK_MOCK_METADATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Pallet indices (finney). */
enum {
  SP_MOCK_PALLET_SYSTEM = 0,
  SP_MOCK_PALLET_BALANCES = 5,
  SP_MOCK_PALLET_SUBTENSOR = 7
};

/* SubtensorModule call indices (finney; register_limit: today's source,
 * subtensor 14bc6f9f9, spec 425, dispatches.rs call_index(134), in the
 * modern profile's metadata only). */
enum {
  SP_MOCK_CALL_REGISTER = 6,
  SP_MOCK_CALL_BURNED_REGISTER = 7,
  SP_MOCK_CALL_FAUCET = 60,
  SP_MOCK_CALL_REGISTER_LIMIT = 134
};

/* SubtensorModule event indices: NeuronRegistered 6 and Faucet 54 in
 * finney's spec-343 metadata and in the recorded devnet metadata of spec
 * 346 and 381 (devnet-spec346-v16.scale, devnet-spec381-v16.scale). */
enum { SP_MOCK_EVENT_NEURON_REGISTERED = 6, SP_MOCK_EVENT_FAUCET = 54 };

/* DefaultBurnIncreaseMult, U64F64::from_num(1.26) of today's source
 * (pallet lib.rs): the f64 nearest 1.26, exact in Q64.64 (its low 12 bits
 * are zero), as its integer and fractional halves. */
#define SP_MOCK_BURN_INCREASE_MULT_INT 1ull
#define SP_MOCK_BURN_INCREASE_MULT_FRAC 0x428F5C28F5C29000ull

/*
 * Module errors are named, never numbered, by the mock's runtime: the index
 * of a name is read from the metadata the node serves (sp_metadata_error),
 * so that each profile carries the indices of the runtime it stands for:
 *   - profiles 282 and 343: finney's spec-343 metadata
 *     (the recorded metadata_v14.hex), SubnetNotExists 73;
 *   - the modern profile: spec 381 (devnet-spec381-v16.scale),
 *     SubnetNotExists 75, plus RegistrationPriceLimitExceeded at 134, its
 *     index in today's source (errors.rs at 14bc6f9f9; spec 381 has no
 *     register_limit, and its last error is 130, so 134 collides with
 *     none).
 * The other indices are the same in the three: NonAssociatedColdKey 7,
 * NotEnoughBalanceToStake 12, TooManyRegistrationsThisBlock 20,
 * HotKeyAlreadyRegisteredInSubNet 21, InvalidWorkBlock 23,
 * InvalidDifficulty 24, InvalidSeal 25, SubNetRegistrationDisabled 36,
 * TooManyRegistrationsThisInterval 37, TransactorAccountShouldBeHotKey 38,
 * FaucetDisabled 39, RegistrationNotPermittedOnRootSubnet 41,
 * NoNeuronIdAvailable 47 (read with polkadot-js from the three files).
 */

/*
 * Builds the metadata of a runtime profile (mock_node.h): "meta" magic,
 * version byte 14, RuntimeMetadataV14. The modern profile (a spec_version
 * of the burned era, common/runtime_era.h) adds register_limit, the storage
 * items of do_register (NetworkRegistrationAllowed, MaxAllowedUids,
 * MinBurn, MaxBurn, BurnHalfLife, BurnIncreaseMult, BlockAtRegistration)
 * and today's transaction extensions (SudoTransactionExtension and
 * CheckShieldedTxValidity, both empty, before
 * SubtensorTransactionExtension); register_limit false leaves that call
 * out (a runtime of before it). Returns a malloc'd buffer (caller frees)
 * and its length, or NULL when out of memory.
 */
uint8_t *sp_mock_metadata_build_for(uint32_t runtime, bool register_limit,
                                    size_t *len);

/* The metadata of profile 343 (sp_mock_metadata_build_for(343, false, len)). */
uint8_t *sp_mock_metadata_build(size_t *len);

#endif
