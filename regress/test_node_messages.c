/*
 * Each failure message names what was wrong and where it came from,
 * through a proxy in front of the mock node that tampers with one
 * kind of answer:
 *   - solutions found while chain_getBlockHash returns null: not "no
 *     solution within the time limit", but the call and its null;
 *   - a malformed block hash, an integer header number, a response with
 *     both "result" and "error": not "engine: no work to solve";
 *   - a truncated or odd-length hex result: not "the result is not
 *     0x-prefixed hex".
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain/client/rpc.h"
#include "chain/mock/mock_node.h"
#include "regress/support/http_stub.h"
#include "regress/support/run_command.h"

typedef enum tamper {
  BLOCK_HASH_ODD,    /* chain_getBlockHash (best): "0x123" */
  BLOCK_HASH_SHORT,  /* chain_getBlockHash (best): "0x1234" */
  HEADER_INT_NUMBER, /* chain_getHeader: "number": 5 */
  HEADER_SIGNED,     /* chain_getHeader: "number": "0x-5" (strtoull: 2^64-5) */
  HEADER_SPACE,      /* chain_getHeader: "number": "0x 5" */
  HEADER_OVERFLOW,   /* chain_getHeader: "number": "0x10000000000000000" */
  RESULT_AND_ERROR,  /* chain_getBlockHash (best): both members */
  BLOCK_HASH_NULL,   /* chain_getBlockHash (best): null after the first poll */
} tamper;

typedef struct proxy {
  tamper how;
  sp_rpc *mock;
  int best_hash_calls, headers; /* headers: work polls answered */
} proxy;

static char tmp[64], wallets[128];
static sp_mock_node *node;
static char node_url[64];

static void setup(void) {
  snprintf(tmp, sizeof tmp, "/tmp/subpow-msg-XXXXXX");
  cr_assert_not_null(mkdtemp(tmp));
  snprintf(wallets, sizeof wallets, "%s/w", tmp);
  setenv("HOME", tmp, 1);
  unsetenv("XDG_CACHE_HOME");
  sp_run_result r;
  sp_run_bench(&r, "wallet", "create", "--wallet-path", wallets,
               "--no-password", NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  sp_run_result_free(&r);
  sp_mock_config c;
  sp_mock_config_default(&c);
  c.port = 0;
  c.block_time_ms = 1000;
  c.n_subnets = 0;
  sp_mock_config_subnet(&c, 1, true, 2000); /* solved in a fraction of a s */
  sp_error_record err = {0};
  node = sp_mock_start(&c, &err);
  cr_assert_not_null(node, "%s", err.message);
  sp_mock_url(node, node_url, sizeof node_url);
}

static void teardown(void) {
  sp_mock_stop(node);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
  cr_assert_eq(system(cmd), 0);
}

TestSuite(node_messages, .init = setup, .fini = teardown, .timeout = 120);

static void answer(sp_http_reply *r, long long id, json_t *result) {
  json_t *doc = json_pack("{s:s, s:I, s:o}", "jsonrpc", "2.0", "id",
                          (json_int_t)id, "result", result);
  char *text = json_dumps(doc, JSON_COMPACT);
  json_decref(doc);
  r->body = sp_http_fmt("%s", text);
  free(text);
}

/* Forwards every call to the mock node, except the one to tamper with. */
static void handle(void *user, const char *body, size_t len, sp_http_reply *r) {
  proxy *p = user;
  (void)len;
  json_t *req = json_loads(body, 0, NULL);
  long long id = json_integer_value(json_object_get(req, "id"));
  const char *method = json_string_value(json_object_get(req, "method"));
  json_t *params = json_object_get(req, "params");
  bool best_hash = method && strcmp(method, "chain_getBlockHash") == 0 &&
                   json_array_size(params) == 0;
  if (best_hash) p->best_hash_calls++;
  /* the work source's poll ends by reading the difficulty at the block */
  if (method && strcmp(method, "state_getStorage") == 0 &&
      json_array_size(params) == 2)
    p->headers++;
  if (best_hash && p->how == BLOCK_HASH_ODD) {
    answer(r, id, json_string("0x123"));
  } else if (best_hash && p->how == BLOCK_HASH_SHORT) {
    answer(r, id, json_string("0x1234"));
  } else if (best_hash && p->how == RESULT_AND_ERROR) {
    r->body =
        sp_http_fmt("{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":\"0x%064d"
                    "\",\"error\":{\"code\":1,\"message\":\"x\"}}",
                    id, 0);
  } else if (best_hash && p->how == BLOCK_HASH_NULL && p->headers > 0) {
    answer(r, id, json_null());
  } else {
    json_t *res = NULL;
    sp_chain_error e = {0};
    json_incref(params);
    if (sp_rpc_call(p->mock, method ? method : "?", params, SP_RPC_ANY, &res,
                    &e) != 0) {
      r->body = sp_http_fmt("{\"jsonrpc\":\"2.0\",\"id\":%lld,\"error\":{"
                            "\"code\":%lld,\"message\":\"proxied\"}}",
                            id, (long long)(e.rpc_code ? e.rpc_code : -32000));
    } else {
      if (p->how == HEADER_INT_NUMBER && strcmp(method, "chain_getHeader") == 0)
        json_object_set_new(res, "number", json_integer(5));
      static const char *const bad_numbers[] = {[HEADER_SIGNED] = "0x-5",
                                                [HEADER_SPACE] = "0x 5",
                                                [HEADER_OVERFLOW] =
                                                    "0x10000000000000000"};
      if ((p->how == HEADER_SIGNED || p->how == HEADER_SPACE ||
           p->how == HEADER_OVERFLOW) &&
          strcmp(method, "chain_getHeader") == 0)
        json_object_set_new(res, "number", json_string(bad_numbers[p->how]));
      answer(r, id, res);
    }
  }
  json_decref(req);
}

/* bench register through the proxy; returns its stderr's last line. */
static void run_through(tamper how, sp_run_result *r, const char *seconds) {
  proxy p = {.how = how};
  sp_chain_error e = {0};
  cr_assert_eq(sp_rpc_open(&p.mock, node_url, NULL, &e), 0, "%s", e.message);
  sp_http_stub *s = sp_http_stub_start(handle, &p);
  cr_assert_not_null(s);
  sp_run_bench(r, "register", "--network", sp_http_stub_url(s), "--wallet-path",
               wallets, "--backend", "reference", "--poll-ms", "100",
               "--max-attempts", "1", "--seconds", seconds,
               "--no-output-in-place", NULL);
  sp_http_stub_stop(s);
  sp_rpc_close(p.mock);
}

static void expect_message(const sp_run_result *r, const char *want,
                           const char *not_this) {
  cr_expect_neq(r->status, 0, "%s", r->out);
  cr_expect(strstr(r->err, want) != NULL, "want '%s' in: %s", want, r->err);
  cr_expect(strstr(r->err, not_this) == NULL, "misleading '%s': %s", not_this,
            r->err);
}

Test(node_messages, odd_length_block_hash) {
  sp_run_result r;
  run_through(BLOCK_HASH_ODD, &r, "30");
  expect_message(&r, "chain_getBlockHash: the result has an odd number of hex",
                 "not 0x-prefixed");
  cr_expect(strstr(r.err, "no work to solve") == NULL, "%s", r.err);
  sp_run_result_free(&r);
}

Test(node_messages, short_block_hash) {
  sp_run_result r;
  run_through(BLOCK_HASH_SHORT, &r, "30");
  expect_message(&r, "chain_getBlockHash: expected a 32-byte hash, got 2",
                 "no work to solve");
  sp_run_result_free(&r);
}

Test(node_messages, integer_header_number) {
  sp_run_result r;
  run_through(HEADER_INT_NUMBER, &r, "30");
  expect_message(&r, "chain_getHeader", "no work to solve");
  cr_expect(strstr(r.err, "number") != NULL, "%s", r.err);
  sp_run_result_free(&r);
}

/* Header numbers are strict hex quantities: a sign, a space or an overflow
 * is refused with the node's value in the message (strtoull took each, and
 * "0x-5" kept `register --seconds 60` running for 150 s). */
Test(node_messages, signed_spaced_or_overflowing_header_number) {
  const tamper how[] = {HEADER_SIGNED, HEADER_SPACE, HEADER_OVERFLOW};
  const char *shown[] = {"\"0x-5\"", "\"0x 5\"", "\"0x10000000000000000\""};
  for (int i = 0; i < 3; i++) {
    sp_run_result r;
    run_through(how[i], &r, "30");
    expect_message(&r, "chain_getHeader: \"number\" is not a 0x-hex u64",
                   "no work to solve");
    cr_expect(strstr(r.err, shown[i]) != NULL, "want %s in: %s", shown[i],
              r.err);
    sp_run_result_free(&r);
  }
}

Test(node_messages, result_and_error) {
  sp_run_result r;
  run_through(RESULT_AND_ERROR, &r, "30");
  expect_message(&r, "both \"result\" and \"error\"", "no work to solve");
  sp_run_result_free(&r);
}

Test(node_messages, solutions_found_but_no_best_block) {
  sp_run_result r;
  run_through(BLOCK_HASH_NULL, &r, "4");
  /* whatever the path (a failed attempt, or the time limit with solutions
   * found), the message names the call and what it returned */
  expect_message(&r, "chain_getBlockHash", "no solution within the time limit");
  cr_expect(strstr(r.err, "null") != NULL, "%s", r.err);
  sp_run_result_free(&r);
}
