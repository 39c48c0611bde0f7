/* The mock node's request dispatch; see rpc_dispatch.h. */
#include "chain/mock/rpc_dispatch.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "common/rng.h"

struct mock_dispatch {
  sp_rpc_handler handler;
  void *user;
  pthread_mutex_t lock; /* guards faults and rng */
  sp_rpc_faults faults;
  uint64_t rng;
  atomic_uint_fast64_t requests;
};

mock_dispatch *mock_dispatch_create(sp_rpc_handler handler, void *user,
                                    uint64_t seed) {
  mock_dispatch *d = calloc(1, sizeof *d);
  if (d == NULL) return NULL;
  d->handler = handler;
  d->user = user;
  d->rng = seed;
  pthread_mutex_init(&d->lock, NULL);
  return d;
}

void mock_dispatch_free(mock_dispatch *d) {
  if (d == NULL) return;
  pthread_mutex_destroy(&d->lock);
  free(d);
}

static json_t *error_object(json_t *id, int code, const char *message,
                            json_t *data) {
  json_t *err = json_pack("{s:i, s:s}", "code", code, "message", message);
  if (data != NULL) json_object_set_new(err, "data", data);
  return json_pack("{s:s, s:o, s:O}", "jsonrpc", "2.0", "error", err, "id",
                   id ? id : json_null());
}

json_t *mock_dispatch_text(mock_dispatch *s, const char *body, size_t len) {
  json_error_t je;
  /* JSON_DECODE_ANY: a scalar is valid JSON, so an Invalid Request (-32600)
   * rather than a Parse error (JSON-RPC 2.0 section 5.1). */
  json_t *req = json_loadb(body, len, JSON_DECODE_ANY, &je);
  if (req == NULL)
    return error_object(NULL, SP_RPC_PARSE_ERROR, "Parse error", NULL);
  json_t *id = json_object_get(req, "id");
  const char *method = json_string_value(json_object_get(req, "method"));
  json_t *params = json_object_get(req, "params");
  const char *version = json_string_value(json_object_get(req, "jsonrpc"));
  if (!json_is_object(req) || method == NULL || version == NULL ||
      strcmp(version, "2.0") != 0 ||
      (params != NULL && !json_is_array(params) && !json_is_object(params))) {
    json_t *out =
        error_object(id, SP_RPC_INVALID_REQUEST, "Invalid request", NULL);
    json_decref(req);
    return out;
  }
  json_t *empty = NULL;
  if (params == NULL) params = empty = json_array();
  sp_rpc_reply reply = {0};
  s->handler(s->user, method, params, &reply);
  json_t *out;
  if (reply.error_code != 0) {
    json_decref(reply.result);
    out = error_object(id, reply.error_code, reply.error_message,
                       reply.error_data);
  } else {
    out = json_pack("{s:s, s:o, s:O}", "jsonrpc", "2.0", "result",
                    reply.result ? reply.result : json_null(), "id",
                    id ? id : json_null());
  }
  json_decref(empty);
  json_decref(req);
  return out;
}

void mock_dispatch_handle(mock_dispatch *d, const char *method, json_t *params,
                          sp_rpc_reply *reply) {
  json_t *empty = params ? NULL : json_array();
  d->handler(d->user, method, params ? params : empty, reply);
  json_decref(empty);
}

json_t *mock_dispatch_call(mock_dispatch *d, const char *method,
                           json_t *params) {
  sp_rpc_reply reply = {0};
  mock_dispatch_handle(d, method, params, &reply);
  json_decref(reply.error_data);
  if (reply.error_code != 0) {
    json_decref(reply.result);
    return NULL;
  }
  return reply.result ? reply.result : json_null();
}

void mock_dispatch_set_faults(mock_dispatch *d, const sp_rpc_faults *f) {
  pthread_mutex_lock(&d->lock);
  d->faults = *f;
  pthread_mutex_unlock(&d->lock);
}

void mock_dispatch_roll(mock_dispatch *d, sp_rpc_faults *f, unsigned *roll) {
  pthread_mutex_lock(&d->lock);
  *f = d->faults;
  *roll = (unsigned)(sp_rng_next(&d->rng) % 1000);
  pthread_mutex_unlock(&d->lock);
}

bool mock_dispatch_lose_submit(mock_dispatch *d) {
  pthread_mutex_lock(&d->lock);
  bool lose = d->faults.lose_submit_answers > 0;
  if (lose) d->faults.lose_submit_answers--;
  pthread_mutex_unlock(&d->lock);
  return lose;
}

void mock_dispatch_count(mock_dispatch *d) {
  atomic_fetch_add(&d->requests, 1);
}

uint64_t mock_dispatch_requests(const mock_dispatch *d) {
  return atomic_load(&((mock_dispatch *)d)->requests);
}
