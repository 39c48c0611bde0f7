/* bench wallet: create, inspect, sign, verify, and every bad input giving
 * one clear line and a non-zero exit. Two Argon2i (SENSITIVE) derivations of
 * about 3 s each and a third for the wrong password. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "regress/support/run_command.h"

/* Runs build/bench in a new session (setsid), so that it has no controlling
 * terminal and can never stop to prompt, even when the tests run from one. */
static void run(sp_run_result *r, const char *arg, ...) {
  char *argv[64];
  int n = 0;
  if (access("/usr/bin/setsid", X_OK) == 0) {
    argv[n++] = "/usr/bin/setsid";
    argv[n++] = "-w";
  }
  argv[n++] = (char *)SUBPOW_BENCH;
  va_list ap;
  va_start(ap, arg);
  for (const char *a = arg; a != NULL && n < 63; a = va_arg(ap, const char *))
    argv[n++] = (char *)a;
  va_end(ap);
  argv[n] = NULL;
  cr_assert_eq(sp_run(argv, NULL, r), 0);
}

/* An input error: exit 2, nothing on stdout, one line on stderr that
 * contains `want`. */
static void assert_one_line_error(sp_run_result *r, const char *want) {
  cr_assert_eq(r->status, 2, "status %d, stderr: %s", r->status, r->err);
  cr_assert_str_empty(r->out, "stdout: %s", r->out);
  cr_assert_eq(sp_count_lines(r->err), 1, "stderr: %s", r->err);
  cr_assert(strncmp(r->err, "bench wallet", 12) == 0, "stderr: %s", r->err);
  cr_assert_not_null(strstr(r->err, want), "want '%s' in: %s", want, r->err);
}

static char tmp[64], wallets[128];

static void setup(void) {
  snprintf(tmp, sizeof tmp, "/tmp/subpow-wallet-XXXXXX");
  cr_assert_not_null(mkdtemp(tmp));
  snprintf(wallets, sizeof wallets, "%s/wallets", tmp);
  setenv("HOME", tmp, 1);
  unsetenv("SUBPOW_WALLET_PASSWORD");
}

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "%s", path);
  static char buf[65536];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

static void write_file(const char *path, const char *text) {
  unlink(path);
  FILE *f = fopen(path, "wb");
  cr_assert_not_null(f, "%s", path);
  fputs(text, f);
  fclose(f);
  chmod(path, 0600);
}

/* The value of "field":"..." in a compact JSON text. */
static void json_field(const char *json, const char *field, char *out,
                       size_t cap) {
  char key[64];
  snprintf(key, sizeof key, "\"%s\":\"", field);
  const char *p = strstr(json, key);
  cr_assert_not_null(p, "no %s in %s", field, json);
  p += strlen(key);
  size_t n = strcspn(p, "\"");
  cr_assert_lt(n, cap);
  memcpy(out, p, n);
  out[n] = '\0';
}

static void create_plain_wallet(const char *name) {
  sp_run_result r;
  run(&r, "wallet", "create", "--wallet-path", wallets, "--wallet-name", name,
      "--no-password", NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  sp_run_result_free(&r);
}

TestSuite(wallet_cli, .init = setup, .timeout = 120);

Test(wallet_cli, plain_wallet_round_trip_never_prints_secrets) {
  sp_run_result r;
  run(&r, "wallet", "create", "--wallet-path", wallets, "--no-password", NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  char path[256], phrase[256], seed[80], priv[160], hot[64], cold[64];
  snprintf(path, sizeof path, "%s/default/hotkeys/default", wallets);
  const char *hotfile = slurp(path);
  json_field(hotfile, "secretPhrase", phrase, sizeof phrase);
  json_field(hotfile, "secretSeed", seed, sizeof seed);
  json_field(hotfile, "privateKey", priv, sizeof priv);
  json_field(hotfile, "ss58Address", hot, sizeof hot);
  snprintf(path, sizeof path, "%s/default/coldkeypub.txt", wallets);
  const char *pubfile = slurp(path);
  json_field(pubfile, "ss58Address", cold, sizeof cold);
  cr_assert_null(strstr(pubfile, "secret"));
  cr_assert_not_null(strstr(r.out, hot));
  cr_assert_not_null(strstr(r.out, cold));
  cr_assert_null(strstr(r.out, phrase));
  cr_assert_null(strstr(r.out, seed + 2));
  sp_run_result_free(&r);

  run(&r, "wallet", "inspect", "--wallet-path", wallets, "--json", NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  cr_assert_not_null(strstr(r.out, hot));
  cr_assert_not_null(strstr(r.out, cold));
  cr_assert_null(strstr(r.out, seed + 2));
  cr_assert_null(strstr(r.out, priv + 2));
  cr_assert_null(strstr(r.out, "secret"));
  sp_run_result_free(&r);
  run(&r, "wallet", "inspect", "--wallet-path", wallets, NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  cr_assert_not_null(strstr(r.out, hot));
  cr_assert_not_null(strstr(r.out, "NOT encrypted"));
  sp_run_result_free(&r);

  /* Hotkey by default, coldkey on request; each verifies by its address and
   * not by the other's. */
  const char *msg = "0x0102030405";
  for (int k = 0; k < 2; k++) {
    char sig[140];
    run(&r, "wallet", "sign", "--wallet-path", wallets, "--message", msg,
        k ? "--coldkey" : NULL, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_eq(strlen(r.out), 2 + 128 + 1, "%s", r.out);
    cr_assert_null(strstr(r.out, seed + 2));
    snprintf(sig, sizeof sig, "%.130s", r.out);
    sp_run_result_free(&r);
    run(&r, "wallet", "verify", "--address", k ? cold : hot, "--message", msg,
        "--signature", sig, NULL);
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    sp_run_result_free(&r);
    run(&r, "wallet", "verify", "--address", k ? hot : cold, "--message", msg,
        "--signature", sig, NULL);
    cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
    sp_run_result_free(&r);
    run(&r, "wallet", "verify", "--address", k ? cold : hot, "--message",
        "0x0102030406", "--signature", sig, NULL);
    cr_assert_eq(r.status, 1);
    cr_assert_not_null(strstr(r.out, "invalid"));
    sp_run_result_free(&r);
  }

  /* The default location is ~/.bittensor/wallets/default. */
  run(&r, "wallet", "create", "--no-password", NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  sp_run_result_free(&r);
  snprintf(path, sizeof path, "%s/.bittensor/wallets/default/hotkeys/default",
           tmp);
  cr_assert_eq(access(path, R_OK), 0);
  /* A second create has nothing to do. */
  run(&r, "wallet", "create", "--no-password", NULL);
  assert_one_line_error(&r, "already has");
  sp_run_result_free(&r);
  /* A new hotkey in an existing wallet: no password needed. */
  run(&r, "wallet", "create", "--wallet-hotkey", "second", NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  cr_assert_not_null(strstr(r.out, "kept the existing coldkey"));
  sp_run_result_free(&r);
}

/* The btwallet format of an encrypted coldkey, with the real Argon2i limits:
 * create (one derivation), sign with the right password from a file (one),
 * and a wrong password from the environment (one). */
Test(wallet_cli, encrypted_coldkey) {
  char pwfile[160], badpw[160];
  snprintf(pwfile, sizeof pwfile, "%s/pw", tmp);
  write_file(pwfile, "correct horse\n");
  sp_run_result r;
  /* No password and no terminal: refused before anything is written. */
  run(&r, "wallet", "create", "--wallet-path", wallets, NULL);
  assert_one_line_error(&r, "no password");
  sp_run_result_free(&r);
  snprintf(badpw, sizeof badpw, "%s/default/coldkey", wallets);
  cr_assert_neq(access(badpw, F_OK), 0);
  run(&r, "wallet", "create", "--wallet-path", wallets, "--password-file",
      pwfile, NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  cr_assert_not_null(strstr(r.out, "(encrypted)"));
  sp_run_result_free(&r);
  const char *cold = slurp(badpw);
  cr_assert(strncmp(cold, "$NACL", 5) == 0);
  cr_assert_null(strstr(cold, "secret"));

  run(&r, "wallet", "inspect", "--wallet-path", wallets, NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  cr_assert_not_null(strstr(r.out, "(encrypted)"));
  sp_run_result_free(&r);

  run(&r, "wallet", "sign", "--wallet-path", wallets, "--coldkey",
      "--password-file", pwfile, "--message", "0xabcd", NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  char sig[140], addr[64], path[200];
  snprintf(sig, sizeof sig, "%.130s", r.out);
  sp_run_result_free(&r);
  snprintf(path, sizeof path, "%s/default/coldkeypub.txt", wallets);
  json_field(slurp(path), "ss58Address", addr, sizeof addr);
  run(&r, "wallet", "verify", "--address", addr, "--message", "0xabcd",
      "--signature", sig, NULL);
  cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
  sp_run_result_free(&r);

  setenv("SUBPOW_WALLET_PASSWORD", "correct horse battery", 1);
  run(&r, "wallet", "sign", "--wallet-path", wallets, "--coldkey", "--message",
      "0xabcd", NULL);
  assert_one_line_error(&r, "wrong password");
  sp_run_result_free(&r);
  unsetenv("SUBPOW_WALLET_PASSWORD");
  /* No password source at all (and no terminal). */
  run(&r, "wallet", "sign", "--wallet-path", wallets, "--coldkey", "--message",
      "0xabcd", NULL);
  assert_one_line_error(&r, "is encrypted");
  sp_run_result_free(&r);
  /* A password file that does not exist. */
  run(&r, "wallet", "sign", "--wallet-path", wallets, "--coldkey",
      "--password-file", "/nonexistent/pw", "--message", "0xabcd", NULL);
  assert_one_line_error(&r, "/nonexistent/pw");
  cr_assert_not_null(strstr(r.err, "--password-file /nonexistent/pw: no such "
                                   "file"),
                     "%s", r.err);
  sp_run_result_free(&r);
  /* A directory and a FIFO as the password file: named as the password
   * file, with what is wrong with it; the FIFO does not block. */
  char fifo[160];
  snprintf(fifo, sizeof fifo, "%s/pw-fifo", tmp);
  cr_assert_eq(mkfifo(fifo, 0600), 0);
  const char *bad[] = {tmp, fifo};
  for (int i = 0; i < 2; i++) {
    run(&r, "wallet", "sign", "--wallet-path", wallets, "--coldkey",
        "--password-file", bad[i], "--message", "0xabcd", NULL);
    char want[256];
    snprintf(want, sizeof want, "--password-file %s: not a regular file",
             bad[i]);
    assert_one_line_error(&r, want);
    cr_assert_null(strstr(r.err, "file read or write failed"), "%s", r.err);
    sp_run_result_free(&r);
  }
}

/* Corrupt key files: each is one clear line and exit 2. */
Test(wallet_cli, corrupt_key_files) {
  create_plain_wallet("w");
  char hotkey[200];
  snprintf(hotkey, sizeof hotkey, "%s/w/hotkeys/default", wallets);
  char good[4096];
  snprintf(good, sizeof good, "%s", slurp(hotkey));
  static const struct {
    const char *content, *want;
  } v[] = {
      {"", "not a JSON object"},
      {"{\"secretPhrase\": \"bottom drive obey lake", "not a JSON object"},
      {"[1, 2]", "not a JSON object"},
      {"{\"secretSeed\": 5}", "field secretSeed"},
      {"{\"secretSeed\": \"0x1234\"}", "field secretSeed"},
      {"{\"secretSeed\": \"0xgg\"}", "field secretSeed"},
      {"{\"privateKey\": {\"a\": 1}}", "field privateKey"},
      {"{\"secretPhrase\": \"bottom drive obey lake curtain smoke basket hold "
       "race lonely fit\"}",
       "12, 15, 18, 21 or 24 words"},
      {"{\"secretPhrase\": \"drive bottom obey lake curtain smoke basket hold "
       "race lonely fit walk\"}",
       "checksum"},
      {"{\"secretPhrase\": \"bottom drive obey lake curtain smoke basket hold "
       "race lonely fit walkk\"}",
       "not in the BIP-39 list"},
      {"{\"secretSeed\": "
       "\"0xfac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e\","
       " "
       "\"ss58Address\": \"5DFJF7tY4bpbpcKPJcBTQaKuCDEPCpiz8TRjpmLeTtweqmXL\"}",
       "does not match"},
      {"{\"accountId\": \"0x00\"}", "field accountId"},
      {"{\"ss58Address\": "
       "\"5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV\"}",
       "no secretPhrase"},
      {"{}", "no secretPhrase"},
      {"$NACL0123456789abcdef", "truncated"},
      {"$ANSIBLE_VAULT;1.1;AES256\n616263\n", "not supported"},
  };
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
    write_file(hotkey, v[i].content);
    sp_run_result r;
    run(&r, "wallet", "sign", "--wallet-path", wallets, "--wallet-name", "w",
        "--message", "0x00", NULL);
    assert_one_line_error(&r, v[i].want);
    cr_assert_not_null(strstr(r.err, hotkey), "case %zu: %s", i, r.err);
    sp_run_result_free(&r);
  }
  /* A truncated coldkeypub.txt stops inspect the same way. */
  write_file(hotkey, good);
  char pub[200];
  snprintf(pub, sizeof pub, "%s/w/coldkeypub.txt", wallets);
  write_file(pub, "{\"ss58Address\": \"5DfhGyQd");
  sp_run_result r;
  run(&r, "wallet", "inspect", "--wallet-path", wallets, "--wallet-name", "w",
      NULL);
  assert_one_line_error(&r, "coldkeypub.txt");
  sp_run_result_free(&r);
}

Test(wallet_cli, loose_permissions_warn) {
  create_plain_wallet("w");
  char hotkey[200];
  snprintf(hotkey, sizeof hotkey, "%s/w/hotkeys/default", wallets);
  chmod(hotkey, 0644);
  sp_run_result r;
  run(&r, "wallet", "sign", "--wallet-path", wallets, "--wallet-name", "w",
      "--message", "0x00", NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  cr_assert_not_null(strstr(r.err, "warning"));
  cr_assert_not_null(strstr(r.err, "0644"));
  sp_run_result_free(&r);
  chmod(hotkey, 0600);
  run(&r, "wallet", "sign", "--wallet-path", wallets, "--wallet-name", "w",
      "--message", "0x00", NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  cr_assert_str_empty(r.err);
  sp_run_result_free(&r);
}

Test(wallet_cli, bad_arguments) {
  create_plain_wallet("w");
  const char *addr = "5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV";
  const char *sig =
      "0x"
      "00000000000000000000000000000000000000000000000000000000000000"
      "0000000000000000000000000000000000000000000000000000000000000000"
      "80";
  sp_run_result r;
  run(&r, "wallet", NULL);
  cr_assert_eq(r.status, 2);
  sp_run_result_free(&r);
  run(&r, "wallet", "frobnicate", NULL);
  assert_one_line_error(&r, "unknown subcommand");
  sp_run_result_free(&r);
  run(&r, "wallet", "sign", "--wallet-path", wallets, "--wallet-name", "w",
      NULL);
  assert_one_line_error(&r, "missing --message");
  sp_run_result_free(&r);
  run(&r, "wallet", "sign", "--wallet-path", wallets, "--wallet-name", "w",
      "--message", "0x123", NULL);
  assert_one_line_error(&r, "--message");
  sp_run_result_free(&r);
  run(&r, "wallet", "sign", "--wallet-path", wallets, "--wallet-name", "w",
      "--message", "hello", NULL);
  assert_one_line_error(&r, "not a hex digit");
  sp_run_result_free(&r);
  run(&r, "wallet", "sign", "--wallet-path", wallets, "--wallet-name", "nope",
      "--message", "0x00", NULL);
  assert_one_line_error(&r, "no such file");
  sp_run_result_free(&r);
  run(&r, "wallet", "sign", "--wallet-path", wallets, "--wallet-name", "../w",
      "--message", "0x00", NULL);
  assert_one_line_error(&r, "bad wallet location");
  sp_run_result_free(&r);
  run(&r, "wallet", "inspect", "--wallet-path", wallets, "--wallet-name",
      "nope", NULL);
  assert_one_line_error(&r, "no wallet");
  sp_run_result_free(&r);
  run(&r, "wallet", "inspect", "--bogus", NULL);
  assert_one_line_error(&r, "unknown option");
  sp_run_result_free(&r);
  run(&r, "wallet", "create", "--no-password", "--password-file", "x", NULL);
  assert_one_line_error(&r, "exclude");
  sp_run_result_free(&r);

  /* verify: a bad checksum, not base58, bad signature hex and size, a
   * missing flag, an unknown scheme. */
  run(&r, "wallet", "verify", "--address",
      "5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzW", "--message", "0x00",
      "--signature", sig, NULL);
  assert_one_line_error(&r, "checksum");
  sp_run_result_free(&r);
  run(&r, "wallet", "verify", "--address", "0x46ebddef", "--message", "0x00",
      "--signature", sig, NULL);
  assert_one_line_error(&r, "base58");
  sp_run_result_free(&r);
  run(&r, "wallet", "verify", "--address", addr, "--message", "0x00",
      "--signature", "0xzz", NULL);
  assert_one_line_error(&r, "--signature");
  sp_run_result_free(&r);
  run(&r, "wallet", "verify", "--address", addr, "--message", "0x00",
      "--signature", "0x00", NULL);
  assert_one_line_error(&r, "128 hex digits");
  sp_run_result_free(&r);
  run(&r, "wallet", "verify", "--address", addr, "--message", "0x00", NULL);
  assert_one_line_error(&r, "missing --signature");
  sp_run_result_free(&r);
  run(&r, "wallet", "verify", "--address", addr, "--message", "0x00",
      "--signature", sig, "--scheme", "ecdsa", NULL);
  assert_one_line_error(&r, "--scheme");
  sp_run_result_free(&r);
  /* Well-formed but wrong: exit 1, not 2. */
  run(&r, "wallet", "verify", "--address", addr, "--message", "0x00",
      "--signature", sig, NULL);
  cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
  sp_run_result_free(&r);
}
