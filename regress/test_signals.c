/*
 * Signals during bench register: SIGTERM and SIGINT while solving stop
 * every worker, print the statistics so far and exit 128 + the signal
 * (143, 130); a signal while a submitted solution is being watched stops
 * the watch, journals the solution as "unknown" (the node may have it) and
 * says so, and the chain shows that the caution was right.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chain/keys/ss58.h"
#include "chain/mock/mock_node.h"
#include "regress/support/process.h"
#include "regress/support/run_command.h"
#include "regress/support/temp_wallet.h"

static char dir[64], wallet[128];

static void setup(void) {
  sp_temp_wallet_make("signals", dir, sizeof dir, wallet, sizeof wallet);
}

static void teardown(void) { sp_temp_dir_remove(dir); }

TestSuite(signals, .init = setup, .fini = teardown, .timeout = 90);

static sp_mock_node *node(uint64_t difficulty, bool stalled, char url[64]) {
  sp_mock_config c;
  sp_mock_config_default(&c);
  c.port = 0;
  c.block_time_ms = 300;
  c.stall_blocks = stalled;
  sp_mock_config_subnet(&c, 1, true, difficulty);
  sp_error_record err = {0};
  sp_mock_node *n = sp_mock_start(&c, &err);
  cr_assert_not_null(n, "%s", err.message);
  sp_mock_url(n, url, 64);
  return n;
}

static void start_register(sp_proc *p, const char *url, const char *journal,
                           bool json) {
  char *argv[] = {(char *)SUBPOW_BENCH,
                  "register",
                  "--wallet-path",
                  wallet,
                  "--network",
                  (char *)url,
                  "--backend",
                  "reference",
                  "--poll-ms",
                  "50",
                  "--no-output-in-place",
                  "--journal",
                  (char *)journal,
                  json ? "--json" : NULL,
                  NULL};
  cr_assert_eq(sp_proc_start(p, argv, NULL), 0);
}

/* A signal while solving: every worker stops (no "did not stop" warning,
 * exit within seconds), the statistics so far are printed, status 128+sig. */
static void signal_while_solving(int sig, bool json) {
  char url[64], journal[160];
  sp_mock_node *n = node(1000000000000ull, false, url);
  snprintf(journal, sizeof journal, "%s/j%d", dir, sig);
  sp_proc p;
  start_register(&p, url, journal, json);
  cr_assert(sp_proc_wait_for(&p, "solving: time", 20000), "%s", p.out);
  sp_proc_wait_for(&p, "never printed", 700); /* a few status updates */
  sp_proc_signal(&p, sig);
  int st = sp_proc_wait(&p, 10000);
  cr_expect_eq(st, 128 + sig, "status %d: %s", st, p.out);
  char stopped[64];
  snprintf(stopped, sizeof stopped, "stopped by signal %d", sig);
  cr_expect_not_null(strstr(p.out, stopped), "%s", p.out);
  cr_expect_not_null(strstr(p.out, "rate"), "no statistics: %s", p.out);
  cr_expect_null(strstr(p.out, "did not stop"), "%s", p.out);
  if (json)
    cr_expect_not_null(strstr(p.out, "\"status\": \"signal\""), "%s", p.out);
  /* nothing was found, so nothing was journaled (the journal may exist:
   * registration checks that it can be written before solving) */
  struct stat jst;
  cr_expect(stat(journal, &jst) != 0 || jst.st_size == 0,
            "a journal without a solution");
  sp_proc_free(&p);
  sp_mock_stop(n);
}

Test(signals, sigterm_while_solving_exits_143_with_statistics) {
  signal_while_solving(SIGTERM, false);
}

Test(signals, sigint_while_solving_with_json_exits_130) {
  signal_while_solving(SIGINT, true);
}

static size_t count(const char *text, const char *needle) {
  size_t n = 0;
  for (const char *p = text; (p = strstr(p, needle)) != NULL; p++)
    n++;
  return n;
}

/* A signal while the submitted solution is watched: the watch stops, the
 * outcome is reported and journaled as unknown, and the node did have it. */
Test(signals, sigterm_during_submission_reports_unknown) {
  char url[64], journal[160];
  /* stalled: the solution of block 0 is submitted and then waits for a
   * block that only this test produces */
  sp_mock_node *n = node(2000, true, url);
  snprintf(journal, sizeof journal, "%s/jsub", dir);
  sp_proc p;
  start_register(&p, url, journal, false);
  cr_assert(sp_proc_wait_for(&p, "attempt 1: submitting", 20000), "%s", p.out);
  sp_proc_wait_for(&p, "never printed", 500); /* into the watch */
  sp_proc_signal(&p, SIGTERM);
  int st = sp_proc_wait(&p, 10000);
  cr_expect_eq(st, 143, "status %d: %s", st, p.out);
  cr_expect_not_null(strstr(p.out, "outcome unknown"), "%s", p.out);
  cr_expect_not_null(strstr(p.out, "stopped by signal 15"), "%s", p.out);

  FILE *f = fopen(journal, "r");
  cr_assert_not_null(f, "no journal");
  char text[8192] = "";
  size_t len = fread(text, 1, sizeof text - 1, f);
  text[len] = '\0';
  fclose(f);
  cr_expect_eq(count(text, "\"event\":\"found\""), 1, "%s", text);
  cr_expect_eq(count(text, "\"event\":\"unknown\""), 1, "%s", text);
  /* the same seal in every line */
  const char *s1 = strstr(text, "\"seal\":\"");
  cr_assert_not_null(s1);
  char seal[80];
  snprintf(seal, sizeof seal, "%.72s", s1);
  cr_expect_eq(count(text, seal), 3, "%s", text); /* found, sending, unknown */
  cr_expect_eq(count(text, "\"event\":\"sending\""), 1, "%s", text);

  /* it was in the pool: the next block registers the hotkey */
  sp_mock_produce_block(n);
  sp_run_result r;
  sp_run_bench(&r, "wallet", "inspect", "--wallet-path", wallet, "--json",
               NULL);
  const char *hk = strstr(r.out, "\"hotkey\"");
  cr_assert_not_null(hk, "%s", r.out);
  const char *ss = strstr(hk, "\"ss58");
  cr_assert_not_null(ss, "%s", r.out);
  ss = strchr(strchr(ss + 5, ':'), '"') + 1;
  char ss58[64] = "";
  for (size_t i = 0; ss[i] != '"' && i < sizeof ss58 - 1; i++)
    ss58[i] = ss[i];
  uint8_t pub[32];
  cr_assert_eq(sp_ss58_decode(ss58, pub, NULL), 0, "%s", ss58);
  uint16_t uid = 9;
  cr_expect_eq(sp_mock_uid(n, 1, pub, &uid), 0,
               "the extrinsic was not in the pool");
  sp_run_result_free(&r);
  sp_proc_free(&p);
  sp_mock_stop(n);
}
