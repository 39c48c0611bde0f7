/* Submission and the watch for inclusion (see client.h): signing and
 * sending an extrinsic, then following it by the node's statuses over
 * WebSocket (watch_ws.c) or by polling blocks; both find it in a block with
 * sp_chain_find_inclusion (client.c). */
#include "chain/client/client.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chain/client/watch_ws.h"
#include "chain/codec/scale_type.h"
#include "common/clock.h"

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0) {
  }
}

/* --------------------------------------------------------- submission ---- */

void sp_submit_options_default(sp_submit_options *o) {
  memset(o, 0, sizeof *o);
  o->timeout_ms = 120000;
  o->poll_interval_ms = 1000;
}

void sp_chain_submission_free(sp_chain_submission *s) {
  if (!s) return;
  sp_ws_watch_free(s->ws_watch);
  free(s->bytes);
  memset(s, 0, sizeof *s);
}

void sp_chain_outcome_free(sp_chain_outcome *o) {
  if (!o) return;
  sp_dispatch_outcome_free(&o->dispatch);
  memset(o, 0, sizeof *o);
}

int sp_chain_prepare(sp_chain_client *c, const sp_signer *signer,
                     const sp_submit_options *opts, sp_chain_prepared *prep,
                     sp_chain_error *err) {
  memset(prep, 0, sizeof *prep);
  sp_submit_options defaults;
  if (!opts) {
    sp_submit_options_default(&defaults);
    opts = &defaults;
  }
  if (!c || !signer)
    return sp_chain_fail(err, SP_CHAIN_EARG, "no client or signer");
  int rc = sp_chain_client_refresh(c, NULL, err);
  sp_extrinsic_params *p = &prep->params;
  p->spec_version = c->runtime.spec_version;
  p->transaction_version = c->runtime.transaction_version;
  memcpy(p->genesis_hash, c->genesis_hash, 32);
  p->era = sp_era_immortal();
  p->nonce = opts->nonce;
  if (!rc && !opts->have_nonce)
    rc = sp_chain_account_next_index(c, signer->public_key, &p->nonce, err);
  uint64_t best = 0;
  if (!rc) rc = sp_chain_best_block(c, &best, NULL, err);
  if (!rc && opts->era_period) {
    p->era = sp_era_mortal(opts->era_period, best);
    rc = sp_chain_block_hash(c, sp_era_birth(p->era, best), p->era_birth_hash,
                             err);
  }
  prep->best = best;
  prep->ready = rc == 0;
  return rc;
}

int sp_chain_build_prepared(sp_chain_client *c, const sp_signer *signer,
                            const sp_chain_prepared *prep, uint64_t best,
                            const char *pallet, const char *call,
                            const json_t *args, sp_chain_submission *sub,
                            sp_chain_error *err) {
  memset(sub, 0, sizeof *sub);
  if (!c || !signer || !prep || !prep->ready)
    return sp_chain_fail(err, SP_CHAIN_EARG,
                         "no client, signer or prepared parameters");
  sp_scale_writer callw, xt;
  sp_scale_writer_init(&callw);
  sp_scale_writer_init(&xt);
  int rc = sp_call_encode(c->metadata, pallet, call, args, &callw, err);
  if (!rc)
    rc = sp_extrinsic_build_signed(c->metadata, callw.data, callw.len,
                                   &prep->params, signer, &xt, err);
  sp_scale_writer_free(&callw);
  if (!rc) rc = sp_extrinsic_hash(xt.data, xt.len, sub->hash);
  if (rc) {
    sp_scale_writer_free(&xt);
    memset(sub, 0, sizeof *sub);
    return sp_chain_error_wrap(err, rc, "%s.%s", pallet ? pallet : "?",
                               call ? call : "?");
  }
  /* From here the extrinsic is known: a caller that loses the answer can
   * still look for it on chain (sp_chain_watch), so it is kept on failure
   * too. */
  sub->bytes = xt.data; /* ownership moves to the submission */
  sub->len = xt.len;
  /* saturating: a node may claim any best block, 2^64 - 1 included */
  sub->first_block = best < UINT64_MAX ? best + 1 : UINT64_MAX;
  sub->era = prep->params.era;
  return 0;
}

int sp_chain_send_built(sp_chain_client *c, sp_chain_submission *sub,
                        const char *pallet, const char *call,
                        sp_chain_error *err) {
  if (!c || !sub || !sub->bytes)
    return sp_chain_fail(err, SP_CHAIN_EARG, "no client or extrinsic");
  int rc = 0;
  sub->sent = true;
  uint8_t node_hash[32];
  /* Over WebSocket the node is asked to report its statuses as well
   * (author_submitAndWatchExtrinsic, still one round trip); a node without
   * that subscription gets author_submitExtrinsic, as over HTTP. */
  bool plain = true;
  if (sp_rpc_ws(c->rpc) != NULL) {
    rc = sp_ws_watch_submit(c, sub, err);
    if (rc == SP_WS_WATCH_NO_METHOD)
      sub->no_watch_method = true;
    else
      plain = false;
  }
  if (plain) {
    rc = sp_chain_call_hash(c, "author_submitExtrinsic",
                            json_pack("[o]", sp_json_hex(sub->bytes, sub->len)),
                            node_hash, NULL, err);
    if (!rc && memcmp(node_hash, sub->hash, 32) != 0)
      rc = sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                         "author_submitExtrinsic: the node's extrinsic hash "
                         "differs from BLAKE2b-256 of what was sent");
  }
  if (rc && err && err->not_sent) sub->sent = false; /* surely not pooled */
  if (rc)
    return sp_chain_error_wrap(err, rc, "%s.%s", pallet ? pallet : "?",
                               call ? call : "?");
  return 0;
}

int sp_chain_submit_prepared(sp_chain_client *c, const sp_signer *signer,
                             const sp_chain_prepared *prep, uint64_t best,
                             const char *pallet, const char *call,
                             const json_t *args, sp_chain_submission *sub,
                             sp_chain_error *err) {
  int rc = sp_chain_build_prepared(c, signer, prep, best, pallet, call, args,
                                   sub, err);
  if (rc) return rc;
  return sp_chain_send_built(c, sub, pallet, call, err);
}

int sp_chain_sign_and_submit(sp_chain_client *c, const sp_signer *signer,
                             const char *pallet, const char *call,
                             const json_t *args, const sp_submit_options *opts,
                             sp_chain_submission *sub, sp_chain_error *err) {
  memset(sub, 0, sizeof *sub);
  sp_chain_prepared prep;
  int rc = sp_chain_prepare(c, signer, opts, &prep, err);
  if (rc)
    return sp_chain_error_wrap(err, rc, "%s.%s", pallet ? pallet : "?",
                               call ? call : "?");
  return sp_chain_submit_prepared(c, signer, &prep, prep.best, pallet, call,
                                  args, sub, err);
}

int sp_chain_watch(sp_chain_client *c, const sp_chain_submission *sub,
                   const sp_submit_options *opts, sp_chain_outcome *out,
                   sp_chain_error *err) {
  memset(out, 0, sizeof *out);
  sp_submit_options defaults;
  if (!opts) {
    sp_submit_options_default(&defaults);
    opts = &defaults;
  }
  memcpy(out->extrinsic_hash, sub->hash, 32);
  if (sub->no_watch_method && opts->on_status)
    opts->on_status(opts->status_user, "polling", NULL);
  if (sub->ws_watch != NULL) {
    /* the node's statuses; polling below only once the connection is lost */
    int rc = sp_ws_watch_follow(c, sub, opts, out, err);
    if (rc != SP_WS_WATCH_LOST) return rc;
  }
  long long deadline = sp_monotonic_ms() + opts->timeout_ms;
  uint64_t next = sub->first_block;
  uint64_t era_end = UINT64_MAX; /* immortal; a mortal era's end saturates */
  if (sub->era.mortal) {
    uint64_t birth = sp_era_birth(sub->era, sub->first_block - 1);
    if (birth <= UINT64_MAX - sub->era.period)
      era_end = birth + sub->era.period;
  }
  for (;;) {
    uint64_t best;
    int rc = sp_chain_best_block(c, &best, NULL, err);
    if (rc) return rc;
    for (; next <= best; next++) {
      bool found;
      uint8_t hash[32];
      rc = sp_chain_block_hash(c, next, hash, err);
      if (!rc)
        rc = sp_chain_find_inclusion(c, sub, hash, &next, &found, out, err);
      if (rc) return rc;
      if (!found) {
        if (opts->max_blocks && next + 1 - sub->first_block >= opts->max_blocks)
          return sp_chain_fail(err, SP_CHAIN_ETIMEOUT,
                               "the extrinsic was not included in %" PRIu32
                               " blocks",
                               opts->max_blocks);
        if (next == UINT64_MAX) /* no block after it: next++ would wrap */
          return sp_chain_fail(err, SP_CHAIN_ETIMEOUT,
                               "the extrinsic was not included by the last "
                               "block number");
        if (next + 1 >= era_end)
          return sp_chain_fail(err, SP_CHAIN_ETIMEOUT,
                               "the extrinsic's mortal era ended at block "
                               "%" PRIu64 " without its inclusion",
                               era_end);
        continue;
      }
      return 0;
    }
    if (sp_monotonic_ms() >= deadline)
      return sp_chain_fail(err, SP_CHAIN_ETIMEOUT,
                           "the extrinsic was not included within %ld ms",
                           opts->timeout_ms);
    if (opts->cancel != NULL && opts->cancel(opts->cancel_user))
      return sp_chain_fail(err, SP_CHAIN_ETIMEOUT,
                           "stopped watching before the extrinsic was seen "
                           "in a block");
    sleep_ms(opts->poll_interval_ms);
  }
}

int sp_chain_submit_and_watch(sp_chain_client *c, const sp_signer *signer,
                              const char *pallet, const char *call,
                              const json_t *args, const sp_submit_options *opts,
                              sp_chain_outcome *out, sp_chain_error *err) {
  memset(out, 0, sizeof *out);
  sp_chain_submission sub;
  int rc =
      sp_chain_sign_and_submit(c, signer, pallet, call, args, opts, &sub, err);
  out->sent = sub.sent;
  if (rc) {
    sp_chain_submission_free(&sub);
    return rc;
  }
  rc = sp_chain_watch(c, &sub, opts, out, err);
  memcpy(out->extrinsic_hash, sub.hash, 32);
  out->sent = true; /* the watch starts from a cleared outcome */
  sp_chain_submission_free(&sub);
  return rc;
}
