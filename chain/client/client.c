/* The Subtensor client: connection, runtime, submission, inclusion (see
 * client.h). */
#include "chain/client/client.h"
#include "chain/client/quantity.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "chain/codec/scale_type.h"
#include "chain/keys/ss58.h"
#include "chain/client/storage.h"
#include "chain/client/watch_ws.h"
#include "common/clock.h"
#include "common/hex.h"
#include "common/sanitize.h"

/* ------------------------------------------------------------ helpers ---- */

static int hex32_result(sp_chain_client *c, const char *method, json_t *params,
                        uint8_t out[32], bool *found, sp_chain_error *err) {
  uint8_t *bytes;
  size_t len;
  bool have = true;
  int rc = sp_rpc_call_hex(c->rpc, method, params, found ? &have : NULL, &bytes,
                           &len, err);
  if (rc) return rc;
  if (found) *found = have;
  if (!have) return 0;
  if (len != 32)
    rc = sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                       "%s: expected a 32-byte hash, got %zu "
                       "bytes",
                       method, len);
  else
    memcpy(out, bytes, 32);
  free(bytes);
  return rc;
}

/* A u32 member of a JSON object. */
static int u32_member(const json_t *o, const char *key, uint32_t *out,
                      const char *method, sp_chain_error *err) {
  json_t *v = json_object_get(o, key);
  if (!json_is_integer(v) || json_integer_value(v) < 0 ||
      json_integer_value(v) > UINT32_MAX)
    return sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                         "%s: \"%s\" is missing or not a u32", method, key);
  *out = (uint32_t)json_integer_value(v);
  return 0;
}

static int read_runtime_version(sp_chain_client *c, sp_runtime_version *v,
                                sp_chain_error *err) {
  json_t *res;
  int rc = sp_rpc_call(c->rpc, "state_getRuntimeVersion", NULL, SP_RPC_OBJECT,
                       &res, err);
  if (rc) return rc;
  memset(v, 0, sizeof *v);
  rc = u32_member(res, "specVersion", &v->spec_version,
                  "state_getRuntimeVersion", err);
  if (!rc)
    rc = u32_member(res, "transactionVersion", &v->transaction_version,
                    "state_getRuntimeVersion", err);
  const char *name = json_string_value(json_object_get(res, "specName"));
  /* The node's text: escaped at this boundary (common/sanitize.h). */
  if (!rc) sp_sanitize(name, v->spec_name, sizeof v->spec_name);
  json_decref(res);
  return rc;
}

static int read_metadata(sp_chain_client *c, sp_metadata **md,
                         sp_chain_error *err) {
  uint8_t *bytes;
  size_t len;
  int rc = sp_rpc_call_hex(c->rpc, "state_getMetadata", NULL, NULL, &bytes,
                           &len, err);
  if (rc) return rc;
  rc = sp_metadata_parse(bytes, len, md, err);
  free(bytes);
  return rc;
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0) {
  }
}

/* ------------------------------------------------------------- client ---- */

int sp_chain_client_open(sp_chain_client **out, const char *network_or_url,
                         const sp_rpc_options *opts, sp_chain_error *err) {
  *out = NULL;
  if (sodium_init() < 0)
    return sp_chain_fail(err, SP_CHAIN_ECRYPTO, "libsodium failed to start");
  sp_chain_client *c = calloc(1, sizeof *c);
  if (!c) return sp_chain_fail(err, SP_CHAIN_ENOMEM, "out of memory");
  int rc = sp_rpc_open(&c->rpc, network_or_url, opts, err);
  if (!rc) rc = read_runtime_version(c, &c->runtime, err);
  if (!rc) rc = read_metadata(c, &c->metadata, err);
  if (!rc)
    rc = hex32_result(c, "chain_getBlockHash", json_pack("[i]", 0),
                      c->genesis_hash, NULL, err);
  if (rc) {
    sp_chain_error_wrap(err, rc, "connecting to %s", network_or_url);
    sp_chain_client_close(c);
    return rc;
  }
  *out = c;
  return 0;
}

void sp_chain_client_close(sp_chain_client *c) {
  if (!c) return;
  sp_rpc_close(c->rpc);
  sp_metadata_free(c->metadata);
  free(c);
}

int sp_chain_client_refresh(sp_chain_client *c, bool *upgraded,
                            sp_chain_error *err) {
  if (upgraded) *upgraded = false;
  sp_runtime_version v;
  int rc = read_runtime_version(c, &v, err);
  if (rc) return rc;
  if (v.spec_version != c->runtime.spec_version) {
    sp_metadata *md;
    rc = read_metadata(c, &md, err);
    if (rc) return rc;
    sp_metadata_free(c->metadata);
    c->metadata = md;
    if (upgraded) *upgraded = true;
  }
  c->runtime = v;
  return 0;
}

int sp_chain_best_block(sp_chain_client *c, uint64_t *number, uint8_t hash[32],
                        sp_chain_error *err) {
  uint8_t h[32];
  int rc = hex32_result(c, "chain_getBlockHash", NULL, h, NULL, err);
  if (rc) return rc;
  json_t *res;
  rc = sp_rpc_call(c->rpc, "chain_getHeader",
                   json_pack("[o]", sp_json_hex(h, 32)), SP_RPC_OBJECT, &res,
                   err);
  if (rc) return rc;
  /* The header's number is hex text ("0x31ce99"), as Substrate serializes
   * block numbers. */
  const json_t *jn = json_object_get(res, "number");
  const char *num = json_string_value(jn);
  uint64_t n = 0;
  if (sp_hex_quantity_parse(num, &n) != 0) {
    /* The node's value in the message, printable characters only. */
    char shown[48];
    size_t k = 0;
    if (num != NULL) {
      shown[k++] = '"';
      for (const char *q = num; *q && k < sizeof shown - 5; q++)
        shown[k++] = (*q >= ' ' && *q < 0x7f) ? *q : '?';
      if (strlen(num) > sizeof shown - 6) shown[k++] = '.', shown[k++] = '.';
      shown[k++] = '"';
    } else {
      const char *t = jn == NULL ? "absent" : "not a string";
      while (*t && k < sizeof shown - 1) shown[k++] = *t++;
    }
    shown[k] = '\0';
    rc = sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                       "chain_getHeader: \"number\" is not a 0x-hex u64 "
                       "quantity: %s",
                       shown);
  }
  json_decref(res);
  if (rc) return rc;
  *number = n;
  if (hash) memcpy(hash, h, 32);
  return 0;
}

int sp_chain_block_hash(sp_chain_client *c, uint64_t number, uint8_t hash[32],
                        sp_chain_error *err) {
  bool found;
  int rc =
      hex32_result(c, "chain_getBlockHash",
                   json_pack("[I]", (json_int_t)number), hash, &found, err);
  if (!rc && !found)
    rc = sp_chain_fail(err, SP_CHAIN_ENOTFOUND,
                       "the node has no block %" PRIu64, number);
  return rc;
}

int sp_chain_account_next_index(sp_chain_client *c, const uint8_t account[32],
                                uint64_t *nonce, sp_chain_error *err) {
  /* system_accountNextIndex takes SS58 text: AccountId32 deserializes
   * only from it. */
  char ss58[64];
  int enc = sp_ss58_encode(account, 42, ss58, sizeof ss58);
  if (enc != 0)
    return sp_chain_fail(err, SP_CHAIN_EARG,
                         "cannot encode the account as SS58");
  json_t *res;
  int rc = sp_rpc_call(c->rpc, "system_accountNextIndex",
                       json_pack("[s]", ss58), SP_RPC_INTEGER, &res, err);
  if (rc) return rc;
  if (json_integer_value(res) < 0)
    rc = sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                       "system_accountNextIndex: negative nonce");
  else
    *nonce = (uint64_t)json_integer_value(res);
  json_decref(res);
  return rc;
}

int sp_chain_read_events(sp_chain_client *c, const uint8_t block_hash[32],
                         json_t **events, sp_chain_error *err) {
  *events = NULL;
  sp_scale_writer key;
  sp_scale_writer_init(&key);
  int rc =
      sp_storage_key(c->metadata, "System", "Events", NULL, &key, NULL, err);
  json_t *params = rc ? NULL
                      : json_pack("[o,o]", sp_json_hex(key.data, key.len),
                                  sp_json_hex(block_hash, 32));
  sp_scale_writer_free(&key);
  if (rc) return rc;
  bool found;
  uint8_t *bytes;
  size_t len;
  rc = sp_rpc_call_hex(c->rpc, "state_getStorage", params, &found, &bytes, &len,
                       err);
  if (rc) return rc;
  rc = sp_events_decode(c->metadata, found ? bytes : NULL, len, events, err);
  free(bytes);
  return rc;
}

json_t *sp_chain_register_args(uint16_t netuid, uint64_t block_number,
                               uint64_t nonce, const uint8_t work[32],
                               const uint8_t hotkey[32],
                               const uint8_t coldkey[32]) {
  char b[24], n[24];
  snprintf(b, sizeof b, "%" PRIu64, block_number);
  snprintf(n, sizeof n, "%" PRIu64, nonce);
  return json_pack("{s:i,s:s,s:s,s:o,s:o,s:o}", "netuid", (int)netuid,
                   "block_number", b, "nonce", n, "work", sp_json_hex(work, 32),
                   "hotkey", sp_json_hex(hotkey, 32), "coldkey",
                   sp_json_hex(coldkey, 32));
}

json_t *sp_chain_faucet_args(uint64_t block_number, uint64_t nonce,
                             const uint8_t work[32]) {
  char b[24], n[24];
  snprintf(b, sizeof b, "%" PRIu64, block_number);
  snprintf(n, sizeof n, "%" PRIu64, nonce);
  return json_pack("{s:s,s:s,s:o}", "block_number", b, "nonce", n, "work",
                   sp_json_hex(work, 32));
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
    if (rc == SP_WS_WATCH_NO_METHOD) sub->no_watch_method = true;
    else plain = false;
  }
  if (plain) {
    rc = hex32_result(c, "author_submitExtrinsic",
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
  int rc =
      sp_chain_build_prepared(c, signer, prep, best, pallet, call, args, sub,
                              err);
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

/* Looks for the submission in block `number`; *index set when found. */
static int scan_block(sp_chain_client *c, const sp_chain_submission *sub,
                      uint64_t number, uint8_t hash[32], bool *found,
                      uint32_t *index, sp_chain_error *err) {
  *found = false;
  int rc = sp_chain_block_hash(c, number, hash, err);
  if (rc) return rc;
  json_t *res;
  rc = sp_rpc_call(c->rpc, "chain_getBlock",
                   json_pack("[o]", sp_json_hex(hash, 32)), SP_RPC_OBJECT, &res,
                   err);
  if (rc) return rc;
  json_t *xts = json_object_get(json_object_get(res, "block"), "extrinsics");
  if (!json_is_array(xts)) {
    json_decref(res);
    return sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                         "chain_getBlock: no block.extrinsics array");
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
    if (birth <= UINT64_MAX - sub->era.period) era_end = birth + sub->era.period;
  }
  for (;;) {
    uint64_t best;
    int rc = sp_chain_best_block(c, &best, NULL, err);
    if (rc) return rc;
    for (; next <= best; next++) {
      bool found;
      uint32_t index = 0;
      uint8_t hash[32];
      rc = scan_block(c, sub, next, hash, &found, &index, err);
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
      out->block_number = next;
      memcpy(out->block_hash, hash, 32);
      out->extrinsic_index = index;
      json_t *events;
      rc = sp_chain_read_events(c, hash, &events, err);
      if (!rc) {
        rc = sp_events_outcome(c->metadata, events, index, &out->dispatch, err);
        json_decref(events);
      }
      if (rc)
        return sp_chain_error_wrap(err, rc, "events of block %" PRIu64, next);
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
