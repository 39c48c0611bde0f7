/*
 * Prints, as JSON on stdout, what subpow builds for a registration under
 * the V16 metadata of specs 346 and 381 (SUBPOW_SHARED_DIR/fixtures/modern/)
 * and under the mock node's metadata, for modern_extrinsic.mjs to rebuild with
 * polkadot.js from the same metadata and compare byte for byte: for each of
 * register_limit, burned_register, register and faucet that the metadata
 * has (looked up by name), the call data, the signing payload and the
 * signed extrinsic, with an ed25519 key (deterministic signatures: the
 * whole extrinsic must be equal) and an sr25519 key (randomized: the
 * signature must verify, and the extrinsic must be equal with it
 * substituted). Also the extension list and the module error and event
 * indices subpow finds by name.
 * Exit 77 when the modern fixtures are absent, 1 on failure.
 * Usage: interop_modern_vectors > vectors.json
 */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain/client/extrinsic.h"
#include "chain/codec/metadata.h"
#include "chain/codec/scale_type.h"
#include "chain/keys/keypair.h"
#include "chain/mock/mock_metadata.h"
#include "regress/support/chain_fixture.h"

static void die(const char *what, const sp_chain_error *err) {
  fprintf(stderr, "modern_vectors: %s: %s\n", what, err ? err->message : "");
  exit(1);
}

static void fill(uint8_t *b, size_t n, uint8_t seed) {
  for (size_t i = 0; i < n; i++)
    b[i] = (uint8_t)(seed + 3 * i);
}

/* The calls a registration sends, in the order the report lists them. */
static const char *const CALLS[] = {"register_limit", "burned_register",
                                    "register", "faucet"};

/* The errors and events a registration reports by name. */
static const char *const ERRORS[] = {"SubnetNotExists",
                                     "NonAssociatedColdKey",
                                     "NotEnoughBalanceToStake",
                                     "HotKeyAlreadyRegisteredInSubNet",
                                     "SubNetRegistrationDisabled",
                                     "RegistrationNotPermittedOnRootSubnet",
                                     "NoNeuronIdAvailable",
                                     "RegistrationPriceLimitExceeded",
                                     "InvalidSeal",
                                     "FaucetDisabled"};
static const char *const EVENTS[] = {"NeuronRegistered", "Faucet"};

/* A value for each argument name the four calls use; the metadata gives
 * the names and their order. */
static json_t *arg_value(const char *call, const char *name) {
  uint8_t b[300];
  if (!strcmp(name, "netuid")) return json_integer(3);
  if (!strcmp(name, "block_number")) return json_integer(5000040);
  if (!strcmp(name, "nonce")) return json_string("18446744073709551615");
  if (!strcmp(name, "limit_price")) return json_string("1500000000");
  if (!strcmp(name, "hotkey") || !strcmp(name, "coldkey")) {
    fill(b, 32, !strcmp(name, "hotkey") ? 1 : 100);
    return sp_json_hex(b, 32);
  }
  if (!strcmp(name, "work")) {
    /* faucet's work long enough that the payload is signed hashed */
    size_t n = !strcmp(call, "faucet") ? sizeof b : 32;
    fill(b, n, 200);
    return sp_json_hex(b, n);
  }
  return NULL;
}

static json_t *call_args(const sp_metadata *md, const char *call) {
  const sp_type_variant *v;
  sp_chain_error err = {0};
  if (sp_metadata_call(md, "SubtensorModule", call, NULL, &v, &err))
    die(call, &err);
  json_t *args = json_object();
  for (size_t i = 0; i < v->nfields; i++) {
    json_t *a = arg_value(call, v->fields[i].name);
    if (!a) {
      fprintf(stderr,
              "modern_vectors: %s has an argument %s this test does "
              "not know\n",
              call, v->fields[i].name);
      exit(1);
    }
    json_object_set_new(args, v->fields[i].name, a);
  }
  return args;
}

typedef struct case_params {
  sp_extrinsic_params p;
  uint64_t era_current;
  const char *tip;
} case_params;

static json_t *vector(const sp_metadata *md, const char *call,
                      const sp_keypair *kp, const case_params *cp) {
  sp_chain_error err = {0};
  json_t *args = call_args(md, call);
  sp_scale_writer cw, pw, xw;
  sp_scale_writer_init(&cw);
  sp_scale_writer_init(&pw);
  sp_scale_writer_init(&xw);
  sp_signer signer;
  if (sp_keypair_signer(kp, &signer)) die("signer", NULL);
  if (sp_call_encode(md, "SubtensorModule", call, args, &cw, &err))
    die(call, &err);
  if (sp_extrinsic_signing_payload(md, cw.data, cw.len, &cp->p, &pw, &err))
    die(call, &err);
  if (sp_extrinsic_build_signed(md, cw.data, cw.len, &cp->p, &signer, &xw,
                                &err))
    die(call, &err);
  const sp_extrinsic_params *p = &cp->p;
  json_t *era = p->era.mortal
                    ? json_pack("{s:i,s:I}", "period", p->era.period, "current",
                                (json_int_t)cp->era_current)
                    : json_null();
  json_t *v = json_pack(
      "{s:s,s:o,s:s,s:o,s:o,s:I,s:s,s:i,s:i,s:o,s:o,s:o,s:o,s:o,s:o}", "call",
      call, "args", args, "scheme", sp_scheme_name(kp->scheme), "mini",
      sp_json_hex(kp->mini, 32), "public", sp_json_hex(kp->public_key, 32),
      "nonce", (json_int_t)p->nonce, "tip", cp->tip, "spec_version",
      p->spec_version, "tx_version", p->transaction_version, "genesis",
      sp_json_hex(p->genesis_hash, 32), "block_hash",
      sp_json_hex(p->era.mortal ? p->era_birth_hash : p->genesis_hash, 32),
      "era", era, "call_hex", sp_json_hex(cw.data, cw.len), "payload_hex",
      sp_json_hex(pw.data, pw.len), "extrinsic_hex",
      sp_json_hex(xw.data, xw.len));
  sp_scale_writer_free(&cw);
  sp_scale_writer_free(&pw);
  sp_scale_writer_free(&xw);
  return v;
}

static json_t *source(const char *name, sp_metadata *md, json_t *where,
                      uint32_t spec, const sp_keypair *keys, size_t nkeys) {
  json_t *exts = json_array();
  for (size_t i = 0; i < md->nextensions; i++)
    json_array_append_new(exts, json_string(md->extensions[i].identifier));
  json_t *errors = json_object(), *events = json_object();
  const sp_type_variant *v;
  for (size_t i = 0; i < sizeof ERRORS / sizeof ERRORS[0]; i++)
    if (sp_metadata_error(md, "SubtensorModule", ERRORS[i], &v, NULL) == 0)
      json_object_set_new(errors, ERRORS[i], json_integer(v->index));
  for (size_t i = 0; i < sizeof EVENTS / sizeof EVENTS[0]; i++)
    if (sp_metadata_event(md, "SubtensorModule", EVENTS[i], &v, NULL) == 0)
      json_object_set_new(events, EVENTS[i], json_integer(v->index));

  case_params cases[2];
  memset(cases, 0, sizeof cases);
  for (int c = 0; c < 2; c++) {
    cases[c].p.spec_version = spec;
    cases[c].p.transaction_version = 1;
    fill(cases[c].p.genesis_hash, 32, 0x2f);
  }
  cases[0].p.era = sp_era_immortal();
  cases[0].p.nonce = 5;
  cases[0].tip = "0";
  cases[1].p.era = sp_era_mortal(64, 5000042);
  cases[1].era_current = 5000042;
  fill(cases[1].p.era_birth_hash, 32, 0x55);
  cases[1].p.nonce = 1000000;
  cases[1].p.tip = (sp_u128)1000000007;
  cases[1].tip = "1000000007";

  json_t *xts = json_array();
  json_t *absent = json_array();
  for (size_t i = 0; i < sizeof CALLS / sizeof CALLS[0]; i++) {
    if (sp_metadata_call(md, "SubtensorModule", CALLS[i], NULL, NULL, NULL)) {
      json_array_append_new(absent, json_string(CALLS[i]));
      continue;
    }
    for (size_t k = 0; k < nkeys; k++)
      for (int c = 0; c < 2; c++)
        json_array_append_new(xts, vector(md, CALLS[i], &keys[k], &cases[c]));
  }
  json_t *s = json_pack("{s:s,s:o,s:i,s:o,s:o,s:o,s:o,s:o}", "name", name,
                        "metadata", where, "spec_version", spec, "extensions",
                        exts, "errors", errors, "events", events, "extrinsics",
                        xts, "absent_calls", absent);
  sp_metadata_free(md);
  return s;
}

static sp_metadata *parse(const uint8_t *b, size_t len, const char *what) {
  sp_metadata *md = NULL;
  sp_chain_error err = {0};
  if (sp_metadata_parse(b, len, &md, &err)) die(what, &err);
  return md;
}

int main(void) {
  if (sodium_init() < 0) die("libsodium", NULL);
  static const struct {
    const char *file, *name;
    uint32_t spec;
  } fixtures[] = {{SP_MODERN_SPEC346, "spec346", 346},
                  {SP_MODERN_SPEC381, "spec381", 381}};
  uint8_t mini[32];
  sp_keypair keys[2];
  fill(mini, 32, 77);
  if (sp_keypair_from_mini_secret(SP_SIGNER_ED25519, mini, &keys[0]))
    die("ed25519 key", NULL);
  fill(mini, 32, 41);
  if (sp_keypair_from_mini_secret(SP_SIGNER_SR25519, mini, &keys[1]))
    die("sr25519 key", NULL);

  json_t *sources = json_array();
  for (size_t i = 0; i < 2; i++) {
    size_t len;
    uint8_t *b = sp_modern_fixture_bytes(fixtures[i].file, &len);
    if (!b) {
      fprintf(stderr, "modern_vectors: fixture %s absent\n",
              sp_modern_fixture_path(fixtures[i].file));
      json_decref(sources);
      return 77;
    }
    sp_metadata *md = parse(b, len, fixtures[i].file);
    free(b);
    json_array_append_new(
        sources, source(fixtures[i].name, md,
                        json_pack("{s:s}", "file",
                                  sp_modern_fixture_path(fixtures[i].file)),
                        fixtures[i].spec, keys, 2));
  }
  /* The mock node's metadata: the same calls as it describes them. */
  size_t len;
  uint8_t *b = sp_mock_metadata_build(&len);
  if (!b) die("mock metadata", NULL);
  sp_metadata *md = parse(b, len, "the mock's metadata");
  json_array_append_new(sources,
                        source("mock", md,
                               json_pack("{s:o}", "hex", sp_json_hex(b, len)),
                               343, keys, 2));
  free(b);
  sp_keypair_wipe(&keys[0]);
  sp_keypair_wipe(&keys[1]);
  json_t *out = json_pack("{s:o}", "sources", sources);
  char *text = json_dumps(out, JSON_INDENT(1));
  puts(text);
  free(text);
  json_decref(out);
  return 0;
}
