/* A submission watched through author_submitAndWatchExtrinsic (see
 * client.h, sp_chain_submit_watch_ws). */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "chain/client/client.h"
#include "chain/client/ws.h"
#include "chain/codec/scale_type.h"
#include "reference/reference.h"

#define MAX_QUEUED 64

/* What the subscription's callback hands to the watching thread. */
typedef struct status_queue {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  json_t *items[MAX_QUEUED]; /* results, or NULL for "lost" */
  size_t head, n;
  bool lost;
} status_queue;

static void on_update(void *user, sp_ws_event ev, const json_t *result) {
  status_queue *q = user;
  pthread_mutex_lock(&q->mu);
  if (ev == SP_WS_NOTIFY && q->n < MAX_QUEUED && result) {
    q->items[(q->head + q->n) % MAX_QUEUED] = json_deep_copy(result);
    q->n++;
  } else if (ev != SP_WS_NOTIFY) {
    q->lost = true; /* a watch is not made again: it would submit again */
  }
  pthread_cond_broadcast(&q->cv);
  pthread_mutex_unlock(&q->mu);
}

static void tell(const sp_submit_options *o, const char *status,
                 const uint8_t *hash) {
  if (o->on_status) o->on_status(o->status_user, status, hash);
}

/* A status of the node's TransactionStatus (substrate's
 * sc_transaction_pool_api::TransactionStatus, serialized in camelCase):
 * a string ("ready", "future", "dropped", "invalid", "finalityTimeout" in
 * older nodes) or an object with one key ({"inBlock": hash}, ...). */
static const char *status_name(const json_t *st, uint8_t hash[32],
                               bool *have_hash) {
  *have_hash = false;
  if (json_is_string(st)) return json_string_value(st);
  if (!json_is_object(st) || json_object_size(st) != 1) return NULL;
  const char *key = json_object_iter_key(json_object_iter((json_t *)st));
  json_t *v = json_object_iter_value(json_object_iter((json_t *)st));
  const char *hex = json_string_value(v);
  if (hex && strncmp(hex, "0x", 2) == 0 &&
      sp_hex_decode(hex, 32, hash, 32, NULL) == 0)
    *have_hash = true;
  return key;
}

/* The index of the submission in block `hash`, and the block's number. */
static int locate(sp_chain_client *c, const sp_chain_submission *sub,
                  const uint8_t hash[32], uint64_t *number, uint32_t *index,
                  bool *found, sp_chain_error *err) {
  *found = false;
  json_t *res;
  int rc = sp_rpc_call(c->rpc, "chain_getBlock",
                       json_pack("[o]", sp_json_hex(hash, 32)), SP_RPC_OBJECT,
                       &res, err);
  if (rc) return rc;
  json_t *block = json_object_get(res, "block");
  json_t *xts = json_object_get(block, "extrinsics");
  const char *num =
      json_string_value(json_object_get(json_object_get(block, "header"),
                                        "number"));
  char *end = NULL;
  if (num && strncmp(num, "0x", 2) == 0 && num[2])
    *number = strtoull(num + 2, &end, 16);
  if (!json_is_array(xts) || !end || *end) {
    json_decref(res);
    return sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                         "chain_getBlock: no block.extrinsics or header "
                         "number");
  }
  char *want = malloc(2 * sub->len + 3);
  if (!want) {
    json_decref(res);
    return sp_chain_fail(err, SP_CHAIN_ENOMEM, "out of memory");
  }
  want[0] = '0', want[1] = 'x';
  sp_hex_encode(sub->bytes, sub->len, want + 2);
  size_t i;
  json_t *x;
  json_array_foreach(xts, i, x) {
    if (json_is_string(x) && strcasecmp(json_string_value(x), want) == 0) {
      *found = true;
      *index = (uint32_t)i;
      break;
    }
  }
  free(want);
  json_decref(res);
  return 0;
}

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Polling from first_block, as over HTTP: the fallback of a lost watch. */
static int poll_watch(sp_chain_client *c, const sp_chain_submission *sub,
                      const sp_submit_options *opts, sp_chain_outcome *out,
                      sp_chain_error *err) {
  return sp_chain_watch(c, sub, opts, out, err);
}

int sp_chain_submit_watch_ws(sp_chain_client *c, sp_chain_submission *sub,
                             const sp_submit_options *opts,
                             sp_chain_outcome *out, sp_chain_error *err) {
  memset(out, 0, sizeof *out);
  sp_submit_options defaults;
  if (!opts) {
    sp_submit_options_default(&defaults);
    opts = &defaults;
  }
  sp_ws *ws = sp_rpc_ws(c->rpc);
  if (!ws) return sp_chain_fail(err, SP_CHAIN_EARG, "not a WebSocket client");
  status_queue q;
  memset(&q, 0, sizeof q);
  pthread_mutex_init(&q.mu, NULL);
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&q.cv, &ca);
  pthread_condattr_destroy(&ca);
  sp_ws_sub *handle = NULL;
  sub->sent = true; /* from here the node may have it */
  int rc = sp_ws_subscribe(ws, "author_submitAndWatchExtrinsic",
                           json_pack("[o]", sp_json_hex(sub->bytes, sub->len)),
                           "author_unwatchExtrinsic", false, on_update, &q,
                           &handle, err);
  if (rc == -SP_CHAIN_ERPC && err && err->rpc_code == -32601) {
    /* no such subscription on this node: submit and poll */
    tell(opts, "polling", NULL);
    uint8_t *bytes;
    size_t len;
    rc = sp_rpc_call_hex(c->rpc, "author_submitExtrinsic",
                         json_pack("[o]", sp_json_hex(sub->bytes, sub->len)),
                         NULL, &bytes, &len, err);
    if (!rc) {
      if (len != 32 || memcmp(bytes, sub->hash, 32) != 0)
        rc = sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                           "author_submitExtrinsic: the node's extrinsic hash "
                           "differs from BLAKE2b-256 of what was sent");
      free(bytes);
    }
    if (!rc) rc = poll_watch(c, sub, opts, out, err);
    goto done;
  }
  if (rc == -SP_CHAIN_ETRANSPORT) {
    /* sent, and the connection went away before the answer: the node may
     * have it; look for it on the chain rather than give up on it */
    tell(opts, "lost", NULL);
    rc = poll_watch(c, sub, opts, out, err);
    goto done;
  }
  if (rc) goto done; /* -SP_CHAIN_ERPC: the pool refused it */
  memcpy(out->extrinsic_hash, sub->hash, 32);
  long long deadline = now_ms() + opts->timeout_ms;
  for (;;) {
    pthread_mutex_lock(&q.mu);
    while (q.n == 0 && !q.lost && now_ms() < deadline &&
           !(opts->cancel && opts->cancel(opts->cancel_user))) {
      /* woken by every status; the cancel flag is looked at each 100 ms */
      struct timespec ts;
      clock_gettime(CLOCK_MONOTONIC, &ts);
      ts.tv_nsec += 100 * 1000000L;
      if (ts.tv_nsec >= 1000000000L) ts.tv_sec++, ts.tv_nsec -= 1000000000L;
      pthread_cond_timedwait(&q.cv, &q.mu, &ts);
    }
    json_t *st = NULL;
    bool lost = false;
    if (q.n > 0) {
      st = q.items[q.head];
      q.head = (q.head + 1) % MAX_QUEUED;
      q.n--;
    } else {
      lost = q.lost;
    }
    pthread_mutex_unlock(&q.mu);
    if (!st && lost) {
      /* the connection went away: the node may have it in its pool or a
       * block; follow the chain by polling (the client reconnects) */
      tell(opts, "lost", NULL);
      rc = poll_watch(c, sub, opts, out, err);
      goto done;
    }
    if (!st) {
      if (opts->cancel && opts->cancel(opts->cancel_user))
        rc = sp_chain_fail(err, SP_CHAIN_ETIMEOUT,
                           "stopped watching before the extrinsic was seen "
                           "in a block");
      else
        rc = sp_chain_fail(err, SP_CHAIN_ETIMEOUT,
                           "the extrinsic was not included within %ld ms",
                           opts->timeout_ms);
      goto done;
    }
    uint8_t hash[32];
    bool have_hash;
    const char *name = status_name(st, hash, &have_hash);
    char name_copy[32];
    snprintf(name_copy, sizeof name_copy, "%s", name ? name : "unknown");
    json_decref(st);
    tell(opts, name_copy, have_hash ? hash : NULL);
    if (strcmp(name_copy, "inBlock") == 0 && have_hash) {
      bool found = false;
      uint32_t index = 0;
      uint64_t number = 0;
      rc = locate(c, sub, hash, &number, &index, &found, err);
      if (!rc && !found)
        rc = sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                           "the node reported the extrinsic in a block that "
                           "does not hold it");
      if (rc) goto done;
      out->block_number = number;
      memcpy(out->block_hash, hash, 32);
      out->extrinsic_index = index;
      json_t *events;
      rc = sp_chain_read_events(c, hash, &events, err);
      if (!rc) {
        rc = sp_events_outcome(c->metadata, events, index, &out->dispatch, err);
        json_decref(events);
      }
      if (rc) {
        sp_chain_error_wrap(err, rc, "events of block %" PRIu64, number);
        goto done;
      }
      /* statuses that came with it (the mock finalizes at once) */
      pthread_mutex_lock(&q.mu);
      while (q.n > 0) {
        json_t *more = q.items[q.head];
        q.head = (q.head + 1) % MAX_QUEUED;
        q.n--;
        pthread_mutex_unlock(&q.mu);
        uint8_t h2[32];
        bool hh;
        const char *n2 = status_name(more, h2, &hh);
        char c2[32];
        snprintf(c2, sizeof c2, "%s", n2 ? n2 : "unknown");
        json_decref(more);
        tell(opts, c2, hh ? h2 : NULL);
        pthread_mutex_lock(&q.mu);
      }
      pthread_mutex_unlock(&q.mu);
      rc = 0;
      goto done;
    }
    if (strcmp(name_copy, "dropped") == 0 || strcmp(name_copy, "invalid") == 0 ||
        strcmp(name_copy, "usurped") == 0) {
      snprintf(out->final_status, sizeof out->final_status, "%s", name_copy);
      rc = sp_chain_fail(err, SP_CHAIN_ETIMEOUT,
                         "the node reported the extrinsic %s: it left the "
                         "pool without being included",
                         name_copy);
      goto done;
    }
    /* ready, future, broadcast, retracted, finalityTimeout: wait on */
  }
done:
  sp_ws_unsubscribe(ws, handle);
  for (size_t i = 0; i < q.n; i++)
    json_decref(q.items[(q.head + i) % MAX_QUEUED]);
  pthread_cond_destroy(&q.cv);
  pthread_mutex_destroy(&q.mu);
  return rc;
}
