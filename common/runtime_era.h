/*
 * The eras of the Subtensor runtime, as data: what changed for a
 * registration client at which spec_version. One table (runtime_era.c),
 * read by the PoW rule (reference/: sp_rule_for_spec_version), the chain
 * client (its runtime's era), the registration flow and the mock node's
 * profiles. A new era is one row there.
 *
 *   first spec  what changed                                      source
 *   0           PoW registration; the seal is read big-endian      pallet
 *               (hash_meets_difficulty, U256::from of uint 0.9) do_registration
 *   283         the seal is read little-endian                     subtensor
 * aedad2e8e (2025-05-30), spec 283 on main 2025-06-30 397         `register`
 * and `burned_register` are do_register: subtensor 115c42049 a burned
 * registration signed by the coldkey that   (main 2026-04-22) charges
 * Burn[netuid]; the work is ignored
 *
 * Only the runtime's spec_version is looked at: a facility that exists by
 * name in the metadata (register_limit, faucet) is looked up there instead.
 */
#ifndef SUBPOW_COMMON_RUNTIME_ERA_H
#define SUBPOW_COMMON_RUNTIME_ERA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sp_runtime_era {
  uint32_t first_spec; /* the first spec_version of the era */
  const char *name;    /* short, for messages: "pow-be", "pow-le", "burned" */
  bool seal_little_endian; /* the chain reads the seal as a little-endian
                              number when it checks the difficulty */
  bool pow_registration;   /* `register` checks proof of work and is signed
                              by the hotkey; false: it is a burned
                              registration signed by the coldkey */
  const char *source;      /* where the switch was read (commit, date) */
} sp_runtime_era;

/* The era of a runtime with this spec_version (never NULL). */
const sp_runtime_era *sp_runtime_era_of(uint32_t spec_version);

/* The whole table, oldest first; *n receives its length. */
const sp_runtime_era *sp_runtime_eras(size_t *n);

/* The first spec_version of the era where `register` is a burned
 * registration (no PoW): for messages and docs. */
uint32_t sp_runtime_era_burned_from(void);

#endif
