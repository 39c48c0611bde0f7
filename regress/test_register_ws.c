/*
 * bench register over WebSocket against the mock node (in-process, free
 * port): new heads by subscription, the extrinsic watched by
 * author_submitAndWatchExtrinsic with every status journaled, the embedded
 * default on WebSocket, --transport http, the polling fallback said once,
 * and faults: connections dropped while solving and while watching, a node
 * restarting, a stalled node. Each ends registered or with a clear outcome,
 * and every solution journaled as found has an outcome in the journal.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "chain/mock/mock_node.h"
#include "regress/support/mock_register.h"
#include "regress/support/run_command.h"
#include "regress/support/temp_wallet.h"

static char *const wallet = sp_suite_wallet;

TestSuite(register_ws, .init = sp_suite_wallet_make,
          .fini = sp_suite_wallet_remove, .timeout = 180);

static sp_mock_node *node(uint64_t difficulty, unsigned block_ms, char *url) {
  sp_mock_config c;
  sp_test_mock_config(&c, block_ms);
  sp_mock_config_subnet(&c, 1, true, difficulty);
  return sp_test_mock_start(&c, true, url);
}

static void run(sp_run_result *r, const char *url, const char *a1,
                const char *a2, const char *a3, const char *a4) {
  sp_run_register(r, "register", wallet, url,
                  (const char *const[]){a1, a2, a3, a4, NULL});
}

static int count(const char *hay, const char *needle) {
  int n = 0;
  for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
    n++;
  return n;
}

/* The journal's events as one string "found,watch_ready,...", and the
 * check that each solution found has an outcome line after it. */
static void journal_events(char *out, size_t cap) {
  char path[128], line[2048];
  snprintf(path, sizeof path, "%s/default/subpow-journal.jsonl", wallet);
  out[0] = '\0';
  FILE *f = fopen(path, "r");
  if (f == NULL) return;
  json_t *open_nonces = json_object(); /* found without an outcome yet */
  static const char *const OUTCOMES[] = {"included", "refused", "stale",
                                         "unsent",   "unknown", "dropped",
                                         "expired"};
  while (fgets(line, sizeof line, f)) {
    json_t *e = json_loads(line, 0, NULL);
    cr_assert_not_null(e, "journal line is not JSON: %s", line);
    const char *ev = json_string_value(json_object_get(e, "event"));
    /* every line names its chain, key and netuid (the watch's too: a rerun
     * by another URL of the chain must know them) */
    const char *g = json_string_value(json_object_get(e, "genesis"));
    cr_expect(g != NULL && strlen(g) == 64, "no genesis: %s", line);
    cr_expect(json_is_string(json_object_get(e, "key")), "no key: %s", line);
    cr_expect(json_is_integer(json_object_get(e, "netuid")), "no netuid: %s",
              line);
    char nonce[32];
    snprintf(nonce, sizeof nonce, "%s/%" JSON_INTEGER_FORMAT,
             json_string_value(json_object_get(e, "nonce")) ?: "",
             json_integer_value(json_object_get(e, "block_number")));
    if (json_is_integer(json_object_get(e, "nonce")))
      snprintf(nonce, sizeof nonce,
               "%" JSON_INTEGER_FORMAT "/%" JSON_INTEGER_FORMAT,
               json_integer_value(json_object_get(e, "nonce")),
               json_integer_value(json_object_get(e, "block_number")));
    if (strcmp(ev, "found") == 0)
      json_object_set_new(open_nonces, nonce, json_true());
    for (size_t i = 0; i < sizeof OUTCOMES / sizeof OUTCOMES[0]; i++)
      if (strcmp(ev, OUTCOMES[i]) == 0) json_object_del(open_nonces, nonce);
    size_t l = strlen(out);
    snprintf(out + l, cap - l, "%s%s", l ? "," : "", ev);
    json_decref(e);
  }
  fclose(f);
  /* a "found" of the node-down path may stay open only if the run ended
   * with it, which these tests do not */
  cr_expect_eq(json_object_size(open_nonces), 0,
               "solutions found without an outcome: %s", out);
  json_decref(open_nonces);
}

static void assert_registered(sp_mock_node *n) {
  uint8_t hk[32];
  sp_wallet_hotkey(wallet, hk);
  uint16_t uid;
  cr_expect_eq(sp_mock_uid(n, 1, hk, &uid), 0, "the chain has the hotkey");
}

Test(register_ws, registers_with_subscriptions_and_journals_statuses) {
  char url[64];
  sp_mock_node *n = node(5000, 300, url);
  sp_run_result r;
  run(&r, url, NULL, NULL, NULL, NULL);
  cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
  cr_expect_not_null(strstr(r.err, "chain_subscribeNewHeads over ws://"), "%s",
                     r.err);
  char events[4096];
  journal_events(events, sizeof events);
  cr_expect_not_null(strstr(events, "found,sending,watch_ready,watch_inBlock"),
                     "%s", events);
  cr_expect_not_null(strstr(events, "watch_finalized"), "%s", events);
  cr_expect_not_null(strstr(events, "included"), "%s", events);
  assert_registered(n);
  sp_run_result_free(&r);
  sp_mock_stop(n);
}

Test(register_ws, the_embedded_default_is_reached_over_websocket) {
  sp_run_result r;
  const char *argv[] = {
      SUBPOW_BENCH, "register",  "--wallet-path",        wallet,
      "--backend",  "reference", "--no-output-in-place", NULL};
  cr_assert_eq(sp_run((char *const *)argv, NULL, &r), 0);
  cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
  cr_expect_not_null(strstr(r.err, "embedded mock node at ws://"), "%s", r.err);
  cr_expect_not_null(strstr(r.err, "chain_subscribeNewHeads"), "%s", r.err);
  sp_run_result_free(&r);
}

Test(register_ws, transport_http_overrides_a_ws_url) {
  char url[64];
  sp_mock_node *n = node(5000, 300, url);
  sp_run_result r;
  run(&r, url, "--transport", "http", NULL, NULL);
  cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
  cr_expect_null(strstr(r.err, "chain_subscribeNewHeads"), "%s", r.err);
  cr_expect_not_null(strstr(r.err, "node http://127.0.0.1:"), "%s", r.err);
  char events[4096];
  journal_events(events, sizeof events);
  cr_expect_null(strstr(events, "watch_"), "no watch over HTTP: %s", events);
  sp_run_result_free(&r);
  run(&r, url, "--transport", "pigeon", NULL, NULL);
  cr_expect_eq(r.status, 2);
  cr_expect_not_null(strstr(r.err, "--transport"), "%s", r.err);
  sp_run_result_free(&r);
  sp_mock_stop(n);
}

Test(register_ws, a_node_without_subscriptions_is_polled_and_says_so_once) {
  char url[64];
  sp_mock_node *n = node(5000, 300, url);
  sp_rpc_faults f = {.ws_no_subscriptions = true};
  sp_mock_set_faults(n, &f);
  sp_run_result r;
  run(&r, url, NULL, NULL, NULL, NULL);
  cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
  cr_expect_eq(count(r.err, "no new-head subscription"), 1, "%s", r.err);
  cr_expect_eq(count(r.err, "no author_submitAndWatchExtrinsic"), 1, "%s",
               r.err);
  char events[4096];
  journal_events(events, sizeof events);
  cr_expect_not_null(strstr(events, "watch_polling"), "%s", events);
  assert_registered(n);
  sp_run_result_free(&r);
  sp_mock_stop(n);
}

Test(register_ws, connections_dropped_while_solving_and_watching) {
  char url[64];
  /* ~0.1 s of reference solving per solution, 200 ms blocks: heads arrive
   * during a solve; a third of the notifications (heads and watch
   * statuses) close the connection instead, and some answers too */
  sp_mock_node *n = node(20000, 200, url);
  sp_rpc_faults f = {.ws_drop_notice_per_mille = 300, .drop_per_mille = 20};
  sp_mock_set_faults(n, &f);
  sp_run_result r;
  run(&r, url, "--max-attempts", "20", NULL, NULL);
  cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
  char events[8192];
  journal_events(events, sizeof events);
  cr_expect_not_null(strstr(events, "included"), "%s", events);
  assert_registered(n);
  sp_run_result_free(&r);
  sp_mock_stop(n);
}

Test(register_ws, a_watch_that_loses_its_connection_goes_on_by_polling) {
  char url[64];
  sp_mock_node *n = node(5000, 1000, url);
  /* every extrinsic status closes the connection: the watch is lost right
   * after its subscription id, and the block must be found by polling */
  sp_rpc_faults f = {.ws_drop_watch_per_mille = 1000};
  sp_mock_set_faults(n, &f);
  sp_run_result r;
  run(&r, url, "--max-attempts", "5", NULL, NULL);
  cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
  char events[8192];
  journal_events(events, sizeof events);
  cr_expect_not_null(strstr(events, "watch_lost"), "%s", events);
  cr_expect_not_null(strstr(events, "included"), "%s", events);
  assert_registered(n);
  sp_run_result_free(&r);
  sp_mock_stop(n);
}

typedef struct restarter {
  sp_mock_node *n;
  atomic_bool done;
  atomic_bool restarted;
} restarter;

/* Takes the node down once the registration is under way (requests
 * counted), keeps it down until two connections were refused, and brings
 * it back: conditions, not clocks. */
static void *restart_node(void *arg) {
  restarter *rs = arg;
  while (!atomic_load(&rs->done) && sp_mock_requests(rs->n) < 20)
    usleep(2000);
  if (atomic_load(&rs->done)) return NULL;
  sp_mock_set_down(rs->n, true);
  uint64_t at = sp_mock_requests(rs->n);
  while (!atomic_load(&rs->done) && sp_mock_requests(rs->n) < at + 2)
    usleep(2000);
  sp_mock_set_down(rs->n, false);
  atomic_store(&rs->restarted, true);
  return NULL;
}

Test(register_ws, a_node_restarting_mid_run) {
  char url[64];
  sp_mock_node *n = node(100000, 1000, url);
  restarter rs = {.n = n};
  pthread_t t;
  pthread_create(&t, NULL, restart_node, &rs);
  sp_run_result r;
  run(&r, url, "--max-attempts", "20", NULL, NULL);
  atomic_store(&rs.done, true);
  pthread_join(t, NULL);
  cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
  cr_expect(atomic_load(&rs.restarted), "the node went down during the run");
  char events[8192];
  journal_events(events, sizeof events);
  assert_registered(n);
  sp_run_result_free(&r);
  sp_mock_stop(n);
}

Test(register_ws, a_stalled_node_is_a_clear_error) {
  char url[64];
  sp_mock_node *n = node(5000, 300, url);
  sp_rpc_faults f = {.ws_stall_per_mille = 1000};
  sp_mock_set_faults(n, &f);
  sp_run_result r;
  run(&r, url, "--rpc-timeout-ms", "300", NULL, NULL);
  cr_expect_eq(r.status, 2, "%s\n%s", r.out, r.err);
  cr_expect_not_null(strstr(r.err, "no answer within 300 ms"), "%s", r.err);
  sp_run_result_free(&r);
  sp_mock_stop(n);
}

Test(register_ws, a_node_that_stalls_now_and_then) {
  char url[64];
  sp_mock_node *n = node(5000, 1000, url);
  /* 2% of answers leave their connection silent: the request times out,
   * the connection is made again and the request sent again */
  sp_rpc_faults f = {.ws_stall_per_mille = 20};
  sp_mock_set_faults(n, &f);
  sp_run_result r;
  run(&r, url, "--rpc-timeout-ms", "500", "--max-attempts", "10");
  cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
  char events[8192];
  journal_events(events, sizeof events);
  assert_registered(n);
  sp_run_result_free(&r);
  sp_mock_stop(n);
}
