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
  cr_assert(sp_pow_solution_in_submit_window(&s, 100)); /* executes at 101: 1 */
  cr_assert(sp_pow_solution_in_submit_window(&s, 101)); /* executes at 102: 2 */
  cr_assert_not(sp_pow_solution_in_submit_window(&s, 102)); /* 103 - 100 = 3 */
  cr_assert_not(sp_pow_solution_in_submit_window(&s, 99));  /* block not seen */
  s.block_number = UINT64_MAX - 1;
  cr_assert(sp_pow_solution_in_submit_window(&s, UINT64_MAX - 1));
}

/* The window test must not wrap: best + 1 at best = 2^64 - 1 is 0, and
 * 0 - b < 3 once called block 0's work (and 2^64 - 3's) fresh at the
 * largest best block a node can claim. */
Test(pow_solution, window_does_not_wrap_at_the_largest_best_block) {
  sp_pow_solution s = {.block_number = 0};
  cr_assert_not(sp_pow_solution_in_submit_window(&s, UINT64_MAX));
  cr_assert_not(sp_pow_solution_in_submit_window(&s, UINT64_MAX - 1));
  s.block_number = UINT64_MAX - 3;
  cr_assert_not(sp_pow_solution_in_submit_window(&s, UINT64_MAX));
  s.block_number = UINT64_MAX - 2;
  cr_assert_not(sp_pow_solution_in_submit_window(&s, UINT64_MAX));
  s.block_number = UINT64_MAX - 1;
  cr_assert(sp_pow_solution_in_submit_window(&s, UINT64_MAX));
  s.block_number = UINT64_MAX;
  cr_assert(sp_pow_solution_in_submit_window(&s, UINT64_MAX));
  /* every b, best near the edge: the same answer as 128-bit arithmetic */
  for (uint64_t best = UINT64_MAX - 5; best != 0; best++)
    for (uint64_t b = UINT64_MAX - 8; b != 0; b++) {
      s.block_number = b;
      unsigned __int128 cur = (unsigned __int128)best + 1;
      bool want = b <= best && cur - b < 3;
      cr_assert_eq(sp_pow_solution_in_submit_window(&s, best), want,
                   "b %llu best %llu", (unsigned long long)b,
                   (unsigned long long)best);
    }
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
