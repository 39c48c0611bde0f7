/* The JSON-RPC layer above the transports (see jsonrpc.h). */
#include "chain/client/jsonrpc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "common/rng.h"
#include "common/sanitize.h"

void sp_rpc_options_default(sp_rpc_options *o) {
  o->connect_timeout_ms = 10000;
  o->timeout_ms = 60000;
  o->max_retries = 4;
  o->backoff_initial_ms = 250;
  o->backoff_max_ms = 8000;
  o->max_response_bytes = (size_t)64 << 20;
  o->jitter_seed = 0;
  o->transport = SP_RPC_TRANSPORT_AUTO;
  o->ws_ping_s = 20;
  o->ws_hangup_s = 40;
  o->deadline_s = 0;
}

long sp_rpc_budget_ms(const sp_rpc_options *o, long want_ms) {
  if (o->deadline_s <= 0) return want_ms;
  double left = (o->deadline_s - sp_monotonic_seconds()) * 1000.0;
  if (left <= 0) return 0;
  if (left < (double)want_ms) return left < 1.0 ? 1 : (long)left;
  return want_ms;
}

int sp_rpc_fail_refused(sp_chain_error *err, const char *method,
                        const char *url) {
  int rc = sp_chain_fail(err, SP_CHAIN_ETRANSPORT,
                         "%s: connection refused by %s: no node listens "
                         "there; start one (`bench mock-node` for a test "
                         "chain, or a local subtensor node) or pick another "
                         "--network",
                         method, url);
  if (err) err->not_sent = true;
  return rc;
}

int sp_rpc_fail_deadline(sp_chain_error *err, const char *method,
                         const char *url, int attempt) {
  return sp_chain_fail(err, SP_CHAIN_ETRANSPORT,
                       "%s: %s: the time limit ran out (attempt %d)", method,
                       url, attempt);
}

long sp_rpc_backoff_ms(const sp_rpc_options *o, uint64_t *rng, int retry) {
  long step = o->backoff_initial_ms;
  for (int i = 1; i < retry && step < o->backoff_max_ms; i++)
    step *= 2;
  if (step > o->backoff_max_ms) step = o->backoff_max_ms;
  if (step <= 0) return 0;
  long wait = step / 2 + (long)(sp_rng_next(rng) % (uint64_t)(step / 2 + 1));
  return sp_rpc_budget_ms(o, wait);
}

bool sp_rpc_may_resend(const char *method, sp_rpc_failure f) {
  switch (f) {
  case SP_RPC_FAIL_NOT_SENT:
  case SP_RPC_FAIL_NOT_PROCESSED: return true;
  case SP_RPC_FAIL_MAYBE_SENT:
  case SP_RPC_FAIL_GARBLED: return !sp_rpc_changes_state(method);
  case SP_RPC_FAIL_FINAL:
  default: return false;
  }
}

/* Methods that change the node's state. A request of theirs is not sent
 * again after the node answered it, even garbled: the node has acted on it
 * (a resent extrinsic is refused as already imported or outdated, which
 * would hide that the first one is in the pool). The caller learns of the
 * garbled answer and must treat the outcome as unknown. */
bool sp_rpc_changes_state(const char *method) {
  return strncmp(method, "author_submit", 13) == 0;
}

static const char *type_name(const json_t *v) {
  switch (json_typeof(v)) {
  case JSON_OBJECT: return "an object";
  case JSON_ARRAY: return "an array";
  case JSON_STRING: return "a string";
  case JSON_INTEGER: return "an integer";
  case JSON_REAL: return "a number";
  case JSON_TRUE:
  case JSON_FALSE: return "a boolean";
  default: return "null";
  }
}

bool sp_rpc_result_type_ok(const json_t *v, unsigned expect) {
  if (expect == SP_RPC_ANY) return true;
  switch (json_typeof(v)) {
  case JSON_STRING: return expect & SP_RPC_STRING;
  case JSON_OBJECT: return expect & SP_RPC_OBJECT;
  case JSON_ARRAY: return expect & SP_RPC_ARRAY;
  case JSON_INTEGER: return expect & SP_RPC_INTEGER;
  case JSON_TRUE:
  case JSON_FALSE: return expect & SP_RPC_BOOL;
  case JSON_NULL: return expect & SP_RPC_NULL;
  default: return false;
  }
}

int sp_rpc_check_response(const char *body, size_t body_len, const char *method,
                          int64_t id, unsigned expect, json_t **result,
                          bool *cut_short, sp_chain_error *err) {
  char q[SP_EXCERPT_SIZE];
  json_error_t jerr;
  if (cut_short) *cut_short = false;
  json_t *doc = json_loadb(body ? body : "", body ? body_len : 0,
                           JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
  if (!doc) {
    /* Only a body that ends too early: duplicate keys or a bad token are
     * what the node sent, and would come back the same. */
    if (cut_short)
      *cut_short = json_error_code(&jerr) == json_error_premature_end_of_input;
    return sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                         "%s: the response is not JSON (%s): \"%s\"", method,
                         jerr.text, sp_excerpt(body, body ? body_len : 0, q));
  }
  int rc = 0;
  json_t *version = json_object_get(doc, "jsonrpc");
  json_t *rid = json_object_get(doc, "id");
  json_t *res = json_object_get(doc, "result");
  json_t *error = json_object_get(doc, "error");
  if (!json_is_object(doc)) {
    rc = sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                       "%s: the response is %s, not a JSON-RPC object", method,
                       type_name(doc));
  } else if (!json_is_string(version) ||
             strcmp(json_string_value(version), "2.0") != 0) {
    rc = sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                       "%s: the response lacks \"jsonrpc\": \"2.0\": \"%s\"",
                       method, sp_excerpt(body, body_len, q));
  } else if (!json_is_integer(rid) || json_integer_value(rid) != id) {
    if (json_is_integer(rid))
      rc = sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                         "%s: response id %" JSON_INTEGER_FORMAT
                         " does not match request id %lld",
                         method, json_integer_value(rid), (long long)id);
    else
      rc = sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                         "%s: response id is %s, request id was %lld", method,
                         rid ? type_name(rid) : "missing", (long long)id);
  } else if (res && error) {
    rc = sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                       "%s: the response has both \"result\" and \"error\"",
                       method);
  } else if (error) {
    /* A code is optional: Chopsticks' HTTP answers carry only a message
     * (docs/real-runtime.md), e.g. {"message": "{\"invalid\":
     * {\"custom\":4}}"} for a transaction the pool refused; the message
     * is what the user needs. A code that is there must be an integer. */
    json_t *code = json_object_get(error, "code");
    json_t *message = json_object_get(error, "message");
    if (!json_is_object(error) || (code != NULL && !json_is_integer(code)) ||
        !json_is_string(message)) {
      rc = sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                         "%s: malformed JSON-RPC error object: \"%s\"", method,
                         sp_excerpt(body, body_len, q));
    } else {
      json_t *data = json_object_get(error, "data");
      char *data_text =
          data ? json_dumps(data, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
      if (code != NULL)
        rc = sp_chain_fail(
            err, SP_CHAIN_ERPC,
            "%s: the node answered error %" JSON_INTEGER_FORMAT ": %s%s%s",
            method, json_integer_value(code), json_string_value(message),
            data_text ? ": " : "", data_text ? data_text : "");
      else
        rc = sp_chain_fail(err, SP_CHAIN_ERPC,
                           "%s: the node answered an error without a code: "
                           "%s%s%s",
                           method, json_string_value(message),
                           data_text ? ": " : "", data_text ? data_text : "");
      free(data_text);
      if (err) err->rpc_code = code ? json_integer_value(code) : 0;
    }
  } else if (!res) {
    rc = sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                       "%s: the response has neither \"result\" nor "
                       "\"error\": \"%s\"",
                       method, sp_excerpt(body, body_len, q));
  } else if (!sp_rpc_result_type_ok(res, expect)) {
    rc =
        sp_chain_fail(err, SP_CHAIN_EPROTOCOL, "%s: unexpected result type: %s",
                      method, type_name(res));
  } else {
    *result = json_incref(res);
  }
  json_decref(doc);
  return rc;
}

int sp_rpc_parse_response(const char *body, size_t len, const char *method,
                          int64_t id, unsigned expect, json_t **result,
                          sp_chain_error *err) {
  *result = NULL;
  return sp_rpc_check_response(body, len, method ? method : "?", id, expect,
                               result, NULL, err);
}

/* The request text of one attempt; NULL without memory. */
static char *request_text(int64_t id, const char *method,
                          const json_t *params) {
  json_t *req =
      json_pack("{s:s,s:I,s:s,s:O}", "jsonrpc", "2.0", "id", (json_int_t)id,
                "method", method, "params", (json_t *)params);
  char *text = req ? json_dumps(req, JSON_COMPACT) : NULL;
  json_decref(req);
  return text;
}

/* Waits before retry number `retry` (sp_rpc_backoff_ms), never past the
 * deadline. */
static void backoff(const sp_rpc_wire *w, int retry) {
  if (w->rng_lock) pthread_mutex_lock(w->rng_lock);
  long wait = sp_rpc_backoff_ms(w->opts, w->rng, retry);
  if (w->rng_lock) pthread_mutex_unlock(w->rng_lock);
  struct timespec ts = {wait / 1000, (wait % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0) {
  }
}

int sp_rpc_run(const sp_rpc_wire *w, const char *method, const json_t *params,
               unsigned expect, json_t **result, sp_chain_error *err) {
  const sp_rpc_options *o = w->opts;
  *result = NULL;
  int64_t id = w->next_id(w->ctx);
  char *text = request_text(id, method, params);
  if (!text) return sp_chain_fail(err, SP_CHAIN_ENOMEM, "out of memory");
  int rc = 0;
  for (int attempt = 0; attempt <= o->max_retries; attempt++) {
    if (attempt > 0) backoff(w, attempt);
    /* Each attempt gets what is left of the caller's budget. */
    long left = sp_rpc_budget_ms(o, o->timeout_ms > 0 ? o->timeout_ms : 1);
    if (left <= 0) {
      /* nothing sent now; an earlier attempt may have been */
      bool none_sent = attempt == 0 || (err && err->not_sent);
      rc = sp_rpc_fail_deadline(err, method, w->url, attempt + 1);
      if (err) err->not_sent = none_sent;
      break;
    }
    if (attempt > 0 && w->new_id_per_attempt) {
      free(text);
      id = w->next_id(w->ctx);
      text = request_text(id, method, params);
      if (!text) return sp_chain_fail(err, SP_CHAIN_ENOMEM, "out of memory");
    }
    sp_rpc_attempt a = {.method = method,
                        .id = id,
                        .text = text,
                        .len = strlen(text),
                        .number = attempt + 1,
                        .wait_ms = left,
                        .failure = SP_RPC_FAIL_FINAL};
    rc = w->exchange(w->ctx, &a, err);
    if (rc == 0) {
      /* An answer whose JSON ends early was cut short on the way (a
       * JSON-RPC server never answers so on purpose): like a transfer that
       * broke off, it is retried, unless the method changes state. */
      bool cut_short = false;
      rc = sp_rpc_check_response(a.answer, a.answer_len, method, id, expect,
                                 result, &cut_short, err);
      if (rc && cut_short && sp_rpc_may_resend(method, SP_RPC_FAIL_GARBLED))
        continue;
      break;
    }
    if (sp_rpc_may_resend(method, a.failure)) continue;
    if (a.unknown_note) sp_chain_error_wrap(err, rc, "%s", a.unknown_note);
    break;
  }
  free(text);
  return rc;
}
