/*
 * Signed extrinsics built from the real finney metadata: exact bytes against
 * a hand-assembled layout (docs/protocol.md section 6), the signing payload,
 * decoding back, eras (vectors from Substrate's era.rs tests), real ed25519
 * signatures that verify, and refusals: unknown non-empty extensions,
 * missing pallets/calls/arguments, truncated and oversized bytes.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "chain/client/extrinsic.h"
#include "chain/codec/metadata.h"
#include "chain/codec/scale_type.h"
#include "reference/reference.h"
#include "regress/support/chain_fixture.h"

/* ---------------------------------------------------------------- eras */

Test(chain_extrinsic, era_vectors_from_substrate) {
  sp_era e = sp_era_mortal(64, 42);
  cr_expect(e.mortal && e.period == 64 && e.phase == 42);
  sp_scale_writer w;
  sp_scale_writer_init(&w);
  sp_era_encode(e, &w);
  cr_assert_eq(w.len, 2);
  cr_expect_eq(w.data[0], 5 + 42 % 16 * 16);
  cr_expect_eq(w.data[1], 42 / 16);
  sp_scale_writer_free(&w);

  e = sp_era_mortal(32768, 20000);
  cr_expect(e.period == 32768 && e.phase == 20000);
  sp_scale_writer_init(&w);
  sp_era_encode(e, &w);
  cr_expect_eq(w.data[0], (uint8_t)(14 + 2500 % 16 * 16));
  cr_expect_eq(w.data[1], (uint8_t)(2500 / 16));
  sp_scale_writer_free(&w);

  e = sp_era_mortal(200, 513);
  cr_expect(e.period == 256 && e.phase == 1);
  e = sp_era_mortal(2, 1);
  cr_expect(e.period == 4 && e.phase == 1);
  e = sp_era_mortal(4, 5);
  cr_expect(e.period == 4 && e.phase == 1);
  e = sp_era_mortal(1000000, 1000001);
  cr_expect(e.period == 65536 && e.phase == 1000001 % 65536 / 4 * 4);

  e = sp_era_mortal(4, 6);
  for (uint64_t c = 6; c < 10; c++)
    cr_expect_eq(sp_era_birth(e, c), 6);
  cr_expect_eq(sp_era_birth(e, 10), 10);
  cr_expect_eq(sp_era_birth(e, 1), 2);
  cr_expect_eq(sp_era_birth(sp_era_immortal(), 99), 0);
  sp_scale_writer_init(&w);
  sp_era_encode(sp_era_immortal(), &w);
  cr_expect(w.len == 1 && w.data[0] == 0);
  sp_scale_writer_free(&w);
}

/* -------------------------------------------------------- fake signer */

typedef struct fake {
  uint8_t last_msg[512];
  size_t last_len;
  int calls;
  bool fail;
} fake;

/* Deterministic: sig = BLAKE2b-512(msg); remembers what it signed. */
static int fake_sign(void *ctx, const uint8_t *msg, size_t len,
                     uint8_t sig[64]) {
  fake *f = ctx;
  f->calls++;
  if (f->fail) return -1;
  f->last_len = len < sizeof f->last_msg ? len : sizeof f->last_msg;
  memcpy(f->last_msg, msg, f->last_len);
  crypto_generichash(sig, 64, msg, len, NULL, 0);
  return 0;
}

static sp_metadata *md;

static void setup(void) {
  char *hex = sp_fixture_read("metadata_v14.hex", NULL);
  if (!hex)
    cr_skip_test("fixture %s absent: skipped",
                 sp_fixture_path("metadata_v14.hex"));
  sp_chain_error err = {0};
  cr_assert_eq(sp_metadata_parse_hex(hex, false, &md, &err), 0, "%s",
               err.message);
  free(hex);
}

static void teardown(void) {
  sp_metadata_free(md);
  md = NULL;
}

static void fill(uint8_t *b, size_t n, uint8_t seed) {
  for (size_t i = 0; i < n; i++)
    b[i] = (uint8_t)(seed + 3 * i);
}

static char *hex0x(const uint8_t *b, size_t n) {
  char *s = malloc(2 * n + 3);
  s[0] = '0', s[1] = 'x';
  sp_hex_encode(b, n, s + 2);
  return s;
}

static uint8_t hotkey[32], coldkey[32], work[32], genesis[32];

static json_t *register_args(void) {
  fill(hotkey, 32, 1);
  fill(coldkey, 32, 100);
  fill(work, 32, 200);
  char *h = hex0x(hotkey, 32), *c = hex0x(coldkey, 32), *w = hex0x(work, 32);
  json_t *a =
      json_pack("{s:i,s:I,s:s,s:s,s:s,s:s}", "netuid", 3, "block_number",
                (json_int_t)4242424, "nonce", "18446744073709551615", "work", w,
                "hotkey", h, "coldkey", c);
  free(h), free(c), free(w);
  return a;
}

static sp_extrinsic_params params(void) {
  sp_extrinsic_params p;
  memset(&p, 0, sizeof p);
  p.spec_version = 343;
  p.transaction_version = 1;
  fill(genesis, 32, 0x2f);
  memcpy(p.genesis_hash, genesis, 32);
  p.era = sp_era_immortal();
  p.nonce = 5;
  return p;
}

static void put_le(sp_scale_writer *w, uint64_t v, int n) {
  for (int i = 0; i < n; i++)
    sp_scale_put_u8(w, (uint8_t)(v >> (8 * i)));
}

Test(chain_extrinsic, register_bytes_payload_and_decode, .init = setup,
     .fini = teardown) {
  json_t *args = register_args();
  sp_scale_writer call;
  sp_scale_writer_init(&call);
  sp_chain_error err = {0};
  cr_assert_eq(
      sp_call_encode(md, "SubtensorModule", "register", args, &call, &err), 0,
      "%s", err.message);

  /* The call by hand: pallet 7, call 6, u16, u64, u64, Vec<u8>, 2 x 32. */
  sp_scale_writer want;
  sp_scale_writer_init(&want);
  sp_scale_put_u8(&want, 7);
  sp_scale_put_u8(&want, 6);
  put_le(&want, 3, 2);
  put_le(&want, 4242424, 8);
  put_le(&want, UINT64_MAX, 8);
  sp_scale_put_u8(&want, 32 << 2);
  sp_scale_put_bytes(&want, work, 32);
  sp_scale_put_bytes(&want, hotkey, 32);
  sp_scale_put_bytes(&want, coldkey, 32);
  cr_assert_eq(call.len, want.len);
  cr_expect_arr_eq(call.data, want.data, want.len);

  fake f = {0};
  sp_signer signer = {
      .scheme = SP_SIGNER_SR25519, .sign = fake_sign, .ctx = &f};
  memcpy(signer.public_key, hotkey, 32);
  sp_extrinsic_params p = params();
  sp_scale_writer xt;
  sp_scale_writer_init(&xt);
  cr_assert_eq(sp_extrinsic_build_signed(md, call.data, call.len, &p, &signer,
                                         &xt, &err),
               0, "%s", err.message);
  cr_expect_eq(f.calls, 1);

  /* What was signed: call ++ extra ++ additional (194 bytes: not hashed). */
  sp_scale_writer extra, payload;
  sp_scale_writer_init(&extra);
  sp_scale_put_u8(&extra, 0x00);   /* CheckMortality: immortal */
  sp_scale_put_u8(&extra, 5 << 2); /* CheckNonce: Compact 5 */
  sp_scale_put_u8(&extra, 0x00);   /* ChargeTransactionPayment: tip 0 */
  sp_scale_put_u8(&extra, 0x00);   /* CheckMetadataHash: Disabled */
  sp_scale_writer_init(&payload);
  sp_scale_put_bytes(&payload, want.data, want.len);
  sp_scale_put_bytes(&payload, extra.data, extra.len);
  put_le(&payload, 343, 4);                  /* CheckSpecVersion */
  put_le(&payload, 1, 4);                    /* CheckTxVersion */
  sp_scale_put_bytes(&payload, genesis, 32); /* CheckGenesis */
  sp_scale_put_bytes(&payload, genesis, 32); /* CheckMortality (immortal) */
  sp_scale_put_u8(&payload, 0x00);           /* CheckMetadataHash: None */
  cr_assert_eq(payload.len, 194);
  cr_assert_eq(f.last_len, payload.len);
  cr_expect_arr_eq(f.last_msg, payload.data, payload.len);
  sp_scale_writer sp;
  sp_scale_writer_init(&sp);
  cr_assert_eq(
      sp_extrinsic_signing_payload(md, call.data, call.len, &p, &sp, &err), 0);
  cr_assert_eq(sp.len, payload.len);
  cr_expect_arr_eq(sp.data, payload.data, payload.len);

  /* The extrinsic: length ++ 0x84 ++ 0x00 pubkey ++ 0x01 sig ++ extra ++
   * call. */
  uint8_t sig[64];
  crypto_generichash(sig, 64, payload.data, payload.len, NULL, 0);
  sp_scale_writer body, full;
  sp_scale_writer_init(&body);
  sp_scale_put_u8(&body, 0x84);
  sp_scale_put_u8(&body, 0x00);
  sp_scale_put_bytes(&body, hotkey, 32);
  sp_scale_put_u8(&body, 0x01);
  sp_scale_put_bytes(&body, sig, 64);
  sp_scale_put_bytes(&body, extra.data, extra.len);
  sp_scale_put_bytes(&body, want.data, want.len);
  sp_scale_writer_init(&full);
  sp_scale_put_compact(&full, body.len);
  sp_scale_put_bytes(&full, body.data, body.len);
  cr_assert_eq(xt.len, full.len);
  cr_expect_arr_eq(xt.data, full.data, full.len);

  /* Decoded back with the same metadata. */
  json_t *d;
  cr_assert_eq(sp_extrinsic_decode(md, xt.data, xt.len, &d, &err), 0, "%s",
               err.message);
  char *text = json_dumps(d, JSON_SORT_KEYS);
  cr_expect_eq(json_integer_value(json_object_get(d, "version")), 4);
  cr_expect(json_is_true(json_object_get(d, "signed")));
  char *hk = hex0x(hotkey, 32);
  cr_expect_str_eq(
      json_string_value(json_object_get(json_object_get(d, "address"), "Id")),
      hk, "%s", text);
  char *sg = hex0x(sig, 64);
  cr_expect_str_eq(json_string_value(json_object_get(
                       json_object_get(d, "signature"), "Sr25519")),
                   sg);
  json_t *ex = json_object_get(d, "extensions");
  /* immortal decodes as {"Immortal": null} */
  cr_expect(
      json_is_object(json_object_get(ex, "CheckMortality")) &&
          json_object_get(json_object_get(ex, "CheckMortality"), "Immortal"),
      "%s", text);
  cr_expect_eq(json_integer_value(json_object_get(ex, "CheckNonce")), 5);
  cr_expect_eq(
      json_integer_value(json_object_get(ex, "ChargeTransactionPayment")), 0);
  cr_expect_null(json_object_get(ex, "CheckWeight"));
  json_t *c = json_object_get(d, "call");
  cr_expect_str_eq(json_string_value(json_object_get(c, "pallet")),
                   "SubtensorModule");
  cr_expect_str_eq(json_string_value(json_object_get(c, "name")), "register");
  cr_expect(json_equal(json_object_get(c, "args"), args), "%s", text);
  free(text), free(hk), free(sg);
  json_decref(d);

  /* The node's hash of it. */
  uint8_t h[32], want_h[32];
  cr_assert_eq(sp_extrinsic_hash(xt.data, xt.len, h), 0);
  crypto_generichash(want_h, 32, full.data, full.len, NULL, 0);
  cr_expect_arr_eq(h, want_h, 32);

  json_decref(args);
  sp_scale_writer *ws[] = {&call, &want, &extra, &payload,
                           &sp,   &body, &full,  &xt};
  for (size_t i = 0; i < sizeof ws / sizeof ws[0]; i++)
    sp_scale_writer_free(ws[i]);
}

Test(chain_extrinsic, long_payload_is_signed_through_blake2b_256, .init = setup,
     .fini = teardown) {
  uint8_t big[300];
  fill(big, sizeof big, 9);
  char *w = hex0x(big, sizeof big);
  json_t *args =
      json_pack("{s:i,s:i,s:s}", "block_number", 1, "nonce", 2, "work", w);
  free(w);
  sp_scale_writer call, xt, sp;
  sp_scale_writer_init(&call);
  sp_scale_writer_init(&xt);
  sp_scale_writer_init(&sp);
  sp_chain_error err = {0};
  cr_assert_eq(
      sp_call_encode(md, "SubtensorModule", "faucet", args, &call, &err), 0,
      "%s", err.message);
  cr_expect(call.data[0] == 7 && call.data[1] == 60);
  fake f = {0};
  sp_signer signer = {
      .scheme = SP_SIGNER_ED25519, .sign = fake_sign, .ctx = &f};
  sp_extrinsic_params p = params();
  cr_assert_eq(sp_extrinsic_build_signed(md, call.data, call.len, &p, &signer,
                                         &xt, &err),
               0, "%s", err.message);
  cr_assert_eq(f.last_len, 32, "a %zu-byte payload is hashed first",
               call.len + 4 + 73);
  cr_assert_eq(
      sp_extrinsic_signing_payload(md, call.data, call.len, &p, &sp, &err), 0);
  cr_assert_eq(sp.len, 32);
  cr_expect_arr_eq(f.last_msg, sp.data, 32);
  /* BLAKE2b-256 of call ++ extra ++ additional, assembled here. */
  sp_scale_writer whole;
  sp_scale_writer_init(&whole);
  sp_scale_put_bytes(&whole, call.data, call.len);
  const uint8_t extra[4] = {0, 5 << 2, 0, 0};
  sp_scale_put_bytes(&whole, extra, 4);
  put_le(&whole, 343, 4);
  put_le(&whole, 1, 4);
  sp_scale_put_bytes(&whole, genesis, 32);
  sp_scale_put_bytes(&whole, genesis, 32);
  sp_scale_put_u8(&whole, 0);
  uint8_t h[32];
  crypto_generichash(h, 32, whole.data, whole.len, NULL, 0);
  cr_expect_arr_eq(sp.data, h, 32);
  json_t *d;
  cr_assert_eq(sp_extrinsic_decode(md, xt.data, xt.len, &d, &err), 0, "%s",
               err.message);
  cr_expect_not_null(
      json_object_get(json_object_get(d, "signature"), "Ed25519"));
  json_decref(d);
  json_decref(args);
  sp_scale_writer_free(&call);
  sp_scale_writer_free(&xt);
  sp_scale_writer_free(&sp);
  sp_scale_writer_free(&whole);
}

/* A real ed25519 signer (libsodium) whose signatures must verify. */
typedef struct ed_key {
  uint8_t pk[32], sk[64];
} ed_key;

static int ed_sign(void *ctx, const uint8_t *msg, size_t len, uint8_t sig[64]) {
  ed_key *k = ctx;
  return crypto_sign_detached(sig, NULL, msg, len, k->sk);
}

Test(chain_extrinsic, mortal_era_and_real_ed25519_signature, .init = setup,
     .fini = teardown) {
  cr_assert_geq(sodium_init(), 0);
  ed_key k;
  uint8_t seed[32];
  fill(seed, 32, 77);
  crypto_sign_seed_keypair(k.pk, k.sk, seed);
  sp_signer signer = {.scheme = SP_SIGNER_ED25519, .sign = ed_sign, .ctx = &k};
  memcpy(signer.public_key, k.pk, 32);
  json_t *args = register_args();
  sp_scale_writer call, xt, sp;
  sp_scale_writer_init(&call);
  sp_scale_writer_init(&xt);
  sp_scale_writer_init(&sp);
  sp_chain_error err = {0};
  cr_assert_eq(
      sp_call_encode(md, "SubtensorModule", "register", args, &call, &err), 0);
  sp_extrinsic_params p = params();
  p.era = sp_era_mortal(64, 5000042);
  fill(p.era_birth_hash, 32, 0x55);
  p.nonce = 1000000; /* a four-byte compact */
  cr_assert_eq(sp_extrinsic_build_signed(md, call.data, call.len, &p, &signer,
                                         &xt, &err),
               0, "%s", err.message);
  cr_assert_eq(
      sp_extrinsic_signing_payload(md, call.data, call.len, &p, &sp, &err), 0);
  /* The birth block's hash is signed in place of the genesis hash. */
  cr_assert_eq(sp.len, call.len + 8 + 73); /* era 2, nonce 4, tip 1, mode 1 */
  cr_expect_arr_eq(sp.data + sp.len - 33, p.era_birth_hash, 32);
  json_t *d;
  cr_assert_eq(sp_extrinsic_decode(md, xt.data, xt.len, &d, &err), 0, "%s",
               err.message);
  json_t *ex = json_object_get(d, "extensions");
  json_t *era = json_object_get(ex, "CheckMortality");
  /* Era::mortal(64, 5000042): phase 42 -> bytes a5 02 -> "Mortal165": 2 */
  cr_expect_eq(json_integer_value(json_object_get(era, "Mortal165")), 2);
  cr_expect_eq(json_integer_value(json_object_get(ex, "CheckNonce")), 1000000);
  uint8_t sig[64];
  cr_assert_eq(
      sp_json_hex_fixed(
          json_object_get(json_object_get(d, "signature"), "Ed25519"), sig, 64),
      0);
  cr_expect_eq(crypto_sign_verify_detached(sig, sp.data, sp.len, k.pk), 0,
               "the signature verifies over the signing payload");
  json_decref(d);
  json_decref(args);
  sp_scale_writer_free(&call);
  sp_scale_writer_free(&xt);
  sp_scale_writer_free(&sp);
}

static int build_with(const char *who, sp_chain_error *err) {
  (void)who;
  uint8_t call[2] = {0, 0};
  fake f = {0};
  sp_signer signer = {
      .scheme = SP_SIGNER_SR25519, .sign = fake_sign, .ctx = &f};
  sp_extrinsic_params p = params();
  sp_scale_writer xt;
  sp_scale_writer_init(&xt);
  int rc = sp_extrinsic_build_signed(md, call, 2, &p, &signer, &xt, err);
  sp_scale_writer_free(&xt);
  return rc;
}

static sp_signed_extension *extension(const char *id) {
  for (size_t i = 0; i < md->nextensions; i++)
    if (strcmp(md->extensions[i].identifier, id) == 0)
      return &md->extensions[i];
  cr_assert_fail("no extension %s", id);
  return NULL;
}

static void rename_extension(sp_signed_extension *x, const char *id) {
  free(x->identifier);
  x->identifier = strdup(id);
}

Test(chain_extrinsic, unknown_extensions, .init = setup, .fini = teardown) {
  sp_chain_error err = {0};
  cr_assert_eq(build_with("finney", &err), 0, "%s", err.message);
  /* An unknown extension whose types are empty is harmless. */
  rename_extension(extension("DrandPriority"), "SomethingNew");
  cr_expect_eq(build_with("empty unknown", &err), 0, "%s", err.message);
  /* One that carries bytes is refused, by name. */
  sp_signed_extension *x = extension("SomethingNew");
  x->additional_type = extension("CheckSpecVersion")->additional_type; /* u32 */
  cr_expect_eq(build_with("non-empty unknown", &err), -SP_CHAIN_EUNSUPPORTED);
  cr_expect(strstr(err.message, "SomethingNew") != NULL, "%s", err.message);
  x->additional_type = extension("CheckWeight")->additional_type;
  x->type = extension("CheckNonce")->type;
  cr_expect_eq(build_with("non-empty explicit", &err), -SP_CHAIN_EUNSUPPORTED);
  x->type = extension("CheckWeight")->type;
  /* A known extension with an unexpected explicit part is refused too. */
  sp_signed_extension *w = extension("CheckWeight");
  uint32_t saved = w->type;
  w->type = extension("CheckNonce")->type;
  cr_expect_eq(build_with("CheckWeight with bytes", &err),
               -SP_CHAIN_EUNSUPPORTED);
  cr_expect(strstr(err.message, "CheckWeight") != NULL, "%s", err.message);
  w->type = saved;
  /* ... and a known one whose type does not fit its value. */
  sp_signed_extension *gen = extension("CheckGenesis");
  gen->additional_type = extension("CheckSpecVersion")->additional_type;
  cr_expect_eq(build_with("CheckGenesis as u32", &err), -SP_CHAIN_ETYPE);
  cr_expect(strstr(err.message, "CheckGenesis") != NULL, "%s", err.message);
  gen->additional_type = extension("CheckMortality")->additional_type;
  cr_expect_eq(build_with("restored", &err), 0, "%s", err.message);
  /* Another extrinsic format version is refused. */
  md->extrinsic_version = 5;
  cr_expect_eq(build_with("v5", &err), -SP_CHAIN_EUNSUPPORTED);
  md->extrinsic_version = 4;
}

Test(chain_extrinsic, signer_failure, .init = setup, .fini = teardown) {
  uint8_t call[2] = {0, 0};
  fake f = {.fail = true};
  sp_signer signer = {
      .scheme = SP_SIGNER_SR25519, .sign = fake_sign, .ctx = &f};
  sp_extrinsic_params p = params();
  sp_scale_writer xt;
  sp_scale_writer_init(&xt);
  sp_chain_error err = {0};
  cr_expect_eq(sp_extrinsic_build_signed(md, call, 2, &p, &signer, &xt, &err),
               -SP_CHAIN_ESIGN);
  cr_expect_eq(xt.len, 0);
  f.fail = false;
  signer.scheme = 7;
  cr_expect_eq(sp_extrinsic_build_signed(md, call, 2, &p, &signer, &xt, &err),
               -SP_CHAIN_EUNSUPPORTED);
  sp_scale_writer_free(&xt);
}

Test(chain_extrinsic, missing_pallet_call_or_arguments, .init = setup,
     .fini = teardown) {
  sp_scale_writer w;
  sp_scale_writer_init(&w);
  sp_chain_error err = {0};
  json_t *args = register_args();
  cr_expect_eq(sp_call_encode(md, "NoSuchPallet", "register", args, &w, &err),
               -SP_CHAIN_ENOTFOUND);
  cr_expect(strstr(err.message, "no pallet NoSuchPallet") != NULL, "%s",
            err.message);
  cr_expect_eq(
      sp_call_encode(md, "SubtensorModule", "no_such_call", args, &w, &err),
      -SP_CHAIN_ENOTFOUND);
  cr_expect(strstr(err.message, "SubtensorModule.no_such_call") != NULL, "%s",
            err.message);
  cr_expect_eq(sp_call_encode(md, "Timestamp", "set", NULL, &w, &err),
               -SP_CHAIN_ETYPE, "Timestamp.set needs its argument");
  json_object_del(args, "coldkey");
  cr_expect_eq(
      sp_call_encode(md, "SubtensorModule", "register", args, &w, &err),
      -SP_CHAIN_ETYPE);
  cr_expect(strstr(err.message, "missing field \"coldkey\"") != NULL, "%s",
            err.message);
  json_object_set_new(args, "coldkey", json_string("0x00"));
  cr_expect_eq(
      sp_call_encode(md, "SubtensorModule", "register", args, &w, &err),
      -SP_CHAIN_ETYPE);
  cr_expect(strstr(err.message, "coldkey") && strstr(err.message, "32 bytes"),
            "%s", err.message);
  json_decref(args);
  args = register_args();
  json_object_set_new(args, "extra", json_integer(1));
  cr_expect_eq(
      sp_call_encode(md, "SubtensorModule", "register", args, &w, &err),
      -SP_CHAIN_ETYPE);
  cr_expect(strstr(err.message, "unknown field \"extra\"") != NULL, "%s",
            err.message);
  json_object_del(args, "extra");
  json_object_set_new(args, "netuid", json_integer(65536));
  cr_expect_eq(
      sp_call_encode(md, "SubtensorModule", "register", args, &w, &err),
      -SP_CHAIN_ETYPE);
  cr_expect(strstr(err.message, "netuid") != NULL, "%s", err.message);
  json_decref(args);
  sp_scale_writer_free(&w);
}

Test(chain_extrinsic, truncated_or_oversized_extrinsics, .init = setup,
     .fini = teardown) {
  json_t *args = register_args();
  sp_scale_writer call, xt;
  sp_scale_writer_init(&call);
  sp_scale_writer_init(&xt);
  cr_assert_eq(
      sp_call_encode(md, "SubtensorModule", "register", args, &call, NULL), 0);
  fake f = {0};
  sp_signer signer = {
      .scheme = SP_SIGNER_SR25519, .sign = fake_sign, .ctx = &f};
  sp_extrinsic_params p = params();
  cr_assert_eq(sp_extrinsic_build_signed(md, call.data, call.len, &p, &signer,
                                         &xt, NULL),
               0);
  json_t *d = NULL;
  sp_chain_error err = {0};
  /* every strict prefix fails, with a message, and never crashes */
  for (size_t n = 0; n < xt.len; n++) {
    cr_expect_neq(sp_extrinsic_decode(md, xt.data, n, &d, &err), 0, "n=%zu", n);
    cr_expect_null(d);
    cr_expect_gt(strlen(err.message), 0);
  }
  /* a trailing byte */
  uint8_t *more = malloc(xt.len + 1);
  memcpy(more, xt.data, xt.len);
  more[xt.len] = 0;
  cr_expect_eq(sp_extrinsic_decode(md, more, xt.len + 1, &d, &err),
               -SP_CHAIN_ESCALE);
  /* ... with the length prefix bumped to cover it (2-byte compact). */
  size_t body = xt.len - 2;
  uint16_t pre = (uint16_t)(((body + 1) << 2) | 1);
  more[0] = (uint8_t)pre;
  more[1] = (uint8_t)(pre >> 8);
  cr_expect_eq(sp_extrinsic_decode(md, more, xt.len + 1, &d, &err),
               -SP_CHAIN_ESCALE);
  cr_expect(strstr(err.message, "trailing") != NULL, "%s", err.message);
  /* a version byte other than 4 */
  memcpy(more, xt.data, xt.len);
  more[2] = 0x85;
  cr_expect_eq(sp_extrinsic_decode(md, more, xt.len, &d, &err),
               -SP_CHAIN_EUNSUPPORTED);
  /* an unknown pallet index in the call */
  memcpy(more, xt.data, xt.len);
  more[xt.len - call.len] = 0xfe;
  cr_expect_eq(sp_extrinsic_decode(md, more, xt.len, &d, &err),
               -SP_CHAIN_ESCALE);
  cr_expect(strstr(err.message, "pallet index 254") != NULL, "%s", err.message);
  free(more);
  json_decref(args);
  sp_scale_writer_free(&call);
  sp_scale_writer_free(&xt);
}
