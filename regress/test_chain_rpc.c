/*
 * JSON-RPC transport: endpoint names, keep-alive, retries on transport
 * errors and HTTP 429/5xx, no retry on JSON-RPC errors, and every kind of
 * malformed response, against an in-process HTTP stub (no network).
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "chain/client/endpoint.h"
#include "chain/client/rpc.h"
#include "common/clock.h"
#include "regress/support/http_stub.h"

/* ------------------------------------------------------------ endpoints */

static void resolves(const char *in, const char *want) {
  char out[256];
  sp_chain_error err = {0};
  cr_assert_eq(sp_endpoint_resolve(in, out, sizeof out, &err), 0, "%s: %s", in,
               err.message);
  cr_expect_str_eq(out, want, "%s", in);
}

static void refused(const char *in) {
  char out[256];
  sp_chain_error err = {0};
  cr_expect_eq(sp_endpoint_resolve(in, out, sizeof out, &err), -SP_CHAIN_EARG,
               "%s", in ? in : "(null)");
  cr_expect_gt(strlen(err.message), 0);
}

Test(chain_rpc, endpoint_names_and_schemes) {
  resolves("finney", "https://entrypoint-finney.opentensor.ai:443");
  resolves("test", "https://test.finney.opentensor.ai:443");
  resolves("archive", "https://archive.chain.opentensor.ai:443");
  resolves("local", "http://127.0.0.1:9944");
  resolves("ws://node.example:9944/rpc", "http://node.example:9944/rpc");
  resolves("wss://node.example:443", "https://node.example:443");
  resolves("http://10.0.0.1:9933", "http://10.0.0.1:9933");
  resolves("https://x.example", "https://x.example");
  refused("mainnet");
  refused("ftp://x.example");
  refused("ws://");
  refused("ws://:9944");
  refused("http://bad host");
  refused("");
  refused(NULL);
  char tiny[8];
  cr_expect_eq(sp_endpoint_resolve("local", tiny, sizeof tiny, NULL),
               -SP_CHAIN_EARG);
}

/* ------------------------------------------------------- scripted node */

typedef struct step {
  int status;
  const char *body; /* printf format with one %lld: the request id */
  bool raw;
  int delay_ms;
} step;

typedef struct script {
  const step *steps;
  size_t nsteps, next;
  char last_request[4096];
} script;

static void play(void *user, const char *body, size_t len, sp_http_reply *r) {
  script *s = user;
  snprintf(s->last_request, sizeof s->last_request, "%.*s", (int)len, body);
  json_t *req = json_loads(body, 0, NULL);
  long long id = json_integer_value(json_object_get(req, "id"));
  json_decref(req);
  const step *st = &s->steps[s->next < s->nsteps ? s->next : s->nsteps - 1];
  s->next++;
  r->status = st->status;
  r->raw = st->raw;
  r->delay_ms = st->delay_ms;
  r->body = sp_http_fmt(st->body, id);
}

static sp_rpc_options fast_options(void) {
  sp_rpc_options o;
  sp_rpc_options_default(&o);
  o.backoff_initial_ms = 1;
  o.backoff_max_ms = 4;
  o.max_retries = 3;
  o.connect_timeout_ms = 2000;
  o.timeout_ms = 2000;
  o.jitter_seed = 42;
  return o;
}

typedef struct fixture {
  script sc;
  sp_http_stub *stub;
  sp_rpc *rpc;
} fixture;

static void start(fixture *f, const step *steps, size_t n,
                  const sp_rpc_options *o) {
  memset(f, 0, sizeof *f);
  f->sc.steps = steps;
  f->sc.nsteps = n;
  f->stub = sp_http_stub_start(play, &f->sc);
  cr_assert_not_null(f->stub);
  sp_rpc_options def = fast_options();
  cr_assert_eq(
      sp_rpc_open(&f->rpc, sp_http_stub_url(f->stub), o ? o : &def, NULL), 0);
}

static void stop(fixture *f) {
  sp_rpc_close(f->rpc);
  sp_http_stub_stop(f->stub);
}

#define OK_STRING "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":\"0x1234\"}"

/* One call; returns the rc and the error. */
static int call(fixture *f, unsigned expect, json_t **res,
                sp_chain_error *err) {
  memset(err, 0, sizeof *err);
  return sp_rpc_call(f->rpc, "chain_getBlockHash", json_pack("[i]", 7), expect,
                     res, err);
}

Test(chain_rpc, request_shape_result_and_keep_alive) {
  static const step steps[] = {{200, OK_STRING, false, 0}};
  fixture f;
  start(&f, steps, 1, NULL);
  for (int i = 0; i < 3; i++) {
    json_t *res;
    sp_chain_error err;
    cr_assert_eq(call(&f, SP_RPC_STRING, &res, &err), 0, "%s", err.message);
    cr_expect_str_eq(json_string_value(res), "0x1234");
    json_decref(res);
  }
  json_t *req = json_loads(f.sc.last_request, 0, NULL);
  cr_assert_not_null(req, "request is JSON: %s", f.sc.last_request);
  cr_expect_str_eq(json_string_value(json_object_get(req, "jsonrpc")), "2.0");
  cr_expect_str_eq(json_string_value(json_object_get(req, "method")),
                   "chain_getBlockHash");
  cr_expect_eq(json_integer_value(json_object_get(req, "id")), 3);
  cr_expect_eq(
      json_integer_value(json_array_get(json_object_get(req, "params"), 0)), 7);
  json_decref(req);
  cr_expect_eq(sp_http_stub_connections(f.stub), 1,
               "three calls reuse one keep-alive connection");
  cr_expect_eq(sp_rpc_attempts(f.rpc), 3);
  stop(&f);
}

static void expect_retried(int status) {
  static step steps[3];
  steps[0] = (step){status, "busy", false, 0};
  steps[1] = (step){status, "busy", false, 0};
  steps[2] = (step){200, OK_STRING, false, 0};
  fixture f;
  start(&f, steps, 3, NULL);
  json_t *res;
  sp_chain_error err;
  cr_assert_eq(call(&f, SP_RPC_STRING, &res, &err), 0, "%s", err.message);
  json_decref(res);
  cr_expect_eq(sp_rpc_attempts(f.rpc), 3, "HTTP %d is retried", status);
  stop(&f);
}

Test(chain_rpc, retries_http_500_503_and_429) {
  expect_retried(500);
  expect_retried(503);
  expect_retried(429);
}

Test(chain_rpc, gives_up_after_max_retries) {
  static const step steps[] = {{503, "down", false, 0}};
  fixture f;
  start(&f, steps, 1, NULL);
  json_t *res;
  sp_chain_error err;
  cr_expect_eq(call(&f, SP_RPC_STRING, &res, &err), -SP_CHAIN_EHTTP);
  cr_expect_eq(err.http_status, 503);
  cr_expect_eq(sp_rpc_attempts(f.rpc), 4, "1 attempt + 3 retries");
  cr_expect(strstr(err.message, "HTTP 503") != NULL, "%s", err.message);
  stop(&f);
}

Test(chain_rpc, no_retry_on_http_404) {
  static const step steps[] = {{404, "no such path", false, 0}};
  fixture f;
  start(&f, steps, 1, NULL);
  json_t *res;
  sp_chain_error err;
  cr_expect_eq(call(&f, SP_RPC_STRING, &res, &err), -SP_CHAIN_EHTTP);
  cr_expect_eq(sp_rpc_attempts(f.rpc), 1);
  stop(&f);
}

Test(chain_rpc, jsonrpc_error_is_reported_not_retried) {
  static const step steps[] = {
      {200,
       "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"error\":{\"code\":1010,"
       "\"message\":\"Invalid Transaction\",\"data\":\"Transaction is "
       "outdated\"}}",
       false, 0}};
  fixture f;
  start(&f, steps, 1, NULL);
  json_t *res;
  sp_chain_error err;
  cr_expect_eq(call(&f, SP_RPC_STRING, &res, &err), -SP_CHAIN_ERPC);
  cr_expect_eq(err.rpc_code, 1010);
  cr_expect(strstr(err.message, "1010") &&
                strstr(err.message, "Invalid "
                                    "Transaction") &&
                strstr(err.message, "outdated"),
            "%s", err.message);
  cr_expect_eq(sp_rpc_attempts(f.rpc), 1, "JSON-RPC errors are not retried");
  stop(&f);
}

/* Chopsticks over HTTP: an error object with a message and no code (the
 * pool refusing a register at the interval's rate limit, docs/real-runtime.md)
 * is the node's answer, reported with its message, not a malformed one. */
Test(chain_rpc, error_object_without_code_keeps_the_message) {
  static const step steps[] = {
      {200,
       "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"error\":{\"message\":"
       "\"{\\\"invalid\\\":{\\\"custom\\\":4}}\"}}",
       false, 0}};
  fixture f;
  start(&f, steps, 1, NULL);
  json_t *res = NULL;
  sp_chain_error err;
  cr_expect_eq(call(&f, SP_RPC_STRING, &res, &err), -SP_CHAIN_ERPC, "%s",
               err.message);
  cr_expect_null(res);
  cr_expect_eq(err.rpc_code, 0);
  cr_expect(strstr(err.message, "{\"invalid\":{\"custom\":4}}") != NULL, "%s",
            err.message);
  cr_expect(strstr(err.message, "malformed") == NULL, "%s", err.message);
  cr_expect_eq(sp_rpc_attempts(f.rpc), 1, "JSON-RPC errors are not retried");
  stop(&f);
}

/* A malformed 200 response: -SP_CHAIN_EPROTOCOL, one attempt, a message
 * containing `needle`. */
static void malformed(const char *body, unsigned expect, const char *needle) {
  step steps[1] = {{200, body, false, 0}};
  fixture f;
  start(&f, steps, 1, NULL);
  json_t *res = NULL;
  sp_chain_error err;
  cr_expect_eq(call(&f, expect, &res, &err), -SP_CHAIN_EPROTOCOL, "body %s",
               body);
  cr_expect_null(res);
  cr_expect(strstr(err.message, needle) != NULL, "body %s -> message %s", body,
            err.message);
  cr_expect_eq(sp_rpc_attempts(f.rpc), 1);
  stop(&f);
}

Test(chain_rpc, malformed_responses) {
  malformed("{\"jsonrpc\":\"2.0\",\"id\":999,\"result\":\"0x\"}%lld",
            SP_RPC_STRING, "not JSON"); /* trailing garbage */
  malformed("{\"jsonrpc\":\"2.0\",\"id\":999,\"result\":\"0x\"}", SP_RPC_STRING,
            "does not match request id");
  malformed("{\"jsonrpc\":\"2.0\",\"id\":\"%lld\",\"result\":\"0x\"}",
            SP_RPC_STRING, "response id is a string");
  malformed("{\"jsonrpc\":\"2.0\",\"result\":\"0x\"%lld}", SP_RPC_STRING,
            "not JSON");
  malformed("{\"jsonrpc\":\"2.0\",\"result\":\"0x\"}", SP_RPC_STRING,
            "response id is missing");
  malformed("{\"jsonrpc\":\"2.0\",\"id\":%lld}", SP_RPC_STRING,
            "neither \"result\" nor \"error\"");
  malformed("{\"id\":%lld,\"result\":\"0x\"}", SP_RPC_STRING,
            "\"jsonrpc\": \"2.0\"");
  malformed("<html>Bad gateway %lld</html>", SP_RPC_STRING, "not JSON");
  malformed("[%lld]", SP_RPC_STRING, "an array, not a JSON-RPC object");
  malformed("{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":5}", SP_RPC_STRING,
            "unexpected result type: an integer");
  malformed("{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":null}", SP_RPC_OBJECT,
            "unexpected result type: null");
  malformed("{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":1,\"error\":{}}",
            SP_RPC_ANY, "both");
  malformed("{\"jsonrpc\":\"2.0\",\"id\":%lld,\"error\":{\"code\":\"x\"}}",
            SP_RPC_ANY, "malformed JSON-RPC error");
  /* no code is fine (above), a code that is not an integer is not */
  malformed("{\"jsonrpc\":\"2.0\",\"id\":%lld,\"error\":{\"code\":\"x\","
            "\"message\":\"m\"}}",
            SP_RPC_ANY, "malformed JSON-RPC error");
  malformed("{\"jsonrpc\":\"2.0\",\"id\":%lld,\"error\":{\"code\":1}}",
            SP_RPC_ANY, "malformed JSON-RPC error");
  malformed("{\"jsonrpc\":\"2.0\",\"id\":%lld,\"id\":1,\"result\":1}",
            SP_RPC_ANY, "not JSON"); /* duplicate key */
}

/* A 200 whose JSON ends early (a body cut short with a matching length) is
 * retried like a broken transfer, except for a submission: the node has
 * acted on it, so the garbled answer is reported after one attempt. */
Test(chain_rpc, cut_short_json_is_retried_except_for_submissions) {
  static const char *const cut[] = {
      "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":\"0x12", ""};
  for (size_t i = 0; i < 2; i++) {
    step steps[] = {{200, cut[i], false, 0}, {200, OK_STRING, false, 0}};
    fixture f;
    start(&f, steps, 2, NULL);
    json_t *res = NULL;
    sp_chain_error err;
    cr_assert_eq(call(&f, SP_RPC_STRING, &res, &err), 0, "%s", err.message);
    json_decref(res);
    cr_expect_eq(sp_rpc_attempts(f.rpc), 2, "body '%s'", cut[i]);
    stop(&f);

    start(&f, steps, 2, NULL);
    memset(&err, 0, sizeof err);
    int rc = sp_rpc_call(f.rpc, "author_submitExtrinsic",
                         json_pack("[s]", "0x00"), SP_RPC_STRING, &res, &err);
    cr_expect_eq(rc, -SP_CHAIN_EPROTOCOL, "%s", err.message);
    cr_expect(strstr(err.message, "not JSON") != NULL, "%s", err.message);
    cr_expect_eq(sp_rpc_attempts(f.rpc), 1);
    stop(&f);
  }
}

Test(chain_rpc, truncated_transfer_is_retried) {
  static const step steps[] = {
      {0,
       "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
       "Content-Length: 200\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":%lld,",
       true, 0},
      {200, OK_STRING, false, 0}};
  fixture f;
  start(&f, steps, 2, NULL);
  json_t *res;
  sp_chain_error err;
  cr_assert_eq(call(&f, SP_RPC_STRING, &res, &err), 0, "%s", err.message);
  json_decref(res);
  cr_expect_eq(sp_rpc_attempts(f.rpc), 2);
  stop(&f);
}

Test(chain_rpc, garbage_status_line_is_a_transport_error) {
  static const step steps[] = {{0, "SSH-2.0-OpenSSH %lld\r\n", true, 0}};
  fixture f;
  start(&f, steps, 1, NULL);
  json_t *res;
  sp_chain_error err;
  int rc = call(&f, SP_RPC_STRING, &res, &err);
  cr_expect_eq(rc, -SP_CHAIN_ETRANSPORT, "rc %d: %s", rc, err.message);
  /* curl calls it HTTP/0.9, which it refuses: another try cannot help. */
  cr_expect(strstr(err.message, "HTTP/0.9") != NULL, "%s", err.message);
  cr_expect_eq(sp_rpc_attempts(f.rpc), 1);
  stop(&f);
}

Test(chain_rpc, timeout_is_retried_then_reported) {
  static const step steps[] = {{200, OK_STRING, false, 400}};
  sp_rpc_options o = fast_options();
  o.timeout_ms = 100;
  o.max_retries = 1;
  fixture f;
  start(&f, steps, 1, &o);
  json_t *res;
  sp_chain_error err;
  cr_expect_eq(call(&f, SP_RPC_STRING, &res, &err), -SP_CHAIN_ETRANSPORT);
  cr_expect_eq(sp_rpc_attempts(f.rpc), 2);
  cr_expect(strstr(err.message, "attempt 2") != NULL, "%s", err.message);
  stop(&f);
}

Test(chain_rpc, connection_refused) {
  /* A port the stub held and released: nothing listens there any more.
   * Nothing to wait for: one attempt, a message naming the URL and what
   * to start. */
  sp_http_stub *stub = sp_http_stub_start(play, NULL);
  char url[64];
  snprintf(url, sizeof url, "%s", sp_http_stub_url(stub));
  sp_http_stub_stop(stub);
  sp_rpc_options o = fast_options();
  sp_rpc *rpc;
  cr_assert_eq(sp_rpc_open(&rpc, url, &o, NULL), 0);
  json_t *res;
  sp_chain_error err = {0};
  cr_expect_eq(sp_rpc_call(rpc, "system_health", NULL, SP_RPC_ANY, &res, &err),
               -SP_CHAIN_ETRANSPORT);
  cr_expect_eq(sp_rpc_attempts(rpc), 1);
  cr_expect(err.not_sent);
  cr_expect(strstr(err.message, url) && strstr(err.message, "refused") &&
                strstr(err.message, "bench mock-node"),
            "%s", err.message);
  sp_rpc_close(rpc);
}

Test(chain_rpc, refused_after_an_answer_is_a_restart_and_retried) {
  static const step steps[] = {{200, OK_STRING, false, 0}};
  script s = {.steps = steps, .nsteps = 1};
  sp_http_stub *stub = sp_http_stub_start(play, &s);
  sp_rpc_options o = fast_options();
  sp_rpc *rpc;
  cr_assert_eq(sp_rpc_open(&rpc, sp_http_stub_url(stub), &o, NULL), 0);
  json_t *res;
  sp_chain_error err = {0};
  cr_assert_eq(sp_rpc_call(rpc, "system_health", NULL, SP_RPC_ANY, &res, &err),
               0, "%s", err.message);
  json_decref(res);
  sp_http_stub_stop(stub);
  cr_expect_eq(sp_rpc_call(rpc, "system_health", NULL, SP_RPC_ANY, &res, &err),
               -SP_CHAIN_ETRANSPORT);
  cr_expect_eq(sp_rpc_attempts(rpc), 1 + 4, "retried: %s", err.message);
  sp_rpc_close(rpc);
}

Test(chain_rpc, oversized_response_is_refused) {
  static char big[8192];
  if (!big[0]) {
    strcpy(big, "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":\"0x");
    size_t n = strlen(big);
    memset(big + n, 'a', 6000);
    strcpy(big + n + 6000, "\"}");
  }
  step steps[1] = {{200, big, false, 0}};
  sp_rpc_options o = fast_options();
  o.max_response_bytes = 4096;
  fixture f;
  start(&f, steps, 1, &o);
  json_t *res;
  sp_chain_error err;
  cr_expect_eq(call(&f, SP_RPC_STRING, &res, &err), -SP_CHAIN_EPROTOCOL);
  cr_expect(strstr(err.message, "larger than 4096") != NULL, "%s", err.message);
  stop(&f);
}

Test(chain_rpc, hex_results) {
  static const step steps[] = {
      {200, OK_STRING, false, 0},
      {200, "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":null}", false, 0},
      {200, "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":\"0xzz\"}", false, 0},
      {200, "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":null}", false, 0},
      {200, "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":\"1234\"}", false, 0}};
  fixture f;
  start(&f, steps, 5, NULL);
  uint8_t *b;
  size_t n;
  bool found;
  sp_chain_error err = {0};
  cr_assert_eq(
      sp_rpc_call_hex(f.rpc, "state_getStorage", NULL, &found, &b, &n, &err),
      0);
  cr_expect(found && n == 2 && b[0] == 0x12 && b[1] == 0x34);
  free(b);
  cr_assert_eq(
      sp_rpc_call_hex(f.rpc, "state_getStorage", NULL, &found, &b, &n, &err),
      0);
  cr_expect(!found && b == NULL);
  cr_expect_eq(
      sp_rpc_call_hex(f.rpc, "state_getStorage", NULL, &found, &b, &n, &err),
      -SP_CHAIN_EPROTOCOL);
  /* null where a value is required */
  cr_expect_eq(
      sp_rpc_call_hex(f.rpc, "chain_getBlockHash", NULL, NULL, &b, &n, &err),
      -SP_CHAIN_EPROTOCOL);
  /* hex without the 0x prefix */
  cr_expect_eq(
      sp_rpc_call_hex(f.rpc, "chain_getBlockHash", NULL, NULL, &b, &n, &err),
      -SP_CHAIN_EPROTOCOL);
  stop(&f);
}

Test(chain_rpc, bad_arguments) {
  sp_rpc *rpc;
  sp_chain_error err = {0};
  cr_expect_eq(sp_rpc_open(&rpc, "nowhere", NULL, &err), -SP_CHAIN_EARG);
  sp_rpc_options o = fast_options();
  o.timeout_ms = 0;
  cr_expect_eq(sp_rpc_open(&rpc, "local", &o, &err), -SP_CHAIN_EARG);
  cr_assert_eq(sp_rpc_open(&rpc, "local", NULL, &err), 0);
  json_t *res;
  cr_expect_eq(sp_rpc_call(rpc, "x", json_object(), 0, &res, &err),
               -SP_CHAIN_EARG);
  sp_rpc_close(rpc);
}

/* The resend policy and the backoff, written once for both transports
 * (jsonrpc.h). */
Test(chain_rpc, resend_policy_is_one_table) {
  static const char *const methods[] = {"chain_getBlock",
                                        "author_submitExtrinsic",
                                        "author_submitAndWatchExtrinsic"};
  for (int m = 0; m < 3; m++) {
    bool submit = m > 0;
    cr_expect_eq(sp_rpc_changes_state(methods[m]), submit);
    cr_expect(sp_rpc_may_resend(methods[m], SP_RPC_FAIL_NOT_SENT));
    cr_expect(sp_rpc_may_resend(methods[m], SP_RPC_FAIL_NOT_PROCESSED));
    cr_expect_eq(sp_rpc_may_resend(methods[m], SP_RPC_FAIL_MAYBE_SENT), !submit,
                 "%s", methods[m]);
    cr_expect_eq(sp_rpc_may_resend(methods[m], SP_RPC_FAIL_GARBLED), !submit);
    cr_expect(!sp_rpc_may_resend(methods[m], SP_RPC_FAIL_FINAL));
  }
}

Test(chain_rpc, result_type_check_follows_the_mask) {
  json_t *vals[] = {json_string("0x"), json_object(), json_array(),
                    json_integer(7),   json_true(),   json_null(),
                    json_real(1.5)};
  const unsigned masks[] = {SP_RPC_STRING,
                            SP_RPC_OBJECT,
                            SP_RPC_ARRAY,
                            SP_RPC_INTEGER,
                            SP_RPC_BOOL,
                            SP_RPC_NULL,
                            0 /* a real number: no mask */};
  for (size_t v = 0; v < 7; v++) {
    cr_expect(sp_rpc_result_type_ok(vals[v], SP_RPC_ANY), "value %zu", v);
    for (size_t m = 0; m < 6; m++)
      cr_expect_eq(sp_rpc_result_type_ok(vals[v], masks[m]),
                   masks[v] == masks[m], "value %zu, mask %zu", v, m);
    cr_expect_eq(sp_rpc_result_type_ok(vals[v], SP_RPC_STRING | SP_RPC_NULL),
                 v == 0 || v == 5, "value %zu", v);
    json_decref(vals[v]);
  }
}

Test(chain_rpc, backoff_doubles_with_equal_jitter_within_the_budget) {
  sp_rpc_options o = fast_options();
  o.backoff_initial_ms = 100;
  o.backoff_max_ms = 800;
  uint64_t rng = 7;
  for (int retry = 1; retry <= 6; retry++) {
    long step = 100L << (retry - 1);
    if (step > 800) step = 800;
    for (int i = 0; i < 50; i++) {
      long w = sp_rpc_backoff_ms(&o, &rng, retry);
      cr_expect(w >= step / 2 && w <= step, "retry %d: %ld not in [%ld, %ld]",
                retry, w, step / 2, step);
    }
  }
  /* never past the deadline */
  o.deadline_s = sp_monotonic_seconds() + 0.05;
  cr_expect_leq(sp_rpc_backoff_ms(&o, &rng, 6), 50);
  o.deadline_s = sp_monotonic_seconds() - 1;
  cr_expect_eq(sp_rpc_backoff_ms(&o, &rng, 6), 0);
}
