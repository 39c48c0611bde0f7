/* JSON-RPC 2.0 over HTTP(S) with libcurl (see rpc.h). */
#include "chain/client/rpc.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chain/client/endpoint.h"
#include "chain/client/ws.h"
#include "common/clock.h"
#include "common/hex.h"
#include "common/rng.h"
#include "common/sanitize.h"
#include "common/version.h"

struct sp_rpc {
  sp_ws *ws; /* WebSocket transport (then nothing below but url is used) */
  CURL *curl;
  struct curl_slist *headers;
  char url[1024];
  sp_rpc_options opts;
  int64_t next_id;
  uint64_t attempts;
  bool answered; /* the node answered once (a later refusal is a restart) */
  uint64_t rng;
  /* the body of the response being received */
  char *body;
  size_t body_len, body_cap;
  bool body_too_large;
  char curl_error[CURL_ERROR_SIZE];
};

/* -1: not a transport name (rpc.h says why -1). */
int sp_rpc_transport_parse(const char *name, sp_rpc_transport *out) {
  if (name && strcmp(name, "http") == 0)
    *out = SP_RPC_TRANSPORT_HTTP;
  else if (name && strcmp(name, "ws") == 0)
    *out = SP_RPC_TRANSPORT_WS;
  else
    return -1;
  return 0;
}

struct sp_ws *sp_rpc_ws(const sp_rpc *rpc) {
  return rpc ? rpc->ws : NULL;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_result;
static void curl_init(void) {
  curl_init_result = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *user) {
  sp_rpc *rpc = user;
  size_t n = size * nmemb;
  if (rpc->body_len + n + 1 > rpc->opts.max_response_bytes) {
    rpc->body_too_large = true;
    return 0; /* makes curl stop with CURLE_WRITE_ERROR */
  }
  if (rpc->body_len + n + 1 > rpc->body_cap) {
    size_t cap = rpc->body_cap ? rpc->body_cap : 16384;
    while (cap < rpc->body_len + n + 1)
      cap *= 2;
    char *grown = realloc(rpc->body, cap);
    if (!grown) return 0;
    rpc->body = grown;
    rpc->body_cap = cap;
  }
  memcpy(rpc->body + rpc->body_len, data, n);
  rpc->body_len += n;
  rpc->body[rpc->body_len] = '\0';
  return n;
}

int sp_rpc_open(sp_rpc **out, const char *network_or_url,
                const sp_rpc_options *opts, sp_chain_error *err) {
  *out = NULL;
  sp_rpc_options o;
  if (opts)
    o = *opts;
  else
    sp_rpc_options_default(&o);
  if (o.connect_timeout_ms <= 0 || o.timeout_ms <= 0 || o.max_retries < 0 ||
      o.backoff_initial_ms < 0 || o.backoff_max_ms < o.backoff_initial_ms ||
      o.max_response_bytes < 64)
    return sp_chain_fail(err, SP_CHAIN_EARG, "invalid RPC options");
  sp_rpc *rpc = calloc(1, sizeof *rpc);
  if (!rpc) return sp_chain_fail(err, SP_CHAIN_ENOMEM, "out of memory");
  bool use_ws = o.transport == SP_RPC_TRANSPORT_WS ||
                (o.transport == SP_RPC_TRANSPORT_AUTO &&
                 sp_endpoint_is_ws(network_or_url));
  if (use_ws) {
    int rc =
        sp_endpoint_resolve_ws(network_or_url, rpc->url, sizeof rpc->url, err);
    if (!rc) rc = sp_ws_open(&rpc->ws, rpc->url, &o, err);
    if (rc) {
      free(rpc);
      return rc;
    }
    rpc->opts = o;
    *out = rpc;
    return 0;
  }
  int rc = sp_endpoint_resolve(network_or_url, rpc->url, sizeof rpc->url, err);
  if (rc) {
    free(rpc);
    return rc;
  }
  pthread_once(&curl_once, curl_init);
  if (curl_init_result != CURLE_OK || !(rpc->curl = curl_easy_init())) {
    free(rpc);
    return sp_chain_fail(err, SP_CHAIN_ENOMEM, "libcurl failed to start");
  }
  rpc->opts = o;
  rpc->next_id = 1;
  rpc->rng = o.jitter_seed ? o.jitter_seed : sp_rng_seed();
  rpc->headers = curl_slist_append(NULL, "Content-Type: application/json");
  rpc->headers = curl_slist_append(rpc->headers, "Accept: application/json");
  /* No "Expect: 100-continue" round trip before large bodies (extrinsics
   * of a few KB): Substrate nodes answer the POST directly. */
  rpc->headers = curl_slist_append(rpc->headers, "Expect:");
  CURL *c = rpc->curl;
  curl_easy_setopt(c, CURLOPT_URL, rpc->url);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, rpc->headers);
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, rpc);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, rpc->curl_error);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, o.connect_timeout_ms);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, o.timeout_ms);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, ""); /* gzip if offered */
  curl_easy_setopt(c, CURLOPT_USERAGENT, sp_user_agent());
  *out = rpc;
  return 0;
}

void sp_rpc_close(sp_rpc *rpc) {
  if (!rpc) return;
  sp_ws_close(rpc->ws);
  if (rpc->curl) curl_easy_cleanup(rpc->curl);
  curl_slist_free_all(rpc->headers);
  free(rpc->body);
  free(rpc);
}

const char *sp_rpc_url(const sp_rpc *rpc) { return rpc->url; }
uint64_t sp_rpc_attempts(const sp_rpc *rpc) {
  if (rpc->ws) {
    sp_ws_stats st;
    sp_ws_stats_get(rpc->ws, &st);
    return st.attempts;
  }
  return rpc->attempts;
}

/* Errors curl reports that another attempt cannot fix. */
static bool permanent(CURLcode code) {
  switch (code) {
  case CURLE_UNSUPPORTED_PROTOCOL:
  case CURLE_URL_MALFORMAT:
  case CURLE_NOT_BUILT_IN:
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_SSL_CACERT_BADFILE:
  case CURLE_SSL_CERTPROBLEM:
  case CURLE_WRITE_ERROR:
  case CURLE_OUT_OF_MEMORY: return true;
  default: return false;
  }
}

/* A transport failure after which the request cannot have reached the node
 * (nothing was sent); after any other (a timeout, a reset, a body cut off)
 * the node may have it (jsonrpc.h's resend policy). */
static bool never_sent(CURLcode code) {
  return code == CURLE_COULDNT_RESOLVE_HOST ||
         code == CURLE_COULDNT_RESOLVE_PROXY || code == CURLE_COULDNT_CONNECT;
}

static int64_t http_next_id(void *ctx) {
  sp_rpc *rpc = ctx;
  return rpc->next_id++;
}

/* One POST of a->text (sp_rpc_wire.exchange): the answer is an HTTP 200's
 * body; a transport failure or another status is a failure of the kind
 * jsonrpc.h's resend policy weighs. */
static int http_exchange(void *ctx, sp_rpc_attempt *a, sp_chain_error *err) {
  sp_rpc *rpc = ctx;
  const char *method = a->method;
  int attempt = a->number - 1;
  long left = a->wait_ms;
  curl_easy_setopt(rpc->curl, CURLOPT_POSTFIELDS, a->text);
  curl_easy_setopt(rpc->curl, CURLOPT_POSTFIELDSIZE, (long)a->len);
  curl_easy_setopt(rpc->curl, CURLOPT_TIMEOUT_MS, left);
  curl_easy_setopt(rpc->curl, CURLOPT_CONNECTTIMEOUT_MS,
                   left < rpc->opts.connect_timeout_ms
                       ? left
                       : rpc->opts.connect_timeout_ms);
  rpc->body_len = 0;
  rpc->body_too_large = false;
  rpc->curl_error[0] = '\0';
  rpc->attempts++;
  CURLcode code = curl_easy_perform(rpc->curl);
  if (code != CURLE_OK) {
    a->failure = SP_RPC_FAIL_FINAL;
    if (rpc->body_too_large)
      return sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                           "%s: the response is larger than %zu bytes", method,
                           rpc->opts.max_response_bytes);
    int rc = sp_chain_fail(
        err, SP_CHAIN_ETRANSPORT, "%s: %s: %s (attempt %d)", method, rpc->url,
        rpc->curl_error[0] ? rpc->curl_error : curl_easy_strerror(code),
        attempt + 1);
    if (err) err->not_sent = never_sent(code);
    long os_errno = 0;
    curl_easy_getinfo(rpc->curl, CURLINFO_OS_ERRNO, &os_errno);
    if (code == CURLE_COULDNT_CONNECT && os_errno == ECONNREFUSED &&
        !rpc->answered)
      return sp_rpc_fail_refused(err, method, rpc->url);
    if (!permanent(code))
      a->failure =
          never_sent(code) ? SP_RPC_FAIL_NOT_SENT : SP_RPC_FAIL_MAYBE_SENT;
    return rc;
  }
  rpc->answered = true;
  long status = 0;
  curl_easy_getinfo(rpc->curl, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) {
    char q[SP_EXCERPT_SIZE];
    int rc = sp_chain_fail(err, SP_CHAIN_EHTTP,
                           "%s: %s answered HTTP %ld (attempt %d): \"%s\"",
                           method, rpc->url, status, attempt + 1,
                           sp_excerpt(rpc->body, rpc->body_len, q));
    if (err) err->http_status = status;
    /* 429 and 503 say the request was not processed; another 5xx (a
     * proxy whose upstream broke off) may follow a submission the node
     * took. */
    a->failure = status == 429 || status == 503 ? SP_RPC_FAIL_NOT_PROCESSED
                 : status >= 500                ? SP_RPC_FAIL_MAYBE_SENT
                                                : SP_RPC_FAIL_FINAL;
    return rc;
  }
  a->answer = rpc->body;
  a->answer_len = rpc->body_len;
  return 0;
}

int sp_rpc_call(sp_rpc *rpc, const char *method, json_t *params,
                unsigned expect, json_t **result, sp_chain_error *err) {
  *result = NULL;
  if (!params) params = json_array();
  if (!rpc || !method || !json_is_array(params)) {
    json_decref(params);
    return sp_chain_fail(err, SP_CHAIN_EARG,
                         "sp_rpc_call needs a client, a method and an array "
                         "of parameters");
  }
  if (rpc->ws) return sp_ws_call(rpc->ws, method, params, expect, result, err);
  /* libcurl resends a request by itself when a reused keep-alive
   * connection closes without an answer (it takes the connection for
   * stale): for a submission that is a blind resend of an extrinsic the
   * node may have taken. A fresh connection is never retried so. */
  curl_easy_setopt(rpc->curl, CURLOPT_FRESH_CONNECT,
                   sp_rpc_changes_state(method) ? 1L : 0L);
  sp_rpc_wire wire = {.exchange = http_exchange,
                      .next_id = http_next_id,
                      .new_id_per_attempt = false,
                      .ctx = rpc,
                      .opts = &rpc->opts,
                      .url = rpc->url,
                      .rng = &rpc->rng,
                      .rng_lock = NULL};
  int rc = sp_rpc_run(&wire, method, params, expect, result, err);
  json_decref(params);
  curl_easy_setopt(rpc->curl, CURLOPT_POSTFIELDS, NULL);
  curl_easy_setopt(rpc->curl, CURLOPT_FRESH_CONNECT, 0L);
  return rc;
}

int sp_rpc_call_hex(sp_rpc *rpc, const char *method, json_t *params,
                    bool *found, uint8_t **bytes, size_t *len,
                    sp_chain_error *err) {
  *bytes = NULL;
  *len = 0;
  json_t *res;
  unsigned expect = SP_RPC_STRING | (found ? SP_RPC_NULL : 0);
  int rc = sp_rpc_call(rpc, method, params, expect, &res, err);
  if (rc) return rc;
  if (json_is_null(res)) {
    *found = false;
    json_decref(res);
    return 0;
  }
  const char *hex = json_string_value(res);
  size_t cap = strlen(hex) / 2 + 1;
  uint8_t *buf = malloc(cap);
  if (!buf) {
    json_decref(res);
    return sp_chain_fail(err, SP_CHAIN_ENOMEM, "out of memory");
  }
  size_t n;
  if (strncmp(hex, "0x", 2) != 0 || sp_hex_decode(hex, 0, buf, cap, &n) != 0) {
    /* Say what is wrong with it: a truncated or odd-length value is not the
     * same fault as one without the prefix. */
    char q[SP_EXCERPT_SIZE], why[96];
    size_t digits = strlen(hex) - (strncmp(hex, "0x", 2) == 0 ? 2 : 0);
    size_t bad = strspn(hex + 2, "0123456789abcdefABCDEF");
    if (strncmp(hex, "0x", 2) != 0)
      snprintf(why, sizeof why, "does not start with \"0x\"");
    else if (hex[2 + bad] != '\0')
      snprintf(why, sizeof why, "has a non-hex character at offset %zu",
               2 + bad);
    else if (digits % 2 != 0)
      snprintf(why, sizeof why,
               "has an odd number of hex digits (%zu: truncated?)", digits);
    else
      snprintf(why, sizeof why, "is not hex");
    rc = sp_chain_fail(err, SP_CHAIN_EPROTOCOL, "%s: the result %s: \"%s\"",
                       method, why, sp_excerpt(hex, strlen(hex), q));
    free(buf);
    json_decref(res);
    return rc;
  }
  json_decref(res);
  if (found) *found = true;
  *bytes = buf;
  *len = n;
  return 0;
}
