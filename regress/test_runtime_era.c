/* The runtime eras table (common/runtime_era.h) and its readers: the PoW
 * rule, the chain client and the mock node's profiles agree with it. */
#include <criterion/criterion.h>

#include "chain/client/client.h"
#include "chain/mock/mock_node.h"
#include "common/runtime_era.h"
#include "reference/reference.h"

Test(runtime_era, table_is_ordered_and_starts_at_zero) {
  size_t n = 0;
  const sp_runtime_era *e = sp_runtime_eras(&n);
  cr_assert_geq(n, 3);
  cr_assert_eq(e[0].first_spec, 0);
  for (size_t i = 1; i < n; i++) {
    cr_assert_gt(e[i].first_spec, e[i - 1].first_spec, "row %zu", i);
    cr_assert_not_null(e[i].source);
  }
}

/* The switches of docs/protocol.md sections 2 and 4: 283 and 397. */
Test(runtime_era, boundaries) {
  cr_assert_not(sp_runtime_era_of(282)->seal_little_endian);
  cr_assert(sp_runtime_era_of(283)->seal_little_endian);
  cr_assert(sp_runtime_era_of(396)->pow_registration);
  cr_assert_not(sp_runtime_era_of(397)->pow_registration);
  cr_assert_not(sp_runtime_era_of(UINT32_MAX)->pow_registration);
  cr_assert_eq(sp_runtime_era_burned_from(), 397);
  cr_assert_str_eq(sp_runtime_era_of(0)->name, "pow-be");
  cr_assert_str_eq(sp_runtime_era_of(343)->name, "pow-le");
  cr_assert_str_eq(sp_runtime_era_of(425)->name, "burned");
}

/* Every reader follows the table at every boundary, not a copy of it. */
Test(runtime_era, readers_follow_the_table) {
  size_t n = 0;
  const sp_runtime_era *e = sp_runtime_eras(&n);
  for (size_t i = 0; i < n; i++) {
    uint32_t specs[] = {e[i].first_spec, e[i].first_spec + 1,
                        i + 1 < n ? e[i + 1].first_spec - 1
                                  : e[i].first_spec + 100};
    for (size_t k = 0; k < 3; k++) {
      uint32_t s = specs[k];
      cr_assert_eq(sp_runtime_era_of(s), &e[i], "spec %u", s);
      cr_assert_eq(sp_rule_for_spec_version(s),
                   e[i].seal_little_endian ? SP_RULE_CHAIN_LE
                                           : SP_RULE_CHAIN_BE,
                   "spec %u", s);
      sp_chain_client c = {.runtime = {.spec_version = s}};
      cr_assert_eq(sp_chain_era(&c), &e[i], "spec %u", s);
      if (!e[i].pow_registration)
        cr_assert(sp_mock_runtime_known(s),
                  "the mock's modern profile takes %u", s);
    }
  }
}

Test(runtime_era, mock_profiles) {
  cr_assert(sp_mock_runtime_known(282));
  cr_assert(sp_mock_runtime_known(343));
  cr_assert(sp_mock_runtime_known(397));
  cr_assert(sp_mock_runtime_known(425));
  cr_assert_not(sp_mock_runtime_known(283));
  cr_assert_not(sp_mock_runtime_known(396));
  cr_assert_not(sp_mock_runtime_known(0));
}
