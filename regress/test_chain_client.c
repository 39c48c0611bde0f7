/*
 * The client end to end against an in-process fake node that serves the
 * real finney metadata: open (runtime version, metadata, genesis), nonce via
 * SS58, signing and author_submitExtrinsic, inclusion by polling blocks,
 * and outcomes read from System.Events built with the metadata's own types:
 * success with NeuronRegistered, a module error with its name and docs, a
 * pool rejection, a timeout. Also System.Events round trips.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "chain/client/client.h"
#include "chain/client/events.h"
#include "chain/client/storage.h"
#include "chain/codec/scale_type.h"
#include "reference/reference.h"
#include "regress/support/chain_setup.h"

typedef enum scenario { SUCCEED, FAIL_INVALID_SEAL, NEVER, REJECT } scenario;

typedef struct node {
  char *metadata_hex;
  sp_metadata *md; /* the node's own copy, to build events */
  scenario mode;
  uint64_t best;
  char *pending; /* the submitted extrinsic's hex */
  uint64_t included_at;
  json_t *blocks; /* "n" -> [extrinsic hex...] */
  json_t *events; /* block hash hex -> events hex */
  char ss58_seen[80];
  int submissions;
  uint8_t hotkey[32];
} node;

static void block_hash(uint64_t n, uint8_t out[32]) {
  uint8_t le[8];
  for (int i = 0; i < 8; i++)
    le[i] = (uint8_t)(n >> (8 * i));
  crypto_generichash(out, 32, le, 8, NULL, 0);
}

static json_t *hash_json(uint64_t n) {
  uint8_t h[32];
  block_hash(n, h);
  char *s = sp_hex0x(h, 32);
  json_t *j = json_string(s);
  free(s);
  return j;
}

static long long number_of(const char *hash_hex, uint64_t best) {
  for (uint64_t n = 0; n <= best; n++) {
    json_t *h = hash_json(n);
    bool same = strcmp(json_string_value(h), hash_hex) == 0;
    json_decref(h);
    if (same) return (long long)n;
  }
  return -1;
}

static json_t *dispatch_info(void) {
  return json_pack("{s:{s:i,s:i},s:s,s:s}", "weight", "ref_time", 1000,
                   "proof_size", 0, "class", "Normal", "pays_fee", "Yes");
}

/* System.Events of an included block: the inherent at index 0 succeeded;
 * ours at index 1 per the scenario. Encoded with the metadata's types. */
static char *events_hex(node *nd) {
  char *hk = sp_hex0x(nd->hotkey, 32);
  json_t *evs = json_array();
  json_array_append_new(
      evs, json_pack("{s:{s:i},s:{s:{s:{s:o}}},s:[]}", "phase",
                     "ApplyExtrinsic", 0, "event", "System", "ExtrinsicSuccess",
                     "dispatch_info", dispatch_info(), "topics"));
  if (nd->mode == SUCCEED) {
    json_array_append_new(evs, json_pack("{s:{s:i},s:{s:{s:[i,i,s]}},s:[]}",
                                         "phase", "ApplyExtrinsic", 1, "event",
                                         "SubtensorModule", "NeuronRegistered",
                                         3, 29, hk, "topics"));
    json_array_append_new(evs,
                          json_pack("{s:{s:i},s:{s:{s:{s:o}}},s:[]}", "phase",
                                    "ApplyExtrinsic", 1, "event", "System",
                                    "ExtrinsicSuccess", "dispatch_info",
                                    dispatch_info(), "topics"));
  } else {
    /* InvalidSeal is error 25 of pallet 7 (docs/protocol.md section 3). */
    json_array_append_new(
        evs,
        json_pack("{s:{s:i},s:{s:{s:{s:{s:{s:i,s:s}},s:o}}},s:[]}", "phase",
                  "ApplyExtrinsic", 1, "event", "System", "ExtrinsicFailed",
                  "dispatch_error", "Module", "index", 7, "error", "0x19000000",
                  "dispatch_info", dispatch_info(), "topics"));
  }
  json_array_append_new(evs, json_pack("{s:s,s:{s:{s:n}},s:[]}", "phase",
                                       "Finalization", "event", "System",
                                       "CodeUpdated", "topics"));
  free(hk);
  const sp_storage_entry *e;
  cr_assert_eq(sp_metadata_storage(nd->md, "System", "Events", NULL, &e, NULL),
               0);
  sp_scale_writer w;
  sp_scale_writer_init(&w);
  sp_chain_error err = {0};
  cr_assert_eq(
      sp_scale_encode_type(&nd->md->registry, e->value_type, evs, &w, &err), 0,
      "events: %s", err.message);
  json_decref(evs);
  char *s = sp_hex0x(w.data, w.len);
  sp_scale_writer_free(&w);
  return s;
}

/* A new block each time the best block is asked for. */
static void produce(node *nd) {
  nd->best++;
  json_t *xts = json_array();
  json_array_append_new(xts, json_string("0x280403000b207eba5c8e01"));
  if (nd->pending && nd->mode != NEVER && !nd->included_at) {
    json_array_append_new(xts, json_string(nd->pending));
    nd->included_at = nd->best;
    json_t *h = hash_json(nd->best);
    char *ev = events_hex(nd);
    json_object_set_new(nd->events, json_string_value(h), json_string(ev));
    free(ev);
    json_decref(h);
  }
  char key[24];
  snprintf(key, sizeof key, "%llu", (unsigned long long)nd->best);
  json_object_set_new(nd->blocks, key, xts);
}

static void serve(void *user, const char *body, size_t len, sp_http_reply *r) {
  (void)len;
  node *nd = user;
  long long id;
  const char *m;
  json_t *params;
  json_t *req = sp_jsonrpc_request(body, &id, &m, &params);
  json_t *p0 = json_array_get(params, 0);
  json_t *result = NULL;
  char *error = NULL;
  if (!strcmp(m, "state_getRuntimeVersion")) {
    result = json_pack("{s:s,s:i,s:i}", "specName", "node-subtensor",
                       "specVersion", 343, "transactionVersion", 1);
  } else if (!strcmp(m, "state_getMetadata")) {
    result = json_string(nd->metadata_hex);
  } else if (!strcmp(m, "chain_getBlockHash")) {
    if (!p0) {
      produce(nd);
      result = hash_json(nd->best);
    } else {
      uint64_t n = (uint64_t)json_integer_value(p0);
      result = n <= nd->best ? hash_json(n) : json_null();
    }
  } else if (!strcmp(m, "chain_getHeader")) {
    long long n = number_of(json_string_value(p0), nd->best);
    char num[24];
    snprintf(num, sizeof num, "0x%llx", n);
    result = json_pack("{s:s,s:o}", "number", num, "parentHash",
                       hash_json(n > 0 ? (uint64_t)n - 1 : 0));
  } else if (!strcmp(m, "chain_getBlock")) {
    long long n = number_of(json_string_value(p0), nd->best);
    char key[24];
    snprintf(key, sizeof key, "%lld", n);
    json_t *xts = json_object_get(nd->blocks, key);
    result = json_pack("{s:{s:{},s:O},s:n}", "block", "header", "extrinsics",
                       xts ? xts : json_array(), "justifications");
  } else if (!strcmp(m, "system_accountNextIndex")) {
    snprintf(nd->ss58_seen, sizeof nd->ss58_seen, "%s",
             json_string_value(p0) ? json_string_value(p0) : "(not a string)");
    result = json_integer(7);
  } else if (!strcmp(m, "author_submitExtrinsic")) {
    nd->submissions++;
    if (nd->mode == REJECT) {
      error = sp_http_fmt(
          "{\"code\":1010,\"message\":\"Invalid Transaction\",\"data\":"
          "\"Custom error: 6\"}");
    } else {
      const char *hex = json_string_value(p0);
      free(nd->pending);
      nd->pending = strdup(hex);
      size_t n = strlen(hex) / 2;
      uint8_t *b = malloc(n);
      size_t got;
      sp_hex_decode(hex, 0, b, n, &got);
      uint8_t h[32];
      crypto_generichash(h, 32, b, got, NULL, 0);
      free(b);
      char *hs = sp_hex0x(h, 32);
      result = json_string(hs);
      free(hs);
    }
  } else if (!strcmp(m, "state_getStorage")) {
    const char *ev = json_string_value(json_object_get(
        nd->events, json_string_value(json_array_get(params, 1))));
    result = ev ? json_string(ev) : json_null();
  }
  sp_http_reply_jsonrpc(r, id, result, error); /* none: method not found */
  json_decref(req);
}

static node nd;
static sp_http_stub *stub;

static void setup(void) {
  memset(&nd, 0, sizeof nd);
  nd.metadata_hex = sp_fixture_text("metadata_v14.hex");
  cr_assert_eq(sp_metadata_parse_hex(nd.metadata_hex, false, &nd.md, NULL), 0);
  nd.best = 10;
  nd.blocks = json_object();
  nd.events = json_object();
  /* Alice's well-known public key; SS58 (prefix 42) 5GrwvaEF... */
  size_t n;
  sp_hex_decode(
      "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d", 32,
      nd.hotkey, 32, &n);
  stub = sp_http_stub_start(serve, &nd);
  cr_assert_not_null(stub);
}

static void teardown(void) {
  sp_http_stub_stop(stub);
  sp_metadata_free(nd.md);
  free(nd.metadata_hex);
  free(nd.pending);
  json_decref(nd.blocks);
  json_decref(nd.events);
}

static int fake_sign(void *ctx, const uint8_t *msg, size_t len,
                     uint8_t sig[64]) {
  (void)ctx;
  crypto_generichash(sig, 64, msg, len, NULL, 0);
  return 0;
}

static sp_chain_client *open_client(void) {
  sp_rpc_options o;
  sp_rpc_options_quick(&o);
  sp_chain_client *c;
  sp_chain_error err = {0};
  cr_assert_eq(sp_chain_client_open(&c, sp_http_stub_url(stub), &o, &err), 0,
               "%s", err.message);
  return c;
}

static int submit(sp_chain_client *c, sp_chain_outcome *out,
                  sp_chain_error *err, uint32_t max_blocks) {
  sp_signer signer = {.scheme = SP_SIGNER_SR25519, .sign = fake_sign};
  memcpy(signer.public_key, nd.hotkey, 32);
  uint8_t work[32] = {1, 2, 3};
  json_t *args =
      sp_chain_register_args(3, nd.best, 99, work, nd.hotkey, nd.hotkey);
  sp_submit_options o;
  sp_submit_options_default(&o);
  o.poll_interval_ms = 5;
  o.timeout_ms = 3000;
  o.max_blocks = max_blocks;
  int rc = sp_chain_submit_and_watch(c, &signer, "SubtensorModule", "register",
                                     args, &o, out, err);
  json_decref(args);
  return rc;
}

Test(chain_client, open_reads_runtime_metadata_and_genesis, .init = setup,
     .fini = teardown) {
  sp_chain_client *c = open_client();
  cr_expect_eq(c->runtime.spec_version, 343);
  cr_expect_eq(c->runtime.transaction_version, 1);
  cr_expect_str_eq(c->runtime.spec_name, "node-subtensor");
  uint8_t g[32];
  block_hash(0, g);
  cr_expect_arr_eq(c->genesis_hash, g, 32);
  cr_expect_eq(sp_metadata_pallet(c->metadata, "SubtensorModule")->index, 7);
  uint64_t best;
  uint8_t h[32];
  sp_chain_error err = {0};
  cr_assert_eq(sp_chain_best_block(c, &best, h, &err), 0, "%s", err.message);
  cr_expect_eq(best, 11);
  block_hash(11, g);
  cr_expect_arr_eq(h, g, 32);
  cr_expect_eq(sp_chain_block_hash(c, 5000, h, &err), -SP_CHAIN_ENOTFOUND);
  sp_chain_client_close(c);
}

Test(chain_client, register_included_and_succeeds, .init = setup,
     .fini = teardown) {
  sp_chain_client *c = open_client();
  sp_chain_outcome out;
  sp_chain_error err = {0};
  cr_assert_eq(submit(c, &out, &err, 0), 0, "%s", err.message);
  cr_expect_str_eq(nd.ss58_seen,
                   "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
                   "system_accountNextIndex gets the SS58 address");
  cr_expect_eq(out.block_number, nd.included_at);
  cr_expect_eq(out.extrinsic_index, 1);
  cr_expect(out.dispatch.success);
  const json_t *reg = sp_dispatch_outcome_event(
      &out.dispatch, "SubtensorModule", "NeuronRegistered");
  cr_assert_not_null(reg);
  cr_expect_eq(json_integer_value(json_array_get(reg, 1)), 29);
  cr_expect_eq(json_array_size(out.dispatch.events), 2,
               "only the events of extrinsic 1");
  /* The node saw the extrinsic we hashed, with nonce 7 and our call. */
  size_t n = strlen(nd.pending) / 2;
  uint8_t *b = malloc(n);
  size_t got;
  sp_hex_decode(nd.pending, 0, b, n, &got);
  uint8_t h[32];
  crypto_generichash(h, 32, b, got, NULL, 0);
  cr_expect_arr_eq(out.extrinsic_hash, h, 32);
  json_t *d;
  cr_assert_eq(sp_extrinsic_decode(c->metadata, b, got, &d, &err), 0, "%s",
               err.message);
  cr_expect_eq(json_integer_value(json_object_get(
                   json_object_get(d, "extensions"), "CheckNonce")),
               7);
  cr_expect_str_eq(
      json_string_value(json_object_get(json_object_get(d, "call"), "name")),
      "register");
  json_decref(d);
  free(b);
  sp_chain_outcome_free(&out);
  sp_chain_client_close(c);
}

Test(chain_client, module_error_by_name_with_docs, .init = setup,
     .fini = teardown) {
  nd.mode = FAIL_INVALID_SEAL;
  sp_chain_client *c = open_client();
  sp_chain_outcome out;
  sp_chain_error err = {0};
  cr_assert_eq(submit(c, &out, &err, 0), 0, "%s", err.message);
  cr_expect(!out.dispatch.success);
  cr_expect_str_eq(out.dispatch.error_pallet, "SubtensorModule");
  cr_expect_str_eq(out.dispatch.error_name, "InvalidSeal");
  cr_expect_gt(strlen(out.dispatch.error_docs), 0);
  cr_expect(
      strncmp(out.dispatch.failure, "SubtensorModule.InvalidSeal: ", 29) == 0,
      "%s", out.dispatch.failure);
  sp_chain_outcome_free(&out);
  sp_chain_client_close(c);
}

Test(chain_client, pool_rejection_is_a_jsonrpc_error, .init = setup,
     .fini = teardown) {
  nd.mode = REJECT;
  sp_chain_client *c = open_client();
  sp_chain_outcome out;
  sp_chain_error err = {0};
  cr_expect_eq(submit(c, &out, &err, 0), -SP_CHAIN_ERPC);
  cr_expect_eq(err.rpc_code, 1010);
  cr_expect(strstr(err.message, "SubtensorModule.register") &&
                strstr(err.message, "Invalid Transaction"),
            "%s", err.message);
  cr_expect_eq(nd.submissions, 1, "a rejected transaction is not resent");
  sp_chain_client_close(c);
}

Test(chain_client, never_included_times_out, .init = setup, .fini = teardown) {
  nd.mode = NEVER;
  sp_chain_client *c = open_client();
  sp_chain_outcome out;
  sp_chain_error err = {0};
  cr_expect_eq(submit(c, &out, &err, 3), -SP_CHAIN_ETIMEOUT);
  cr_expect(strstr(err.message, "3 blocks") != NULL, "%s", err.message);
  uint8_t zero[32] = {0};
  cr_expect(memcmp(out.extrinsic_hash, zero, 32) != 0,
            "the hash is known even on a timeout");
  sp_chain_outcome_free(&out);
  sp_chain_client_close(c);
}

Test(chain_client, events_round_trip, .init = setup, .fini = teardown) {
  for (int mode = SUCCEED; mode <= FAIL_INVALID_SEAL; mode++) {
    nd.mode = (scenario)mode;
    char *hex = events_hex(&nd);
    size_t n = strlen(hex) / 2;
    uint8_t *b = malloc(n);
    size_t got;
    cr_assert_eq(sp_hex_decode(hex, 0, b, n, &got), 0);
    json_t *events;
    sp_chain_error err = {0};
    cr_assert_eq(sp_events_decode(nd.md, b, got, &events, &err), 0, "%s",
                 err.message);
    cr_expect_eq(json_array_size(events), mode == SUCCEED ? 4 : 3);
    /* re-encoding the decoded value gives the same bytes */
    const sp_storage_entry *e;
    sp_metadata_storage(nd.md, "System", "Events", NULL, &e, NULL);
    sp_scale_writer w;
    sp_scale_writer_init(&w);
    cr_assert_eq(
        sp_scale_encode_type(&nd.md->registry, e->value_type, events, &w, &err),
        0, "%s", err.message);
    cr_assert_eq(w.len, got);
    cr_expect_arr_eq(w.data, b, got);
    sp_dispatch_outcome o;
    cr_assert_eq(sp_events_outcome(nd.md, events, 1, &o, &err), 0);
    cr_expect_eq(o.success, mode == SUCCEED);
    sp_dispatch_outcome_free(&o);
    cr_expect_eq(sp_events_outcome(nd.md, events, 2, &o, &err),
                 -SP_CHAIN_ENOTFOUND);
    /* every truncation fails cleanly */
    for (size_t k = 0; k < got; k++) {
      json_t *x = NULL;
      cr_expect_neq(sp_events_decode(nd.md, b, k, &x, &err), 0, "k=%zu", k);
      cr_expect_null(x);
    }
    sp_scale_writer_free(&w);
    json_decref(events);
    free(b);
    free(hex);
  }
}

Test(chain_client, open_refuses_bad_nodes, .init = setup, .fini = teardown) {
  free(nd.metadata_hex);
  nd.metadata_hex = strdup("0x6d657461ff");
  sp_chain_client *c;
  sp_chain_error err = {0};
  sp_rpc_options o;
  sp_rpc_options_default(&o);
  cr_expect_eq(sp_chain_client_open(&c, sp_http_stub_url(stub), &o, &err),
               -SP_CHAIN_EMETADATA);
  cr_expect(strstr(err.message, "version 255") != NULL, "%s", err.message);
  cr_expect_null(c);
  cr_expect_eq(sp_chain_client_open(&c, "gopher://x", &o, &err),
               -SP_CHAIN_EARG);
}
