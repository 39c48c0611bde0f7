/* Test support: a fresh directory under /tmp with a plain (unencrypted)
 * wallet made by `bench wallet create`, for the tests that run bench
 * against a mock node (faults, signals). */
#ifndef SUBPOW_REGRESS_TEMP_WALLET_H
#define SUBPOW_REGRESS_TEMP_WALLET_H

#include <stddef.h>

/* Makes /tmp/subpow-<tag>-XXXXXX into dir (cap dir_cap) and the wallet
 * <dir>/w into wallet (cap wallet_cap); fails the test on error. */
void sp_temp_wallet_make(const char *tag, char *dir, size_t dir_cap,
                         char *wallet, size_t wallet_cap);

/* Removes the directory and everything in it; fails the test on error. */
void sp_temp_dir_remove(const char *dir);

/* One wallet for the tests of a suite: TestSuite(name, .init =
 * sp_suite_wallet_make, .fini = sp_suite_wallet_remove) makes
 * /tmp/subpow-<program name>-XXXXXX with a wallet in it before each test
 * (sp_temp_wallet_make) and removes it after; sp_suite_wallet is the
 * wallet's path. */
extern char sp_suite_wallet[96];
void sp_suite_wallet_make(void);
void sp_suite_wallet_remove(void);

#endif
