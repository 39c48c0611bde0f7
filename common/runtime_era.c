/* The runtime eras table; see runtime_era.h. */
#include "common/runtime_era.h"

/* Oldest first; each row holds from its first_spec to the next row's. */
static const sp_runtime_era eras[] = {
    {0, "pow-be", false, true,
     "pallet do_registration; hash_meets_difficulty with U256::from (uint "
     "0.9, big-endian)"},
    {283, "pow-le", true, true,
     "subtensor aedad2e8e (2025-05-30): U256::from_little_endian; on main "
     "with spec 283 (2025-06-30)"},
    {397, "burned", true, false,
     "subtensor 115c42049 (main 2026-04-22): register and burned_register "
     "call do_register"},
};

#define N_ERAS (sizeof eras / sizeof eras[0])

const sp_runtime_era *sp_runtime_era_of(uint32_t spec_version) {
  const sp_runtime_era *e = &eras[0];
  for (size_t i = 1; i < N_ERAS; i++)
    if (spec_version >= eras[i].first_spec) e = &eras[i];
  return e;
}

const sp_runtime_era *sp_runtime_eras(size_t *n) {
  *n = N_ERAS;
  return eras;
}

uint32_t sp_runtime_era_burned_from(void) {
  for (size_t i = 0; i < N_ERAS; i++)
    if (!eras[i].pow_registration) return eras[i].first_spec;
  return UINT32_MAX;
}
