/*
 * Prints, as JSON on stdout, storage keys and signed extrinsics that
 * subpow's chain library builds from the finney metadata, for
 * storage_extrinsic.mjs to check with polkadot.js (an independent
 * implementation). Exit 77 when the fixtures are absent, 1 on failure.
 * Usage: interop_chain_vectors > vectors.json
 */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain/client/extrinsic.h"
#include "chain/client/storage.h"
#include "chain/codec/metadata.h"
#include "chain/codec/scale_type.h"
#include "regress/support/chain_fixture.h"

static sp_metadata *md;

static void die(const char *what, const sp_chain_error *err) {
  fprintf(stderr, "chain_vectors: %s: %s\n", what, err ? err->message : "");
  exit(1);
}

static json_t *storage_vector(const char *pallet, const char *item,
                              json_t *args) {
  sp_scale_writer w;
  sp_scale_writer_init(&w);
  sp_chain_error err = {0};
  if (sp_storage_key(md, pallet, item, args, &w, NULL, &err)) die(item, &err);
  json_t *v = json_pack("{s:s,s:s,s:O,s:o}", "pallet", pallet, "item", item,
                        "args", args, "key", sp_json_hex(w.data, w.len));
  sp_scale_writer_free(&w);
  json_decref(args);
  return v;
}

typedef struct ed_key {
  uint8_t pk[32], sk[64];
} ed_key;

static int ed_sign(void *ctx, const uint8_t *msg, size_t len, uint8_t sig[64]) {
  ed_key *k = ctx;
  return crypto_sign_detached(sig, NULL, msg, len, k->sk);
}

static int fake_sr_sign(void *ctx, const uint8_t *msg, size_t len,
                        uint8_t sig[64]) {
  (void)ctx;
  return crypto_generichash(sig, 64, msg, len, NULL, 0);
}

static void fill(uint8_t *b, size_t n, uint8_t seed) {
  for (size_t i = 0; i < n; i++)
    b[i] = (uint8_t)(seed + 3 * i);
}

static json_t *extrinsic_vector(const char *pallet, const char *call,
                                json_t *args, const sp_signer *signer,
                                const sp_extrinsic_params *p,
                                uint64_t era_current) {
  sp_scale_writer cw, xw;
  sp_scale_writer_init(&cw);
  sp_scale_writer_init(&xw);
  sp_chain_error err = {0};
  if (sp_call_encode(md, pallet, call, args, &cw, &err)) die(call, &err);
  if (sp_extrinsic_build_signed(md, cw.data, cw.len, p, signer, &xw, &err))
    die(call, &err);
  json_t *era =
      p->era.mortal
          ? json_pack("{s:i,s:I,s:i}", "period", p->era.period, "current",
                      (json_int_t)era_current, "phase", p->era.phase)
          : json_null();
  json_t *v = json_pack(
      "{s:o,s:o,s:s,s:I,s:s,s:i,s:i,s:o,s:o,s:o,s:s,s:s,s:O}", "hex",
      sp_json_hex(xw.data, xw.len), "signer",
      sp_json_hex(signer->public_key, 32), "scheme",
      signer->scheme == SP_SIGNER_ED25519 ? "ed25519" : "sr25519", "nonce",
      (json_int_t)p->nonce, "tip", "0", "spec_version", p->spec_version,
      "tx_version", p->transaction_version, "genesis",
      sp_json_hex(p->genesis_hash, 32), "block_hash",
      sp_json_hex(p->era.mortal ? p->era_birth_hash : p->genesis_hash, 32),
      "era", era, "pallet", pallet, "call", call, "args", args);
  sp_scale_writer_free(&cw);
  sp_scale_writer_free(&xw);
  return v;
}

int main(void) {
  char *hex = sp_fixture_read("metadata_v14.hex", NULL);
  if (!hex) {
    fprintf(stderr, "chain_vectors: fixture %s absent\n",
            sp_fixture_path("metadata_v14.hex"));
    return 77;
  }
  sp_chain_error err = {0};
  if (sodium_init() < 0 || sp_metadata_parse_hex(hex, false, &md, &err))
    die("metadata", &err);
  free(hex);

  uint8_t acct[32];
  fill(acct, 32, 11);
  json_t *acct_hex = sp_json_hex(acct, 32);
  json_t *storage = json_array();
  json_array_append_new(storage, storage_vector("SubtensorModule", "Difficulty",
                                                json_pack("[i]", 23)));
  json_array_append_new(
      storage,
      storage_vector("SubtensorModule", "NetworksAdded", json_pack("[i]", 1)));
  json_array_append_new(storage, storage_vector("SubtensorModule",
                                                "NetworkPowRegistrationAllowed",
                                                json_pack("[i]", 65535)));
  json_array_append_new(storage,
                        storage_vector("SubtensorModule", "Uids",
                                       json_pack("[i,O]", 14, acct_hex)));
  json_array_append_new(
      storage, storage_vector("System", "Account", json_pack("[O]", acct_hex)));
  json_array_append_new(storage, storage_vector("System", "BlockHash",
                                                json_pack("[i]", 4242424)));
  json_array_append_new(storage,
                        storage_vector("System", "Events", json_array()));

  ed_key k;
  uint8_t seed[32];
  fill(seed, 32, 77);
  crypto_sign_seed_keypair(k.pk, k.sk, seed);
  sp_signer ed = {.scheme = SP_SIGNER_ED25519, .sign = ed_sign, .ctx = &k};
  memcpy(ed.public_key, k.pk, 32);
  sp_signer sr = {.scheme = SP_SIGNER_SR25519, .sign = fake_sr_sign};
  fill(sr.public_key, 32, 5);

  sp_extrinsic_params p;
  memset(&p, 0, sizeof p);
  p.spec_version = 343;
  p.transaction_version = 1;
  fill(p.genesis_hash, 32, 0x2f);
  p.era = sp_era_immortal();
  p.nonce = 5;
  uint8_t work[32], hot[32], cold[32];
  fill(work, 32, 200);
  fill(hot, 32, 1);
  fill(cold, 32, 100);
  json_t *reg =
      json_pack("{s:i,s:I,s:s,s:o,s:o,s:o}", "netuid", 3, "block_number",
                (json_int_t)4242424, "nonce", "18446744073709551615", "work",
                sp_json_hex(work, 32), "hotkey", sp_json_hex(hot, 32),
                "coldkey", sp_json_hex(cold, 32));
  json_t *xts = json_array();
  json_array_append_new(
      xts, extrinsic_vector("SubtensorModule", "register", reg, &ed, &p, 0));
  json_array_append_new(
      xts, extrinsic_vector("SubtensorModule", "register", reg, &sr, &p, 0));
  uint8_t big[300];
  fill(big, sizeof big, 9);
  json_t *faucet = json_pack("{s:i,s:i,s:o}", "block_number", 5000040, "nonce",
                             77, "work", sp_json_hex(big, sizeof big));
  p.era = sp_era_mortal(64, 5000042);
  fill(p.era_birth_hash, 32, 0x55);
  p.nonce = 1000000;
  json_array_append_new(xts, extrinsic_vector("SubtensorModule", "faucet",
                                              faucet, &ed, &p, 5000042));
  json_t *out = json_pack("{s:s,s:o,s:o}", "metadata_file",
                          sp_fixture_path("metadata_v14.hex"), "storage",
                          storage, "extrinsics", xts);
  char *text = json_dumps(out, JSON_INDENT(1));
  puts(text);
  free(text);
  json_decref(out);
  json_decref(reg);
  json_decref(faucet);
  json_decref(acct_hex);
  sp_metadata_free(md);
  return 0;
}
