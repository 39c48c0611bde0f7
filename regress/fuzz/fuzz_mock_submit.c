/*
 * Fuzz target: the mock node's transaction pool (mock_submit in
 * chain/mock/mock_runtime.c, what author_submitExtrinsic runs) and, for
 * what it accepts, the block that applies it. One node runs per process,
 * its block producer stalled; the target produces blocks itself and starts
 * a fresh node every 500 blocks to bound memory.
 *
 * Byte 0 picks the input's meaning:
 *   even  the rest is an extrinsic as sent on the wire
 *   odd   the rest is a call (pallet index, call index, arguments), which
 *         the target signs as a valid version-4 extrinsic (a fixed sr25519
 *         key, the node's genesis and next nonce, immortal era), so that the
 *         fuzzer reaches the pallet's dispatch rather than the signature
 * Properties:
 *   - a refusal is a JSON-RPC error 1002 (undecodable) or 1010 (invalid
 *     transaction) with a message and a data string;
 *   - whatever the pool gets past decoding (accepts, or refuses with 1010)
 *     the client library decodes too (sp_extrinsic_decode), so the two
 *     decoders agree on what an extrinsic is;
 *   - a signed call is refused as undecodable exactly when it does not
 *     decode as the runtime's call type;
 *   - an accepted extrinsic's hash is BLAKE2b-256 of its bytes, it enters
 *     the pool, and the next block's events decode with the node's own
 *     metadata and hold exactly one ExtrinsicSuccess or ExtrinsicFailed for
 *     it.
 */
#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "chain/client/extrinsic.h"
#include "chain/client/storage.h"
#include "chain/codec/scale_type.h"
#include "chain/keys/keypair.h"
#include "chain/mock/mock_node.h"
#include "chain/mock/mock_runtime.h"
#include "chain/mock/mock_state.h"
#include "regress/fuzz/fuzz_support.h"

static sp_mock_node *node;
static unsigned blocks;

static sp_mock_node *fresh_node(void) {
  if (node != NULL && blocks < 500) return node;
  sp_mock_stop(node);
  sp_mock_config c;
  sp_mock_config_default(&c);
  c.port = 0;
  c.stall_blocks = true;
  c.block_time_ms = 60000;
  sp_mock_config_subnet(&c, 3, false, 10);
  sp_error_record err = {0};
  node = sp_mock_start(&c, &err);
  FUZZ_CHECK(node != NULL, "cannot start the mock node: %s", err.message);
  blocks = 0;
  return node;
}

static const sp_signer *signer(void) {
  static sp_keypair kp;
  static sp_signer s;
  if (s.sign == NULL) {
    uint8_t mini[32];
    memset(mini, 0x5a, sizeof mini);
    FUZZ_CHECK(sp_keypair_from_mini_secret(SP_SIGNER_SR25519, mini, &kp) == 0 &&
                   sp_keypair_signer(&kp, &s) == 0,
               "test key");
  }
  return &s;
}

/* The block just produced: its events decode and report the one extrinsic
 * it applied. Caller holds no lock. */
static void check_block_events(sp_mock_node *n) {
  pthread_mutex_lock(&n->lock);
  const mock_block *b = mock_best(n);
  const sp_storage_entry *e = NULL;
  FUZZ_CHECK(sp_metadata_storage(n->md, "System", "Events", NULL, &e, NULL) ==
                 0,
             "no System.Events");
  json_t *events = NULL;
  sp_chain_error err = {0};
  int rc = sp_scale_decode_type_all(&n->md->registry, e->value_type, b->events,
                                    b->events_len, &events, &err);
  pthread_mutex_unlock(&n->lock);
  FUZZ_CHECK(rc == 0, "block events do not decode: %s", err.message);
  size_t i, outcomes = 0;
  json_t *rec;
  json_array_foreach(events, i, rec) {
    json_t *phase =
        json_object_get(json_object_get(rec, "phase"), "ApplyExtrinsic");
    FUZZ_CHECK(json_is_integer(phase) && json_integer_value(phase) == 0,
               "event of another extrinsic");
    json_t *sys = json_object_get(json_object_get(rec, "event"), "System");
    if (json_object_get(sys, "ExtrinsicSuccess") ||
        json_object_get(sys, "ExtrinsicFailed"))
      outcomes++;
  }
  FUZZ_CHECK(outcomes == 1, "%zu outcomes for one extrinsic", outcomes);
  json_decref(events);
}

static void submit(sp_mock_node *n, const uint8_t *xt, size_t len,
                   int call_decodes) {
  uint8_t hash[32];
  sp_rpc_reply reply;
  memset(&reply, 0, sizeof reply);
  pthread_mutex_lock(&n->lock);
  size_t pool_before = n->n_pool;
  int rc = mock_submit(n, xt, len, hash, &reply);
  size_t pool_after = n->n_pool;
  pthread_mutex_unlock(&n->lock);

  json_t *decoded = NULL;
  sp_chain_error err = {0};
  int client = sp_extrinsic_decode(n->md, xt, len, &decoded, &err);
  json_decref(decoded);
  if (rc == 0) {
    uint8_t want[32];
    sp_blake2_256(xt, len, want);
    FUZZ_CHECK(memcmp(hash, want, 32) == 0, "pool hash differs");
    FUZZ_CHECK(pool_after == pool_before + 1, "pool did not grow");
    FUZZ_CHECK(client == 0, "pool accepted what the client cannot decode: %s",
               err.message);
    FUZZ_CHECK(call_decodes != 0, "pool accepted an undecodable call");
    sp_mock_produce_block(n);
    blocks++;
    check_block_events(n);
  } else {
    FUZZ_CHECK(reply.error_code == 1002 || reply.error_code == 1010,
               "error code %d", reply.error_code);
    FUZZ_CHECK(reply.error_message[0] != '\0' &&
                   json_is_string(reply.error_data),
               "refusal without a message");
    FUZZ_CHECK(pool_after == pool_before,
               "a refused extrinsic entered the pool");
    if (reply.error_code == 1010)
      FUZZ_CHECK(client == 0, "pool decoded what the client cannot (%s): %s",
                 json_string_value(reply.error_data), err.message);
    if (call_decodes >= 0)
      FUZZ_CHECK((reply.error_code == 1002) == (call_decodes == 0),
                 "signed call (decodes: %d) refused with %d: %s", call_decodes,
                 reply.error_code, json_string_value(reply.error_data));
  }
  json_decref(reply.error_data);
  json_decref(reply.result);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  sp_mock_node *n = fresh_node();
  const uint8_t *rest = data + 1;
  size_t len = size - 1;
  if ((data[0] & 1) == 0) {
    submit(n, rest, len, -1);
    return 0;
  }
  const sp_signer *s = signer();
  sp_extrinsic_params p;
  memset(&p, 0, sizeof p);
  p.spec_version = n->cfg.runtime;
  p.transaction_version = 1;
  p.era = sp_era_immortal();
  pthread_mutex_lock(&n->lock);
  memcpy(p.genesis_hash, n->blocks[0].hash, 32);
  p.nonce = mock_next_index(n, s->public_key);
  pthread_mutex_unlock(&n->lock);
  json_t *call = NULL;
  int decodes = sp_scale_decode_type_all(&n->md->registry, n->md->call_type,
                                         rest, len, &call, NULL) == 0;
  json_decref(call);
  sp_scale_writer xt;
  sp_scale_writer_init(&xt);
  sp_chain_error err = {0};
  int rc = sp_extrinsic_build_signed(n->md, len ? rest : (const uint8_t *)"",
                                     len, &p, s, &xt, &err);
  FUZZ_CHECK(rc == 0, "cannot sign %zu call bytes: %s", len, err.message);
  submit(n, xt.data, xt.len, decodes);
  sp_scale_writer_free(&xt);
  return 0;
}
