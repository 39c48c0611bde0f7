/* Strict hex: every malformed input is an error, never a silent zero. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "reference/reference.h"

Test(hex, decodes_with_and_without_prefix_any_case) {
  uint8_t out[4];
  size_t n = 0;
  cr_assert_eq(sp_hex_decode("0x00ff10Ab", 4, out, sizeof out, &n), 0);
  cr_assert_eq(n, 4);
  cr_assert(out[0] == 0x00 && out[1] == 0xff && out[2] == 0x10 &&
            out[3] == 0xab);
  cr_assert_eq(sp_hex_decode("0XDEADBEEF", 0, out, sizeof out, &n), 0);
  cr_assert(out[0] == 0xde && out[3] == 0xef && n == 4);
  cr_assert_eq(sp_hex_decode("", 0, out, sizeof out, &n), 0);
  cr_assert_eq(n, 0);
  cr_assert_eq(sp_hex_decode("0x", 0, out, sizeof out, &n), 0);
  cr_assert_eq(n, 0);
}

Test(hex, rejects_bad_characters) {
  uint8_t out[32];
  const char *bad[] = {"0g", "zz",   " 00",      "00 ",  "0x0x00", "-1",
                       "+1", "0x-0", "\xff\xff", "00\n", "1_2"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    cr_assert_eq(sp_hex_decode(bad[i], 0, out, sizeof out, NULL), -SP_EHEX_CHAR,
                 "input %zu should be rejected as a bad character", i);
}

Test(hex, rejects_odd_length_and_wrong_size) {
  uint8_t out[32];
  memset(out, 0x5a, sizeof out);
  cr_assert_eq(sp_hex_decode("abc", 0, out, sizeof out, NULL), -SP_EHEX_ODD);
  cr_assert_eq(sp_hex_decode("0xabc", 0, out, sizeof out, NULL), -SP_EHEX_ODD);
  cr_assert_eq(sp_hex_decode("abcd", 3, out, sizeof out, NULL), -SP_EHEX_SIZE);
  cr_assert_eq(sp_hex_decode("abcdef", 2, out, sizeof out, NULL),
               -SP_EHEX_SIZE);
  /* too large for the buffer */
  cr_assert_eq(sp_hex_decode("00112233", 0, out, 3, NULL), -SP_EHEX_SIZE);
  /* out is untouched on error */
  for (int i = 0; i < 32; i++)
    cr_assert_eq(out[i], 0x5a);
  cr_assert_eq(sp_hex_decode(NULL, 0, out, sizeof out, NULL), -SP_EINVAL);
}

Test(hex, encode_is_lowercase_and_round_trips) {
  const uint64_t seed = 7;
  srand((unsigned)seed);
  for (int iter = 0; iter < 200; iter++) {
    uint8_t in[64], back[64];
    size_t len = (size_t)(rand() % 65), n = 0;
    for (size_t i = 0; i < len; i++)
      in[i] = (uint8_t)rand();
    char hex[129];
    sp_hex_encode(in, len, hex);
    cr_assert_eq(strlen(hex), 2 * len);
    for (size_t i = 0; i < 2 * len; i++)
      cr_assert(strchr("0123456789abcdef", hex[i]) != NULL);
    cr_assert_eq(sp_hex_decode(hex, len, back, sizeof back, &n), 0,
                 "seed %lu iteration %d", (unsigned long)seed, iter);
    cr_assert_eq(n, len);
    cr_assert_eq(memcmp(in, back, len), 0, "seed %lu iteration %d",
                 (unsigned long)seed, iter);
  }
}

Test(hex, strerror_names_every_code) {
  for (int c = 0; c <= SP_EINVAL; c++) {
    cr_assert_str_neq(sp_strerror(-c), "unknown error");
    cr_assert_str_eq(sp_strerror(-c), sp_strerror(c));
  }
  cr_assert_str_eq(sp_strerror(999), "unknown error");
}
