/* bench register and bench faucet end to end against the mock node (started
 * in-process on a free port): every runtime profile, the pallet's errors
 * reported by name, stale work, faults on the wire, signals and bad input. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "chain/mock/mock_node.h"
#include "regress/support/mock_register.h"
#include "regress/support/process.h"
#include "regress/support/run_command.h"
#include "regress/support/temp_wallet.h"

static char *const wallet = sp_suite_wallet;

TestSuite(register_cmd, .init = sp_suite_wallet_make,
          .fini = sp_suite_wallet_remove, .timeout = 120);

static sp_mock_node *node(uint32_t runtime, bool faucet, uint64_t difficulty,
                          unsigned block_ms, char *url) {
  sp_mock_config c;
  sp_test_mock_config(&c, block_ms);
  c.runtime = runtime;
  c.faucet = faucet;
  sp_mock_config_subnet(&c, 1, true, difficulty);
  sp_mock_config_subnet(&c, 3, false, difficulty);
  return sp_test_mock_start(&c, false, url);
}

/* bench register/faucet with the test wallet and the reference backend. */
static void run(sp_run_result *r, const char *sub, const char *url,
                const char *a1, const char *a2, const char *a3,
                const char *a4) {
  sp_run_register(r, sub, wallet, url,
                  (const char *const[]){a1, a2, a3, a4, NULL});
}

Test(register_cmd, registers_then_reports_already_registered) {
  char url[64];
  sp_mock_node *n = node(343, false, 5000, 300, url);
  sp_run_result r;
  run(&r, "register", url, "--json", NULL, NULL, NULL);
  cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
  cr_assert_not_null(strstr(r.out, "\"status\": \"registered\""), "%s", r.out);
  cr_assert_not_null(strstr(r.out, "\"uid\": 0"), "%s", r.out);
  cr_assert_not_null(strstr(r.out, "\"rule\": \"chain-le\""), "%s", r.out);
  static const char *keys[] = {"\"hotkey\": \"5",
                               "\"netuid\": 1",
                               "\"block_number\": ",
                               "\"nonce\": ",
                               "\"seal\": \"",
                               "\"attempts\": 1",
                               "\"hashes_per_second\": ",
                               "\"seconds\": "};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    cr_assert_not_null(strstr(r.out, keys[i]), "%s missing in %s", keys[i],
                       r.out);
  uint8_t hk[32];
  sp_wallet_hotkey(wallet, hk);
  uint16_t uid = 9;
  cr_assert_eq(sp_mock_uid(n, 1, hk, &uid), 0);
  cr_assert_eq(uid, 0);
  sp_run_result_free(&r);
  run(&r, "register", url, NULL, NULL, NULL, NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  cr_assert_not_null(strstr(r.out, "already registered on subnet 1: uid 0"),
                     "%s", r.out);
  sp_run_result_free(&r);
  /* the journal holds the solution, found then included */
  char path[128], line[1024];
  snprintf(path, sizeof path, "%s/default/subpow-journal.jsonl", wallet);
  FILE *f = fopen(path, "r");
  cr_assert_not_null(f);
  bool found = false, included = false;
  while (fgets(line, sizeof line, f)) {
    found |= strstr(line, "\"event\":\"found\"") != NULL;
    included |= strstr(line, "\"event\":\"included\"") != NULL;
  }
  fclose(f);
  cr_assert(found && included);
  sp_mock_stop(n);
}

Test(register_cmd, runtime_282_and_new_blocks_during_the_solve) {
  char url[64];
  /* ~0.2 s of reference hashing per solution, 50 ms blocks: the work is
   * republished several times before a solution */
  sp_mock_node *n = node(282, false, 200000, 50, url);
  sp_run_result r;
  run(&r, "register", url, "--json", "--max-attempts", "20", NULL);
  cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
  cr_assert_not_null(strstr(r.out, "\"rule\": \"chain-be\""), "%s", r.out);
  sp_run_result_free(&r);
  sp_mock_stop(n);
}

Test(register_cmd, refusals_by_name) {
  char url[64];
  sp_mock_node *n = node(343, false, 5000, 300, url);
  sp_run_result r;
  run(&r, "register", url, "--netuid", "7", NULL, NULL);
  cr_assert_eq(r.status, 1, "%s", r.err);
  cr_assert_not_null(strstr(r.err, "subnet 7 does not exist"), "%s", r.err);
  sp_run_result_free(&r);
  run(&r, "register", url, "--netuid", "3", NULL, NULL);
  cr_assert_eq(r.status, 1, "%s", r.err);
  cr_assert_not_null(strstr(r.err, "PoW registration is disabled on subnet 3"),
                     "%s", r.err);
  sp_run_result_free(&r);
  /* the SDK's big-endian rule on a chain-le chain: the chain says
   * InvalidDifficulty, by name and with its docs */
  run(&r, "register", url, "--rule", "sdk", "--max-attempts", "1");
  cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
  cr_assert_not_null(strstr(r.err, "SubtensorModule.InvalidDifficulty"), "%s",
                     r.err);
  sp_run_result_free(&r);
  run(&r, "faucet", url, NULL, NULL, NULL, NULL);
  cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
  cr_assert_not_null(strstr(r.err, "FaucetDisabled"), "%s", r.err);
  sp_run_result_free(&r);
  sp_mock_stop(n);
}

Test(register_cmd, faucet_pays_the_coldkey) {
  char url[64];
  sp_mock_node *n = node(343, true, 5000, 300, url);
  sp_run_result r;
  run(&r, "faucet", url, "--json", NULL, NULL, NULL);
  cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
  cr_assert_not_null(strstr(r.out, "\"faucet_rao\": 1000000000000"), "%s",
                     r.out);
  sp_run_result_free(&r);
  sp_mock_stop(n);
}

Test(register_cmd, runtime_397_needs_burned_and_the_coldkey_pays) {
  char url[64];
  sp_mock_node *n = node(397, false, 5000, 300, url);
  sp_run_result r;
  run(&r, "register", url, NULL, NULL, NULL, NULL);
  cr_assert_eq(r.status, 1, "%s", r.err);
  cr_assert_not_null(strstr(r.err, "--burned"), "%s", r.err);
  cr_assert_not_null(strstr(r.err, "397"), "%s", r.err);
  sp_run_result_free(&r);
  run(&r, "register", url, "--burned", NULL, NULL, NULL);
  cr_assert_eq(r.status, 1, "%s", r.err);
  cr_assert_not_null(strstr(r.err, "NotEnoughBalanceToStake"), "%s", r.err);
  sp_run_result_free(&r);
  sp_mock_stop(n);
}

Test(register_cmd, registers_through_faults_on_the_wire) {
  char url[64];
  /* 1 s blocks: with faults every answer may take a few retries, and a
   * submission must still land within the chain's 3-block window. */
  sp_mock_node *n = node(343, false, 5000, 1000, url);
  sp_rpc_faults f = {.latency_ms = 20,
                     .drop_per_mille = 60,
                     .http500_per_mille = 80,
                     .malformed_per_mille = 60};
  sp_mock_set_faults(n, &f);
  sp_run_result r;
  run(&r, "register", url, "--json", "--max-attempts", "5", NULL);
  cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
  uint8_t hk[32];
  sp_wallet_hotkey(wallet, hk);
  uint16_t uid;
  cr_assert_eq(sp_mock_uid(n, 1, hk, &uid), 0);
  sp_run_result_free(&r);
  sp_mock_stop(n);
}

Test(register_cmd, sigint_stops_with_statistics_and_status_130) {
  char url[64];
  sp_mock_node *n = node(343, false, 1000000000000ull, 300, url);
  char *argv[] = {(char *)SUBPOW_BENCH,
                  "register",
                  "--wallet-path",
                  wallet,
                  "--network",
                  url,
                  "--backend",
                  "reference",
                  "--no-output-in-place",
                  NULL};
  sp_proc p;
  cr_assert_eq(sp_proc_start(&p, argv, NULL), 0);
  /* while it solves (a status line), not after a guessed sleep */
  cr_assert(sp_proc_wait_for(&p, "solving: time", 60000), "%s", p.out);
  sp_proc_signal(&p, SIGINT);
  int st = sp_proc_wait(&p, 60000);
  cr_assert_eq(st, 130, "%s", p.out);
  cr_assert_not_null(strstr(p.out, "rate"), "%s", p.out);
  cr_assert_not_null(strstr(p.out, "stopped by signal 2"), "%s", p.out);
  sp_proc_free(&p);
  sp_mock_stop(n);
}

Test(register_cmd, bad_input_exits_2) {
  sp_run_result r;
  run(&r, "register", "http://127.0.0.1:1", NULL, NULL, NULL, NULL);
  cr_assert_eq(r.status, 2, "%s", r.err);
  cr_assert_not_null(strstr(r.err, "cannot talk to the node"), "%s", r.err);
  sp_run_result_free(&r);
  const char *bad[][3] = {
      {"--netuid", "70000", NULL},     {"--max-attempts", "0", NULL},
      {"--rule", "chain", NULL},       {"--poll-ms", "1", NULL},
      {"--seconds", "x", NULL},        {"--backend", "abacus", NULL},
      {"--wallet-name", "../x", NULL}, {"--wallet-hotkey", "missing", NULL}};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    run(&r, "register", "mock", bad[i][0], bad[i][1], NULL, NULL);
    cr_assert_eq(r.status, 2, "%s %s: %s", bad[i][0], bad[i][1], r.err);
    cr_assert_eq(sp_count_lines(r.err), 1, "%s %s: %s", bad[i][0], bad[i][1],
                 r.err);
    sp_run_result_free(&r);
  }
  run(&r, "faucet", "mock", "--netuid", "1", NULL, NULL);
  cr_assert_eq(r.status, 2);
  sp_run_result_free(&r);
}

/* The journal is checked before solving: a missing directory, a directory
 * or an unwritable file stops the run with exit 2 and the path in the one
 * line, and nothing is submitted. */
Test(register_cmd, unwritable_journal_exits_2_before_solving) {
  char url[64];
  sp_mock_node *n = node(343, false, 1000, 300, url);
  char file[128], dir[128];
  snprintf(dir, sizeof dir, "%s/jdir", wallet);
  cr_assert_eq(mkdir(dir, 0700), 0);
  snprintf(file, sizeof file, "%s/readonly.jsonl", wallet);
  FILE *f = fopen(file, "w");
  cr_assert_not_null(f);
  fclose(f);
  cr_assert_eq(chmod(file, 0400), 0);
  /* root may write a 0400 file: that case is then left out */
  bool check_readonly = geteuid() != 0;
  /* a symbolic link (to a file it would have appended to), and /proc,
   * which exists but makes no files ("its directory does not exist" was
   * the message) */
  char link[128], target[128];
  snprintf(target, sizeof target, "%s/target.txt", wallet);
  snprintf(link, sizeof link, "%s/link.jsonl", wallet);
  f = fopen(target, "w");
  cr_assert_not_null(f);
  fclose(f);
  cr_assert_eq(symlink(target, link), 0);
  const char *paths[] = {"/nonexistent-subpow-dir/journal.jsonl", dir, file,
                         link, "/proc/subpow-journal"};
  const char *why[] = {"directory does not exist", "is a directory",
                       "no permission", "symbolic link", "makes no new files"};
  for (int i = 0; i < 5; i++) {
    if (i == 2 && !check_readonly) continue;
    uint64_t before = sp_mock_requests(n);
    sp_run_result r;
    run(&r, "register", url, "--journal", paths[i], NULL, NULL);
    cr_assert_eq(r.status, 2, "%s: %s", paths[i], r.err);
    cr_assert_eq(sp_count_lines(r.err), 1, "%s: %s", paths[i], r.err);
    cr_assert_not_null(strstr(r.err, paths[i]), "%s", r.err);
    cr_assert_not_null(strstr(r.err, why[i]), "%s", r.err);
    cr_assert_eq(sp_mock_requests(n), before,
                 "the node was asked before the journal was checked");
    sp_run_result_free(&r);
  }
  struct stat st;
  cr_assert_eq(stat(target, &st), 0);
  cr_assert_eq(st.st_size, 0, "written through the link");
  sp_mock_stop(n);
}
