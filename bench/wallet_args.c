/* The wallet flags and key-file error reports; see wallet_args.h. */
#include "bench/wallet_args.h"

#include <stdio.h>
#include <string.h>

#include "bench/btcli_config.h"
#include "bench/cli.h"
#include "common/error.h"
#include "common/sanitize.h"

bool sp_wallet_location_take(sp_wallet_location *l, int c, const char *arg) {
  switch (c) {
  case OPT_PATH: l->path = arg; return true;
  case OPT_NAME: l->name = arg; return true;
  case OPT_HOTKEY: l->hotkey = arg; return true;
  default: return false;
  }
}

/* One setting: the flag's value, else the file's; says where it came from. */
static const char *pick(const char *cmd, bool verbose, const char *what,
                        const char *flag, const char *flag_value,
                        const char *file_value, const sp_btcli_config *c,
                        const char *dflt, bool always_say_file) {
  char clean[1100];
  if (flag_value != NULL) {
    if (verbose)
      fprintf(stderr, "%s %s: %s '%s' (from %s)\n", sp_cli_prog(), cmd, what,
              sp_sanitize(flag_value, clean, sizeof clean), flag);
    return flag_value;
  }
  if (file_value != NULL) {
    if (verbose || always_say_file) {
      char where[600];
      fprintf(stderr, "%s %s: %s '%s' (from btcli config %s)\n", sp_cli_prog(),
              cmd, what, sp_sanitize(file_value, clean, sizeof clean),
              sp_sanitize(c->path, where, sizeof where));
    }
    return file_value;
  }
  if (verbose)
    fprintf(stderr, "%s %s: %s '%s' (default)\n", sp_cli_prog(), cmd, what,
            dflt);
  return NULL;
}

int sp_wallet_location_defaults(const char *cmd, sp_wallet_location *l,
                                const char **network,
                                const char *network_default) {
  /* static: the location keeps pointers into it for the whole run */
  static sp_btcli_config c;
  if (l->defaults) return 0;
  l->defaults = true;
  sp_error_record err = {0};
  if (sp_btcli_config_load(&c, &err) != 0)
    return sp_cli_fail(cmd,
                       "%s (fix or remove it, or set " SP_BTCLI_CONFIG_ENV
                       " to another file)",
                       err.message);
  if (l->verbose && c.path[0] != '\0') {
    char where[600];
    fprintf(stderr, "%s %s: btcli config %s: %s\n", sp_cli_prog(), cmd,
            sp_sanitize(c.path, where, sizeof where),
            c.found ? "read" : "absent");
  }
  l->path = pick(cmd, l->verbose, "wallet path", "--wallet-path", l->path,
                 c.wallet_path, &c, "~/.bittensor/wallets", false);
  l->name = pick(cmd, l->verbose, "wallet name", "--wallet-name", l->name,
                 c.wallet_name, &c, "default", false);
  l->hotkey = pick(cmd, l->verbose, "wallet hotkey", "--wallet-hotkey",
                   l->hotkey, c.wallet_hotkey, &c, "default", false);
  if (network != NULL) {
    *network = pick(cmd, l->verbose, "network", "--network", *network,
                    c.network, &c, network_default, true);
    if (*network == NULL) *network = network_default;
  }
  return 0;
}

int sp_wallet_location_open(const char *cmd, sp_wallet_location *l,
                            sp_wallet *w) {
  if (sp_wallet_location_defaults(cmd, l, NULL, NULL)) return SP_EXIT_USAGE;
  int rc = sp_wallet_init(w, l->path, l->name, l->hotkey);
  if (rc == -SP_ERANGE) return sp_cli_fail(cmd, "wallet path too long");
  if (rc != 0)
    return sp_cli_fail(cmd,
                       "bad wallet location: names must be non-empty, without "
                       "'/' or control characters, not '.' or '..'; '~' needs "
                       "$HOME");
  return 0;
}

/* One line for an error of loading or writing key file `path`. */
int sp_cli_key_fail(const char *cmd, const char *path, int rc,
                    const sp_keyfile_info *info) {
  /* A password file that cannot be read is named as such, not the key file
   * whose password it was to hold. */
  if (info != NULL && info->password_file != NULL) {
    if (rc == -SP_EPASSWORD)
      return sp_cli_fail(cmd,
                         "--password-file %s: the password is longer than %d "
                         "bytes",
                         info->password_file, SP_PASSWORD_MAX);
    return sp_cli_fail(cmd, "--password-file %s: %s", info->password_file,
                       rc == -SP_ENOT_FOUND ? "no such file" : sp_strerror(rc));
  }
  switch (-rc) {
  case SP_ENOT_FOUND: {
    /* A missing key file is most often a wallet not made yet. */
    size_t n = strlen(path);
    bool key = (n >= 14 && strcmp(path + n - 14, "coldkeypub.txt") == 0) ||
               (n >= 8 && strcmp(path + n - 8, "/coldkey") == 0) ||
               strstr(path, "/hotkeys/") != NULL;
    if (key)
      return sp_cli_fail(
          cmd,
          "%s: no such file: no wallet there yet? Create one "
          "with '%s wallet create' (with the same --wallet-path, "
          "--wallet-name, --wallet-hotkey), or name an existing "
          "btcli wallet with those flags",
          path, sp_cli_prog());
    return sp_cli_fail(cmd, "%s: no such file", path);
  }
  case SP_EDECRYPT:
    return sp_cli_fail(cmd, "%s: wrong password, or the file was altered",
                       path);
  case SP_ENO_PASSWORD:
    return sp_cli_fail(
        cmd,
        "%s is encrypted: give --password-file F, set " SP_PASSWORD_ENV
        ", or run on a terminal",
        path);
  case SP_EPASSWORD: return sp_cli_fail(cmd, "could not read the password");
  default: break;
  }
  if (info != NULL && info->field != NULL)
    return sp_cli_fail(cmd, "%s: %s (field %s)", path, sp_strerror(rc),
                       info->field);
  return sp_cli_fail(cmd, "%s: %s", path, sp_strerror(rc));
}

void sp_cli_warn_permissions(const char *cmd, const char *path,
                             const sp_keyfile_info *info) {
  if (info->loose_permissions)
    fprintf(stderr,
            "%s %s: warning: %s is accessible by group or others (mode "
            "%04o); run chmod 600 on it\n",
            sp_cli_prog(), cmd, path, info->mode);
}
