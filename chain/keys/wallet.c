/* btcli wallets; see wallet.h. */
#include "chain/keys/wallet.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/dirs.h"
#include "common/error.h"

/* A name with a newline or an escape sequence would make every message
 * that shows the path lie about it; no wallet tool creates one. */
static int valid_name(const char *s) {
  for (const char *p = s; *p; p++)
    if ((unsigned char)*p < 0x20 || *p == 0x7f) return 0;
  return s[0] != '\0' && strchr(s, '/') == NULL && strcmp(s, ".") != 0 &&
         strcmp(s, "..") != 0 && strlen(s) < 256;
}

static int join(char *out, size_t cap, const char *a, const char *b,
                const char *c) {
  int n = snprintf(out, cap, "%s/%s%s%s", a, b, c ? "/" : "", c ? c : "");
  return n < 0 || (size_t)n >= cap ? -SP_ERANGE : 0;
}

int sp_wallet_init(sp_wallet *w, const char *path, const char *name,
                   const char *hotkey) {
  memset(w, 0, sizeof *w);
  if (path == NULL) path = SP_WALLET_DEFAULT_PATH;
  if (name == NULL) name = SP_WALLET_DEFAULT_NAME;
  if (hotkey == NULL) hotkey = SP_WALLET_DEFAULT_HOTKEY;
  if (path[0] == '\0' || !valid_name(name) || !valid_name(hotkey))
    return -SP_EINVAL;
  char base[PATH_MAX];
  if (path[0] == '~' && (path[1] == '\0' || path[1] == '/')) {
    const char *home = getenv("HOME");
    if (home == NULL || home[0] == '\0') return -SP_EINVAL;
    int n = snprintf(base, sizeof base, "%s%s", home, path + 1);
    if (n < 0 || (size_t)n >= sizeof base) return -SP_ERANGE;
  } else {
    if (strlen(path) >= sizeof base) return -SP_ERANGE;
    strcpy(base, path);
  }
  size_t bl = strlen(base);
  while (bl > 1 && base[bl - 1] == '/')
    base[--bl] = '\0';
  strcpy(w->name, name);
  strcpy(w->hotkey, hotkey);
  int rc = join(w->dir, sizeof w->dir, base, name, NULL);
  if (rc == 0) rc = join(w->coldkey_path, PATH_MAX, w->dir, "coldkey", NULL);
  if (rc == 0)
    rc = join(w->coldkeypub_path, PATH_MAX, w->dir, "coldkeypub.txt", NULL);
  if (rc == 0) rc = join(w->hotkey_path, PATH_MAX, w->dir, "hotkeys", hotkey);
  return rc;
}

const char *sp_wallet_path(const sp_wallet *w, sp_wallet_key which) {
  switch (which) {
  case SP_WALLET_HOTKEY: return w->hotkey_path;
  case SP_WALLET_COLDKEY: return w->coldkey_path;
  case SP_WALLET_COLDKEYPUB: return w->coldkeypub_path;
  }
  return NULL;
}

const char *sp_wallet_key_name(sp_wallet_key which) {
  switch (which) {
  case SP_WALLET_HOTKEY: return "hotkey";
  case SP_WALLET_COLDKEY: return "coldkey";
  case SP_WALLET_COLDKEYPUB: return "coldkeypub";
  }
  return NULL;
}

bool sp_wallet_has(const sp_wallet *w, sp_wallet_key which) {
  struct stat st;
  return stat(sp_wallet_path(w, which), &st) == 0;
}

int sp_wallet_load(const sp_wallet *w, sp_wallet_key which,
                   const sp_password_source *pw, sp_keypair *kp,
                   sp_keyfile_info *info) {
  const char *path = sp_wallet_path(w, which);
  if (path == NULL) return -SP_EINVAL;
  return sp_keyfile_load(path, SP_SIGNER_SR25519, pw, NULL, kp, info);
}

int sp_wallet_address(const sp_wallet *w, sp_wallet_key which,
                      const sp_password_source *pw,
                      char out[SP_SS58_ADDRESS_MAX], uint8_t public_key[32],
                      sp_keyfile_info *info) {
  if (which == SP_WALLET_COLDKEY) which = SP_WALLET_COLDKEYPUB;
  if (sodium_init() < 0) return -SP_ECRYPTO;
  sp_keypair *kp = sodium_malloc(sizeof *kp);
  if (kp == NULL) return -SP_ENOMEM;
  int rc = sp_wallet_load(w, which, pw, kp, info);
  if (rc == 0)
    rc = sp_keypair_ss58(kp, SP_SS58_DEFAULT_PREFIX, out, SP_SS58_ADDRESS_MAX);
  if (rc == 0 && public_key != NULL) memcpy(public_key, kp->public_key, 32);
  sodium_free(kp); /* zeroes */
  return rc;
}

int sp_wallet_open_signer(const sp_wallet *w, sp_wallet_key which,
                          const sp_password_source *pw, sp_signer *signer,
                          sp_keyfile_info *info) {
  memset(info, 0, sizeof *info);
  if (which != SP_WALLET_HOTKEY && which != SP_WALLET_COLDKEY)
    return -SP_EINVAL;
  if (sodium_init() < 0) return -SP_ECRYPTO;
  sp_keypair *kp = sodium_malloc(sizeof *kp);
  if (kp == NULL) return -SP_ENOMEM;
  int rc = sp_wallet_load(w, which, pw, kp, info);
  if (rc == 0 && !kp->has_secret) rc = -SP_EKEYFILE_NO_SECRET;
  if (rc == 0) rc = sp_keypair_signer(kp, signer);
  if (rc != 0) sodium_free(kp);
  return rc;
}

void sp_wallet_close_signer(sp_signer *signer) {
  if (signer->ctx != NULL) sodium_free(signer->ctx);
  signer->ctx = NULL;
  signer->sign = NULL;
}

/* A new sr25519 key from a new phrase. */
static int new_key(const sp_bip39_wordlist *wl, int words, sp_keypair *kp) {
  char *phrase = sodium_malloc(SP_BIP39_PHRASE_MAX);
  if (phrase == NULL) return -SP_ENOMEM;
  int rc = sp_bip39_generate(wl, words, phrase, SP_BIP39_PHRASE_MAX);
  if (rc == 0) rc = sp_keypair_from_phrase(SP_SIGNER_SR25519, wl, phrase, kp);
  sodium_free(phrase);
  return rc;
}

static int write_key(const char *path, const sp_keypair *kp, bool public_only,
                     const char *password) {
  char *json = NULL;
  size_t len = 0;
  int rc = sp_keyfile_serialize(kp, public_only, &json, &len);
  if (rc != 0) return rc;
  if (password != NULL) {
    uint8_t *enc = NULL;
    size_t elen = 0;
    rc = sp_keyfile_encrypt((const uint8_t *)json, len, password, &enc, &elen);
    if (rc == 0) rc = sp_keyfile_write(path, enc, elen);
    sp_keyfile_buffer_free(enc, elen);
  } else {
    rc = sp_keyfile_write(path, (const uint8_t *)json, len);
  }
  sp_keyfile_buffer_free(json, len);
  return rc;
}

int sp_wallet_create(const sp_wallet *w, const sp_wallet_create_options *o,
                     sp_wallet_created *out) {
  memset(out, 0, sizeof *out);
  bool make_cold = !sp_wallet_has(w, SP_WALLET_COLDKEY);
  bool make_hot = !sp_wallet_has(w, SP_WALLET_HOTKEY);
  if (!make_cold && !make_hot) return -SP_EEXISTS;
  if (make_cold && sp_wallet_has(w, SP_WALLET_COLDKEYPUB)) return -SP_EEXISTS;
  int words = o->words != 0 ? o->words : 12;
  if (sodium_init() < 0) return -SP_ECRYPTO;

  const sp_bip39_wordlist *wl = o->wl != NULL ? o->wl : sp_bip39_english();
  sp_keypair *kp = sodium_malloc(sizeof *kp);
  int rc = kp == NULL ? -SP_ENOMEM : 0;
  char hotkeys[PATH_MAX];
  if (rc == 0) rc = join(hotkeys, sizeof hotkeys, w->dir, "hotkeys", NULL);
  if (rc == 0) rc = sp_make_dirs(make_hot ? hotkeys : w->dir, 0700);

  if (rc == 0 && make_cold) {
    rc = new_key(wl, words, kp);
    if (rc == 0) rc = write_key(w->coldkey_path, kp, false, o->password);
    if (rc == 0) rc = write_key(w->coldkeypub_path, kp, true, NULL);
    if (rc == 0)
      rc = sp_keypair_ss58(kp, SP_SS58_DEFAULT_PREFIX, out->coldkey_ss58,
                           sizeof out->coldkey_ss58);
    out->coldkey = rc == 0;
    if (rc == 0 && o->on_phrase != NULL && kp->has_phrase)
      o->on_phrase(o->user, SP_WALLET_COLDKEY, kp->phrase);
  } else if (rc == 0) {
    sp_keyfile_info info;
    /* Informational only: an unreadable coldkeypub.txt leaves it empty. */
    if (sp_wallet_address(w, SP_WALLET_COLDKEY, NULL, out->coldkey_ss58, NULL,
                          &info) != 0)
      out->coldkey_ss58[0] = '\0';
  }
  if (rc == 0 && make_hot) {
    rc = new_key(wl, words, kp);
    if (rc == 0) rc = write_key(w->hotkey_path, kp, false, NULL);
    if (rc == 0)
      rc = sp_keypair_ss58(kp, SP_SS58_DEFAULT_PREFIX, out->hotkey_ss58,
                           sizeof out->hotkey_ss58);
    out->hotkey = rc == 0;
    if (rc == 0 && o->on_phrase != NULL && kp->has_phrase)
      o->on_phrase(o->user, SP_WALLET_HOTKEY, kp->phrase);
  }
  if (kp != NULL) sodium_free(kp);
  return rc;
}
