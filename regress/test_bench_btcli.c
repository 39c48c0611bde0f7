/* btcli's habits: its flag spellings as aliases of ours, its config file
 * (~/.bittensor/config.yml or $BTCLI_CONFIG_PATH) as a source of defaults
 * with flags first, and the command line's consistency rules: did-you-mean
 * for commands, options and network names, a repeated option refused,
 * -h everywhere, and the program's own name in what it prints. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "regress/support/run_command.h"
#include "regress/support/temp_wallet.h"

static char dir[256], wallet[300];

static void setup(void) {
  sp_temp_wallet_make("btcli", dir, sizeof dir, wallet, sizeof wallet);
  /* no config of the machine's user may change these tests' defaults */
  char none[400];
  snprintf(none, sizeof none, "%s/no-config.yml", dir);
  setenv("BTCLI_CONFIG_PATH", none, 1);
}
static void teardown(void) {
  unsetenv("BTCLI_CONFIG_PATH");
  sp_temp_dir_remove(dir);
}

TestSuite(btcli, .init = setup, .fini = teardown);

static void write_config(const char *name, const char *text) {
  char path[400];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs(text, f);
  fclose(f);
  setenv("BTCLI_CONFIG_PATH", path, 1);
}

/* The first line of `s` (for comparing one-line outputs). */
static void expect_one_line_error(const sp_run_result *r, const char *needle) {
  cr_assert_eq(r->status, 2, "status %d: %s", r->status, r->err);
  cr_assert_eq(sp_count_lines(r->err), 1, "%s", r->err);
  cr_assert(strstr(r->err, needle) != NULL, "want '%s' in: %s", needle, r->err);
}

Test(btcli, wallet_flags_take_btcli_spellings) {
  sp_run_result ours, theirs;
  sp_run_bench(&ours, "wallet", "inspect", "--wallet-path", wallet,
               "--wallet-name", "default", "--wallet-hotkey", "default",
               "--json", NULL);
  cr_assert_eq(ours.status, 0, "%s", ours.err);
  const char *spellings[][6] = {
      {"--wallet.path", wallet, "--wallet.name", "default", "--wallet.hotkey",
       "default"},
      {"-p", wallet, "--name", "default", "--hotkey", "default"},
      {"--wallet_path", wallet, "--wallet_name", "default", "-H", "default"},
  };
  for (size_t i = 0; i < 3; i++) {
    const char *const *s = spellings[i];
    sp_run_bench(&theirs, "wallet", "inspect", s[0], s[1], s[2], s[3], s[4],
                 s[5], "--json", NULL);
    cr_assert_eq(theirs.status, 0, "%s: %s", s[0], theirs.err);
    cr_assert_str_eq(theirs.out, ours.out, "%s", s[0]);
    sp_run_result_free(&theirs);
  }
  /* --wallet.name=VALUE too */
  char eq[400];
  snprintf(eq, sizeof eq, "--wallet.path=%s", wallet);
  sp_run_bench(&theirs, "wallet", "inspect", eq, "--json", NULL);
  cr_assert_eq(theirs.status, 0, "%s", theirs.err);
  cr_assert_str_eq(theirs.out, ours.out);
  sp_run_result_free(&theirs);
  sp_run_result_free(&ours);
}

Test(btcli, network_and_backend_spellings_reach_our_options) {
  sp_run_result r;
  const char *net[] = {"--subtensor.network", "--chain",
                       "--subtensor.chain_endpoint"};
  for (int i = 0; i < 3; i++) {
    sp_run_bench(&r, "register", net[i], "finey", "-p", wallet, NULL);
    expect_one_line_error(&r, "did you mean 'finney'?");
    sp_run_result_free(&r);
  }
  /* -tbp and --threads-per-block are --tpb, which cpu does not take */
  sp_run_bench(&r, "hashrate", "--backend", "cpu", "-tbp", "64", NULL);
  expect_one_line_error(&r, "--tpb");
  sp_run_result_free(&r);
  sp_run_bench(&r, "hashrate", "--backend", "cpu", "--threads-per-block", "64",
               NULL);
  expect_one_line_error(&r, "--tpb");
  sp_run_result_free(&r);
  /* --processors N is --threads N */
  sp_run_bench(&r, "hashrate", "--backend", "cpu", "--processors", "1",
               "--seconds", "0.1", "--json", NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  cr_assert(strstr(r.out, "\"threads\": 1") != NULL, "%s", r.out);
  sp_run_result_free(&r);
  /* -u N is --update-interval N: 0 is refused by that option's rule */
  sp_run_bench(&r, "hashrate", "--backend", "cpu", "-u", "0", NULL);
  expect_one_line_error(&r, "--update-interval");
  sp_run_result_free(&r);
  /* --use-cuda / --cuda choose the cuda backend */
  sp_run_bench(&r, "hashrate", "--cuda", "--seconds", "0.1", "--json", NULL);
  if (r.status == 0)
    cr_assert(strstr(r.out, "\"backend\": \"cuda\"") != NULL, "%s", r.out);
  else
    cr_assert(strstr(r.err, "cuda") != NULL, "%s", r.err);
  sp_run_result_free(&r);
  /* seal's own --hotkey (hex) is not the wallet's */
  sp_run_bench(&r, "seal", "--hotkey", "zz", "--block-hash", "00", "--nonce",
               "1", NULL);
  expect_one_line_error(&r, "--hotkey");
  sp_run_result_free(&r);
}

Test(btcli, config_gives_defaults_and_flags_win) {
  char text[800];
  snprintf(text, sizeof text,
           "wallet_name: default\nwallet_path: %s\nwallet_hotkey: null\n"
           "network: finey\nuse_cache: true\nmetagraph_cols:\n  UID: true\n",
           wallet);
  write_config("config.yml", text);
  sp_run_result cfg, flags;
  sp_run_bench(&cfg, "wallet", "inspect", "--json", NULL);
  cr_assert_eq(cfg.status, 0, "%s", cfg.err);
  sp_run_bench(&flags, "wallet", "inspect", "--wallet-path", wallet, "--json",
               NULL);
  cr_assert_str_eq(cfg.out, flags.out);
  sp_run_result_free(&cfg);
  sp_run_result_free(&flags);
  /* the network comes from the file, and --verbose says where each value
   * came from */
  sp_run_bench(&cfg, "register", "--verbose", NULL);
  cr_assert_eq(cfg.status, 2);
  cr_assert(strstr(cfg.err, "wallet path") &&
                strstr(cfg.err, "from btcli config"),
            "%s", cfg.err);
  cr_assert(strstr(cfg.err, "wallet hotkey 'default' (default)"), "%s",
            cfg.err);
  cr_assert(strstr(cfg.err, "network 'finey' (from btcli config"), "%s",
            cfg.err);
  cr_assert(strstr(cfg.err, "did you mean 'finney'"), "%s", cfg.err);
  sp_run_result_free(&cfg);
  /* a flag wins over the file */
  sp_run_bench(&cfg, "register", "--network", "test2", "--verbose", NULL);
  cr_assert(strstr(cfg.err, "network 'test2' (from --network)"), "%s", cfg.err);
  sp_run_result_free(&cfg);
}

Test(btcli, garbage_config_is_one_clear_line) {
  static const char *const bad[] = {
      "{{{ ::: \x01",                  /* not YAML */
      "- a\n- b\n",                    /* not a mapping */
      "wallet_name: [a, b]\n",         /* not a string */
      "network: {x: 1}\n",             /* not a string */
      "wallet_path: \"unterminated\n", /* not YAML */
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    write_config("bad.yml", bad[i]);
    sp_run_result r;
    sp_run_bench(&r, "wallet", "inspect", NULL);
    expect_one_line_error(&r, "bad.yml");
    sp_run_result_free(&r);
  }
  /* larger than 1 MiB */
  char path[400];
  snprintf(path, sizeof path, "%s/big.yml", dir);
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  for (int i = 0; i < (1 << 16) + 1; i++)
    fputs("# padding padding\n", f);
  fclose(f);
  setenv("BTCLI_CONFIG_PATH", path, 1);
  sp_run_result r;
  sp_run_bench(&r, "wallet", "inspect", NULL);
  expect_one_line_error(&r, "larger than 1 MiB");
  sp_run_result_free(&r);
}

Test(btcli, missing_wallet_hints_at_wallet_create) {
  char empty[400];
  snprintf(empty, sizeof empty, "%s/none", dir);
  sp_run_result r;
  sp_run_bench(&r, "register", "--wallet-path", empty, NULL);
  expect_one_line_error(&r, "coldkeypub.txt: no such file");
  cr_assert(strstr(r.err, "wallet create") != NULL, "%s", r.err);
  sp_run_result_free(&r);
}

Test(btcli, did_you_mean_and_repeated_options) {
  sp_run_result r;
  sp_run_bench(&r, "sael", NULL);
  expect_one_line_error(&r, "did you mean 'seal'?");
  sp_run_result_free(&r);
  sp_run_bench(&r, "solve", "--treads", "2", NULL);
  expect_one_line_error(&r, "did you mean '--threads'?");
  sp_run_result_free(&r);
  sp_run_bench(&r, "register", "--network", "finey", NULL);
  expect_one_line_error(&r, "did you mean 'finney'?");
  cr_assert(strstr(r.err, "mock") != NULL, "the list names mock: %s", r.err);
  sp_run_result_free(&r);
  sp_run_bench(&r, "check", "--difficulty", "1", "--difficulty", "2", NULL);
  expect_one_line_error(&r, "'--difficulty' given twice");
  sp_run_result_free(&r);
  /* an alias and its option are one option */
  sp_run_bench(&r, "wallet", "inspect", "-p", wallet, "--wallet-path", wallet,
               NULL);
  expect_one_line_error(&r, "'--wallet-path' given twice");
  sp_run_result_free(&r);
  static const char *const cmds[] = {
      "seal", "check", "solve",    "verify", "hashrate",
      "mine", "sweep", "register", "faucet", "mock-node"};
  for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
    sp_run_bench(&r, cmds[i], "-h", NULL);
    cr_assert_eq(r.status, 0, "%s -h: %s", cmds[i], r.err);
    cr_assert(strncmp(r.out, "usage: bench ", 13) == 0, "%s -h: %s", cmds[i],
              r.out);
    sp_run_result_free(&r);
  }
}

Test(btcli, messages_use_the_name_the_program_was_run_as) {
  char link[400];
  snprintf(link, sizeof link, "%s/subpow", dir);
  cr_assert_eq(symlink(SUBPOW_BENCH, link), 0);
  sp_run_result r;
  char *argv1[] = {link, "sael", NULL};
  sp_run(argv1, NULL, &r);
  cr_assert(strncmp(r.err, "subpow: unknown subcommand", 26) == 0, "%s", r.err);
  sp_run_result_free(&r);
  char *argv2[] = {link, "seal", "--help", NULL};
  sp_run(argv2, NULL, &r);
  cr_assert(strncmp(r.out, "usage: subpow seal", 18) == 0, "%s", r.out);
  cr_assert(strstr(r.out, "bench ") == NULL, "%s", r.out);
  sp_run_result_free(&r);
  char *argv3[] = {link, "solve", "--bogus", NULL};
  sp_run(argv3, NULL, &r);
  cr_assert(strncmp(r.err, "subpow solve: unknown option", 28) == 0, "%s",
            r.err);
  cr_assert(strstr(r.err, "see subpow solve --help") != NULL, "%s", r.err);
  sp_run_result_free(&r);
  char *argv4[] = {link,        "sweep",          "--dry-run", "--backend",
                   "reference", "--threads-list", "1",         NULL};
  sp_run(argv4, NULL, &r);
  cr_assert_eq(r.status, 0, "%s", r.err);
  cr_assert(strstr(r.out, "subpow ") != NULL && strstr(r.out, "bench ") == NULL,
            "the reproduction commands: %s", r.out);
  sp_run_result_free(&r);
}
