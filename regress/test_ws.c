/*
 * The WebSocket transport (chain/client/ws.h) against the mock node's
 * WebSocket side (chain/mock/ws_server.h): transport choice, calls, many in
 * flight, subscriptions, reconnection that resubscribes and reports the gap,
 * and every hostile frame the mock can send: each ends in a clear error or
 * a reconnect, within bounded time. Waits are on conditions (a counter, a
 * notification), with generous bounds.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chain/client/endpoint.h"
#include "chain/client/rpc.h"
#include "chain/client/ws.h"
#include "chain/mock/mock_node.h"
#include "common/clock.h"

static sp_mock_node *start_mock(bool stalled) {
  sp_mock_config mc;
  sp_mock_config_default(&mc);
  mc.port = 0;
  mc.block_time_ms = 60000; /* blocks only when a test makes them */
  mc.stall_blocks = stalled;
  sp_error_record err = {0};
  sp_mock_node *n = sp_mock_start(&mc, &err);
  cr_assert_not_null(n, "%s", err.message);
  return n;
}

static sp_rpc *open_ws(sp_mock_node *n, const sp_rpc_options *o) {
  char url[128];
  sp_mock_ws_url(n, url, sizeof url);
  sp_rpc *rpc;
  sp_chain_error err = {0};
  cr_assert_eq(sp_rpc_open(&rpc, url, o, &err), 0, "%s", err.message);
  cr_assert_not_null(sp_rpc_ws(rpc));
  return rpc;
}

static void quick_options(sp_rpc_options *o) {
  sp_rpc_options_default(o);
  o->connect_timeout_ms = 5000;
  o->timeout_ms = 5000;
  o->max_retries = 3;
  o->backoff_initial_ms = 10;
  o->backoff_max_ms = 100;
}

static void pause_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

/* ----------------------------------------------------------- transport */

Test(ws, transport_follows_the_scheme_and_the_override) {
  char out[256];
  cr_assert_eq(sp_endpoint_resolve_ws("finney", out, sizeof out, NULL), 0);
  cr_expect_str_eq(out, "wss://entrypoint-finney.opentensor.ai:443");
  cr_assert_eq(sp_endpoint_resolve_ws("http://h:1/x", out, sizeof out, NULL),
               0);
  cr_expect_str_eq(out, "ws://h:1/x");
  cr_assert_eq(sp_endpoint_resolve_ws("https://h", out, sizeof out, NULL), 0);
  cr_expect_str_eq(out, "wss://h");
  cr_expect(sp_endpoint_is_ws("local"));
  cr_expect(sp_endpoint_is_ws("ws://h:1"));
  cr_expect(!sp_endpoint_is_ws("http://h:1"));
  sp_rpc_transport t;
  cr_expect_eq(sp_rpc_transport_parse("ws", &t), 0);
  cr_expect_eq(t, SP_RPC_TRANSPORT_WS);
  cr_expect_eq(sp_rpc_transport_parse("http", &t), 0);
  cr_expect_eq(t, SP_RPC_TRANSPORT_HTTP);
  cr_expect_eq(sp_rpc_transport_parse("carrier-pigeon", &t), -1);

  sp_mock_node *n = start_mock(true);
  char http[128], ws[128];
  sp_mock_url(n, http, sizeof http);
  sp_mock_ws_url(n, ws, sizeof ws);
  sp_rpc_options o;
  sp_rpc_options_default(&o);
  sp_rpc *rpc;
  cr_assert_eq(sp_rpc_open(&rpc, http, &o, NULL), 0);
  cr_expect_null(sp_rpc_ws(rpc), "http:// keeps HTTP");
  sp_rpc_close(rpc);
  cr_assert_eq(sp_rpc_open(&rpc, ws, &o, NULL), 0);
  cr_expect_not_null(sp_rpc_ws(rpc), "ws:// is WebSocket");
  sp_rpc_close(rpc);
  o.transport = SP_RPC_TRANSPORT_WS;
  cr_assert_eq(sp_rpc_open(&rpc, http, &o, NULL), 0);
  cr_expect_not_null(sp_rpc_ws(rpc), "--transport ws over an http URL");
  cr_expect_str_eq(sp_rpc_url(rpc), ws);
  json_t *res;
  sp_chain_error err = {0};
  cr_expect_eq(sp_rpc_call(rpc, "chain_getBlockHash", json_pack("[i]", 0),
                           SP_RPC_STRING, &res, &err),
               0, "%s", err.message);
  json_decref(res);
  sp_rpc_close(rpc);
  o.transport = SP_RPC_TRANSPORT_HTTP;
  cr_assert_eq(sp_rpc_open(&rpc, ws, &o, NULL), 0);
  cr_expect_null(sp_rpc_ws(rpc), "--transport http over a ws URL");
  sp_rpc_close(rpc);
  sp_mock_stop(n);
}

Test(ws, bad_urls_are_refused) {
  sp_ws *ws;
  sp_chain_error err = {0};
  cr_expect_eq(sp_ws_open(&ws, "http://x", NULL, &err), -SP_CHAIN_EARG);
  cr_expect_eq(sp_ws_open(&ws, "ws://", NULL, &err), -SP_CHAIN_EARG);
  cr_expect_eq(sp_ws_open(&ws, "ws://h:99999", NULL, &err), -SP_CHAIN_EARG);
  cr_expect_eq(sp_ws_open(&ws, "ws://h:1x", NULL, &err), -SP_CHAIN_EARG);
  cr_expect_eq(sp_ws_open(&ws, "ws://h /", NULL, &err), -SP_CHAIN_EARG);
  cr_expect_gt(strlen(err.message), 0);
}

/* --------------------------------------------------------------- calls */

typedef struct caller {
  sp_rpc *rpc;
  const char *genesis;
  atomic_int *ok;
} caller;

static void *hammer(void *arg) {
  caller *c = arg;
  for (int i = 0; i < 40; i++) {
    json_t *res = NULL;
    if (sp_rpc_call(c->rpc, "chain_getBlockHash", json_pack("[i]", 0),
                    SP_RPC_STRING, &res, NULL) == 0 &&
        strcmp(json_string_value(res), c->genesis) == 0)
      atomic_fetch_add(c->ok, 1);
    json_decref(res);
  }
  return NULL;
}

Test(ws, many_calls_in_flight_from_many_threads) {
  sp_mock_node *n = start_mock(true);
  sp_rpc_options o;
  quick_options(&o);
  sp_rpc *rpc = open_ws(n, &o);
  json_t *g;
  sp_chain_error err = {0};
  cr_assert_eq(sp_rpc_call(rpc, "chain_getBlockHash", json_pack("[i]", 0),
                           SP_RPC_STRING, &g, &err),
               0, "%s", err.message);
  atomic_int ok = 0;
  caller c = {rpc, json_string_value(g), &ok};
  pthread_t t[8];
  for (int i = 0; i < 8; i++)
    pthread_create(&t[i], NULL, hammer, &c);
  for (int i = 0; i < 8; i++)
    pthread_join(t[i], NULL);
  cr_expect_eq(atomic_load(&ok), 8 * 40);
  sp_ws_stats st;
  sp_ws_stats_get(sp_rpc_ws(rpc), &st);
  cr_expect_eq(st.connects, 1, "one connection for all of them");
  cr_expect_eq(st.stray_answers, 0);
  json_decref(g);
  sp_rpc_close(rpc);
  sp_mock_stop(n);
}

Test(ws, a_large_answer_comes_in_many_chunks) {
  /* 300 KB (finney's metadata is about that): many receive chunks of the
   * client, reassembled under the limit */
  sp_mock_node *n = start_mock(true);
  sp_rpc_faults f = {.ws_oversize_per_mille = 1000,
                     .ws_oversize_bytes = 300 << 10};
  sp_mock_set_faults(n, &f);
  sp_rpc_options o;
  quick_options(&o);
  sp_rpc *rpc = open_ws(n, &o);
  sp_chain_error err = {0};
  for (int i = 0; i < 3; i++) {
    json_t *res = NULL;
    cr_assert_eq(sp_rpc_call(rpc, "chain_getBlockHash", json_pack("[i]", 0),
                             SP_RPC_STRING, &res, &err),
                 0, "%s", err.message);
    json_decref(res);
  }
  sp_rpc_close(rpc);
  sp_mock_stop(n);
}

/* ------------------------------------------------------- subscriptions */

typedef struct heads {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int notices, gaps, lost;
  uint64_t last;
  json_t *statuses; /* extrinsic updates */
} heads;

static void heads_init(heads *h) {
  memset(h, 0, sizeof *h);
  pthread_mutex_init(&h->mu, NULL);
  pthread_cond_init(&h->cv, NULL);
  h->statuses = json_array();
}

static void heads_free(heads *h) {
  json_decref(h->statuses);
  pthread_cond_destroy(&h->cv);
  pthread_mutex_destroy(&h->mu);
}

static void on_head(void *user, sp_ws_event ev, const json_t *result) {
  heads *h = user;
  pthread_mutex_lock(&h->mu);
  if (ev == SP_WS_NOTIFY) {
    h->notices++;
    const char *num = json_string_value(json_object_get(result, "number"));
    if (num)
      h->last = strtoull(num, NULL, 16);
    else
      json_array_append(h->statuses, (json_t *)result);
  } else if (ev == SP_WS_GAP) {
    h->gaps++;
  } else {
    h->lost++;
  }
  pthread_cond_broadcast(&h->cv);
  pthread_mutex_unlock(&h->mu);
}

/* Waits (30 s bound) until *field >= want. */
static bool wait_for(heads *h, int *field, int want) {
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += 30;
  pthread_mutex_lock(&h->mu);
  while (*field < want)
    if (pthread_cond_timedwait(&h->cv, &h->mu, &until) != 0) break;
  bool ok = *field >= want;
  pthread_mutex_unlock(&h->mu);
  return ok;
}

/* Waits (30 s bound) until the last head is `number`. */
static bool wait_for_head(heads *h, uint64_t number) {
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += 30;
  pthread_mutex_lock(&h->mu);
  while (h->last != number)
    if (pthread_cond_timedwait(&h->cv, &h->mu, &until) != 0) break;
  bool ok = h->last == number;
  pthread_mutex_unlock(&h->mu);
  return ok;
}

Test(ws, new_heads_arrive_and_survive_a_dropped_connection) {
  sp_mock_node *n = start_mock(true);
  sp_rpc_options o;
  quick_options(&o);
  sp_rpc *rpc = open_ws(n, &o);
  heads h;
  heads_init(&h);
  sp_ws_sub *sub;
  sp_chain_error err = {0};
  cr_assert_eq(sp_ws_subscribe(sp_rpc_ws(rpc), "chain_subscribeNewHeads", NULL,
                               "chain_unsubscribeNewHeads", true, on_head, &h,
                               &sub, &err),
               0, "%s", err.message);
  cr_assert(wait_for(&h, &h.notices, 1), "the current head comes first");
  cr_expect_eq(h.last, 0);
  uint64_t b1 = sp_mock_produce_block(n);
  cr_assert(wait_for(&h, &h.notices, 2));
  cr_expect_eq(h.last, b1);
  /* the node drops every connection mid-subscription */
  sp_mock_drop_connections(n);
  cr_assert(wait_for(&h, &h.gaps, 1), "reconnected and told of the gap");
  uint64_t b2 = sp_mock_produce_block(n);
  /* the resubscription's first head may be b1 or b2; b2 comes either way */
  cr_assert(wait_for_head(&h, b2), "head %llu after the reconnect",
            (unsigned long long)b2);
  cr_expect_eq(h.lost, 0);
  sp_ws_stats st;
  sp_ws_stats_get(sp_rpc_ws(rpc), &st);
  cr_expect_geq(st.connects, 2);
  sp_ws_unsubscribe(sp_rpc_ws(rpc), sub);
  sp_rpc_close(rpc);
  heads_free(&h);
  sp_mock_stop(n);
}

Test(ws, a_node_without_subscriptions_says_method_not_found) {
  sp_mock_node *n = start_mock(true);
  sp_rpc_faults f = {.ws_no_subscriptions = true};
  sp_mock_set_faults(n, &f);
  sp_rpc_options o;
  quick_options(&o);
  sp_rpc *rpc = open_ws(n, &o);
  heads h;
  heads_init(&h);
  sp_ws_sub *sub = NULL;
  sp_chain_error err = {0};
  cr_expect_eq(sp_ws_subscribe(sp_rpc_ws(rpc), "chain_subscribeNewHeads", NULL,
                               NULL, true, on_head, &h, &sub, &err),
               -SP_CHAIN_ERPC);
  cr_expect_eq(err.rpc_code, -32601);
  cr_expect_null(sub);
  sp_rpc_close(rpc);
  heads_free(&h);
  sp_mock_stop(n);
}

/* ------------------------------------------------------ hostile frames */

/* One call under a fault that hits every answer: a clear error, in bounded
 * time, that names `want`; the client is usable once the fault is gone. */
static void hostile(sp_rpc_faults f, size_t max_bytes, const char *want) {
  sp_mock_node *n = start_mock(true);
  sp_mock_set_faults(n, &f);
  sp_rpc_options o;
  quick_options(&o);
  o.timeout_ms = 1500;
  o.max_retries = 1;
  if (max_bytes) o.max_response_bytes = max_bytes;
  sp_rpc *rpc = open_ws(n, &o);
  json_t *res = NULL;
  sp_chain_error err = {0};
  double t0 = sp_monotonic_seconds();
  int rc = sp_rpc_call(rpc, "chain_getBlockHash", json_pack("[i]", 0),
                       SP_RPC_STRING, &res, &err);
  cr_expect_neq(rc, 0, "a fault must not pass as an answer");
  cr_expect_lt(sp_monotonic_seconds() - t0, 20.0, "bounded");
  sp_ws_stats st;
  sp_ws_stats_get(sp_rpc_ws(rpc), &st);
  cr_expect(strstr(err.message, want) || strstr(st.last_error, want),
            "want \"%s\" in \"%s\" / \"%s\"", want, err.message, st.last_error);
  cr_expect_null(strchr(err.message, '\n'), "one line");
  sp_rpc_faults none = {0};
  sp_mock_set_faults(n, &none);
  rc = sp_rpc_call(rpc, "chain_getBlockHash", json_pack("[i]", 0),
                   SP_RPC_STRING, &res, &err);
  cr_expect_eq(rc, 0, "recovers: %s", err.message);
  json_decref(res);
  sp_rpc_close(rpc);
  sp_mock_stop(n);
}

Test(ws, hostile_not_json) {
  hostile((sp_rpc_faults){.malformed_per_mille = 1000}, 0, "not a JSON object");
}
Test(ws, hostile_not_utf8) {
  hostile((sp_rpc_faults){.ws_bad_utf8_per_mille = 1000}, 0, "not UTF-8");
}
Test(ws, hostile_frame_over_the_limit) {
  hostile((sp_rpc_faults){.ws_oversize_per_mille = 1000,
                          .ws_oversize_bytes = 256 << 10},
          64 << 10, "larger than 65536 bytes");
}
Test(ws, hostile_close_mid_message) {
  hostile((sp_rpc_faults){.ws_cut_per_mille = 1000}, 0, "attempt");
}
Test(ws, hostile_dropped_without_answer) {
  hostile((sp_rpc_faults){.drop_per_mille = 1000}, 0, "attempt");
}
Test(ws, hostile_stalled_node) {
  hostile((sp_rpc_faults){.ws_stall_per_mille = 1000}, 0, "no answer within");
}

Test(ws, stray_answers_and_notices_are_counted_and_dropped) {
  sp_mock_node *n = start_mock(true);
  sp_rpc_faults f = {.ws_stray_per_mille = 1000};
  sp_mock_set_faults(n, &f);
  sp_rpc_options o;
  quick_options(&o);
  sp_rpc *rpc = open_ws(n, &o);
  json_t *res = NULL;
  sp_chain_error err = {0};
  cr_expect_eq(sp_rpc_call(rpc, "chain_getBlockHash", json_pack("[i]", 0),
                           SP_RPC_STRING, &res, &err),
               0, "%s", err.message);
  json_decref(res);
  sp_ws_stats st;
  sp_ws_stats_get(sp_rpc_ws(rpc), &st);
  cr_expect_eq(st.stray_answers, 1);
  cr_expect_eq(st.stray_notices, 1);
  cr_expect_eq(st.connects, 1, "no reconnect for a stray");
  sp_rpc_close(rpc);
  sp_mock_stop(n);
}

Test(ws, a_restarting_node_is_waited_for) {
  sp_mock_node *n = start_mock(true);
  sp_rpc_options o;
  quick_options(&o);
  o.max_retries = 8;
  o.backoff_initial_ms = 50;
  o.backoff_max_ms = 400;
  sp_rpc *rpc = open_ws(n, &o);
  json_t *res = NULL;
  sp_chain_error err = {0};
  cr_assert_eq(
      sp_rpc_call(rpc, "chain_getBlockHash", NULL, SP_RPC_STRING, &res, &err),
      0, "%s", err.message);
  json_decref(res);
  sp_mock_set_down(n, true);
  /* down: the client sees the connection go */
  sp_ws_stats st;
  for (int i = 0; i < 3000; i++) {
    sp_ws_stats_get(sp_rpc_ws(rpc), &st);
    if (st.last_error[0]) break;
    pause_ms(10);
  }
  cr_expect_neq(st.last_error[0], '\0');
  sp_mock_set_down(n, false);
  cr_expect_eq(
      sp_rpc_call(rpc, "chain_getBlockHash", NULL, SP_RPC_STRING, &res, &err),
      0, "after the restart: %s", err.message);
  json_decref(res);
  sp_rpc_close(rpc);
  sp_mock_stop(n);
}

Test(ws, a_refused_connection_is_a_clear_error) {
  sp_rpc_options o;
  quick_options(&o);
  o.connect_timeout_ms = 300;
  o.max_retries = 1;
  sp_rpc *rpc;
  cr_assert_eq(sp_rpc_open(&rpc, "ws://127.0.0.1:1", &o, NULL), 0);
  json_t *res = NULL;
  sp_chain_error err = {0};
  cr_expect_eq(
      sp_rpc_call(rpc, "chain_getBlockHash", NULL, SP_RPC_STRING, &res, &err),
      -SP_CHAIN_ETRANSPORT);
  cr_expect(strstr(err.message, "ws://127.0.0.1:1"), "%s", err.message);
  sp_rpc_close(rpc);
}

/* --------------------------------------------------------- classifier */

Test(ws, classify_messages) {
  int64_t id;
  char sub[32];
  json_t *res;
  sp_chain_error err = {0};
#define C(text)                                                                \
  sp_ws_classify(text, strlen(text), &id, sub, sizeof sub, &res, &err)
  cr_expect_eq(C("{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":1}"),
               SP_WS_MSG_ANSWER);
  cr_expect_eq(id, 7);
  cr_expect_eq(C("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":"
                 "{\"subscription\":\"ab\",\"result\":[1]}}"),
               SP_WS_MSG_NOTICE);
  cr_expect_str_eq(sub, "ab");
  cr_expect(json_is_array(res));
  json_decref(res);
  cr_expect_eq(
      C("{\"method\":\"m\",\"params\":{\"subscription\":5,\"result\":0}}"),
      SP_WS_MSG_NOTICE);
  cr_expect_str_eq(sub, "5");
  json_decref(res);
  cr_expect_eq(C("not json"), SP_WS_MSG_BAD);
  cr_expect_eq(C("[1,2]"), SP_WS_MSG_BAD);
  cr_expect_eq(C("{\"id\":\"7\"}"), SP_WS_MSG_BAD);
  cr_expect_eq(C("{\"id\":null,\"error\":{}}"), SP_WS_MSG_BAD);
  cr_expect_eq(C("{\"method\":\"m\",\"params\":{\"result\":0}}"),
               SP_WS_MSG_BAD);
  cr_expect_eq(C("{\"method\":\"m\",\"params\":{\"subscription\":"
                 "\"0123456789012345678901234567890123456789\",\"result\":0}}"),
               SP_WS_MSG_BAD);
  cr_expect_eq(C("{\"id\":1,\"result\":\"\xed\xa0\x80\"}"), SP_WS_MSG_BAD,
               "a surrogate is not UTF-8");
  cr_expect_eq(C("{\"id\":1,\"result\":\"\xc3\xa9\"}"), SP_WS_MSG_ANSWER);
#undef C
  char *buf = NULL;
  size_t have = 0, cap = 0;
  cr_expect(sp_ws_append(&buf, &have, &cap, "abc", 3, 5));
  cr_expect(!sp_ws_append(&buf, &have, &cap, "def", 3, 5), "over the bound");
  cr_expect_eq(have, 3);
  free(buf);
}
