/*
 * Secrets: a full registration and two faucet claims with an ENCRYPTED
 * coldkey, its password once from --password-file and once from
 * SUBPOW_WALLET_PASSWORD, on the embedded mock node. Every output (stdout
 * and stderr of each run) and every file under the test's folder except the
 * two secret key files and the password file (the journal, coldkeypub.txt,
 * the auto-backend cache is elsewhere) is scanned for each secret of both
 * keys: the secret phrase (and any two of its words in a row), the secret
 * seed and the private key (hex, either case, and either half of it), and
 * the password. Key files and the journal are written 0600, directories
 * 0700, and a group-readable key file draws a warning.
 *
 * Argon2i with btcli's limits takes seconds: the coldkey is encrypted once
 * and decrypted twice (one faucet claim per password source).
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chain/keys/bip39.h"
#include "chain/keys/keyfile.h"
#include "chain/keys/keypair.h"
#include "reference/reference.h"
#include "regress/support/process.h"
#include "regress/support/run_command.h"

#define PASSWORD "Tr0ub4dor&3 correct horse"

static char dir[64], wallet[128], pwfile[160];
static sp_keypair cold; /* encrypted into the coldkey file by the test */
static char *needles[64];
static size_t n_needles;

static void add_needle(const char *s) {
  cr_assert_lt(n_needles, sizeof needles / sizeof needles[0]);
  needles[n_needles++] = strdup(s);
}

static void add_hex(const uint8_t *b, size_t n) {
  char hex[129];
  sp_hex_encode(b, n, hex);
  add_needle(hex);
  hex[n] = '\0'; /* the first half */
  add_needle(hex);
  sp_hex_encode(b + n / 2, n - n / 2, hex); /* the second half */
  add_needle(hex);
}

/* The phrase, and each pair of adjacent words of it. */
static void add_phrase(const char *phrase) {
  add_needle(phrase);
  char words[24][16];
  int n = 0;
  char copy[SP_BIP39_PHRASE_MAX];
  snprintf(copy, sizeof copy, "%s", phrase);
  char *save = NULL;
  for (char *w = strtok_r(copy, " ", &save); w && n < 24;
       w = strtok_r(NULL, " ", &save))
    snprintf(words[n++], sizeof words[0], "%s", w);
  for (int i = 0; i + 1 < n; i++) {
    char pair[2 * sizeof words[0] + 2];
    snprintf(pair, sizeof pair, "%.15s %.15s", words[i], words[i + 1]);
    add_needle(pair);
  }
}

static void key_file(const char *path, const sp_keypair *kp, bool public_only,
                     const char *password) {
  char *json = NULL;
  size_t len = 0;
  cr_assert_eq(sp_keyfile_serialize(kp, public_only, &json, &len), 0);
  uint8_t *data = (uint8_t *)json;
  size_t data_len = len;
  uint8_t *box = NULL;
  if (password != NULL) {
    cr_assert_eq(sp_keyfile_encrypt(data, len, password, &box, &data_len), 0);
    data = box;
  }
  cr_assert_eq(sp_keyfile_write(path, data, data_len), 0, "%s", path);
  sp_keyfile_buffer_free(json, len);
  sp_keyfile_buffer_free(box, data_len);
}

static void make_key(const sp_bip39_wordlist *wl, uint8_t fill,
                     sp_keypair *kp) {
  uint8_t entropy[16];
  memset(entropy, fill, sizeof entropy);
  char phrase[SP_BIP39_PHRASE_MAX];
  cr_assert_eq(
      sp_bip39_entropy_to_phrase(wl, entropy, 16, phrase, sizeof phrase), 0);
  cr_assert_eq(sp_keypair_from_phrase(SP_SIGNER_SR25519, wl, phrase, kp), 0);
  add_phrase(kp->phrase);
  add_hex(kp->mini, 32);
  add_hex(kp->secret, 64);
}

static void setup(void) {
  cr_assert_geq(sodium_init(), 0);
  snprintf(dir, sizeof dir, "/tmp/subpow-secrets-XXXXXX");
  cr_assert_not_null(mkdtemp(dir));
  snprintf(wallet, sizeof wallet, "%s/wallets", dir);
  char path[256];
  snprintf(path, sizeof path, "mkdir -p -m 700 %s/default/hotkeys", wallet);
  cr_assert_eq(system(path), 0);
  sp_bip39_wordlist *wl = malloc(sizeof *wl);
  *wl = *sp_bip39_english();
  sp_keypair hot;
  make_key(wl, 0x5c, &cold);
  make_key(wl, 0xa7, &hot);
  add_needle(PASSWORD);
  free(wl);
  /* the coldkey plain here; the test that needs it encrypted encrypts it
   * (Criterion runs this for every test) */
  snprintf(path, sizeof path, "%s/default/coldkey", wallet);
  key_file(path, &cold, false, NULL);
  snprintf(path, sizeof path, "%s/default/coldkeypub.txt", wallet);
  key_file(path, &cold, true, NULL);
  snprintf(path, sizeof path, "%s/default/hotkeys/default", wallet);
  key_file(path, &hot, false, NULL);
  sp_keypair_wipe(&hot);
  snprintf(pwfile, sizeof pwfile, "%s/password", dir);
  FILE *f = fopen(pwfile, "w");
  cr_assert_not_null(f);
  fputs(PASSWORD "\n", f);
  fclose(f);
}

static void teardown(void) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  cr_assert_eq(system(cmd), 0);
  for (size_t i = 0; i < n_needles; i++)
    free(needles[i]);
  n_needles = 0;
  sp_keypair_wipe(&cold);
}

TestSuite(secrets, .init = setup, .fini = teardown, .timeout = 240);

static void scan(const char *what, const char *text) {
  for (size_t i = 0; i < n_needles; i++)
    cr_expect_null(strcasestr(text, needles[i]), "%s holds secret #%zu", what,
                   i);
}

/* Every file under `path` but the secret ones; checks their modes too. */
static int scan_tree(const char *path) {
  int files = 0;
  DIR *d = opendir(path);
  cr_assert_not_null(d, "%s", path);
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", path, e->d_name);
    struct stat st;
    cr_assert_eq(lstat(p, &st), 0, "%s", p);
    if (S_ISDIR(st.st_mode)) {
      files += scan_tree(p);
      continue;
    }
    if (strcmp(e->d_name, "coldkey") == 0 || strcmp(p, pwfile) == 0 ||
        strstr(p, "/hotkeys/") != NULL)
      continue;
    FILE *f = fopen(p, "rb");
    cr_assert_not_null(f, "%s", p);
    char *text = calloc(1, (size_t)st.st_size + 1);
    size_t got = fread(text, 1, (size_t)st.st_size, f);
    fclose(f);
    text[got] = '\0';
    scan(p, text);
    free(text);
    files++;
  }
  closedir(d);
  return files;
}

static sp_proc run(const char *cmd, const char *pw_arg, char *const env[]) {
  char journal[200];
  snprintf(journal, sizeof journal, "%s/journal.jsonl", dir);
  char *argv[] = {(char *)SUBPOW_BENCH,
                  (char *)cmd,
                  "--wallet-path",
                  wallet,
                  "--backend",
                  "reference",
                  "--journal",
                  journal,
                  "--no-output-in-place",
                  "--verbose",
                  pw_arg ? "--password-file" : NULL,
                  (char *)pw_arg,
                  NULL};
  sp_proc p;
  cr_assert_eq(sp_proc_start(&p, argv, env), 0);
  int st = sp_proc_wait(&p, 120000);
  cr_expect_eq(st, 0, "%s: status %d: %s", cmd, st, p.out);
  scan(cmd, p.out);
  return p;
}

/* The needles are right: the plain hotkey file holds its secrets. */
static void needles_find_the_hotkey(void) {
  char path[256];
  snprintf(path, sizeof path, "%s/default/hotkeys/default", wallet);
  FILE *f = fopen(path, "r");
  cr_assert_not_null(f);
  char text[4096];
  size_t n = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[n] = '\0';
  size_t found = 0;
  for (size_t i = 0; i < n_needles; i++)
    found += strcasestr(text, needles[i]) != NULL;
  /* the hotkey's phrase, its word pairs, seed and key (and halves) */
  cr_assert_geq(found, 1 + 11 + 3 + 3, "needles found in the hotkey: %zu",
                found);
}

Test(secrets, registration_and_faucet_with_an_encrypted_coldkey_leak_nothing) {
  needles_find_the_hotkey();
  char path[256];
  snprintf(path, sizeof path, "%s/default/coldkey", wallet);
  cr_assert_eq(unlink(path), 0);
  key_file(path, &cold, false, PASSWORD);
  sp_proc p = run("register", NULL, NULL);
  cr_expect_not_null(strstr(p.out, "registered hotkey"), "%s", p.out);
  sp_proc_free(&p);
  p = run("faucet", pwfile, NULL);
  cr_expect_not_null(strstr(p.out, "faucet paid"), "%s", p.out);
  sp_proc_free(&p);
  char *env[] = {"SUBPOW_WALLET_PASSWORD=" PASSWORD, NULL};
  p = run("faucet", NULL, env);
  cr_expect_not_null(strstr(p.out, "faucet paid"), "%s", p.out);
  sp_proc_free(&p);

  cr_expect_geq(scan_tree(dir), 2, "the journal and coldkeypub.txt");
  static const char *const private_files[] = {
      "journal.jsonl", "wallets/default/coldkey",
      "wallets/default/hotkeys/default"};
  for (size_t i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, private_files[i]);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0, "%s", path);
    cr_expect_eq(st.st_mode & 0777, 0600, "%s: mode %o", path,
                 st.st_mode & 0777);
  }
}

/* Files bench wallet create writes: 0600, folders 0700 (no password, so
 * no Argon2), whatever the umask. */
Test(secrets, wallet_create_writes_private_modes) {
  char w[200];
  snprintf(w, sizeof w, "%s/fresh", dir);
  mode_t old = umask(0);
  sp_run_result r;
  sp_run_bench(&r, "wallet", "create", "--wallet-path", w, "--no-password",
               NULL);
  umask(old);
  cr_assert_eq(r.status, 0, "%s", r.err);
  scan("wallet create", r.out);
  scan("wallet create", r.err);
  sp_run_result_free(&r);
  static const char *const files[] = {
      "default/coldkey", "default/coldkeypub.txt", "default/hotkeys/default"};
  static const char *const dirs[] = {"default", "default/hotkeys"};
  char p[300];
  struct stat st;
  for (size_t i = 0; i < 3; i++) {
    snprintf(p, sizeof p, "%s/%s", w, files[i]);
    cr_assert_eq(stat(p, &st), 0, "%s", p);
    cr_expect_eq(st.st_mode & 0777, 0600, "%s: %o", p, st.st_mode & 0777);
  }
  for (size_t i = 0; i < 2; i++) {
    snprintf(p, sizeof p, "%s/%s", w, dirs[i]);
    cr_assert_eq(stat(p, &st), 0, "%s", p);
    cr_expect_eq(st.st_mode & 0777, 0700, "%s: %o", p, st.st_mode & 0777);
  }
}

/* A key file others can read still works, with one warning line naming it
 * and its mode. */
Test(secrets, group_readable_key_file_warns) {
  char hot[200];
  snprintf(hot, sizeof hot, "%s/default/hotkeys/default", wallet);
  cr_assert_eq(chmod(hot, 0640), 0);
  sp_run_result r;
  sp_run_bench(&r, "register", "--wallet-path", wallet, "--backend",
               "reference", "--no-output-in-place", "--json", NULL);
  cr_expect_eq(r.status, 0, "%s", r.err);
  cr_expect_not_null(strstr(r.err, "warning"), "%s", r.err);
  cr_expect_not_null(strstr(r.err, hot), "%s", r.err);
  cr_expect_not_null(strstr(r.err, "0640"), "%s", r.err);
  scan("register", r.out);
  scan("register", r.err);
  sp_run_result_free(&r);
  sp_run_bench(&r, "wallet", "sign", "--wallet-path", wallet, "--message",
               "0x00", NULL);
  cr_expect_eq(r.status, 0, "%s", r.err);
  cr_expect_not_null(strstr(r.err, "0640"), "wallet sign: %s", r.err);
  sp_run_result_free(&r);
  cr_assert_eq(chmod(hot, 0600), 0);
}
