/* The bottom layer (common/): the clock, the RNG, mkdir -p, UTF-8, the
 * excerpt of a peer's message, byte order and the error record. */
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/byte_order.h"
#include "common/clock.h"
#include "common/dirs.h"
#include "common/error.h"
#include "common/error_record.h"
#include "common/rng.h"
#include "common/sanitize.h"
#include "common/utf8.h"

/* ------------------------------------------------------------ clock ---- */

static double fixed(void *user) { return *(const double *)user; }

Test(floor, clock_readings_and_injection) {
  double a = sp_monotonic_seconds(), b = sp_monotonic_seconds();
  cr_assert_geq(b, a);
  long long ms = sp_monotonic_ms();
  cr_assert_geq((double)ms / 1000.0 + 0.002, a);
  cr_assert_geq(sp_monotonic_ns(), (uint64_t)(a * 1e9) - 2000000u);
  /* the wall clock is the epoch's: after 2020-01-01, unlike the monotonic */
  cr_assert_gt(sp_wall_seconds(), 1577836800.0);
  cr_assert_gt(sp_clock_wall(NULL), 1577836800.0);
  cr_assert_geq(sp_clock_now(NULL), b);

  double t = 12.5, w = 1700000000.0;
  sp_clock c = {.now = fixed, .user = &t};
  cr_assert_eq(sp_clock_now(&c), 12.5);
  /* no wall reading given: the system's */
  cr_assert_gt(sp_clock_wall(&c), 1577836800.0);
  sp_clock both = {.now = fixed, .user = &w, .wall = fixed};
  cr_assert_eq(sp_clock_wall(&both), 1700000000.0);
}

/* -------------------------------------------------------------- rng ---- */

Test(floor, rng_is_splitmix64) {
  /* Vigna's splitmix64.c from state 0, and from 7. */
  uint64_t s = 0;
  cr_assert_eq(sp_rng_next(&s), 0xe220a8397b1dcdafull);
  cr_assert_eq(sp_rng_next(&s), 0x6e789e6aa1b965f4ull);
  s = 7;
  cr_assert_eq(sp_rng_next(&s), 0x63cbe1e459320dd7ull);
  /* seeds differ from call to call */
  cr_assert_neq(sp_rng_seed(), sp_rng_seed());
}

/* ------------------------------------------------------------- dirs ---- */

Test(floor, make_dirs_creates_and_refuses_what_is_in_the_way) {
  char root[] = "/tmp/subpow-floor-XXXXXX";
  cr_assert_not_null(mkdtemp(root));
  char deep[PATH_MAX], file[PATH_MAX], under[PATH_MAX], cached[PATH_MAX];
  snprintf(deep, sizeof deep, "%s/a/b/c/", root);
  cr_assert_eq(sp_make_dirs(deep, 0700), 0);
  struct stat st;
  cr_assert_eq(stat(deep, &st), 0);
  cr_assert(S_ISDIR(st.st_mode));
  cr_assert_eq(st.st_mode & 0077, 0, "0700: nothing for group or others");
  cr_assert_eq(sp_make_dirs(deep, 0700), 0, "existing: fine");

  snprintf(file, sizeof file, "%s/a/file", root);
  FILE *f = fopen(file, "w");
  cr_assert_not_null(f);
  fclose(f);
  cr_assert_eq(sp_make_dirs(file, 0755), -SP_ENOT_DIR);
  snprintf(under, sizeof under, "%s/x/y", file);
  cr_assert_eq(sp_make_dirs(under, 0755), -SP_ENOT_DIR);
  cr_assert_eq(sp_make_dirs("", 0755), -SP_EINVAL);

  snprintf(cached, sizeof cached, "%s/p/q/cache.json", root);
  cr_assert_eq(sp_make_parent_dirs(cached, 0755), 0);
  snprintf(cached, sizeof cached, "%s/p/q", root);
  cr_assert_eq(stat(cached, &st), 0);
  cr_assert(S_ISDIR(st.st_mode));
  cr_assert_eq(sp_make_parent_dirs("cache.json", 0755), 0);

  char cmd[PATH_MAX + 16];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
  cr_assert_eq(system(cmd), 0);
}

/* ------------------------------------------------------------- utf8 ---- */

Test(floor, utf8_is_rfc3629) {
  cr_assert(sp_utf8_valid("", 0));
  cr_assert(sp_utf8_valid("plain", 5));
  cr_assert(sp_utf8_valid("a\0b", 3), "NUL is a character");
  cr_assert(sp_utf8_valid("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9));
  cr_assert(sp_utf8_valid("\xf4\x8f\xbf\xbf", 4), "U+10FFFF");
  cr_assert_not(sp_utf8_valid("\xc0\x80", 2), "overlong NUL");
  cr_assert_not(sp_utf8_valid("\xe0\x80\xaf", 3), "overlong /");
  cr_assert_not(sp_utf8_valid("\xed\xa0\x80", 3), "surrogate");
  cr_assert_not(sp_utf8_valid("\xf4\x90\x80\x80", 4), "past U+10FFFF");
  cr_assert_not(sp_utf8_valid("\xe2\x82", 2), "cut short");
  cr_assert_not(sp_utf8_valid("\x80", 1), "a lone continuation");
  cr_assert_not(sp_utf8_valid("\xff", 1));
  cr_assert_eq(sp_utf8_char_len("\xe2\x82\xac", 3), 3);
  cr_assert_eq(sp_utf8_char_len("\xe2\x82\xac", 2), 0);
  cr_assert_eq(sp_utf8_char_len("x", 0), 0);
}

Test(floor, excerpt_shows_the_start_printably) {
  char out[SP_EXCERPT_SIZE];
  cr_assert_str_eq(sp_excerpt("ab\n\x1b[2Jc\xc3\xa9", 10, out), "ab..[2Jc..");
  cr_assert_str_eq(sp_excerpt(NULL, 0, out), "");
  char big[200];
  memset(big, 'x', sizeof big);
  sp_excerpt(big, sizeof big, out);
  cr_assert_eq(strlen(out), 67);
  cr_assert_str_eq(out + 64, "...");
}

/* ------------------------------------------------------- byte order ---- */

Test(floor, byte_order_round_trips) {
  uint8_t b[8];
  sp_put_le64(b, 0x0102030405060708ull);
  cr_assert_eq(b[0], 0x08);
  cr_assert_eq(b[7], 0x01);
  cr_assert_eq(sp_get_le64(b), 0x0102030405060708ull);
  sp_put_be64(b, 0x0102030405060708ull);
  cr_assert_eq(b[0], 0x01);
  cr_assert_eq(sp_get_be64(b), 0x0102030405060708ull);
  sp_put_le32(b, 0xa1b2c3d4u);
  cr_assert_eq(b[0], 0xd4);
  cr_assert_eq(sp_get_le32(b), 0xa1b2c3d4u);
  sp_put_be32(b, 0xa1b2c3d4u);
  cr_assert_eq(b[0], 0xa1);
  cr_assert_eq(sp_get_be32(b), 0xa1b2c3d4u);
}

/* ----------------------------------------------------- error record ---- */

/* errno values overlap the code space (EIO is 5, SP_ECRYPTO too): a failed
 * system call becomes a code of its own with its errno in the record. */
Test(floor, errno_travels_in_the_record_not_as_a_code) {
  cr_assert_eq(EIO, SP_ECRYPTO, "the overlap this guards against");
  sp_error_record e;
  int rc = sp_error_fail_errno(&e, EIO, "journal %s", "j.jsonl");
  cr_assert_eq(rc, -SP_EIO);
  cr_assert_neq(rc, -SP_ECRYPTO);
  cr_assert_eq(e.code, SP_EIO);
  cr_assert_eq(e.sys_errno, EIO);
  char want[600];
  snprintf(want, sizeof want, "journal j.jsonl: %s", strerror(EIO));
  cr_assert_str_eq(e.message, want);

  cr_assert_eq(sp_error_fail_errno(&e, ENOENT, "x"), -SP_ENOT_FOUND);
  cr_assert_eq(sp_error_fail_errno(&e, EACCES, "x"), -SP_EACCESS);
  cr_assert_eq(sp_error_fail_errno(NULL, EISDIR, "x"), -SP_ENOT_REGULAR);
}

Test(floor, error_record_fail_wrap_clear) {
  sp_error_record e;
  memset(&e, 0x5a, sizeof e);
  cr_assert_eq(sp_error_fail(&e, SP_CHAIN_ESCALE, "at %d\x1b[2J", 7),
               -SP_CHAIN_ESCALE);
  cr_assert_eq(e.code, SP_CHAIN_ESCALE);
  cr_assert_eq(e.cause, 0);
  cr_assert_eq(e.sys_errno, 0);
  cr_assert_eq(e.rpc_code, 0);
  cr_assert_not(e.not_sent);
  cr_assert_str_eq(e.message, "at 7\\e[2J", "escaped: %s", e.message);
  e.cause = SP_EDECRYPT;
  cr_assert_eq(sp_error_wrap(&e, SP_EINVAL, "register"), -SP_CHAIN_ESCALE);
  cr_assert_str_eq(e.message, "register: at 7\\e[2J");
  cr_assert_eq(e.cause, SP_EDECRYPT, "the cause is kept");
  cr_assert_eq(sp_error_wrap(NULL, SP_EINVAL, "x"), -SP_EINVAL);
  sp_error_clear(&e);
  cr_assert_eq(e.code, 0);
  cr_assert_eq(sp_error_wrap(&e, -SP_EINVAL, "x"), -SP_EINVAL);
  cr_assert_eq(sp_error_fail(NULL, SP_ENOMEM, "x"), -SP_ENOMEM);
}
