/* bench wallet: create, inspect, sign with, and verify for btcli wallets. */
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/cli.h"
#include "bench/commands.h"
#include "bench/json_out.h"
#include "bench/wallet_args.h"
#include "chain/keys/keyfile.h"
#include "chain/keys/keypair.h"
#include "chain/keys/password.h"
#include "chain/keys/ss58.h"
#include "chain/keys/wallet.h"
#include "common/error.h"
#include "reference/reference.h"

static const char help[] =
    "usage: bench wallet create  [LOCATION] [--password-file F | "
    "--no-password] [--json]\n"
    "       bench wallet inspect [LOCATION] [--json]\n"
    "       bench wallet sign    [LOCATION] [--coldkey] [--password-file F]\n"
    "                            --message HEX [--json]\n"
    "       bench wallet verify  --address SS58 --message HEX --signature HEX\n"
    "                            [--scheme auto|sr25519|ed25519] [--json]\n"
    "Every subcommand takes --quiet and -h.\n"
    "\n"
    "btcli wallets: <path>/<name>/coldkey (encrypted), coldkeypub.txt and\n"
    "hotkeys/<hotkey> (plain), sr25519 keys, SS58 prefix 42. LOCATION is\n"
    "  --wallet-path P    default ~/.bittensor/wallets\n"
    "  --wallet-name W    default 'default'\n"
    "  --wallet-hotkey H  default 'default'\n"
    "\n"
    "create   makes the coldkey (with coldkeypub.txt) and the hotkey the "
    "wallet\n"
    "         lacks, each from a new 12-word phrase; never overwrites. Files\n"
    "         0600, directories 0700. The phrases are stored in the key files\n"
    "         (secretPhrase) and shown once on the terminal (/dev/tty), as\n"
    "         btcli does; never on stdout, stderr or in --json.\n"
    "inspect  addresses and public keys of the coldkey (from coldkeypub.txt)\n"
    "         and the hotkey; never a secret. --json for one JSON object.\n"
    "sign     signs the message bytes with the hotkey (or --coldkey) the way\n"
    "         Substrate does (sr25519, context \"substrate\"); prints 0x hex.\n"
    "verify   exit 0 when the signature is valid for the address, 1 when not.\n"
    "         --scheme auto reads schnorrkel's marker bit (byte 63, bit 7).\n"
    "\n"
    "The coldkey password comes from --password-file F (first line), else the\n"
    "environment variable " SP_PASSWORD_ENV ", else a prompt on the\n"
    "terminal (no echo). Exit status 2 with one line on stderr for bad input,\n"
    "an unreadable or corrupt key file, or a wrong password.\n";

/* ----------------------------------------------------------- create ---- */

/* The new keys' phrases go to the terminal itself (/dev/tty), once, as
 * btcli shows them: never to stdout or stderr, which may be a log file, and
 * never into --json. Without a terminal they are not shown at all. */
typedef struct phrase_view {
  FILE *tty;
  int shown;
} phrase_view;

static FILE *open_tty(void) {
  int fd = open("/dev/tty", O_WRONLY | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return NULL;
  FILE *f = fdopen(fd, "w");
  if (f == NULL) close(fd);
  if (f != NULL) setvbuf(f, NULL, _IONBF, 0); /* no copy left in a buffer */
  return f;
}

static void show_phrase(void *user, sp_wallet_key which, const char *phrase) {
  phrase_view *v = user;
  if (v->tty == NULL) return;
  fprintf(v->tty,
          "\nThe recovery phrase of the new %s (shown once; write it down "
          "and keep it secret):\n\n    %s\n\n",
          which == SP_WALLET_COLDKEY ? "coldkey" : "hotkey", phrase);
  v->shown++;
}

static int wallet_create(int argc, char **argv) {
  static const struct option opts[] = {
      SP_WALLET_LOCATION_LONGOPTS,
      {"password-file", required_argument, NULL, 'p'},
      {"no-password", no_argument, NULL, 'n'},
      {"json", no_argument, NULL, 'j'},
      SP_CLI_QUIET_LONGOPT,
      {"help", no_argument, NULL, 'h'},
      {0}};
  const char *cmd = "wallet create";
  sp_wallet_location l = {0};
  const char *password_file = NULL;
  bool no_password = false, json = false;
  int c;
  sp_cli_reset();
  while ((c = sp_cli_next(cmd, argc, argv, opts)) != -1) {
    if (sp_wallet_location_take(&l, c, optarg)) continue;
    switch (c) {
    case 'p': password_file = optarg; break;
    case 'n': no_password = true; break;
    case 'j': json = true; break;
    case 'h':
      sp_cli_help(stdout, help);
      sp_cli_help_end(stdout);
      return SP_EXIT_OK;
    default: return SP_EXIT_USAGE;
    }
  }
  if (sp_cli_no_positional(cmd, argc, argv)) return SP_EXIT_USAGE;
  if (no_password && password_file != NULL)
    return sp_cli_fail(cmd,
                       "--password-file and --no-password exclude each other");
  sp_wallet w;
  if (sp_wallet_location_open(cmd, &l, &w)) return SP_EXIT_USAGE;
  if (sp_wallet_has(&w, SP_WALLET_COLDKEY) &&
      sp_wallet_has(&w, SP_WALLET_HOTKEY))
    return sp_cli_fail(cmd,
                       "wallet '%s' already has a coldkey and hotkey '%s' (%s)",
                       w.name, w.hotkey, w.dir);
  if (sodium_init() < 0) return sp_cli_fail(cmd, "libsodium failed to start");

  char *password = NULL;
  if (!sp_wallet_has(&w, SP_WALLET_COLDKEY) && !no_password) {
    sp_password_source src = {.file = password_file,
                              .env_name = SP_PASSWORD_ENV,
                              .prompt = true,
                              .confirm = true};
    password = sodium_malloc(SP_PASSWORD_MAX + 1);
    if (password == NULL) return sp_cli_fail(cmd, "out of memory");
    int rc = sp_password_get(&src, "Password for the new coldkey: ", password,
                             SP_PASSWORD_MAX + 1);
    if (rc == 0 && password[0] == '\0') {
      sodium_free(password);
      return sp_cli_fail(cmd, "empty password (use --no-password for an "
                              "unencrypted coldkey)");
    }
    if (rc != 0) {
      sodium_free(password);
      if (rc == -SP_ENO_PASSWORD)
        return sp_cli_fail(
            cmd, "no password: give --password-file F, set " SP_PASSWORD_ENV
                 ", run on a terminal, or use --no-password");
      if (rc == -SP_EPASSWORD)
        return sp_cli_fail(cmd, "password unreadable, too long, or the two "
                                "entries differ");
      sp_keyfile_info pinfo = {.password_file = password_file};
      return sp_cli_key_fail(cmd, password_file, rc,
                             password_file != NULL ? &pinfo : NULL);
    }
  }
  phrase_view view = {.tty = open_tty()};
  sp_wallet_create_options o = {
      .password = password, .on_phrase = show_phrase, .user = &view};
  sp_wallet_created made;
  int rc = sp_wallet_create(&w, &o, &made);
  if (view.tty != NULL) fclose(view.tty);
  if (password != NULL) sodium_free(password);
  if (rc != 0) {
    if (rc == -SP_EEXISTS)
      return sp_cli_fail(cmd, "%s exists without a coldkey; not overwriting it",
                         w.coldkeypub_path);
    return sp_cli_key_fail(cmd, w.dir, rc, NULL);
  }
  if (json) {
    json_t *j = json_object();
    json_object_set_new(j, "wallet", sp_json_str(w.dir));
    json_object_set_new(j, "coldkey", sp_json_str(w.coldkey_path));
    json_object_set_new(j, "coldkey_created", json_boolean(made.coldkey));
    json_object_set_new(j, "coldkey_encrypted",
                        made.coldkey ? json_boolean(o.password != NULL)
                                     : json_null());
    json_object_set_new(j, "coldkey_ss58",
                        made.coldkey_ss58[0] ? json_string(made.coldkey_ss58)
                                             : json_null());
    json_object_set_new(j, "hotkey", sp_json_str(w.hotkey_path));
    json_object_set_new(j, "hotkey_created", json_boolean(made.hotkey));
    json_object_set_new(j, "hotkey_ss58", json_string(made.hotkey_ss58));
    json_object_set_new(j, "phrases_shown_on_terminal",
                        json_boolean(view.shown > 0));
    sp_json_print(stdout, j);
    return SP_EXIT_OK;
  }
  if (made.coldkey)
    printf("created coldkey %s (%s) and %s\n", w.coldkey_path,
           o.password != NULL ? "encrypted" : "NOT encrypted",
           w.coldkeypub_path);
  else
    printf("kept the existing coldkey %s\n", w.coldkey_path);
  printf("coldkey address %s\n", made.coldkey_ss58[0]
                                     ? made.coldkey_ss58
                                     : "(coldkeypub.txt unreadable)");
  if (made.hotkey) printf("created hotkey %s\n", w.hotkey_path);
  printf("hotkey address  %s\n", made.hotkey_ss58);
  if (view.shown > 0)
    printf("The recovery phrases were shown once on the terminal; they are "
           "also in the new key files (secretPhrase): back them up.\n");
  else
    printf("No terminal: the recovery phrases were not shown; they are in "
           "the new key files (secretPhrase): back the files up.\n");
  return SP_EXIT_OK;
}

/* ---------------------------------------------------------- inspect ---- */

typedef struct key_view {
  bool present;
  char ss58[SP_SS58_ADDRESS_MAX];
  char pub[67];
  bool encrypted; /* the coldkey file; hotkeys are read, so known too */
} key_view;

static int inspect_key(const char *cmd, const sp_wallet *w, sp_wallet_key which,
                       key_view *v) {
  sp_wallet_key file =
      which == SP_WALLET_COLDKEY ? SP_WALLET_COLDKEYPUB : which;
  memset(v, 0, sizeof *v);
  if (!sp_wallet_has(w, file)) return 0;
  sp_password_source src = {.env_name = SP_PASSWORD_ENV, .prompt = true};
  sp_keyfile_info info;
  uint8_t pub[32];
  int rc = sp_wallet_address(w, which, &src, v->ss58, pub, &info);
  if (rc != 0) return sp_cli_key_fail(cmd, sp_wallet_path(w, file), rc, &info);
  if (which == SP_WALLET_HOTKEY) {
    sp_cli_warn_permissions(cmd, w->hotkey_path, &info);
    v->encrypted = info.encrypted;
  } else if (sp_wallet_has(w, SP_WALLET_COLDKEY)) {
    /* Only looked at: whether it is encrypted and who may read it. */
    uint8_t *data = NULL;
    size_t len = 0;
    memset(&info, 0, sizeof info);
    if (sp_keyfile_read(w->coldkey_path, &data, &len, &info) == 0) {
      v->encrypted = sp_keyfile_is_encrypted(data, len);
      sp_cli_warn_permissions(cmd, w->coldkey_path, &info);
    }
    sp_keyfile_buffer_free(data, len + 1);
  }
  v->pub[0] = '0';
  v->pub[1] = 'x';
  sp_hex_encode(pub, 32, v->pub + 2);
  v->present = true;
  return 0;
}

static json_t *key_json(const key_view *v, const char *name) {
  if (!v->present) return json_null();
  json_t *o = json_pack("{s:s, s:s, s:b}", "ss58Address", v->ss58, "publicKey",
                        v->pub, "encrypted", v->encrypted);
  if (o != NULL && name != NULL) {
    /* the hotkey's name first, as before */
    json_t *h = json_pack("{s:o}", "name", sp_json_str(name));
    json_object_update(h, o);
    json_decref(o);
    o = h;
  }
  return o;
}

static int wallet_inspect(int argc, char **argv) {
  static const struct option opts[] = {SP_WALLET_LOCATION_LONGOPTS,
                                       {"json", no_argument, NULL, 'j'},
                                       SP_CLI_QUIET_LONGOPT,
                                       {"help", no_argument, NULL, 'h'},
                                       {0}};
  const char *cmd = "wallet inspect";
  sp_wallet_location l = {0};
  bool json = false;
  int c;
  sp_cli_reset();
  while ((c = sp_cli_next(cmd, argc, argv, opts)) != -1) {
    if (sp_wallet_location_take(&l, c, optarg)) continue;
    switch (c) {
    case 'j': json = true; break;
    case 'h':
      sp_cli_help(stdout, help);
      sp_cli_help_end(stdout);
      return SP_EXIT_OK;
    default: return SP_EXIT_USAGE;
    }
  }
  if (sp_cli_no_positional(cmd, argc, argv)) return SP_EXIT_USAGE;
  sp_wallet w;
  if (sp_wallet_location_open(cmd, &l, &w)) return SP_EXIT_USAGE;
  if (sodium_init() < 0) return sp_cli_fail(cmd, "libsodium failed to start");
  key_view cold, hot;
  if (inspect_key(cmd, &w, SP_WALLET_COLDKEY, &cold) ||
      inspect_key(cmd, &w, SP_WALLET_HOTKEY, &hot))
    return SP_EXIT_USAGE;
  bool coldkey_file = sp_wallet_has(&w, SP_WALLET_COLDKEY);
  if (!cold.present && !hot.present && !coldkey_file)
    return sp_cli_fail(cmd, "no wallet '%s' at %s", w.name, w.dir);
  if (json) {
    if (sp_json_print(stdout,
                      json_pack("{s:o, s:o, s:o, s:o}", "wallet",
                                sp_json_str(w.name), "path", sp_json_str(w.dir),
                                "coldkey", key_json(&cold, NULL), "hotkey",
                                key_json(&hot, w.hotkey))) != 0)
      return sp_cli_fail(cmd, "could not write the JSON output");
    return SP_EXIT_OK;
  }
  printf("wallet   %s (%s)\n", w.name, w.dir);
  if (cold.present)
    printf("coldkey  %s  %s  (%s)\n", cold.ss58, cold.pub,
           !coldkey_file    ? "coldkeypub.txt only"
           : cold.encrypted ? "encrypted"
                            : "NOT encrypted");
  else
    printf("coldkey  (no %s)\n", w.coldkeypub_path);
  if (hot.present)
    printf("hotkey   %s  %s  %s\n", w.hotkey, hot.ss58, hot.pub);
  else
    printf("hotkey   %s  (no %s)\n", w.hotkey, w.hotkey_path);
  return SP_EXIT_OK;
}

/* ------------------------------------------------------------- sign ---- */

/* Decodes a hex message of any length (0x alone is the empty message). */
static int parse_message(const char *cmd, const char *s, uint8_t **msg,
                         size_t *len) {
  size_t cap = strlen(s) / 2 + 1;
  *msg = malloc(cap);
  if (*msg == NULL) return sp_cli_fail(cmd, "out of memory");
  int rc = sp_hex_decode(s, 0, *msg, cap, len);
  if (rc != 0) {
    free(*msg);
    *msg = NULL;
    return sp_cli_fail(cmd, "--message: %s (want hex bytes, optional 0x)",
                       sp_strerror(rc));
  }
  return 0;
}

static int wallet_sign(int argc, char **argv) {
  static const struct option opts[] = {
      SP_WALLET_LOCATION_LONGOPTS,
      {"coldkey", no_argument, NULL, 'c'},
      {"password-file", required_argument, NULL, 'p'},
      {"message", required_argument, NULL, 'm'},
      {"json", no_argument, NULL, 'j'},
      SP_CLI_QUIET_LONGOPT,
      {"help", no_argument, NULL, 'h'},
      {0}};
  const char *cmd = "wallet sign";
  sp_wallet_location l = {0};
  const char *password_file = NULL, *message = NULL;
  bool coldkey = false, json = false;
  int c;
  sp_cli_reset();
  while ((c = sp_cli_next(cmd, argc, argv, opts)) != -1) {
    if (sp_wallet_location_take(&l, c, optarg)) continue;
    switch (c) {
    case 'c': coldkey = true; break;
    case 'p': password_file = optarg; break;
    case 'm': message = optarg; break;
    case 'j': json = true; break;
    case 'h':
      sp_cli_help(stdout, help);
      sp_cli_help_end(stdout);
      return SP_EXIT_OK;
    default: return SP_EXIT_USAGE;
    }
  }
  if (sp_cli_no_positional(cmd, argc, argv)) return SP_EXIT_USAGE;
  if (message == NULL) return sp_cli_fail(cmd, "missing --message HEX");
  sp_wallet w;
  if (sp_wallet_location_open(cmd, &l, &w)) return SP_EXIT_USAGE;
  uint8_t *msg = NULL;
  size_t len = 0;
  if (parse_message(cmd, message, &msg, &len)) return SP_EXIT_USAGE;
  sp_wallet_key which = coldkey ? SP_WALLET_COLDKEY : SP_WALLET_HOTKEY;
  sp_password_source src = {
      .file = password_file, .env_name = SP_PASSWORD_ENV, .prompt = true};
  sp_signer s;
  sp_keyfile_info info;
  int rc = sp_wallet_open_signer(&w, which, &src, &s, &info);
  if (rc != 0) {
    free(msg);
    return sp_cli_key_fail(cmd, sp_wallet_path(&w, which), rc, &info);
  }
  sp_cli_warn_permissions(cmd, sp_wallet_path(&w, which), &info);
  uint8_t sig[64];
  rc = s.sign(s.ctx, msg, len, sig);
  sp_wallet_close_signer(&s);
  free(msg);
  if (rc != 0) return sp_cli_fail(cmd, "signing failed: %s", sp_strerror(rc));
  char hex[131] = "0x";
  sp_hex_encode(sig, 64, hex + 2);
  if (json)
    sp_json_print(stdout,
                  json_pack("{s:s, s:s}", "key", coldkey ? "coldkey" : "hotkey",
                            "signature", hex));
  else
    printf("%s\n", hex);
  return SP_EXIT_OK;
}

/* ----------------------------------------------------------- verify ---- */

static int wallet_verify(int argc, char **argv) {
  static const struct option opts[] = {
      {"address", required_argument, NULL, 'a'},
      {"message", required_argument, NULL, 'm'},
      {"signature", required_argument, NULL, 's'},
      {"scheme", required_argument, NULL, 'k'},
      {"json", no_argument, NULL, 'j'},
      SP_CLI_QUIET_LONGOPT,
      {"help", no_argument, NULL, 'h'},
      {0}};
  const char *cmd = "wallet verify";
  const char *address = NULL, *message = NULL, *signature = NULL,
             *scheme_name = "auto";
  bool json = false;
  int c;
  sp_cli_reset();
  while ((c = sp_cli_next(cmd, argc, argv, opts)) != -1) {
    switch (c) {
    case 'a': address = optarg; break;
    case 'm': message = optarg; break;
    case 's': signature = optarg; break;
    case 'k': scheme_name = optarg; break;
    case 'j': json = true; break;
    case 'h':
      sp_cli_help(stdout, help);
      sp_cli_help_end(stdout);
      return SP_EXIT_OK;
    default: return SP_EXIT_USAGE;
    }
  }
  if (sp_cli_no_positional(cmd, argc, argv)) return SP_EXIT_USAGE;
  if (address == NULL) return sp_cli_fail(cmd, "missing --address SS58");
  if (message == NULL) return sp_cli_fail(cmd, "missing --message HEX");
  if (signature == NULL) return sp_cli_fail(cmd, "missing --signature HEX");
  int scheme = -1;
  if (strcmp(scheme_name, "auto") != 0 && sp_scheme_parse(scheme_name, &scheme))
    return sp_cli_fail(cmd, "--scheme: '%s' is not auto, sr25519 or ed25519",
                       scheme_name);
  uint8_t account[32], sig[64];
  uint16_t prefix = 0;
  int rc = sp_ss58_decode(address, account, &prefix);
  if (rc != 0) return sp_cli_fail(cmd, "--address: %s", sp_strerror(rc));
  rc = sp_hex_decode(signature, 64, sig, 64, NULL);
  if (rc != 0)
    return sp_cli_fail(cmd,
                       "--signature: %s (want 128 hex digits, optional 0x)",
                       sp_strerror(rc));
  uint8_t *msg = NULL;
  size_t len = 0;
  if (parse_message(cmd, message, &msg, &len)) return SP_EXIT_USAGE;
  /* schnorrkel sets the top bit of byte 63; an ed25519 S is below the group
   * order, so its top bits are clear (schnorrkel sign.rs, Signature). */
  if (scheme < 0)
    scheme = (sig[63] & 0x80) ? SP_SIGNER_SR25519 : SP_SIGNER_ED25519;
  rc = sp_signature_verify(scheme, account, msg, len, sig);
  free(msg);
  if (json && (rc == 0 || rc == -SP_EBAD_PUBLIC || rc == -SP_EBAD_SIGNATURE)) {
    sp_json_print(stdout,
                  json_pack("{s:b, s:s, s:s}", "valid", rc == 0, "scheme",
                            sp_scheme_name(scheme), "reason",
                            rc == 0                 ? "valid"
                            : rc == -SP_EBAD_PUBLIC ? "not a valid public key"
                                                    : "bad signature"));
    return rc == 0 ? SP_EXIT_OK : SP_EXIT_NO;
  }
  if (rc == 0) {
    printf("valid (%s)\n", sp_scheme_name(scheme));
    return SP_EXIT_OK;
  }
  if (rc == -SP_EBAD_PUBLIC) {
    printf("invalid (the address is not a valid %s public key)\n",
           sp_scheme_name(scheme));
    return SP_EXIT_NO;
  }
  if (rc == -SP_EBAD_SIGNATURE) {
    printf("invalid (%s)\n", sp_scheme_name(scheme));
    return SP_EXIT_NO;
  }
  return sp_cli_fail(cmd, "verification failed: %s", sp_strerror(rc));
}

int sp_cmd_wallet(int argc, char **argv) {
  if (argc < 2)
    return sp_cli_fail("wallet",
                       "missing subcommand (create, inspect, sign, "
                       "verify; see %s wallet --help)",
                       sp_cli_prog());
  const char *sub = argv[1];
  if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0 ||
      strcmp(sub, "help") == 0) {
    sp_cli_help(stdout, help);
    sp_cli_help_end(stdout);
    return SP_EXIT_OK;
  }
  if (strcmp(sub, "create") == 0) return wallet_create(argc - 1, argv + 1);
  if (strcmp(sub, "inspect") == 0) return wallet_inspect(argc - 1, argv + 1);
  if (strcmp(sub, "sign") == 0) return wallet_sign(argc - 1, argv + 1);
  if (strcmp(sub, "verify") == 0) return wallet_verify(argc - 1, argv + 1);
  return sp_cli_fail(
      "wallet", "unknown subcommand '%s' (create, inspect, sign, verify)", sub);
}
