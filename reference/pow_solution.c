/* `POWSolution` staleness: the SDK's rule and the chain's. */
#include "reference.h"

bool sp_pow_solution_is_stale_sdk(const sp_pow_solution *s,
                                  uint64_t current_block) {
  /* Python: self.block_number < block_number - 3 (no underflow in Python). */
  return current_block >= 3 && s->block_number < current_block - 3;
}

bool sp_pow_solution_in_submit_window(const sp_pow_solution *s,
                                      uint64_t best_block) {
  /* Pallet check: block_number <= current && current - block_number < 3,
   * where current >= best + 1 executes the extrinsic. */
  if (s->block_number > best_block) return false;
  return best_block + 1 - s->block_number < 3;
}
