/* POWSolution staleness: the SDK's loose rule against the chain's window. */
#include <criterion/criterion.h>

#include "reference/reference.h"

Test(pow_solution, sdk_is_stale_is_b_below_current_minus_3) {
  sp_pow_solution s = {.block_number = 100};
  cr_assert_not(sp_pow_solution_is_stale_sdk(&s, 100));
  cr_assert_not(sp_pow_solution_is_stale_sdk(&s, 103));
  cr_assert(sp_pow_solution_is_stale_sdk(&s, 104));
  /* no underflow at the start of the chain */
  s.block_number = 0;
  cr_assert_not(sp_pow_solution_is_stale_sdk(&s, 0));
  cr_assert_not(sp_pow_solution_is_stale_sdk(&s, 2));
  cr_assert(sp_pow_solution_is_stale_sdk(&s, 4));
}

Test(pow_solution, chain_window_is_best_plus_one_minus_b_below_3) {
  sp_pow_solution s = {.block_number = 100};
  cr_assert(sp_pow_solution_in_submit_window(&s, 100));  /* executes at 101: 1 */
  cr_assert(sp_pow_solution_in_submit_window(&s, 101));  /* executes at 102: 2 */
  cr_assert_not(sp_pow_solution_in_submit_window(&s, 102)); /* 103 - 100 = 3 */
  cr_assert_not(sp_pow_solution_in_submit_window(&s, 99)); /* block not seen */
  s.block_number = UINT64_MAX - 1;
  cr_assert(sp_pow_solution_in_submit_window(&s, UINT64_MAX - 1));
}

Test(pow_solution, the_rules_disagree_where_the_sdk_submits_dead_work) {
  /* best = b + 2 and b + 3: the SDK still calls the solution fresh, the
   * chain would answer InvalidWorkBlock. */
  sp_pow_solution s = {.block_number = 500};
  for (uint64_t best = 502; best <= 503; best++) {
    cr_assert_not(sp_pow_solution_is_stale_sdk(&s, best));
    cr_assert_not(sp_pow_solution_in_submit_window(&s, best));
  }
}
