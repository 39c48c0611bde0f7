/* A temporary directory with a plain wallet; see temp_wallet.h. */
#include "regress/support/temp_wallet.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "regress/support/run_command.h"

void sp_temp_wallet_make(const char *tag, char *dir, size_t dir_cap,
                         char *wallet, size_t wallet_cap) {
  snprintf(dir, dir_cap, "/tmp/subpow-%s-XXXXXX", tag);
  cr_assert_not_null(mkdtemp(dir));
  snprintf(wallet, wallet_cap, "%s/w", dir);
  sp_run_result r;
  sp_run_bench(&r, "wallet", "create", "--wallet-path", wallet, "--no-password",
               NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  sp_run_result_free(&r);
}

void sp_temp_dir_remove(const char *dir) {
  char cmd[256];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  cr_assert_eq(system(cmd), 0);
}

char sp_suite_wallet[96];
static char suite_dir[80];

void sp_suite_wallet_make(void) {
  /* glibc's program_invocation_short_name (errno.h, _GNU_SOURCE) */
  sp_temp_wallet_make(program_invocation_short_name, suite_dir,
                      sizeof suite_dir, sp_suite_wallet,
                      sizeof sp_suite_wallet);
}

void sp_suite_wallet_remove(void) { sp_temp_dir_remove(suite_dir); }
