/* The output rule of every command: results on stdout, status and progress
 * on stderr, --quiet silences the status, --json gives one JSON object on
 * stdout. Each command runs here with --quiet --json; stdout must parse as
 * exactly one JSON object and stderr must be empty. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regress/support/process.h"
#include "regress/support/run_command.h"
#include "regress/support/temp_wallet.h"

#define BAHH "0101010101010101010101010101010101010101010101010101010101010101"

static char dir[256], wallet[300];

static void setup(void) {
  sp_temp_wallet_make("output", dir, sizeof dir, wallet, sizeof wallet);
  char none[400];
  snprintf(none, sizeof none, "%s/no-config.yml", dir);
  setenv("BTCLI_CONFIG_PATH", none, 1);
}
static void teardown(void) { sp_temp_dir_remove(dir); }

TestSuite(output, .init = setup, .fini = teardown, .timeout = 300);

/* Runs bench with argv (NULL-terminated, "--quiet --json" added) and
 * returns stdout's one JSON object; fails the test otherwise. */
static json_t *run_json(int want_status, const char *const *args) {
  char *argv[40];
  int n = 0;
  argv[n++] = (char *)SUBPOW_BENCH;
  char label[400] = "";
  for (; *args != NULL && n < 36; args++) {
    argv[n++] = (char *)*args;
    strncat(label, *args, sizeof label - strlen(label) - 2);
    strncat(label, " ", sizeof label - strlen(label) - 1);
  }
  argv[n++] = "--quiet";
  argv[n++] = "--json";
  argv[n] = NULL;
  sp_run_result r;
  cr_assert_eq(sp_run(argv, NULL, &r), 0);
  cr_assert_eq(r.status, want_status, "%s: status %d: %s", label, r.status,
               r.err);
  /* --quiet leaves no status; a warning (a sweep on a busy machine) stays */
  for (const char *p = r.err; *p;) {
    size_t n = strcspn(p, "\n");
    cr_assert(memmem(p, n, " warning: ", 10) != NULL,
              "%s: --quiet leaves only warnings on stderr: %s", label, r.err);
    p += n + (p[n] == '\n');
  }
  cr_assert_eq(sp_count_lines(r.out), 1, "%s: one line: %s", label, r.out);
  json_error_t e;
  /* nonces and hashes are u64: beyond jansson's integers */
  json_t *j = json_loads(r.out, JSON_DECODE_INT_AS_REAL, &e);
  cr_assert_not_null(j, "%s: not JSON (%s): %s", label, e.text, r.out);
  cr_assert(json_is_object(j), "%s: %s", label, r.out);
  sp_run_result_free(&r);
  return j;
}

static const char *str(json_t *j, const char *key) {
  json_t *v = json_object_get(j, key);
  cr_assert(json_is_string(v), "%s is not a string", key);
  return json_string_value(v);
}

Test(output, every_command_quiet_and_json) {
  json_t *j;
  j = run_json(0, (const char *[]){"seal", "--block-and-hotkey-hash", BAHH,
                                   "--nonce", "1", NULL});
  cr_assert_eq(strlen(str(j, "seal")), 64);
  json_decref(j);
  j = run_json(
      0, (const char *[]){"check", "--seal", BAHH, "--difficulty", "1", NULL});
  cr_assert(json_is_true(json_object_get(j, "meets")));
  json_decref(j);
  j = run_json(0, (const char *[]){"solve", "--block-and-hotkey-hash", BAHH,
                                   "--difficulty", "1", "--start", "0",
                                   "--count", "10", NULL});
  cr_assert(json_is_array(json_object_get(j, "solutions")));
  json_decref(j);
  j = run_json(0, (const char *[]){"verify", "--backend", "reference",
                                   "--random-cases", "2", NULL});
  cr_assert_eq(json_number_value(json_object_get(j, "failed")), 0);
  /* the library's suite, then the reference backend's, each run */
  json_t *suites = json_object_get(j, "suites");
  cr_assert_eq(json_array_size(suites), 2);
  cr_assert_str_eq(str(json_array_get(suites, 1), "backend"), "reference");
  cr_assert_str_eq(str(json_array_get(suites, 1), "state"), "ran");
  cr_assert_eq(
      json_number_value(json_object_get(json_array_get(suites, 1), "failed")),
      0);
  json_decref(j);
  j = run_json(0, (const char *[]){"hashrate", "--backend", "reference",
                                   "--seconds", "0.1", NULL});
  cr_assert_str_eq(str(j, "backend"), "reference");
  /* the reference takes neither setting: neither is printed as 0 */
  cr_assert_null(json_object_get(j, "tpb"));
  cr_assert_null(json_object_get(j, "update_interval"));
  json_decref(j);
  j = run_json(0, (const char *[]){"mine", "--backend", "reference",
                                   "--block-and-hotkey-hash", BAHH,
                                   "--difficulty", "1", NULL});
  cr_assert_str_eq(str(j, "status"), "solved");
  cr_assert_eq(json_array_size(json_object_get(j, "solutions")), 1);
  json_decref(j);
  /* a time limit is its own status and exit status */
  j = run_json(124, (const char *[]){"mine", "--backend", "reference",
                                     "--block-and-hotkey-hash", BAHH,
                                     "--difficulty", "18446744073709551615",
                                     "--seconds", "0.1", NULL});
  cr_assert_str_eq(str(j, "status"), "time_limit");
  json_decref(j);
  j = run_json(0, (const char *[]){"sweep", "--dry-run", "--backend",
                                   "reference", "--threads-list", "1", NULL});
  cr_assert_eq(json_array_size(json_object_get(j, "points")), 1);
  json_decref(j);
  char out[400];
  snprintf(out, sizeof out, "%s/sweep", dir);
  j = run_json(0, (const char *[]){"sweep", "--backend", "reference",
                                   "--threads-list", "1", "--seconds", "0.05",
                                   "--warmup", "0", "--no-plot", "--out", out,
                                   NULL});
  cr_assert_eq(json_number_value(json_object_get(j, "points")), 1);
  json_decref(j);
}

Test(output, wallet_and_registration_quiet_and_json) {
  char fresh[400];
  snprintf(fresh, sizeof fresh, "%s/fresh", dir);
  json_t *j = run_json(0, (const char *[]){"wallet", "create", "--wallet-path",
                                           fresh, "--no-password", NULL});
  cr_assert(json_is_true(json_object_get(j, "hotkey_created")));
  json_decref(j);
  j = run_json(
      0, (const char *[]){"wallet", "inspect", "--wallet-path", wallet, NULL});
  json_decref(j);
  j = run_json(0, (const char *[]){"wallet", "sign", "--wallet-path", wallet,
                                   "--message", "00", NULL});
  char sig[140];
  snprintf(sig, sizeof sig, "%s", str(j, "signature"));
  json_decref(j);
  j = run_json(
      0, (const char *[]){"wallet", "inspect", "--wallet-path", wallet, NULL});
  char addr[80];
  snprintf(addr, sizeof addr, "%s",
           str(json_object_get(j, "hotkey"), "ss58Address"));
  json_decref(j);
  j = run_json(0,
               (const char *[]){"wallet", "verify", "--address", addr,
                                "--message", "00", "--signature", sig, NULL});
  cr_assert(json_is_true(json_object_get(j, "valid")));
  json_decref(j);
  j = run_json(0, (const char *[]){"register", "--wallet-path", wallet,
                                   "--backend", "cpu", NULL});
  cr_assert_str_eq(str(j, "status"), "registered");
  json_decref(j);
  j = run_json(0, (const char *[]){"faucet", "--wallet-path", wallet,
                                   "--backend", "cpu", NULL});
  cr_assert_str_eq(str(j, "status"), "paid");
  json_decref(j);
}

/* The mock node runs until a signal: its one line is {"url": ...}. */
Test(output, mock_node_quiet_and_json) {
  char port[16];
  snprintf(port, sizeof port, "%u", (unsigned)sp_free_port());
  char *argv[] = {SUBPOW_BENCH, "mock-node", "--port", port,
                  "--quiet",    "--json",    NULL};
  sp_proc p;
  cr_assert_eq(sp_proc_start(&p, argv, NULL), 0);
  cr_assert(sp_proc_wait_for(&p, "}\n", 60000), "%s", p.out);
  sp_proc_signal(&p, SIGINT);
  sp_proc_wait(&p, 60000);
  json_error_t e;
  json_t *j = json_loads(p.out, 0, &e);
  cr_assert_not_null(j, "%s: %s", e.text, p.out);
  cr_assert(strncmp(str(j, "url"), "http://", 7) == 0, "%s", p.out);
  json_decref(j);
  sp_proc_free(&p);
}

/* The phrases of a new wallet are never on stdout, stderr or in --json. */
Test(output, wallet_phrase_never_in_output) {
  char fresh[400], hot[500];
  snprintf(fresh, sizeof fresh, "%s/phrase", dir);
  sp_run_result r;
  sp_run_bench(&r, "wallet", "create", "--wallet-path", fresh, "--no-password",
               NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  snprintf(hot, sizeof hot, "%s/default/hotkeys/default", fresh);
  json_error_t e;
  json_t *k = json_load_file(hot, 0, &e);
  cr_assert_not_null(k, "%s", e.text);
  const char *phrase = json_string_value(json_object_get(k, "secretPhrase"));
  cr_assert_not_null(phrase);
  cr_assert_null(strstr(r.out, phrase), "%s", r.out);
  cr_assert_null(strstr(r.err, phrase), "%s", r.err);
  json_decref(k);
  sp_run_result_free(&r);
}
