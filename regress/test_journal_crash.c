/*
 * The journal's crash matrix: `bench register` over WebSocket killed with
 * SIGKILL right after it journals `found`, `sending`, `watch_ready` or
 * `watch_inBlock` (SUBPOW_CRASH_AFTER_JOURNAL, the flow's crash point),
 * then run again by the same URL and by another URL of the same chain
 * (http://localhost:PORT: another transport and host name, the same node).
 * Every found solution must end included once, or, when the crash came
 * before it ever left the process (`sending`), looked for through its
 * window and resolved; none is submitted twice and the hotkey gets one
 * registration.
 *
 * Blocks come only when the test makes them: whenever the node's pool
 * holds an extrinsic, and, once the rerun says it is looking a solution up,
 * the blocks of that solution's window. No step waits on the wall clock.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chain/client/client.h"
#include "chain/keys/ss58.h"
#include "chain/mock/mock_node.h"
#include "regress/support/process.h"
#include "regress/support/run_command.h"
#include "regress/support/temp_wallet.h"

static char dir[64], wallet[128];
static uint8_t hotkey[32];

static void setup(void) {
  sp_temp_wallet_make("crash", dir, sizeof dir, wallet, sizeof wallet);
  sp_run_result r;
  sp_run_bench(&r, "wallet", "inspect", "--wallet-path", wallet, "--json",
               NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  const char *p = strstr(r.out, "\"hotkey\"");
  cr_assert_not_null(p);
  p = strstr(p, "\"ss58");
  cr_assert_not_null(p);
  p = strchr(strchr(p + 5, ':'), '"') + 1;
  char ss58[64] = "";
  size_t i = 0;
  while (p[i] != '"' && i < sizeof ss58 - 1)
    ss58[i] = p[i], i++;
  cr_assert_eq(sp_ss58_decode(ss58, hotkey, NULL), 0, "%s", ss58);
  sp_run_result_free(&r);
}

static void teardown(void) { sp_temp_dir_remove(dir); }

TestSuite(journal_crash, .init = setup, .fini = teardown, .timeout = 300);

static void start(sp_proc *p, const char *url, const char *journal,
                  const char *crash_after) {
  char env_crash[96];
  snprintf(env_crash, sizeof env_crash, "SUBPOW_CRASH_AFTER_JOURNAL=%s",
           crash_after ? crash_after : "");
  char *env[] = {env_crash, NULL};
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
                  "--max-attempts",
                  "3",
                  "--journal",
                  (char *)journal,
                  NULL};
  cr_assert_eq(sp_proc_start(p, argv, crash_after ? env : NULL), 0);
}

/* Runs the process to its end, making a block whenever the pool holds an
 * extrinsic, and the blocks of a solution's window once the run says it is
 * looking one up. Returns the exit status. */
static int drive(sp_proc *p, sp_mock_node *n) {
  size_t advanced = 0;
  for (int i = 0; i < 4000 && p->fd >= 0; i++) {
    sp_proc_wait_for(p, "\x01", 20); /* reads what came; never matches */
    size_t looking = 0;
    for (const char *q = p->out; (q = strstr(q, "looking for extrinsic")); q++)
      looking++;
    for (; advanced < looking; advanced++)
      for (int b = 0; b < 4; b++)
        sp_mock_produce_block(n);
    if (sp_mock_pool_size(n) > 0) sp_mock_produce_block(n);
  }
  return sp_proc_wait(p, 60000);
}

/* The extrinsics in every block of the chain. */
static int extrinsics_on_chain(const char *url) {
  sp_chain_client *c;
  sp_chain_error e = {0};
  cr_assert_eq(sp_chain_client_open(&c, url, NULL, &e), 0, "%s", e.message);
  uint64_t best = 0;
  cr_assert_eq(sp_chain_best_block(c, &best, NULL, &e), 0, "%s", e.message);
  int total = 0;
  for (uint64_t b = 1; b <= best; b++) {
    uint8_t h[32];
    cr_assert_eq(sp_chain_block_hash(c, b, h, &e), 0, "%s", e.message);
    char hex[67] = "0x";
    for (int i = 0; i < 32; i++)
      snprintf(hex + 2 + 2 * i, 3, "%02x", h[i]);
    json_t *res = NULL;
    cr_assert_eq(sp_rpc_call(c->rpc, "chain_getBlock", json_pack("[s]", hex),
                             SP_RPC_OBJECT, &res, &e),
                 0, "%s", e.message);
    total += (int)json_array_size(
        json_object_get(json_object_get(res, "block"), "extrinsics"));
    json_decref(res);
  }
  sp_chain_client_close(c);
  return total;
}

typedef struct seal_story {
  char seal[65];
  int sending, included, expired, found;
} seal_story;

/* The journal per seal, in order of first appearance. */
static size_t stories(const char *journal, seal_story *s, size_t cap, char *all,
                      size_t all_cap) {
  FILE *f = fopen(journal, "r");
  cr_assert_not_null(f, "no journal %s", journal);
  char line[8192];
  size_t n = 0, len = 0;
  all[0] = '\0';
  while (fgets(line, sizeof line, f)) {
    json_t *o = json_loads(line, 0, NULL);
    cr_assert_not_null(o, "journal line is not JSON: %s", line);
    const char *seal = json_string_value(json_object_get(o, "seal"));
    const char *ev = json_string_value(json_object_get(o, "event"));
    cr_assert(seal && ev, "%s", line);
    cr_expect(json_is_string(json_object_get(o, "genesis")), "%s", line);
    size_t i = 0;
    while (i < n && strcmp(s[i].seal, seal) != 0)
      i++;
    if (i == n) {
      cr_assert_lt(n, cap);
      memset(&s[n], 0, sizeof s[n]);
      snprintf(s[n].seal, sizeof s[n].seal, "%s", seal);
      n++;
    }
    s[i].sending += strcmp(ev, "sending") == 0;
    s[i].included += strcmp(ev, "included") == 0;
    s[i].expired += strcmp(ev, "expired") == 0;
    s[i].found += strcmp(ev, "found") == 0;
    len += (size_t)snprintf(all + len, all_cap - len, "%s%.6s:%s",
                            len ? " " : "", seal, ev);
    if (len >= all_cap) len = all_cap - 1;
    json_decref(o);
  }
  fclose(f);
  return n;
}

static void crash_then_rerun(const char *point, bool other_url) {
  sp_mock_config mc;
  sp_mock_config_default(&mc);
  mc.port = 0;
  mc.stall_blocks = true; /* blocks only when the test makes them */
  mc.n_subnets = 0;
  sp_mock_config_subnet(&mc, 1, true, 1000);
  sp_error_record err = {0};
  sp_mock_node *n = sp_mock_start(&mc, &err);
  cr_assert_not_null(n, "%s", err.message);
  char ws[96], http[96], journal[160];
  sp_mock_ws_url(n, ws, sizeof ws);
  snprintf(http, sizeof http, "http://localhost:%u", sp_mock_port(n));
  snprintf(journal, sizeof journal, "%s/journal-%s-%d.jsonl", dir, point,
           other_url);

  sp_proc first;
  start(&first, ws, journal, point);
  int st = drive(&first, n);
  cr_assert_eq(st, 128 + SIGKILL, "%s: the first run was not killed (%d)\n%s",
               point, st, first.out);

  sp_proc again;
  start(&again, other_url ? http : ws, journal, NULL);
  st = drive(&again, n);
  cr_assert_eq(st, 0, "%s, rerun by %s: exit %d\n%s\n--- first run:\n%s", point,
               other_url ? http : ws, st, again.out, first.out);
  uint16_t uid;
  cr_expect_eq(sp_mock_uid(n, 1, hotkey, &uid), 0, "not registered");

  seal_story s[16];
  char all[8192];
  size_t k = stories(journal, s, 16, all, sizeof all);
  cr_assert_geq(k, 1);
  int included = 0;
  for (size_t i = 0; i < k; i++) {
    cr_expect_leq(s[i].sending, 1, "%s: seal %.8s sent twice: %s", point,
                  s[i].seal, all);
    cr_expect_leq(s[i].found, 1, "%s: seal %.8s found twice: %s", point,
                  s[i].seal, all);
    included += s[i].included;
  }
  cr_expect_eq(included, 1, "%s: %d included: %s", point, included, all);
  /* the first run's solution: included, unless it never left the process
   * (killed right after `sending`): then it was looked for and expired */
  if (strcmp(point, "sending") == 0) {
    cr_expect_eq(s[0].expired, 1, "%s", all);
    cr_expect_eq(k, 2, "%s", all);
  } else {
    cr_expect_eq(s[0].included, 1, "%s: the found solution was lost: %s", point,
                 all);
    cr_expect_eq(k, 1, "%s: solved again: %s", point, all);
  }
  cr_expect_eq(extrinsics_on_chain(http), 1, "%s: %s", point, all);
  sp_proc_free(&first);
  sp_proc_free(&again);
  sp_mock_stop(n);
}

Test(journal_crash, after_found) {
  crash_then_rerun("found", false);
  crash_then_rerun("found", true);
}

Test(journal_crash, after_sending) {
  crash_then_rerun("sending", false);
  crash_then_rerun("sending", true);
}

Test(journal_crash, after_watch_ready) {
  crash_then_rerun("watch_ready", false);
  crash_then_rerun("watch_ready", true);
}

Test(journal_crash, after_watch_in_block) {
  crash_then_rerun("watch_inBlock", false);
  crash_then_rerun("watch_inBlock", true);
}
