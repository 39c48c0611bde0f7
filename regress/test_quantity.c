/* Strict hex quantities (block numbers from a node): what strtoull took. */
#include <criterion/criterion.h>
#include <stdint.h>

#include "chain/client/quantity.h"

Test(quantity, accepts_hex_u64) {
  uint64_t v = 1;
  cr_assert_eq(sp_hex_quantity_parse("0x0", &v), 0);
  cr_assert_eq(v, 0);
  cr_assert_eq(sp_hex_quantity_parse("0x31ce99", &v), 0);
  cr_assert_eq(v, 0x31ce99);
  cr_assert_eq(sp_hex_quantity_parse("0xFFFFFFFFFFFFFFFF", &v), 0);
  cr_assert_eq(v, UINT64_MAX);
  cr_assert_eq(sp_hex_quantity_parse("0x0000000000000000001", &v), 0);
  cr_assert_eq(v, 1);
}

Test(quantity, rejects_signs_spaces_overflow_and_junk) {
  const char *bad[] = {"0x-5", "0x 5",  "0x+5", " 0x5", "0x5 ",
                       "0x",   "5",     "",     "0x1g", "0x10000000000000000",
                       "-0x5", "0x5\n", "0X",   "0xx5"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    uint64_t v = 42;
    cr_assert_eq(sp_hex_quantity_parse(bad[i], &v), -1, "'%s' accepted",
                 bad[i]);
    cr_assert_eq(v, 42);
  }
  uint64_t v;
  cr_assert_eq(sp_hex_quantity_parse(NULL, &v), -1);
}
