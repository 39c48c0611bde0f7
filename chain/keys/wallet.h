/*
 * btcli / btwallet wallets: <path>/<name>/coldkey, <path>/<name>/coldkeypub.txt
 * and <path>/<name>/hotkeys/<hotkey> (btwallet src/wallet.rs), with btcli's
 * defaults: path ~/.bittensor/wallets, name "default", hotkey "default".
 * Wallet keys are sr25519 (btwallet creates and reads no other scheme).
 *
 * Typical use, signing with the hotkey:
 *
 *   sp_wallet w;
 *   sp_wallet_init(&w, NULL, NULL, NULL);                  // the defaults
 *   sp_password_source pw = {.env_name = SP_PASSWORD_ENV, .prompt = true};
 *   sp_signer s;
 *   sp_keyfile_info info;
 *   if (sp_wallet_open_signer(&w, SP_WALLET_HOTKEY, &pw, &s, &info) == 0) {
 *     ... s.sign(s.ctx, msg, len, sig) ...
 *     sp_wallet_close_signer(&s);                           // wipes the key
 *   }
 */
#ifndef SUBPOW_CHAIN_KEYS_WALLET_H
#define SUBPOW_CHAIN_KEYS_WALLET_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "chain/keys/bip39.h"
#include "chain/keys/keyfile.h"
#include "chain/keys/keypair.h"
#include "chain/keys/password.h"
#include "chain/keys/signer.h"
#include "chain/keys/ss58.h"

#define SP_WALLET_DEFAULT_PATH "~/.bittensor/wallets"
#define SP_WALLET_DEFAULT_NAME "default"
#define SP_WALLET_DEFAULT_HOTKEY "default"

typedef enum sp_wallet_key {
  SP_WALLET_HOTKEY = 0,     /* hotkeys/<hotkey>, normally plain */
  SP_WALLET_COLDKEY = 1,    /* coldkey, normally $NACL-encrypted */
  SP_WALLET_COLDKEYPUB = 2, /* coldkeypub.txt: the coldkey's public fields */
} sp_wallet_key;

typedef struct sp_wallet {
  char name[256];
  char hotkey[256];
  char dir[PATH_MAX]; /* <path>/<name>, "~" expanded */
  char hotkey_path[PATH_MAX];
  char coldkey_path[PATH_MAX];
  char coldkeypub_path[PATH_MAX];
} sp_wallet;

/*
 * Computes the paths of wallet `name` (NULL: "default") with hotkey `hotkey`
 * (NULL: "default") under `path` (NULL: ~/.bittensor/wallets; a leading "~"
 * is $HOME). Touches no file. Returns 0, -SP_EINVAL for an empty name or one
 * with '/' or a control character or equal to "." or "..", or "~" without
 * $HOME, -SP_ERANGE for a path too long.
 */
int sp_wallet_init(sp_wallet *w, const char *path, const char *name,
                   const char *hotkey);

/* The file of `which`. */
const char *sp_wallet_path(const sp_wallet *w, sp_wallet_key which);
/* "hotkey", "coldkey", "coldkeypub". */
const char *sp_wallet_key_name(sp_wallet_key which);
/* True when the file of `which` exists. */
bool sp_wallet_has(const sp_wallet *w, sp_wallet_key which);

/*
 * Loads the key of `which` (sp_keyfile_load with scheme sr25519; the word
 * list is loaded when the file has a phrase). SP_WALLET_COLDKEYPUB gives a
 * public-only key. `pw` (may be NULL) is asked only for an encrypted file.
 * info->loose_permissions tells the caller to warn. Returns 0 or an error of
 * sp_keyfile_load.
 */
int sp_wallet_load(const sp_wallet *w, sp_wallet_key which,
                   const sp_password_source *pw, sp_keypair *kp,
                   sp_keyfile_info *info);

/*
 * The SS58 address (prefix 42) of `which`: SP_WALLET_COLDKEY reads
 * coldkeypub.txt (no password needed); SP_WALLET_HOTKEY reads the hotkey
 * file (a password only if it is encrypted). `public_key` may be NULL.
 */
int sp_wallet_address(const sp_wallet *w, sp_wallet_key which,
                      const sp_password_source *pw,
                      char out[SP_SS58_ADDRESS_MAX], uint8_t public_key[32],
                      sp_keyfile_info *info);

/*
 * Loads the hotkey or the coldkey into locked memory (sodium_malloc) and
 * makes `signer` sign with it (scheme sr25519, context "substrate"). Release
 * with sp_wallet_close_signer. Returns 0, -SP_EINVAL for
 * SP_WALLET_COLDKEYPUB, -SP_EKEYFILE_NO_SECRET for a file with public fields
 * only, -SP_ENOMEM, or an error of sp_wallet_load.
 */
int sp_wallet_open_signer(const sp_wallet *w, sp_wallet_key which,
                          const sp_password_source *pw, sp_signer *signer,
                          sp_keyfile_info *info);
/* Wipes and frees the key of a signer from sp_wallet_open_signer. */
void sp_wallet_close_signer(sp_signer *signer);

typedef struct sp_wallet_create_options {
  const char *password;        /* the coldkey's; NULL: coldkey not encrypted */
  const sp_bip39_wordlist *wl; /* NULL: sp_bip39_english() */
  int words;                   /* phrase length; 0 means 12 */
  /* Called with each new key's phrase once its files are written (to show
   * it once on a terminal, as btcli does); the phrase is wiped after the
   * call. NULL: not shown. */
  void (*on_phrase)(void *user, sp_wallet_key which, const char *phrase);
  void *user;
} sp_wallet_create_options;

typedef struct sp_wallet_created {
  bool coldkey, hotkey; /* which keys were created */
  char coldkey_ss58[SP_SS58_ADDRESS_MAX];
  char hotkey_ss58[SP_SS58_ADDRESS_MAX];
} sp_wallet_created;

/*
 * Creates what the wallet lacks, in btwallet's format: a coldkey (new
 * phrase; file encrypted with o->password unless it is NULL) with its
 * coldkeypub.txt, when there is no coldkey file; a hotkey (new phrase,
 * plain) when there is no hotkey file. Missing directories are made with
 * mode 0700, files with mode 0600; nothing existing is overwritten.
 * out->coldkey_ss58 is filled from coldkeypub.txt when the coldkey already
 * existed. Returns 0, -SP_EEXISTS when both keys exist already or when
 * coldkeypub.txt exists without a coldkey, -SP_EIO, or a BIP-39, crypto or key
 * file error.
 */
int sp_wallet_create(const sp_wallet *w, const sp_wallet_create_options *o,
                     sp_wallet_created *out);

#endif /* SUBPOW_CHAIN_KEYS_WALLET_H */
