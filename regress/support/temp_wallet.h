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

#endif
