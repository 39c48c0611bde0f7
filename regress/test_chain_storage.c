/*
 * Storage keys and typed reads, checked against real finney keys and values
 * (SUBPOW_SHARED_DIR/fixtures/finney/rpc_samples.json) served by an in-process
 * stub node, plus defaults for absent keys and refusals of bad input.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "chain/client/storage.h"
#include "chain/codec/metadata.h"
#include "chain/codec/scale_type.h"
#include "reference/reference.h"
#include "regress/support/chain_fixture.h"
#include "regress/support/http_stub.h"

static void hex_of(const uint8_t *b, size_t n, char *out) {
  out[0] = '0', out[1] = 'x';
  sp_hex_encode(b, n, out + 2);
}

Test(chain_storage, hashers_known_values) {
  uint8_t d[32];
  char hex[80];
  sp_twox128("SubtensorModule", 15, d);
  hex_of(d, 16, hex);
  cr_expect_str_eq(hex, "0x658faa385070e074c85bf6b568cf0555");
  sp_twox128("System", 6, d);
  hex_of(d, 16, hex);
  cr_expect_str_eq(hex, "0x26aa394eea5630e07c48ae0c9558cef7");
  /* item names whose hashes appear in the recorded finney keys */
  sp_twox128("Difficulty", 10, d);
  hex_of(d, 16, hex);
  cr_expect_str_eq(hex, "0x7d15dd66fbf0cbda1d3a651b5e606df2");
  sp_twox128("NetworksAdded", 13, d);
  hex_of(d, 16, hex);
  cr_expect_str_eq(hex, "0x0e30450fc4d507a846032a7fa65d9a43");
  sp_twox128("Uids", 4, d);
  hex_of(d, 16, hex);
  cr_expect_str_eq(hex, "0xaab1b4e78e1ea8305462ee53b3686dc8");
  /* BLAKE2b-128 of Alice's account id, as in every Substrate System.Account
   * key for her (cross-checked with Python's hashlib.blake2b). */
  uint8_t alice[32];
  size_t n;
  sp_hex_decode(
      "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d", 32,
      alice, 32, &n);
  cr_assert_eq(sp_blake2_128(alice, 32, d), 0);
  hex_of(d, 16, hex);
  cr_expect_str_eq(hex, "0xde1e86a9a8c739864cf3cc5ec2bea59f");
  /* Twox64Concat = 8 LE bytes of XXH64(seed 0), then the key itself. */
  sp_scale_writer w;
  sp_scale_writer_init(&w);
  const uint8_t k[4] = {1, 0, 0, 0};
  cr_assert_eq(sp_storage_hash_part(SP_HASHER_TWOX64_CONCAT, k, 4, &w), 0);
  cr_assert_eq(w.len, 12);
  uint8_t t64[8];
  sp_twox64(k, 4, t64);
  cr_expect_arr_eq(w.data, t64, 8);
  cr_expect_arr_eq(w.data + 8, k, 4);
  sp_twox128(k, 4, d);
  cr_expect_arr_eq(d, t64, 8, "twox128 starts with the seed-0 XXH64");
  sp_scale_writer_free(&w);
  sp_scale_writer_init(&w);
  cr_expect_eq(sp_storage_hash_part((sp_storage_hasher)9, k, 4, &w),
               -SP_CHAIN_EARG);
  sp_scale_writer_free(&w);
}

/* ------------------------------------------------- fixture-backed tests */

static sp_metadata *md;
static json_t *samples, *samples_doc;

static void load(void) {
  char *hex = sp_fixture_read("metadata_v14.hex", NULL);
  char *js = sp_fixture_read("rpc_samples.json", NULL);
  if (!hex || !js) {
    free(hex);
    free(js);
    cr_skip_test("finney fixtures absent under %s: skipped",
                 sp_fixture_path(""));
  }
  sp_chain_error err = {0};
  cr_assert_eq(sp_metadata_parse_hex(hex, false, &md, &err), 0, "%s",
               err.message);
  samples_doc = json_loads(js, 0, NULL);
  samples = json_object_get(samples_doc, "samples");
  cr_assert(json_is_array(samples));
  free(hex);
  free(js);
}

/* The recorded storage value for a key (any block), or NULL. */
static const char *recorded(const char *key) {
  size_t i;
  json_t *s;
  json_array_foreach(samples, i, s) {
    const char *m = json_string_value(json_object_get(s, "method"));
    json_t *params = json_object_get(s, "params");
    if (m && strncmp(m, "state_getStorage", 16) == 0 &&
        strcmp(json_string_value(json_array_get(params, 0)), key) == 0)
      return json_string_value(
          json_object_get(json_object_get(s, "response"), "result"));
  }
  return NULL;
}

/* Extra values a test can plant, key -> value hex. */
static json_t *planted;

static void node(void *user, const char *body, size_t len, sp_http_reply *r) {
  (void)user, (void)len;
  json_t *req = json_loads(body, 0, NULL);
  long long id = json_integer_value(json_object_get(req, "id"));
  const char *method = json_string_value(json_object_get(req, "method"));
  const char *key =
      json_string_value(json_array_get(json_object_get(req, "params"), 0));
  const char *value = NULL;
  if (method && strcmp(method, "state_getStorage") == 0 && key) {
    value = json_string_value(json_object_get(planted, key));
    if (!value) value = recorded(key);
  }
  if (value)
    r->body = sp_http_fmt("{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":\"%s\"}",
                          id, value);
  else
    r->body =
        sp_http_fmt("{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":null}", id);
  json_decref(req);
}

static sp_http_stub *stub;
static sp_rpc *rpc;

static void setup(void) {
  load();
  planted = json_object();
  stub = sp_http_stub_start(node, NULL);
  cr_assert_not_null(stub);
  cr_assert_eq(sp_rpc_open(&rpc, sp_http_stub_url(stub), NULL, NULL), 0);
}

static void teardown(void) {
  sp_rpc_close(rpc);
  sp_http_stub_stop(stub);
  json_decref(planted);
  json_decref(samples_doc); /* valgrind's leak check runs this suite */
  samples_doc = samples = NULL;
  sp_metadata_free(md);
  md = NULL;
}

static char *key_hex(const char *pallet, const char *item, json_t *parts) {
  sp_scale_writer w;
  sp_scale_writer_init(&w);
  sp_chain_error err = {0};
  cr_assert_eq(sp_storage_key(md, pallet, item, parts, &w, NULL, &err), 0, "%s",
               err.message);
  json_decref(parts);
  char *hex = malloc(2 * w.len + 3);
  hex_of(w.data, w.len, hex);
  sp_scale_writer_free(&w);
  return hex;
}

static const char *UIDS14 =
    "0x658faa385070e074c85bf6b568cf0555aab1b4e78e1ea8305462ee53b3686dc80e00"
    "5d3e588dc49748e3395ac2bc5a2343741a33474e4a857009da52aaa4080f176465f99c"
    "09763e03b9cd5ee038cec4093e";

Test(chain_storage, keys_equal_recorded_finney_keys, .init = setup,
     .fini = teardown) {
  char *k = key_hex("SubtensorModule", "Difficulty", json_pack("[i]", 23));
  cr_expect_str_eq(k, "0x658faa385070e074c85bf6b568cf05557d15dd66fbf0cbda1d3a6"
                      "51b5e606df21700");
  free(k);
  k = key_hex("SubtensorModule", "NetworksAdded", json_pack("[i]", 1));
  cr_expect_str_eq(k, "0x658faa385070e074c85bf6b568cf05550e30450fc4d507a846032"
                      "a7fa65d9a430100");
  free(k);
  /* Uids[14][hotkey]: the hotkey is the Blake2_128Concat tail of the
   * recorded key. */
  char hotkey[67] = "0x";
  memcpy(hotkey + 2, UIDS14 + strlen(UIDS14) - 64, 65);
  k = key_hex("SubtensorModule", "Uids", json_pack("[i,s]", 14, hotkey));
  cr_expect_str_eq(k, UIDS14);
  free(k);
}

Test(chain_storage, typed_reads_of_recorded_values, .init = setup,
     .fini = teardown) {
  sp_chain_error err = {0};
  uint64_t d = 0;
  cr_assert_eq(sp_storage_difficulty(rpc, md, 23, NULL, &d, &err), 0, "%s",
               err.message);
  cr_expect_eq(d, 10000000u);
  bool added = false;
  cr_assert_eq(sp_storage_networks_added(rpc, md, 23, NULL, &added, &err), 0);
  cr_expect(added);
  cr_assert_eq(sp_storage_networks_added(rpc, md, 1, NULL, &added, &err), 0);
  cr_expect(added);
  uint8_t hotkey[32];
  size_t n;
  cr_assert_eq(sp_hex_decode(UIDS14 + strlen(UIDS14) - 64, 32, hotkey, 32, &n),
               0);
  bool registered = false;
  uint16_t uid = 0;
  cr_assert_eq(
      sp_storage_uid(rpc, md, 14, hotkey, NULL, &registered, &uid, &err), 0,
      "%s", err.message);
  cr_expect(registered);
  cr_expect_eq(uid, 29);
  /* An `at` block hash is passed through as the second parameter. */
  uint8_t at[32] = {1};
  cr_assert_eq(sp_storage_difficulty(rpc, md, 23, at, &d, &err), 0);
}

Test(chain_storage, absent_keys_give_metadata_defaults, .init = setup,
     .fini = teardown) {
  sp_chain_error err = {0};
  uint64_t d = 0;
  cr_assert_eq(sp_storage_difficulty(rpc, md, 999, NULL, &d, &err), 0);
  cr_expect_eq(d, 10000000u);
  bool b = true;
  cr_assert_eq(sp_storage_networks_added(rpc, md, 999, NULL, &b, &err), 0);
  cr_expect(!b);
  b = false;
  cr_assert_eq(
      sp_storage_pow_registration_allowed(rpc, md, 999, NULL, &b, &err), 0);
  cr_expect(b, "NetworkPowRegistrationAllowed defaults to true");
  uint8_t nobody[32] = {7};
  bool registered = true;
  uint16_t uid = 5;
  cr_assert_eq(
      sp_storage_uid(rpc, md, 14, nobody, NULL, &registered, &uid, &err), 0);
  cr_expect(!registered && uid == 0);
  sp_account_info a;
  memset(&a, 0xff, sizeof a);
  cr_assert_eq(sp_storage_account(rpc, md, nobody, NULL, &a, &err), 0, "%s",
               err.message);
  cr_expect(a.nonce == 0 && a.providers == 0 && a.free == 0);
  /* pallet_balances' default ExtraFlags carries IS_NEW_LOGIC (bit 127);
   * the value comes from the metadata's default bytes. */
  cr_expect(a.flags == ((sp_u128)1 << 127));
  uint8_t h[32] = {9};
  cr_assert_eq(sp_storage_block_hash(rpc, md, 5, NULL, h, &err), 0, "%s",
               err.message);
  for (int i = 0; i < 32; i++)
    cr_expect_eq(h[i], 0);
}

/* Plants the SCALE of `value` (as the item's value type) under its key. */
static void plant(const char *pallet, const char *item, json_t *parts,
                  json_t *value) {
  char *k = key_hex(pallet, item, parts);
  const sp_storage_entry *e;
  cr_assert_eq(sp_metadata_storage(md, pallet, item, NULL, &e, NULL), 0);
  sp_scale_writer w;
  sp_scale_writer_init(&w);
  sp_chain_error err = {0};
  cr_assert_eq(
      sp_scale_encode_type(&md->registry, e->value_type, value, &w, &err), 0,
      "%s", err.message);
  char *hex = malloc(2 * w.len + 3);
  hex_of(w.data, w.len, hex);
  json_object_set_new(planted, k, json_string(hex));
  free(hex);
  free(k);
  sp_scale_writer_free(&w);
  json_decref(value);
}

Test(chain_storage, account_info_layout_from_metadata, .init = setup,
     .fini = teardown) {
  uint8_t acct[32];
  for (int i = 0; i < 32; i++)
    acct[i] = (uint8_t)(i * 7);
  char acct_hex[67];
  hex_of(acct, 32, acct_hex);
  plant("System", "Account", json_pack("[s]", acct_hex),
        json_pack("{s:i,s:i,s:i,s:i,s:{s:s,s:I,s:i,s:s}}", "nonce", 17,
                  "consumers", 2, "providers", 1, "sufficients", 0, "data",
                  "free", "18446744073709551615", "reserved",
                  (json_int_t)5000000000LL, "frozen", 3, "flags",
                  "170141183460469231731687303715884105728"));
  sp_account_info a;
  sp_chain_error err = {0};
  cr_assert_eq(sp_storage_account(rpc, md, acct, NULL, &a, &err), 0, "%s",
               err.message);
  cr_expect_eq(a.nonce, 17);
  cr_expect_eq(a.consumers, 2);
  cr_expect_eq(a.providers, 1);
  cr_expect(a.free == UINT64_MAX); /* Subtensor's Balance is a u64 */
  cr_expect(a.reserved == 5000000000u);
  cr_expect(a.frozen == 3);
  cr_expect(a.flags == ((sp_u128)1 << 127));

  /* A balance wider than the runtime's u64 does not fit. */
  const sp_storage_entry *e;
  cr_assert_eq(sp_metadata_storage(md, "System", "Account", NULL, &e, NULL), 0);
  json_t *too_big = json_pack("{s:i,s:i,s:i,s:i,s:{s:s,s:i,s:i,s:i}}", "nonce",
                              0, "consumers", 0, "providers", 0, "sufficients",
                              0, "data", "free", "18446744073709551616",
                              "reserved", 0, "frozen", 0, "flags", 0);
  sp_scale_writer w;
  sp_scale_writer_init(&w);
  cr_expect_eq(
      sp_scale_encode_type(&md->registry, e->value_type, too_big, &w, &err),
      -SP_CHAIN_ETYPE);
  cr_expect(strstr(err.message, "data: free") != NULL, "%s", err.message);
  sp_scale_writer_free(&w);
  json_decref(too_big);

  uint8_t h[32];
  memset(h, 0xab, 32);
  char h_hex[67];
  hex_of(h, 32, h_hex);
  plant("System", "BlockHash", json_pack("[i]", 4242), json_string(h_hex));
  uint8_t got[32] = {0};
  cr_assert_eq(sp_storage_block_hash(rpc, md, 4242, NULL, got, &err), 0);
  cr_expect_arr_eq(got, h, 32);
}

Test(chain_storage, bad_keys_and_mismatched_metadata, .init = setup,
     .fini = teardown) {
  sp_scale_writer w;
  sp_scale_writer_init(&w);
  sp_chain_error err = {0};
  json_t *p = json_pack("[i]", 1);
  cr_expect_eq(
      sp_storage_key(md, "SubtensorModule", "NoSuchItem", p, &w, NULL, &err),
      -SP_CHAIN_ENOTFOUND);
  cr_expect(strstr(err.message, "NoSuchItem") != NULL, "%s", err.message);
  cr_expect_eq(sp_storage_key(md, "NoPallet", "Difficulty", p, &w, NULL, &err),
               -SP_CHAIN_ENOTFOUND);
  cr_expect_eq(sp_storage_key(md, "SubtensorModule", "Uids", p, &w, NULL, &err),
               -SP_CHAIN_EARG);
  cr_expect(strstr(err.message, "takes 2 key parts, got 1") != NULL, "%s",
            err.message);
  json_decref(p);
  p = json_pack("[s]", "fourteen");
  cr_expect_eq(
      sp_storage_key(md, "SubtensorModule", "Difficulty", p, &w, NULL, &err),
      -SP_CHAIN_ETYPE);
  json_decref(p);
  p = json_pack("[i]", 70000);
  cr_expect_eq(
      sp_storage_key(md, "SubtensorModule", "Difficulty", p, &w, NULL, &err),
      -SP_CHAIN_ETYPE);
  json_decref(p);
  p = json_pack("[i,s]", 1, "0x1234");
  cr_expect_eq(sp_storage_key(md, "SubtensorModule", "Uids", p, &w, NULL, &err),
               -SP_CHAIN_ETYPE);
  cr_expect(strstr(err.message, "expected 32 bytes, got 2") != NULL, "%s",
            err.message);
  json_decref(p);
  sp_scale_writer_free(&w);

  /* A runtime whose Difficulty is not a u64 is refused before any read. */
  const sp_storage_entry *added, *diff;
  cr_assert_eq(sp_metadata_storage(md, "SubtensorModule", "NetworksAdded", NULL,
                                   &added, NULL),
               0);
  cr_assert_eq(sp_metadata_storage(md, "SubtensorModule", "Difficulty", NULL,
                                   &diff, NULL),
               0);
  ((sp_storage_entry *)diff)->value_type = added->value_type;
  uint64_t d;
  int before = sp_http_stub_requests(stub);
  cr_expect_eq(sp_storage_difficulty(rpc, md, 1, NULL, &d, &err),
               -SP_CHAIN_EMETADATA);
  cr_expect(strstr(err.message, "Difficulty") != NULL, "%s", err.message);
  cr_expect_eq(sp_http_stub_requests(stub), before);

  /* A stored value with trailing bytes is an error, not a silent read. */
  char *k = key_hex("SubtensorModule", "NetworksAdded", json_pack("[i]", 77));
  json_object_set_new(planted, k, json_string("0x0100"));
  free(k);
  bool b;
  cr_expect_eq(sp_storage_networks_added(rpc, md, 77, NULL, &b, &err),
               -SP_CHAIN_ESCALE);
  k = key_hex("SubtensorModule", "NetworksAdded", json_pack("[i]", 78));
  json_object_set_new(planted, k, json_string("0x02"));
  free(k);
  cr_expect_eq(sp_storage_networks_added(rpc, md, 78, NULL, &b, &err),
               -SP_CHAIN_ESCALE);
  cr_expect(strstr(err.message, "invalid bool") != NULL, "%s", err.message);
}
