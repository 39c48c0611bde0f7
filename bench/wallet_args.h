/*
 * The btcli wallet flags (--wallet-path, --wallet-name, --wallet-hotkey) and
 * the one-line reports of key-file errors, shared by `bench wallet`,
 * `bench register` and `bench faucet`.
 */
#ifndef SUBPOW_BENCH_WALLET_ARGS_H
#define SUBPOW_BENCH_WALLET_ARGS_H

#include <getopt.h>
#include <stdbool.h>

#include "chain/keys/wallet.h"

/* The wallet location flags every subcommand but verify takes. */
typedef struct sp_wallet_location {
  const char *path, *name, *hotkey;
  bool verbose;  /* say where each default came from (--verbose) */
  bool defaults; /* sp_wallet_location_defaults ran */
} sp_wallet_location;

enum { OPT_PATH = 2000, OPT_NAME, OPT_HOTKEY }; /* option values */
#define SP_WALLET_LOCATION_LONGOPTS                                            \
  {"wallet-path", required_argument, NULL, OPT_PATH},                          \
      {"wallet-name", required_argument, NULL, OPT_NAME}, {                    \
    "wallet-hotkey", required_argument, NULL, OPT_HOTKEY                       \
  }

/* Takes option `c` (OPT_PATH..OPT_HOTKEY); true when it was one. */
bool sp_wallet_location_take(sp_wallet_location *l, int c, const char *arg);
/*
 * Fills what the flags left unset from btcli's config file
 * (btcli_config.h): the wallet path, name and hotkey, and *network when
 * `network` is not NULL and *network is NULL (then network_default when the
 * file has none either). With l->verbose, one line on stderr for each
 * setting says where its value came from (flag, btcli config FILE, or the
 * default); a network taken from the file is always said, since it decides
 * which chain is used. Returns 0, or SP_EXIT_USAGE after one line when the
 * file is unreadable or malformed. Runs once per location.
 */
int sp_wallet_location_defaults(const char *cmd, sp_wallet_location *l,
                                const char **network,
                                const char *network_default);
/* sp_wallet_init with a clear message (exit status 2) on a bad location. */
int sp_wallet_location_open(const char *cmd, sp_wallet_location *l,
                            sp_wallet *w);
/* One line for an error of loading or writing key file `path`; returns 2. */
int sp_cli_key_fail(const char *cmd, const char *path, int rc,
                    const sp_keyfile_info *info);
/* A warning on stderr when a key file is readable by group or others. */
void sp_cli_warn_permissions(const char *cmd, const char *path,
                             const sp_keyfile_info *info);

#endif
