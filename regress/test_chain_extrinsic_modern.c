/*
 * Signed extrinsics under the V16 metadata of specs 346 and 381: the calls
 * a registration sends (looked up by name), built, signed and decoded back;
 * today's transaction extensions (CheckShieldedTxValidity, empty, after
 * SudoTransactionExtension as in subtensor's spec-425 source) accepted; an
 * extension that carries bytes subpow does not know refused by name before
 * anything is signed. Byte equality with polkadot.js is
 * regress/interop/modern_extrinsic.mjs.
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
#include "regress/support/chain_setup.h"

typedef struct fake {
  int calls;
} fake;

/* Deterministic: sig = BLAKE2b-512(msg); counts calls. */
static int fake_sign(void *ctx, const uint8_t *msg, size_t len,
                     uint8_t sig[64]) {
  ((fake *)ctx)->calls++;
  crypto_generichash(sig, 64, msg, len, NULL, 0);
  return 0;
}

static sp_extrinsic_params params(uint32_t spec) {
  sp_extrinsic_params p;
  memset(&p, 0, sizeof p);
  p.spec_version = spec;
  p.transaction_version = 1;
  for (int i = 0; i < 32; i++)
    p.genesis_hash[i] = (uint8_t)(0x2f + 3 * i), p.era_birth_hash[i] = 0x55;
  p.era = sp_era_mortal(64, 5000042);
  p.nonce = 9;
  return p;
}

static json_t *burned_args(void) {
  return json_pack("{s:i,s:s}", "netuid", 3, "hotkey",
                   "0x0102030405060708090a0b0c0d0e0f10111213141516171819"
                   "1a1b1c1d1e1f20");
}

/* Builds burned_register into `xt`; returns the builder's code. */
static int build(const sp_metadata *md, fake *f, sp_scale_writer *xt,
                 sp_chain_error *err) {
  sp_scale_writer call;
  sp_scale_writer_init(&call);
  json_t *args = burned_args();
  int rc = sp_call_encode(md, "SubtensorModule", "burned_register", args, &call,
                          err);
  json_decref(args);
  sp_signer signer = {.scheme = SP_SIGNER_SR25519, .sign = fake_sign, .ctx = f};
  memset(signer.public_key, 7, 32);
  sp_extrinsic_params p = params(381);
  if (!rc)
    rc = sp_extrinsic_build_signed(md, call.data, call.len, &p, &signer, xt,
                                   err);
  sp_scale_writer_free(&call);
  return rc;
}

static void build_and_decode(const char *file, const char *sudo) {
  sp_metadata *md = sp_modern_fixture_metadata(file);
  fake f = {0};
  sp_scale_writer xt;
  sp_scale_writer_init(&xt);
  sp_chain_error err = {0};
  cr_assert_eq(build(md, &f, &xt, &err), 0, "%s", err.message);
  cr_expect_eq(f.calls, 1);
  json_t *d = NULL;
  cr_assert_eq(sp_extrinsic_decode(md, xt.data, xt.len, &d, &err), 0, "%s",
               err.message);
  json_t *call = json_object_get(d, "call");
  cr_expect_str_eq(json_string_value(json_object_get(call, "name")),
                   "burned_register");
  cr_expect_eq(json_integer_value(
                   json_object_get(json_object_get(call, "args"), "netuid")),
               3);
  json_t *ext = json_object_get(d, "extensions");
  cr_expect_eq(json_integer_value(json_object_get(ext, "CheckNonce")), 9);
  cr_expect_null(json_object_get(ext, "SubtensorTransactionExtension"),
                 "empty extensions carry nothing");
  if (sudo) cr_expect(sp_metadata_pallet(md, "Sudo") != NULL);
  json_decref(d);
  sp_scale_writer_free(&xt);
  sp_metadata_free(md);
}

Test(chain_extrinsic_modern, burned_register_spec346) {
  build_and_decode(SP_MODERN_SPEC346, NULL);
}

Test(chain_extrinsic_modern, burned_register_spec381) {
  build_and_decode(SP_MODERN_SPEC381, "Sudo");
}

/* Inserts an extension named `id` with the types of `like_extra` (explicit
 * part) and `like_implicit` (implicit part) at position `at`. */
static void insert_extension(sp_metadata *md, size_t at, const char *id,
                             const char *like_extra,
                             const char *like_implicit) {
  uint32_t ty = 0, implicit = 0;
  bool got_ty = false, got_implicit = false;
  for (size_t i = 0; i < md->nextensions; i++) {
    if (!strcmp(md->extensions[i].identifier, like_extra))
      ty = md->extensions[i].type, got_ty = true;
    if (!strcmp(md->extensions[i].identifier, like_implicit))
      implicit = md->extensions[i].additional_type, got_implicit = true;
  }
  cr_assert(got_ty && got_implicit);
  sp_signed_extension *x =
      realloc(md->extensions, (md->nextensions + 1) * sizeof *x);
  cr_assert_not_null(x);
  memmove(&x[at + 1], &x[at], (md->nextensions - at) * sizeof *x);
  x[at] = (sp_signed_extension){strdup(id), ty, implicit};
  md->extensions = x;
  md->nextensions++;
}

static size_t index_of(const sp_metadata *md, const char *id) {
  for (size_t i = 0; i < md->nextensions; i++)
    if (!strcmp(md->extensions[i].identifier, id)) return i;
  cr_assert_fail("no extension %s", id);
  return 0;
}

/* Today's list: CheckShieldedTxValidity (empty) after the Sudo extension.
 * Being empty it changes no byte of the extrinsic. */
Test(chain_extrinsic_modern, check_shielded_tx_validity_is_accepted) {
  sp_metadata *md = sp_modern_fixture_metadata(SP_MODERN_SPEC381);
  fake f = {0};
  sp_scale_writer before, after;
  sp_scale_writer_init(&before);
  sp_scale_writer_init(&after);
  sp_chain_error err = {0};
  cr_assert_eq(build(md, &f, &before, &err), 0, "%s", err.message);
  insert_extension(md, index_of(md, "SudoTransactionExtension") + 1,
                   "CheckShieldedTxValidity", "CheckWeight", "CheckWeight");
  cr_assert_eq(md->nextensions, 13);
  cr_assert_eq(build(md, &f, &after, &err), 0, "%s", err.message);
  cr_expect_eq(before.len, after.len);
  cr_expect_arr_eq(before.data, after.data, before.len);
  sp_scale_writer_free(&before);
  sp_scale_writer_free(&after);
  sp_metadata_free(md);
}

/* An extension that carries bytes subpow cannot fill is refused, naming
 * it, before the signer sees anything; so is today's extension if a later
 * runtime gives it content. */
Test(chain_extrinsic_modern, unknown_non_empty_extension_refused_unsigned) {
  static const struct {
    const char *id, *like_extra, *like_implicit;
  } cases[] = {
      {"ShieldedProof", "CheckNonce", "CheckWeight"},       /* explicit */
      {"ShieldedProof", "CheckWeight", "CheckSpecVersion"}, /* implicit */
      {"CheckShieldedTxValidity", "CheckMortality", "CheckWeight"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    sp_metadata *md = sp_modern_fixture_metadata(SP_MODERN_SPEC381);
    insert_extension(md, index_of(md, "SudoTransactionExtension") + 1,
                     cases[i].id, cases[i].like_extra, cases[i].like_implicit);
    fake f = {0};
    sp_scale_writer xt;
    sp_scale_writer_init(&xt);
    sp_chain_error err = {0};
    cr_expect_eq(build(md, &f, &xt, &err), -SP_CHAIN_EUNSUPPORTED, "case %zu",
                 i);
    cr_expect(strstr(err.message, cases[i].id) != NULL, "%s", err.message);
    cr_expect(strstr(err.message, "non-empty") != NULL, "%s", err.message);
    cr_expect_eq(f.calls, 0, "case %zu: nothing was signed", i);
    cr_expect_eq(xt.len, 0, "case %zu: nothing was written", i);
    /* The signing payload is refused the same way. */
    sp_scale_writer sp;
    sp_scale_writer_init(&sp);
    sp_extrinsic_params p = params(381);
    uint8_t call[2] = {7, 7};
    cr_expect_eq(sp_extrinsic_signing_payload(md, call, 2, &p, &sp, &err),
                 -SP_CHAIN_EUNSUPPORTED);
    sp_scale_writer_free(&sp);
    sp_scale_writer_free(&xt);
    sp_metadata_free(md);
  }
}
