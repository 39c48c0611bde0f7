/* The mock node end to end at the library level: extrinsics built by our
 * client (chain/client/extrinsic.h) and signed with our keys
 * (chain/keys/keypair.h) are submitted over HTTP, dispatched with the pallet's
 * checks in order, and every error of section 3 is reached and reported as the
 * chain does. */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "chain/client/extrinsic.h"
#include "chain/client/rpc.h"
#include "chain/client/storage.h"
#include "chain/codec/metadata.h"
#include "chain/codec/scale_type.h"
#include "chain/keys/keypair.h"
#include "chain/keys/ss58.h"
#include "chain/mock/mock_metadata.h"
#include "chain/mock/mock_node.h"
#include "reference/reference.h"

typedef struct client {
  sp_mock_node *node;
  sp_rpc *rpc;
  sp_metadata *md;
  uint8_t genesis[32];
  uint32_t spec;
} client;

static void start(client *c, uint32_t runtime, bool faucet,
                  uint16_t max_per_block) {
  sp_mock_config cfg;
  sp_mock_config_default(&cfg);
  cfg.port = 0;
  cfg.runtime = runtime;
  cfg.faucet = faucet;
  cfg.stall_blocks = true; /* blocks only when the test says */
  cfg.max_registrations_per_block = max_per_block;
  sp_mock_config_subnet(&cfg, 1, true, 1000);
  sp_mock_config_subnet(&cfg, 2, false, 1000);
  sp_error_record err = {0};
  c->node = sp_mock_start(&cfg, &err);
  cr_assert_not_null(c->node, "%s", err.message);
  char url[64];
  sp_mock_url(c->node, url, sizeof url);
  sp_chain_error e = {0};
  cr_assert_eq(sp_rpc_open(&c->rpc, url, NULL, &e), 0, "%s", e.message);
  uint8_t *bytes = NULL;
  size_t len = 0;
  bool found = false;
  cr_assert_eq(sp_rpc_call_hex(c->rpc, "state_getMetadata", json_array(),
                               &found, &bytes, &len, &e),
               0, "%s", e.message);
  cr_assert_eq(sp_metadata_parse(bytes, len, &c->md, &e), 0, "%s", e.message);
  free(bytes);
  json_t *h = NULL;
  cr_assert_eq(sp_rpc_call(c->rpc, "chain_getBlockHash", json_pack("[i]", 0),
                           SP_RPC_STRING, &h, &e),
               0, "%s", e.message);
  cr_assert_eq(sp_hex_decode(json_string_value(h), 32, c->genesis, 32, NULL),
               0);
  json_decref(h);
  c->spec = runtime;
}

static void stop(client *c) {
  sp_metadata_free(c->md);
  sp_rpc_close(c->rpc);
  sp_mock_stop(c->node);
}

static sp_keypair key(uint8_t tag) {
  uint8_t mini[32];
  memset(mini, tag, 32);
  sp_keypair kp;
  cr_assert_eq(sp_keypair_from_mini_secret(SP_SIGNER_SR25519, mini, &kp), 0);
  return kp;
}

static uint32_t next_index(client *c, const sp_keypair *kp) {
  char ss58[64];
  cr_assert_eq(sp_ss58_encode(kp->public_key, 42, ss58, sizeof ss58), 0);
  json_t *r = NULL;
  sp_chain_error e = {0};
  cr_assert_eq(sp_rpc_call(c->rpc, "system_accountNextIndex",
                           json_pack("[s]", ss58), SP_RPC_INTEGER, &r, &e),
               0, "%s", e.message);
  uint32_t n = (uint32_t)json_integer_value(r);
  json_decref(r);
  return n;
}

static void block_hash_of(client *c, uint64_t number, uint8_t out[32]) {
  json_t *h = NULL;
  sp_chain_error e = {0};
  cr_assert_eq(sp_rpc_call(c->rpc, "chain_getBlockHash",
                           json_pack("[I]", (json_int_t)number), SP_RPC_STRING,
                           &h, &e),
               0, "%s", e.message);
  cr_assert_eq(sp_hex_decode(json_string_value(h), 32, out, 32, NULL), 0);
  json_decref(h);
}

/* Submits `pallet.call(args)` signed by kp; returns 0 or the JSON-RPC error
 * code (with its data in why). */
static int64_t submit(client *c, const sp_keypair *kp, const char *call,
                      json_t *args, char *why, size_t whylen) {
  sp_scale_writer cw, xw;
  sp_scale_writer_init(&cw);
  sp_scale_writer_init(&xw);
  sp_chain_error e = {0};
  cr_assert_eq(sp_call_encode(c->md, "SubtensorModule", call, args, &cw, &e), 0,
               "%s", e.message);
  json_decref(args);
  sp_extrinsic_params p = {.spec_version = c->spec,
                           .transaction_version = 1,
                           .era = sp_era_immortal(),
                           .nonce = next_index(c, kp)};
  memcpy(p.genesis_hash, c->genesis, 32);
  sp_signer signer;
  cr_assert_eq(sp_keypair_signer(kp, &signer), 0);
  cr_assert_eq(
      sp_extrinsic_build_signed(c->md, cw.data, cw.len, &p, &signer, &xw, &e),
      0, "%s", e.message);
  json_t *hex = json_pack("[o]", sp_json_hex(xw.data, xw.len));
  json_t *r = NULL;
  int rc =
      sp_rpc_call(c->rpc, "author_submitExtrinsic", hex, SP_RPC_STRING, &r, &e);
  json_decref(r);
  sp_scale_writer_free(&cw);
  sp_scale_writer_free(&xw);
  if (rc == 0) return 0;
  snprintf(why, whylen, "%s", e.message);
  return e.rpc_code ? e.rpc_code : rc;
}

/* A solution for `hotkey` on the current best block at `difficulty` (chain-le
 * or chain-be by runtime). */
static json_t *register_args(client *c, uint16_t netuid, uint64_t block,
                             const uint8_t hotkey[32],
                             const uint8_t coldkey[32], uint64_t difficulty,
                             bool valid) {
  uint8_t bh[32], bahh[32], seal[32];
  block_hash_of(c, block, bh);
  sp_hash_block_with_hotkey(bh, hotkey, bahh);
  sp_rule rule = sp_rule_for_spec_version(c->spec);
  uint64_t nonce = 0;
  for (;; nonce++) {
    sp_create_seal_hash(bahh, nonce, seal);
    if (sp_seal_meets_difficulty(seal, difficulty, rule) == valid) break;
  }
  return json_pack("{s:i, s:I, s:I, s:o, s:o, s:o}", "netuid", netuid,
                   "block_number", (json_int_t)block, "nonce",
                   (json_int_t)nonce, "work", sp_json_hex(seal, 32), "hotkey",
                   sp_json_hex(hotkey, 32), "coldkey",
                   sp_json_hex(coldkey, 32));
}

/* The outcome of extrinsic `index` in block `number`: "NeuronRegistered",
 * "ok" or the module error's name. */
static void outcome(client *c, uint64_t number, unsigned index, char *out,
                    size_t cap) {
  uint8_t bh[32], key[32];
  block_hash_of(c, number, bh);
  sp_storage_prefix("System", "Events", key);
  json_t *params =
      json_pack("[o, o]", sp_json_hex(key, 32), sp_json_hex(bh, 32));
  uint8_t *bytes = NULL;
  size_t len = 0;
  bool found = false;
  sp_chain_error e = {0};
  cr_assert_eq(sp_rpc_call_hex(c->rpc, "state_getStorage", params, &found,
                               &bytes, &len, &e),
               0, "%s", e.message);
  const sp_storage_entry *entry = NULL;
  cr_assert_eq(sp_metadata_storage(c->md, "System", "Events", NULL, &entry, &e),
               0);
  json_t *events = NULL;
  cr_assert_eq(sp_scale_decode_type_all(&c->md->registry, entry->value_type,
                                        bytes, len, &events, &e),
               0, "%s", e.message);
  free(bytes);
  snprintf(out, cap, "no outcome");
  size_t i;
  json_t *rec;
  json_array_foreach(events, i, rec) {
    if (json_integer_value(json_object_get(json_object_get(rec, "phase"),
                                           "ApplyExtrinsic")) != index)
      continue;
    json_t *ev = json_object_get(rec, "event");
    json_t *sys = json_object_get(ev, "System");
    if (json_object_get(ev, "SubtensorModule") != NULL) {
      snprintf(out, cap, "%s",
               json_object_iter_key(
                   json_object_iter(json_object_get(ev, "SubtensorModule"))));
      break;
    }
    if (json_object_get(sys, "ExtrinsicSuccess")) snprintf(out, cap, "ok");
    json_t *failed = json_object_get(sys, "ExtrinsicFailed");
    if (failed != NULL) {
      json_t *module =
          json_object_get(json_object_get(failed, "dispatch_error"), "Module");
      uint8_t err4[4];
      cr_assert_eq(sp_json_hex_fixed(json_object_get(module, "error"), err4, 4),
                   0);
      const sp_type_variant *v = sp_metadata_module_error(
          c->md, (uint8_t)json_integer_value(json_object_get(module, "index")),
          err4[0], NULL);
      snprintf(out, cap, "%s", v ? v->name : "unknown module error");
    }
  }
  json_decref(events);
}

Test(mock_node, registers_and_reaches_every_registration_error) {
  client c;
  start(&c, 343, false, 1);
  sp_keypair hot = key(1), cold = key(2), hot2 = key(3), hot3 = key(4);
  char why[512] = "";
  uint64_t best = sp_mock_best(c.node);

  /* block N: a valid registration, then (same block, limit 1 per block)
   * a second valid one, signed by the coldkey instead of the hotkey, for
   * a missing subnet and for a subnet without PoW. */
  cr_assert_eq(submit(&c, &hot, "register",
                      register_args(&c, 1, best, hot.public_key,
                                    cold.public_key, 1000, true),
                      why, sizeof why),
               0, "%s", why);
  cr_assert_eq(submit(&c, &hot2, "register",
                      register_args(&c, 1, best, hot2.public_key,
                                    cold.public_key, 1000, true),
                      why, sizeof why),
               0, "%s", why);
  cr_assert_eq(submit(&c, &cold, "register",
                      register_args(&c, 1, best, hot3.public_key,
                                    cold.public_key, 1000, true),
                      why, sizeof why),
               0, "%s", why);
  cr_assert_eq(submit(&c, &hot3, "register",
                      register_args(&c, 9, best, hot3.public_key,
                                    cold.public_key, 1000, true),
                      why, sizeof why),
               0, "%s", why);
  uint64_t n1 = sp_mock_produce_block(c.node);
  char got[128];
  outcome(&c, n1, 0, got, sizeof got);
  cr_assert_str_eq(got, "NeuronRegistered");
  outcome(&c, n1, 1, got, sizeof got);
  cr_assert_str_eq(got, "TooManyRegistrationsThisBlock");
  outcome(&c, n1, 2, got, sizeof got);
  cr_assert_str_eq(got, "TransactorAccountShouldBeHotKey");
  outcome(&c, n1, 3, got, sizeof got);
  cr_assert_str_eq(got, "SubnetNotExists");
  uint16_t uid = 99;
  cr_assert_eq(sp_mock_uid(c.node, 1, hot.public_key, &uid), 0);
  cr_assert_eq(uid, 0);
  cr_assert_eq(sp_mock_uid(c.node, 1, hot2.public_key, &uid), 1);

  /* block N+1: already registered, PoW disabled, bad difficulty, bad seal */
  best = sp_mock_best(c.node);
  cr_assert_eq(submit(&c, &hot, "register",
                      register_args(&c, 1, best, hot.public_key,
                                    cold.public_key, 1000, true),
                      why, sizeof why),
               0, "%s", why);
  cr_assert_eq(submit(&c, &hot2, "register",
                      register_args(&c, 2, best, hot2.public_key,
                                    cold.public_key, 1000, true),
                      why, sizeof why),
               0, "%s", why);
  cr_assert_eq(submit(&c, &hot3, "register",
                      register_args(&c, 1, best, hot3.public_key,
                                    cold.public_key, 1000, false),
                      why, sizeof why),
               0, "%s", why);
  json_t *forged =
      register_args(&c, 1, best, hot2.public_key, cold.public_key, 1000, true);
  static const uint8_t zero[32] = {0}; /* meets every difficulty, is no seal */
  json_object_set_new(forged, "work", sp_json_hex(zero, 32));
  sp_keypair hot4 = key(5);
  json_object_set_new(forged, "hotkey", sp_json_hex(hot4.public_key, 32));
  cr_assert_eq(submit(&c, &hot4, "register", forged, why, sizeof why), 0, "%s",
               why);
  uint64_t n2 = sp_mock_produce_block(c.node);
  outcome(&c, n2, 0, got, sizeof got);
  cr_assert_str_eq(got, "HotKeyAlreadyRegisteredInSubNet");
  outcome(&c, n2, 1, got, sizeof got);
  cr_assert_str_eq(got, "SubNetRegistrationDisabled");
  outcome(&c, n2, 2, got, sizeof got);
  cr_assert_str_eq(got, "InvalidDifficulty");
  outcome(&c, n2, 3, got, sizeof got);
  cr_assert_str_eq(got, "InvalidSeal");

  /* stale work: solved on block b, included at b + 3 */
  uint64_t b = sp_mock_best(c.node);
  json_t *stale =
      register_args(&c, 1, b, hot2.public_key, cold.public_key, 1000, true);
  sp_mock_produce_block(c.node);
  sp_mock_produce_block(c.node);
  cr_assert_eq(submit(&c, &hot2, "register", stale, why, sizeof why), 0, "%s",
               why);
  uint64_t n3 = sp_mock_produce_block(c.node);
  cr_assert_eq(n3, b + 3);
  outcome(&c, n3, 0, got, sizeof got);
  cr_assert_str_eq(got, "InvalidWorkBlock");
  /* and at b + 2 it is still good */
  b = sp_mock_best(c.node);
  json_t *fresh =
      register_args(&c, 1, b, hot2.public_key, cold.public_key, 1000, true);
  sp_mock_produce_block(c.node);
  cr_assert_eq(submit(&c, &hot2, "register", fresh, why, sizeof why), 0, "%s",
               why);
  uint64_t n4 = sp_mock_produce_block(c.node);
  outcome(&c, n4, 0, got, sizeof got);
  cr_assert_str_eq(got, "NeuronRegistered");

  /* the faucet is off on this node */
  b = sp_mock_best(c.node);
  cr_assert_eq(
      submit(&c, &cold, "faucet",
             json_pack("{s:I, s:I, s:o}", "block_number", (json_int_t)b,
                       "nonce", 0, "work", sp_json_hex(zero, 32)),
             why, sizeof why),
      0, "%s", why);
  uint64_t n5 = sp_mock_produce_block(c.node);
  outcome(&c, n5, 0, got, sizeof got);
  cr_assert_str_eq(got, "FaucetDisabled");
  stop(&c);
}

Test(mock_node, pool_rejects_bad_signatures_and_nonces) {
  client c;
  start(&c, 343, true, 3);
  sp_keypair hot = key(7), cold = key(8);
  char why[512] = "";
  uint64_t best = sp_mock_best(c.node);
  /* signed for another spec version: the signature does not verify */
  c.spec = 282;
  int64_t rc = submit(
      &c, &hot, "register",
      register_args(&c, 1, best, hot.public_key, cold.public_key, 1000, true),
      why, sizeof why);
  cr_assert_eq(rc, 1010, "%" PRId64 " %s", rc, why);
  cr_assert_not_null(strstr(why, "bad signature"), "%s", why);
  c.spec = 343;
  /* malformed bytes */
  json_t *r = NULL;
  sp_chain_error e = {0};
  rc = sp_rpc_call(c.rpc, "author_submitExtrinsic",
                   json_pack("[s]", "0x0c840102"), SP_RPC_STRING, &r, &e);
  cr_assert_eq(e.rpc_code, 1002, "%s", e.message);
  stop(&c);
}

Test(mock_node, runtime_282_uses_big_endian_and_faucet_pays) {
  client c;
  start(&c, 282, true, 3);
  sp_keypair hot = key(9), cold = key(10);
  char why[512] = "";
  uint64_t best = sp_mock_best(c.node);
  cr_assert_eq(submit(&c, &hot, "register",
                      register_args(&c, 1, best, hot.public_key,
                                    cold.public_key, 1000, true),
                      why, sizeof why),
               0, "%s", why);
  /* faucet: difficulty 1,000,000 with the coldkey's key in the seal */
  uint8_t bh[32], bahh[32], seal[32];
  block_hash_of(&c, best, bh);
  sp_hash_block_with_hotkey(bh, cold.public_key, bahh);
  uint64_t nonce = 0;
  for (;; nonce++) {
    sp_create_seal_hash(bahh, nonce, seal);
    if (sp_seal_meets_difficulty(seal, 1000000, SP_RULE_CHAIN_BE)) break;
  }
  cr_assert_eq(submit(&c, &cold, "faucet",
                      json_pack("{s:I, s:I, s:o}", "block_number",
                                (json_int_t)best, "nonce", (json_int_t)nonce,
                                "work", sp_json_hex(seal, 32)),
                      why, sizeof why),
               0, "%s", why);
  uint64_t n = sp_mock_produce_block(c.node);
  char got[128];
  outcome(&c, n, 0, got, sizeof got);
  cr_assert_str_eq(got, "NeuronRegistered");
  outcome(&c, n, 1, got, sizeof got);
  cr_assert_str_eq(got, "Faucet");
  cr_assert_eq(sp_mock_balance(c.node, cold.public_key), 1000000000000ull);
  stop(&c);
}

Test(mock_node, runtime_397_register_is_a_burned_registration_by_the_coldkey) {
  client c;
  start(&c, 397, false, 3);
  sp_keypair hot = key(11), cold = key(12);
  char why[512] = "";
  uint64_t best = sp_mock_best(c.node);
  /* no balance: the burn cannot be paid */
  cr_assert_eq(submit(&c, &cold, "register",
                      register_args(&c, 1, best, hot.public_key,
                                    cold.public_key, 1000, false),
                      why, sizeof why),
               0, "%s", why);
  uint64_t n = sp_mock_produce_block(c.node);
  char got[128];
  outcome(&c, n, 0, got, sizeof got);
  cr_assert_str_eq(got, "NotEnoughBalanceToStake");
  sp_mock_set_balance(c.node, cold.public_key, 5000000000ull);
  best = sp_mock_best(c.node);
  /* the work is ignored: an invalid one registers too */
  cr_assert_eq(submit(&c, &cold, "register",
                      register_args(&c, 1, best, hot.public_key,
                                    cold.public_key, 1000, false),
                      why, sizeof why),
               0, "%s", why);
  n = sp_mock_produce_block(c.node);
  outcome(&c, n, 0, got, sizeof got);
  cr_assert_str_eq(got, "NeuronRegistered");
  /* Burn (1 TAO at genesis) decays a little each block (half-life 360
   * blocks) and is bumped by 1.26 after the registration (do_register) */
  uint64_t paid = 5000000000ull - sp_mock_balance(c.node, cold.public_key);
  cr_assert(paid < 1000000000ull && paid > 980000000ull, "paid %llu",
            (unsigned long long)paid);
  unsigned __int128 bumped =
      (unsigned __int128)paid +
      (((unsigned __int128)paid * SP_MOCK_BURN_INCREASE_MULT_FRAC) >> 64);
  cr_assert_eq(sp_mock_burn(c.node, 1), (uint64_t)bumped);
  stop(&c);
}

/* ------------------------------------------- the modern profile (397+) -- */

/* A raw storage write through dev_setStorage: SubtensorModule.item[netuid]
 * := value (JSON, encoded with the node's metadata). */
static void set_item(client *c, const char *item, uint16_t netuid,
                     json_t *value) {
  sp_scale_writer key, val;
  sp_scale_writer_init(&key);
  sp_scale_writer_init(&val);
  sp_chain_error e = {0};
  const sp_storage_entry *entry = NULL;
  json_t *parts = json_pack("[i]", netuid);
  cr_assert_eq(
      sp_storage_key(c->md, "SubtensorModule", item, parts, &key, &entry, &e),
      0, "%s", e.message);
  json_decref(parts);
  cr_assert_eq(sp_scale_encode_type(&c->md->registry, entry->value_type, value,
                                    &val, &e),
               0, "%s", e.message);
  json_decref(value);
  json_t *r = NULL;
  cr_assert_eq(
      sp_rpc_call(c->rpc, "dev_setStorage",
                  json_pack("[[[o, o]]]", sp_json_hex(key.data, key.len),
                            sp_json_hex(val.data, val.len)),
                  SP_RPC_ANY, &r, &e),
      0, "%s", e.message);
  json_decref(r);
  sp_scale_writer_free(&key);
  sp_scale_writer_free(&val);
}

/* burned_register (limit 0) or register_limit(limit) signed by kp. */
static void burned(client *c, const sp_keypair *kp, uint16_t netuid,
                   const uint8_t hotkey[32], uint64_t limit) {
  char why[512] = "";
  json_t *args = limit == 0 ? json_pack("{s:i, s:o}", "netuid", netuid,
                                        "hotkey", sp_json_hex(hotkey, 32))
                            : json_pack("{s:i, s:o, s:I}", "netuid", netuid,
                                        "hotkey", sp_json_hex(hotkey, 32),
                                        "limit_price", (json_int_t)limit);
  cr_assert_eq(submit(c, kp, limit == 0 ? "burned_register" : "register_limit",
                      args, why, sizeof why),
               0, "%s", why);
}

/* One extrinsic in a block of its own: its outcome. */
static const char *one(client *c, char *got, size_t cap) {
  uint64_t n = sp_mock_produce_block(c->node);
  outcome(c, n, 0, got, cap);
  return got;
}

/* do_register of today's source, check by check in its order, each refusal
 * by name with nothing paid; then pruning when the subnet is full. */
Test(mock_node, modern_do_register_checks_in_the_source_order) {
  client c;
  start(&c, 397, true, 0);
  sp_keypair hot = key(21), cold = key(22), other = key(23), hot2 = key(24);
  char got[128];
  const sp_type_variant *v = NULL;
  cr_assert_eq(
      sp_metadata_error(c.md, "SubtensorModule", "SubnetNotExists", &v, NULL),
      0);
  cr_assert_eq(v->index, 75, "spec 381's index");
  cr_assert_eq(sp_metadata_error(c.md, "SubtensorModule",
                                 "RegistrationPriceLimitExceeded", &v, NULL),
               0);
  cr_assert_eq(v->index, 134, "today's source's index");

  burned(&c, &cold, 0, hot.public_key, 1000000000000ull);
  cr_assert_str_eq(one(&c, got, sizeof got),
                   "RegistrationNotPermittedOnRootSubnet");
  burned(&c, &cold, 0, hot.public_key, 0);
  cr_assert_str_eq(one(&c, got, sizeof got),
                   "RegistrationNotPermittedOnRootSubnet");
  burned(&c, &cold, 7, hot.public_key, 0);
  cr_assert_str_eq(one(&c, got, sizeof got), "SubnetNotExists");
  set_item(&c, "NetworkRegistrationAllowed", 2, json_false());
  burned(&c, &cold, 2, hot.public_key, 0);
  cr_assert_str_eq(one(&c, got, sizeof got), "SubNetRegistrationDisabled");
  /* no balance, and the hotkey owned by another coldkey: the balance is
   * checked first (step 5 before 6) */
  sp_mock_set_owner(c.node, hot.public_key, other.public_key);
  burned(&c, &cold, 1, hot.public_key, 0);
  cr_assert_str_eq(one(&c, got, sizeof got), "NotEnoughBalanceToStake");
  sp_mock_set_balance(c.node, cold.public_key, 10000000000ull);
  burned(&c, &cold, 1, hot.public_key, 0);
  cr_assert_str_eq(one(&c, got, sizeof got), "NonAssociatedColdKey");
  cr_assert_eq(sp_mock_balance(c.node, cold.public_key), 10000000000ull,
               "nothing paid");
  sp_mock_set_owner(c.node, hot.public_key, cold.public_key);
  set_item(&c, "MaxAllowedUids", 1, json_integer(0));
  burned(&c, &cold, 1, hot.public_key, 0);
  cr_assert_str_eq(one(&c, got, sizeof got), "NoNeuronIdAvailable");
  cr_assert_eq(sp_mock_balance(c.node, cold.public_key), 10000000000ull,
               "nothing paid");
  /* the cap: below the price is refused before anything else is paid */
  set_item(&c, "MaxAllowedUids", 1, json_integer(1));
  uint64_t price = sp_mock_burn(c.node, 1);
  burned(&c, &cold, 1, hot.public_key, price / 2);
  cr_assert_str_eq(one(&c, got, sizeof got), "RegistrationPriceLimitExceeded");
  cr_assert_eq(sp_mock_balance(c.node, cold.public_key), 10000000000ull,
               "nothing paid");
  burned(&c, &cold, 1, hot.public_key, 1000000000000ull);
  cr_assert_str_eq(one(&c, got, sizeof got), "NeuronRegistered");
  uint16_t uid = 99;
  cr_assert_eq(sp_mock_uid(c.node, 1, hot.public_key, &uid), 0);
  cr_assert_eq(uid, 0);
  uint64_t paid = 10000000000ull - sp_mock_balance(c.node, cold.public_key);
  cr_assert(paid > 0 && paid <= price,
            "paid %" PRIu64 " of a price of %" PRIu64, paid, price);
  /* registered and broke: step 4 before step 5 */
  sp_mock_set_balance(c.node, cold.public_key, 0);
  burned(&c, &cold, 1, hot.public_key, 0);
  cr_assert_str_eq(one(&c, got, sizeof got), "HotKeyAlreadyRegisteredInSubNet");
  /* full (1 of 1): the oldest registration is pruned, its uid reused */
  sp_mock_set_balance(c.node, cold.public_key, 10000000000ull);
  burned(&c, &cold, 1, hot2.public_key, 0);
  cr_assert_str_eq(one(&c, got, sizeof got), "NeuronRegistered");
  cr_assert_eq(sp_mock_uid(c.node, 1, hot2.public_key, &uid), 0);
  cr_assert_eq(uid, 0);
  cr_assert_eq(sp_mock_uid(c.node, 1, hot.public_key, &uid), 1,
               "the pruned hotkey keeps a uid");
  stop(&c);
}

/* Burn decays towards MinBurn every block (half-life BurnHalfLife) and is
 * bumped by BurnIncreaseMult after each registration, also within a block. */
Test(mock_node, modern_burn_decays_per_block_and_is_bumped_per_registration) {
  client c;
  start(&c, 425, false, 0);
  sp_mock_set_burn(c.node, 1, 1000000000ull);
  for (int i = 0; i < 360; i++)
    sp_mock_produce_block(c.node);
  uint64_t half = sp_mock_burn(c.node, 1);
  cr_assert(half > 495000000ull && half < 505000000ull,
            "after one half-life: %" PRIu64, half);
  sp_mock_set_burn(c.node, 1, 600000);
  for (int i = 0; i < 200; i++)
    sp_mock_produce_block(c.node);
  cr_assert_eq(sp_mock_burn(c.node, 1), 500000,
               "MinBurn (500,000 rao) is the floor");
  /* two registrations in one block: the second pays the bumped price */
  sp_keypair cold = key(31), h1 = key(32), h2 = key(33);
  sp_mock_set_balance(c.node, cold.public_key, 100000000000ull);
  sp_mock_set_burn(c.node, 1, 1000000000ull);
  burned(&c, &cold, 1, h1.public_key, 0);
  burned(&c, &cold, 1, h2.public_key, 0);
  uint64_t n = sp_mock_produce_block(c.node);
  char got[128];
  outcome(&c, n, 0, got, sizeof got);
  cr_assert_str_eq(got, "NeuronRegistered");
  outcome(&c, n, 1, got, sizeof got);
  cr_assert_str_eq(got, "NeuronRegistered");
  uint64_t paid = 100000000000ull - sp_mock_balance(c.node, cold.public_key);
  /* paid = p + bump(p), p the decayed price of the block */
  uint64_t p = 0;
  for (uint64_t lo = 990000000ull; lo <= 1000000000ull; lo++) {
    unsigned __int128 b =
        (unsigned __int128)lo +
        (((unsigned __int128)lo * SP_MOCK_BURN_INCREASE_MULT_FRAC) >> 64);
    if (lo + (uint64_t)b == paid) {
      p = lo;
      break;
    }
  }
  cr_assert_neq(p, 0, "paid %" PRIu64 " is not a price plus its bump", paid);
  stop(&c);
}

/* The test control that moves the price between a read and a submission. */
Test(mock_node, modern_burn_moves_at_the_next_submission) {
  client c;
  start(&c, 397, false, 0);
  sp_keypair cold = key(41), hot = key(42);
  sp_mock_set_balance(c.node, cold.public_key, 100000000000ull);
  uint64_t seen = sp_mock_burn(c.node, 1);
  sp_mock_set_burn_on_submit(c.node, 1, 3 * seen);
  cr_assert_eq(sp_mock_burn(c.node, 1), seen, "not before the submission");
  burned(&c, &cold, 1, hot.public_key, seen);
  cr_assert_eq(sp_mock_burn(c.node, 1), 3 * seen);
  char got[128];
  cr_assert_str_eq(one(&c, got, sizeof got), "RegistrationPriceLimitExceeded");
  cr_assert_eq(sp_mock_balance(c.node, cold.public_key), 100000000000ull,
               "nothing paid");
  stop(&c);
}

/* pow-faucet rules on the modern profile: the chain-le rule, difficulty
 * 1,000,000, the seal over the coldkey, 10^12 rao. */
Test(mock_node, modern_faucet_pays_under_pow_faucet_rules) {
  client c;
  start(&c, 397, true, 0);
  sp_keypair cold = key(51);
  uint64_t best = sp_mock_best(c.node);
  uint8_t bh[32], bahh[32], seal[32];
  block_hash_of(&c, best, bh);
  sp_hash_block_with_hotkey(bh, cold.public_key, bahh);
  uint64_t nonce = 0;
  for (;; nonce++) {
    sp_create_seal_hash(bahh, nonce, seal);
    if (sp_seal_meets_difficulty(seal, 1000000, SP_RULE_CHAIN_LE)) break;
  }
  char why[256] = "", got[128];
  cr_assert_eq(submit(&c, &cold, "faucet",
                      json_pack("{s:I, s:I, s:o}", "block_number",
                                (json_int_t)best, "nonce", (json_int_t)nonce,
                                "work", sp_json_hex(seal, 32)),
                      why, sizeof why),
               0, "%s", why);
  cr_assert_str_eq(one(&c, got, sizeof got), "Faucet");
  cr_assert_eq(sp_mock_balance(c.node, cold.public_key), 1000000000000ull);
  stop(&c);
}

/* Today's extension list and register_limit are in the modern profile's
 * metadata only. */
Test(mock_node, modern_metadata_has_todays_extensions_and_register_limit) {
  static const char *const today[] = {"CheckNonZeroSender",
                                      "CheckSpecVersion",
                                      "CheckTxVersion",
                                      "CheckGenesis",
                                      "CheckMortality",
                                      "CheckNonce",
                                      "CheckWeight",
                                      "ChargeTransactionPayment",
                                      "SudoTransactionExtension",
                                      "CheckShieldedTxValidity",
                                      "SubtensorTransactionExtension",
                                      "DrandPriority",
                                      "CheckMetadataHash"};
  client c;
  start(&c, 397, false, 0);
  cr_assert_eq(c.md->nextensions, sizeof today / sizeof today[0]);
  for (size_t i = 0; i < c.md->nextensions; i++)
    cr_assert_str_eq(c.md->extensions[i].identifier, today[i]);
  const sp_type_variant *call = NULL;
  cr_assert_eq(sp_metadata_call(c.md, "SubtensorModule", "register_limit", NULL,
                                &call, NULL),
               0);
  cr_assert_eq(call->index, 134);
  stop(&c);
  start(&c, 343, false, 0);
  cr_assert_eq(c.md->nextensions, 11);
  cr_assert_neq(sp_metadata_call(c.md, "SubtensorModule", "register_limit",
                                 NULL, NULL, NULL),
                0);
  const sp_type_variant *v = NULL;
  cr_assert_eq(
      sp_metadata_error(c.md, "SubtensorModule", "SubnetNotExists", &v, NULL),
      0);
  cr_assert_eq(v->index, 73, "spec 343's index");
  stop(&c);
}
