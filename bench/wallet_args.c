/* The wallet flags and key-file error reports; see wallet_args.h. */
#include "bench/wallet_args.h"

#include <stdio.h>

#include "bench/cli.h"
#include "common/error.h"

bool sp_wallet_location_take(sp_wallet_location *l, int c, const char *arg) {
  switch (c) {
  case OPT_PATH: l->path = arg; return true;
  case OPT_NAME: l->name = arg; return true;
  case OPT_HOTKEY: l->hotkey = arg; return true;
  default: return false;
  }
}

int sp_wallet_location_open(const char *cmd, const sp_wallet_location *l,
                            sp_wallet *w) {
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
                       rc == -SP_ENOT_FOUND ? "no such file"
                                            : sp_strerror(rc));
  }
  switch (-rc) {
  case SP_ENOT_FOUND: return sp_cli_fail(cmd, "%s: no such file", path);
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
            "bench %s: warning: %s is accessible by group or others (mode "
            "%04o); run chmod 600 on it\n",
            cmd, path, info->mode);
}
