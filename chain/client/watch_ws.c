/* A submission watched through author_submitAndWatchExtrinsic; see
 * watch_ws.h. */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "chain/client/status_queue.h"
#include "chain/client/watch_ws.h"
#include "chain/client/ws.h"
#include "chain/codec/scale_type.h"
#include "common/clock.h"
#include "common/deadline.h"
#include "common/hex.h"

/* What the subscription's callback hands to the watching thread. */
typedef struct sp_ws_watch {
  sp_ws *ws;
  sp_ws_sub *handle;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  sp_status_queue queue; /* the node's statuses (status_queue.h) */
  bool lost;
} sp_ws_watch;
typedef sp_ws_watch status_queue;

static void on_update(void *user, sp_ws_event ev, const json_t *result) {
  status_queue *q = user;
  pthread_mutex_lock(&q->mu);
  if (ev == SP_WS_NOTIFY && result) {
    json_t *copy = json_deep_copy(result);
    if (copy) sp_status_queue_push(&q->queue, copy);
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

int sp_ws_watch_submit(sp_chain_client *c, sp_chain_submission *sub,
                       sp_chain_error *err) {
  sp_ws *ws = sp_rpc_ws(c->rpc);
  if (!ws) return sp_chain_fail(err, SP_CHAIN_EARG, "not a WebSocket client");
  sp_ws_watch *q = calloc(1, sizeof *q);
  if (!q) return sp_chain_fail(err, SP_CHAIN_ENOMEM, "out of memory");
  q->ws = ws;
  pthread_mutex_init(&q->mu, NULL);
  sp_cond_init_monotonic(&q->cv);
  int rc = sp_ws_subscribe(ws, "author_submitAndWatchExtrinsic",
                           json_pack("[o]", sp_json_hex(sub->bytes, sub->len)),
                           "author_unwatchExtrinsic", false, on_update, q,
                           &q->handle, err);
  if (rc) {
    bool no_method = rc == -SP_CHAIN_ERPC && err && err->rpc_code == -32601;
    sp_ws_watch_free(q);
    return no_method ? SP_WS_WATCH_NO_METHOD : rc;
  }
  sub->ws_watch = q;
  return 0;
}

void sp_ws_watch_free(sp_ws_watch *q) {
  if (!q) return;
  sp_ws_unsubscribe(q->ws, q->handle);
  sp_status_queue_clear(&q->queue);
  pthread_cond_destroy(&q->cv);
  pthread_mutex_destroy(&q->mu);
  free(q);
}

static void drain_into(sp_ws_watch *q, const sp_submit_options *opts);

int sp_ws_watch_follow(sp_chain_client *c, const sp_chain_submission *sub,
                       const sp_submit_options *opts, sp_chain_outcome *out,
                       sp_chain_error *err) {
  sp_ws_watch *qp = sub->ws_watch;
  int rc = 0;
  memcpy(out->extrinsic_hash, sub->hash, 32);
  long long deadline = sp_monotonic_ms() + opts->timeout_ms;
  for (;;) {
    pthread_mutex_lock(&qp->mu);
    while (qp->queue.n == 0 && !qp->lost && sp_monotonic_ms() < deadline &&
           !(opts->cancel && opts->cancel(opts->cancel_user))) {
      /* woken by every status; the cancel flag is looked at each 100 ms */
      struct timespec ts = sp_deadline_after_ms(CLOCK_MONOTONIC, 100);
      pthread_cond_timedwait(&qp->cv, &qp->mu, &ts);
    }
    json_t *st = sp_status_queue_pop(&qp->queue);
    bool lost = st == NULL && qp->lost;
    pthread_mutex_unlock(&qp->mu);
    if (!st && lost) {
      tell(opts, "lost", NULL);
      return SP_WS_WATCH_LOST;
    }
    if (!st) {
      if (opts->cancel && opts->cancel(opts->cancel_user))
        return sp_chain_fail(err, SP_CHAIN_ETIMEOUT,
                             "stopped watching before the extrinsic was seen "
                             "in a block");
      return sp_chain_fail(err, SP_CHAIN_ETIMEOUT,
                           "the extrinsic was not included within %ld ms",
                           opts->timeout_ms);
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
      rc = sp_chain_find_inclusion(c, sub, hash, NULL, &found, out, err);
      if (!rc && !found)
        rc = sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                           "the node reported the extrinsic in a block that "
                           "does not hold it");
      if (rc) return rc;
      drain_into(qp, opts); /* statuses that came with it (the mock
                                finalizes at once) */
      return 0;
    }
    if (strcmp(name_copy, "dropped") == 0 ||
        strcmp(name_copy, "invalid") == 0 ||
        strcmp(name_copy, "usurped") == 0) {
      snprintf(out->final_status, sizeof out->final_status, "%s", name_copy);
      return sp_chain_fail(err, SP_CHAIN_ETIMEOUT,
                           "the node reported the extrinsic %s: it left the "
                           "pool without being included",
                           name_copy);
    }
    /* ready, future, broadcast, retracted, finalityTimeout: wait on */
  }
}

static void drain_into(sp_ws_watch *q, const sp_submit_options *opts) {
  pthread_mutex_lock(&q->mu);
  json_t *more;
  while ((more = sp_status_queue_pop(&q->queue)) != NULL) {
    pthread_mutex_unlock(&q->mu);
    uint8_t h2[32];
    bool hh;
    const char *n2 = status_name(more, h2, &hh);
    char c2[32];
    snprintf(c2, sizeof c2, "%s", n2 ? n2 : "unknown");
    json_decref(more);
    tell(opts, c2, hh ? h2 : NULL);
    pthread_mutex_lock(&q->mu);
  }
  pthread_mutex_unlock(&q->mu);
}
