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

#include <stddef.h>
#include <stdint.h>

/* Pallet indices (finney). */
enum { SP_MOCK_PALLET_SYSTEM = 0, SP_MOCK_PALLET_BALANCES = 5,
       SP_MOCK_PALLET_SUBTENSOR = 7 };

/* SubtensorModule call indices (finney). */
enum { SP_MOCK_CALL_REGISTER = 6, SP_MOCK_CALL_BURNED_REGISTER = 7,
       SP_MOCK_CALL_FAUCET = 60 };

/* SubtensorModule error indices (spec 343 metadata). */
enum {
  SP_MOCK_ERR_TOO_MANY_REGISTRATIONS_THIS_BLOCK = 20,
  SP_MOCK_ERR_HOTKEY_ALREADY_REGISTERED = 21,
  SP_MOCK_ERR_INVALID_WORK_BLOCK = 23,
  SP_MOCK_ERR_INVALID_DIFFICULTY = 24,
  SP_MOCK_ERR_INVALID_SEAL = 25,
  SP_MOCK_ERR_SUBNET_REGISTRATION_DISABLED = 36,
  SP_MOCK_ERR_TRANSACTOR_SHOULD_BE_HOTKEY = 38,
  SP_MOCK_ERR_FAUCET_DISABLED = 39,
  SP_MOCK_ERR_SUBNET_NOT_EXISTS = 73,
  /* Not read from finney; used by the burned registration of spec 397. */
  SP_MOCK_ERR_NOT_ENOUGH_BALANCE = 74,
  SP_MOCK_ERR_TOO_MANY_REGISTRATIONS_THIS_INTERVAL = 75,
};

/* SubtensorModule event indices of the mock. */
enum { SP_MOCK_EVENT_NEURON_REGISTERED = 6, SP_MOCK_EVENT_FAUCET = 50 };

/*
 * Builds the metadata: "meta" magic, version byte 14, RuntimeMetadataV14.
 * Returns a malloc'd buffer (caller frees) and its length, or NULL when out
 * of memory.
 */
uint8_t *sp_mock_metadata_build(size_t *len);

#endif
