/*
 * Fuzz target: extrinsic decoding (sp_extrinsic_decode,
 * chain/client/extrinsic.h) with the mock node's metadata and, when the
 * fixtures are there, finney's.
 *
 * Byte 0: bit 0 picks the metadata (finney V14 when set), bit 1 the input's
 * meaning: clear, the rest is an extrinsic as sent on the wire; set, the rest
 * is a call that the target signs into a version-4 extrinsic first (fixed
 * sr25519 key and parameters), so that inputs reach the call decoding past
 * the signed part.
 * Properties:
 *   - a failure has a SCALE, unsupported, metadata or memory code and a
 *     one-line message;
 *   - a decoded extrinsic encodes back, from its JSON alone (head, address,
 *     signature, each signed extension's explicit part in metadata order,
 *     then the call through sp_call_encode), to exactly the input bytes;
 *   - a signed call decodes exactly when it decodes as the runtime's outer
 *     call enum (RuntimeCall), i.e. looking the pallet up by index agrees
 *     with the enum the metadata declares.
 */
#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "chain/client/extrinsic.h"
#include "chain/codec/scale_type.h"
#include "chain/keys/keypair.h"
#include "regress/fuzz/fuzz_support.h"

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

/* The bytes of a decoded extrinsic, rebuilt from its JSON. */
static int encode_back(const sp_metadata *md, const json_t *x,
                       sp_scale_writer *out, sp_chain_error *err) {
  const sp_type_registry *reg = &md->registry;
  sp_scale_writer body;
  sp_scale_writer_init(&body);
  bool is_signed = json_is_true(json_object_get(x, "signed"));
  sp_scale_put_u8(&body, is_signed ? 0x84 : 0x04);
  int rc = 0;
  if (is_signed) {
    rc = sp_scale_encode_type(reg, md->address_type,
                              json_object_get(x, "address"), &body, err);
    if (!rc)
      rc = sp_scale_encode_type(reg, md->signature_type,
                                json_object_get(x, "signature"), &body, err);
    json_t *exts = json_object_get(x, "extensions");
    for (size_t i = 0; !rc && i < md->nextensions; i++) {
      const sp_signed_extension *e = &md->extensions[i];
      if (sp_type_is_empty(reg, e->type)) continue;
      rc = sp_scale_encode_type(
          reg, e->type, json_object_get(exts, e->identifier), &body, err);
    }
  }
  json_t *call = json_object_get(x, "call");
  if (!rc)
    rc = sp_call_encode(md, json_string_value(json_object_get(call, "pallet")),
                        json_string_value(json_object_get(call, "name")),
                        json_object_get(call, "args"), &body, err);
  if (!rc) {
    sp_scale_put_compact(out, body.len);
    sp_scale_put_bytes(out, body.data, body.len);
  }
  sp_scale_writer_free(&body);
  return rc;
}

static int decode_and_check(const sp_metadata *md, const uint8_t *xt,
                            size_t len) {
  json_t *x = NULL;
  sp_chain_error err = {0};
  int rc = sp_extrinsic_decode(md, xt, len, &x, &err);
  if (rc != 0) {
    FUZZ_CHECK(x == NULL, "a failed decode returned a value");
    FUZZ_CHECK(rc == -SP_CHAIN_ESCALE || rc == -SP_CHAIN_EUNSUPPORTED ||
                   rc == -SP_CHAIN_EMETADATA || rc == -SP_CHAIN_ENOMEM,
               "rc %d: %s", rc, err.message);
    fuzz_check_message(err.message, sizeof err.message);
    return rc;
  }
  sp_scale_writer w;
  sp_scale_writer_init(&w);
  sp_chain_error eerr = {0};
  int erc = encode_back(md, x, &w, &eerr);
  char *text = json_dumps(x, JSON_COMPACT);
  FUZZ_CHECK(erc == 0, "%s does not encode back: %s", text ? text : "?",
             eerr.message);
  FUZZ_CHECK(w.len == len && memcmp(w.data, xt, len) == 0,
             "%s encodes back to %zu bytes, not the %zu decoded",
             text ? text : "?", w.len, len);
  free(text);
  sp_scale_writer_free(&w);
  json_decref(x);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  const sp_metadata *md =
      (data[0] & 1) ? fuzz_finney_metadata(14) : fuzz_mock_metadata();
  if (md == NULL) return 0; /* no fixtures here */
  const uint8_t *rest = data + 1;
  size_t len = size - 1;
  if ((data[0] & 2) == 0) {
    decode_and_check(md, rest, len);
    return 0;
  }
  sp_extrinsic_params p;
  memset(&p, 0, sizeof p);
  p.spec_version = 343;
  p.transaction_version = 1;
  p.era = sp_era_mortal(64, 1000);
  p.nonce = 7;
  sp_scale_writer xt;
  sp_scale_writer_init(&xt);
  sp_chain_error err = {0};
  int rc = sp_extrinsic_build_signed(md, len ? rest : (const uint8_t *)"", len,
                                     &p, signer(), &xt, &err);
  FUZZ_CHECK(rc == 0, "cannot sign %zu call bytes: %s", len, err.message);
  json_t *call = NULL;
  bool call_decodes = sp_scale_decode_type_all(&md->registry, md->call_type,
                                               rest, len, &call, NULL) == 0;
  json_decref(call);
  rc = decode_and_check(md, xt.data, xt.len);
  FUZZ_CHECK((rc == 0) == call_decodes,
             "extrinsic decode %d, RuntimeCall decode %d", rc, call_decodes);
  sp_scale_writer_free(&xt);
  return 0;
}
