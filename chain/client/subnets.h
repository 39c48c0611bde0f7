/*
 * What a subnet asks of a registration, read from the chain's storage in
 * one consistent block: does it exist, is registration open, is proof of
 * work allowed and at which difficulty, what the burn costs, how full it is,
 * how many registrations the interval has taken of its target, and how long
 * a new neuron is immune. `bench subnets` prints it.
 *
 * Items (SubtensorModule, each a map netuid: u16 -> value, Identity hasher;
 * names as in subtensor's pallet storage and docs/protocol.md section 5):
 *   NetworksAdded                 bool  the subnet exists
 *   NetworkRegistrationAllowed    bool  registration (burned or PoW) open
 *   NetworkPowRegistrationAllowed bool  PoW registration allowed
 *   Difficulty                    u64   PoW difficulty
 *   Burn                          u64   burn price, rao
 *   SubnetworkN                   u16   uids in use
 *   MaxAllowedUids                u16   uids at most
 *   RegistrationsThisInterval     u16
 *   TargetRegistrationsPerInterval u16
 *   ImmunityPeriod                u16   blocks
 * and the plain items TotalNetworks (u16) and SubnetLimit (u16), which bound
 * the search for subnets. A runtime (or the mock) whose metadata lacks an
 * item leaves that field unknown (its bit clear in `have`) rather than
 * fail; an item of another type than listed is -SP_CHAIN_EMETADATA.
 *
 * All keys of one call are read with one state_queryStorageAt at `at`
 * (chunks of at most 256 keys), or key by key with state_getStorage when the
 * node does not offer it.
 */
#ifndef SUBPOW_CHAIN_CLIENT_SUBNETS_H
#define SUBPOW_CHAIN_CLIENT_SUBNETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chain/client/rpc.h"
#include "chain/codec/metadata.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bits of sp_subnet_info.have: the runtime's metadata has the item. */
enum {
  SP_SUBNET_REGISTRATION_ALLOWED = 1u << 0,
  SP_SUBNET_POW_ALLOWED = 1u << 1,
  SP_SUBNET_DIFFICULTY = 1u << 2,
  SP_SUBNET_BURN = 1u << 3,
  SP_SUBNET_UIDS = 1u << 4,
  SP_SUBNET_MAX_UIDS = 1u << 5,
  SP_SUBNET_REGS_THIS_INTERVAL = 1u << 6,
  SP_SUBNET_TARGET_REGS = 1u << 7,
  SP_SUBNET_IMMUNITY = 1u << 8,
};

typedef struct sp_subnet_info {
  uint16_t netuid;
  bool exists;   /* NetworksAdded */
  unsigned have; /* SP_SUBNET_* bits of the fields below that are known */
  bool registration_allowed, pow_allowed;
  uint64_t difficulty, burn_rao, uids, max_uids, regs_this_interval,
      target_regs_per_interval, immunity_period;
} sp_subnet_info;

/*
 * Reads the subnets `netuids[0..n)` at block `at` (32 bytes; NULL: the
 * node's best block) into out[0..n). A netuid that does not exist gets
 * exists = false and the items' defaults. Returns 0 or a negative
 * SP_CHAIN_* code with a message in err.
 */
int sp_subnets_read(sp_rpc *rpc, const sp_metadata *md, const uint16_t *netuids,
                    size_t n, const uint8_t *at, sp_subnet_info *out,
                    sp_chain_error *err);

/*
 * The netuids that exist at `at`, ascending, in a new malloc'd array
 * (*netuids; free it) of *n. Scans NetworksAdded from netuid 0 up to
 * max(TotalNetworks, SubnetLimit, 64), and on while fewer subnets than
 * TotalNetworks were found, to 65535 at most.
 */
int sp_subnets_list(sp_rpc *rpc, const sp_metadata *md, const uint8_t *at,
                    uint16_t **netuids, size_t *n, sp_chain_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_CHAIN_CLIENT_SUBNETS_H */
