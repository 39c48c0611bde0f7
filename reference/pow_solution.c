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
   * where current >= best + 1 executes the extrinsic. Written without
   * best + 1, which wraps at best = 2^64 - 1 (and then called block 0's
   * work fresh): with b <= best, (best + 1) - b < 3 is best - b < 2. */
  if (s->block_number > best_block) return false;
  return best_block - s->block_number < 2;
}
