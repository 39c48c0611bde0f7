/*
 * btcli's own configuration file as a source of defaults: the wallet
 * location and the network a btcli user already chose with `btcli config
 * set`. The file is $BTCLI_CONFIG_PATH when set, else
 * ~/.bittensor/config.yml; a YAML mapping whose keys wallet_name,
 * wallet_hotkey, wallet_path and network (btcli's CLIManager.config) are
 * read, each a string or null; other keys (use_cache, metagraph_cols, ...)
 * are btcli's and ignored. Flags always win over the file.
 */
#ifndef SUBPOW_BENCH_BTCLI_CONFIG_H
#define SUBPOW_BENCH_BTCLI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "common/error_record.h"

/* The environment variable that names the file (btcli's). */
#define SP_BTCLI_CONFIG_ENV "BTCLI_CONFIG_PATH"
/* The largest file read; btcli's own is a few hundred bytes. */
#define SP_BTCLI_CONFIG_MAX (1u << 20)

typedef struct sp_btcli_config {
  char path[4096]; /* the file looked at ("" without $HOME or the variable) */
  bool found;      /* it exists and was read */
  /* Each value, or NULL when the file lacks it or holds null. */
  const char *wallet_name, *wallet_hotkey, *wallet_path, *network;
  char store[4][1024];
} sp_btcli_config;

/*
 * Reads the file into *c. An absent file is no error (found false).
 * Returns 0, or a negative code filling `err` (may be NULL) with one line:
 * the open's code (-SP_EACCESS, -SP_ENOT_REGULAR, -SP_EIO) when the file
 * cannot be opened, -SP_EIO when it cannot be read, -SP_ERANGE when it is
 * larger than SP_BTCLI_CONFIG_MAX, -SP_ENOMEM, or -SP_EINVAL when it is not
 * YAML, is not a mapping, or one of the four keys holds something other
 * than a string of at most 1023 bytes (or null).
 */
int sp_btcli_config_load(sp_btcli_config *c, sp_error_record *err);

/* The same from a file path (what the tests and the loader share). */
int sp_btcli_config_read(const char *path, sp_btcli_config *c,
                         sp_error_record *err);

#endif
