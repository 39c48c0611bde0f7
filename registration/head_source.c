/* New heads from a chain_subscribeNewHeads subscription; see head_source.h. */
#include "registration/head_source.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain/client/ws.h"

struct sp_head_source {
  sp_chain_client *c;
  sp_ws_sub *sub;
  pthread_mutex_t mu;
  bool pending; /* a head or a gap since the last "due" */
  double last_due;
  sp_head_stats stats;
};

static void on_head(void *user, sp_ws_event ev, const json_t *result) {
  (void)result;
  sp_head_source *h = user;
  pthread_mutex_lock(&h->mu);
  if (ev == SP_WS_NOTIFY)
    h->stats.heads++;
  else if (ev == SP_WS_GAP)
    h->stats.gaps++;
  else
    h->stats.lost = true;
  h->pending = true;
  pthread_mutex_unlock(&h->mu);
}

sp_head_source *sp_head_source_start(sp_chain_client *c, sp_error_record *why) {
  sp_error_clear(why);
  sp_ws *ws = sp_rpc_ws(c->rpc);
  if (!ws) return NULL;
  sp_head_source *h = calloc(1, sizeof *h);
  if (!h) {
    sp_error_fail(why, SP_ENOMEM, "out of memory");
    return NULL;
  }
  h->c = c;
  h->pending = true;
  pthread_mutex_init(&h->mu, NULL);
  sp_chain_error err = {0};
  if (sp_ws_subscribe(ws, "chain_subscribeNewHeads", NULL,
                      "chain_unsubscribeNewHeads", true, on_head, h, &h->sub,
                      &err) != 0) {
    if (why != NULL) {
      *why = err; /* the node's refusal, its code kept */
      if (why->code == 0) why->code = SP_CHAIN_ERPC;
      sp_error_wrap(why, SP_CHAIN_ERPC, "chain_subscribeNewHeads");
    }
    pthread_mutex_destroy(&h->mu);
    free(h);
    return NULL;
  }
  return h;
}

bool sp_head_source_due(sp_head_source *h, double now, double safety_s) {
  pthread_mutex_lock(&h->mu);
  bool due = h->pending || h->stats.lost || now - h->last_due >= safety_s;
  if (due) {
    h->pending = false;
    h->last_due = now;
  }
  pthread_mutex_unlock(&h->mu);
  return due;
}

void sp_head_source_stats(sp_head_source *h, sp_head_stats *out) {
  pthread_mutex_lock(&h->mu);
  *out = h->stats;
  pthread_mutex_unlock(&h->mu);
}

void sp_head_source_stop(sp_head_source *h) {
  if (!h) return;
  sp_ws_unsubscribe(sp_rpc_ws(h->c->rpc), h->sub);
  pthread_mutex_destroy(&h->mu);
  free(h);
}
