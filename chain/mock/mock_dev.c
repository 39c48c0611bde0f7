/* The mock node's test controls over JSON-RPC, named and shaped as
 * Chopsticks' (docs/real-runtime.md), so that one test driver
 * (regress/realchain/run.mjs) moves the mock and the real runtime alike:
 *
 *   dev_newBlock [{"count": N}]          makes N blocks now (1..1000, default
 *                                        1), also while the producer is
 *                                        stalled; returns the last one's hash
 *   dev_setStorage [[[KEY, VALUE], ...]] raw storage writes (hex; a null
 *                                        VALUE deletes); returns the best
 *                                        block's hash. Chopsticks also takes
 *                                        {Pallet: {Item: ...}} objects: the
 *                                        mock does not (a client encodes
 *                                        them with the node's metadata)
 *   author_pendingExtrinsics []          the pool, as hex extrinsics
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain/codec/scale_type.h"
#include "chain/mock/mock_dev.h"

/* The most blocks one dev_newBlock makes: a bound on the time it holds. */
#define MAX_NEW_BLOCKS 1000
/* A storage key or value larger than this is refused (the mock's values
 * are small; a bound on memory). */
#define MAX_RAW_HEX 65536

static void fail(sp_rpc_reply *r, const char *message) {
  r->error_code = SP_RPC_INVALID_PARAMS;
  snprintf(r->error_message, sizeof r->error_message, "%s", message);
}

static bool is_hex(const char *s) {
  if (s == NULL || strncmp(s, "0x", 2) != 0) return false;
  size_t len = strlen(s + 2);
  if (len % 2 != 0 || len > MAX_RAW_HEX) return false;
  for (const char *p = s + 2; *p; p++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') ||
          (*p >= 'A' && *p <= 'F')))
      return false;
  return true;
}

/* The mock keeps storage keys and values in lowercase hex. */
static json_t *lower_hex(const char *s) {
  char *copy = strdup(s);
  if (copy == NULL) return NULL;
  for (char *p = copy; *p; p++)
    if (*p >= 'A' && *p <= 'F') *p = (char)(*p - 'A' + 'a');
  json_t *j = json_string(copy);
  free(copy);
  return j;
}

static void new_block(sp_mock_node *n, mock_produce_fn produce, json_t *params,
                      sp_rpc_reply *r) {
  json_t *opts = json_array_get(params, 0);
  json_int_t count = 1;
  if (opts != NULL && !json_is_null(opts)) {
    json_t *c = json_object_get(opts, "count");
    if (!json_is_object(opts) || (c != NULL && !json_is_integer(c))) {
      fail(r, "Invalid params: expected [{\"count\": N}]");
      return;
    }
    if (c != NULL) count = json_integer_value(c);
  }
  if (count < 1 || count > MAX_NEW_BLOCKS) {
    fail(r, "Invalid params: count must be 1 to 1000");
    return;
  }
  for (json_int_t i = 0; i < count; i++)
    produce(n);
  pthread_mutex_lock(&n->lock);
  r->result = sp_json_hex(mock_best(n)->hash, 32);
  pthread_mutex_unlock(&n->lock);
}

static void set_storage(sp_mock_node *n, json_t *params, sp_rpc_reply *r) {
  json_t *pairs = json_array_get(params, 0);
  if (!json_is_array(pairs) || json_array_size(params) > 1) {
    fail(r, "Invalid params: the mock takes [[[key, value], ...]] (raw hex; "
            "no block hash)");
    return;
  }
  size_t i;
  json_t *pair;
  json_array_foreach(pairs, i, pair) {
    json_t *v = json_array_get(pair, 1);
    if (!json_is_array(pair) || json_array_size(pair) != 2 ||
        !is_hex(json_string_value(json_array_get(pair, 0))) ||
        !(json_is_null(v) || is_hex(json_string_value(v)))) {
      fail(r, "Invalid params: each pair must be [\"0x<key>\", \"0x<value>\" "
              "or null]");
      return;
    }
  }
  /* All checked first: a refused call changes nothing. */
  pthread_mutex_lock(&n->lock);
  json_array_foreach(pairs, i, pair) {
    json_t *key = lower_hex(json_string_value(json_array_get(pair, 0)));
    json_t *v = json_array_get(pair, 1);
    if (key == NULL) break;
    if (json_is_null(v))
      json_object_del(n->storage, json_string_value(key));
    else
      json_object_set_new(n->storage, json_string_value(key),
                          lower_hex(json_string_value(v)));
    json_decref(key);
  }
  r->result = sp_json_hex(mock_best(n)->hash, 32);
  pthread_mutex_unlock(&n->lock);
}

static void pending(sp_mock_node *n, sp_rpc_reply *r) {
  pthread_mutex_lock(&n->lock);
  json_t *list = json_array();
  for (size_t i = 0; list != NULL && i < n->n_pool; i++)
    json_array_append_new(list, sp_json_hex(n->pool[i].bytes, n->pool[i].len));
  pthread_mutex_unlock(&n->lock);
  r->result = list;
}

bool mock_dev_handle(sp_mock_node *n, mock_produce_fn produce,
                     const char *method, json_t *params, sp_rpc_reply *r) {
  if (strcmp(method, "dev_newBlock") == 0)
    new_block(n, produce, params, r);
  else if (strcmp(method, "dev_setStorage") == 0)
    set_storage(n, params, r);
  else if (strcmp(method, "author_pendingExtrinsics") == 0)
    pending(n, r);
  else
    return false;
  return true;
}
