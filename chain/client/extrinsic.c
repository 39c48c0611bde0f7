/* Version-4 signed extrinsics from metadata (see extrinsic.h). */
#include "chain/client/extrinsic.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "chain/codec/scale_type.h"

/* Extrinsic format version 4 and its "signed" flag (sp_runtime
 * generic::unchecked_extrinsic: EXTRINSIC_FORMAT_VERSION, 0b1000_0000). */
#define EXTRINSIC_VERSION 4
#define SIGNED_FLAG 0x80
/* Payloads longer than this are signed through their BLAKE2b-256
 * (sp_runtime::generic::SignedPayload::using_encoded). */
#define MAX_PLAIN_PAYLOAD 256

/* ---------------------------------------------------------------- era ---- */

sp_era sp_era_immortal(void) { return (sp_era){false, 0, 0}; }

sp_era sp_era_mortal(uint64_t period, uint64_t current) {
  /* Era::mortal: next power of two, clamped to [4, 2^16]. */
  uint64_t p = 4;
  while (p < period && p < (1u << 16))
    p <<= 1;
  uint64_t phase = current % p;
  uint64_t quantize = p >> 12 ? p >> 12 : 1;
  phase = phase / quantize * quantize;
  return (sp_era){true, (uint32_t)p, (uint32_t)phase};
}

uint64_t sp_era_birth(sp_era era, uint64_t current) {
  if (!era.mortal) return 0;
  uint64_t base = current > era.phase ? current : era.phase;
  return (base - era.phase) / era.period * era.period + era.phase;
}

/* The u16 of a mortal era: log2(period) - 1 in the low 4 bits, the
 * quantized phase above them (Era's Encode implementation). */
static uint16_t era_word(sp_era era) {
  unsigned tz = 0;
  while (((era.period >> tz) & 1) == 0 && tz < 31)
    tz++;
  unsigned low = tz - 1 < 1 ? 1 : tz - 1 > 15 ? 15 : tz - 1;
  uint32_t quantize = era.period >> 12 ? era.period >> 12 : 1;
  return (uint16_t)(low | ((era.phase / quantize) << 4));
}

void sp_era_encode(sp_era era, sp_scale_writer *w) {
  if (!era.mortal)
    sp_scale_put_u8(w, 0);
  else
    sp_scale_put_u16(w, era_word(era));
}

/* The era as the JSON of scale-info's Era enum: "Immortal", or the variant
 * named by the first byte ("Mortal<b0>") holding the second byte. */
static json_t *era_json(const sp_type_registry *reg, uint32_t era_type,
                        sp_era era) {
  if (!era.mortal) return json_string("Immortal");
  uint16_t word = era_word(era);
  const sp_type_variant *v =
      sp_type_variant_by_index(sp_type_get(reg, era_type), word & 0xff);
  if (!v) return NULL;
  return json_pack("{s:i}", v->name, word >> 8);
}

/* ------------------------------------------------------------- calls ---- */

int sp_call_encode(const sp_metadata *md, const char *pallet, const char *call,
                   const json_t *args, sp_scale_writer *w,
                   sp_chain_error *err) {
  const sp_pallet *p;
  const sp_type_variant *v;
  int rc = sp_metadata_call(md, pallet, call, &p, &v, err);
  if (rc) return rc;
  if (args && !json_is_object(args) && v->nfields > 0 && v->fields[0].name)
    return sp_chain_fail(err, SP_CHAIN_ETYPE,
                         "%s.%s: arguments must be a JSON object", pallet,
                         call);
  /* The pallet's call enum encodes {call: args} as the call index and the
   * arguments; the pallet index goes first (the RuntimeCall variant). */
  json_t *wrapped = json_object();
  json_t *null_args = args ? NULL : json_null();
  if (!wrapped ||
      json_object_set(wrapped, call, args ? (json_t *)args : null_args) != 0) {
    json_decref(wrapped);
    json_decref(null_args);
    return sp_chain_fail(err, SP_CHAIN_ENOMEM, "out of memory");
  }
  sp_scale_put_u8(w, p->index);
  rc = sp_scale_encode_type(&md->registry, p->calls_type, wrapped, w, err);
  json_decref(wrapped);
  json_decref(null_args);
  if (rc) return sp_chain_error_wrap(err, rc, "%s", pallet);
  return sp_scale_writer_ok(w);
}

/* -------------------------------------------------- signed extensions ---- */

/* One extension's values: JSON for its explicit and implicit parts (NULL:
 * the part must be empty); era: the explicit part is the transaction era. */
typedef struct ext_values {
  json_t *extra;
  json_t *additional;
  bool era;
  bool known;
} ext_values;

static json_t *u64_json(uint64_t v) {
  if (v <= INT64_MAX) return json_integer((json_int_t)v);
  char text[24];
  snprintf(text, sizeof text, "%" PRIu64, v);
  return json_string(text);
}

static json_t *u128_json(sp_u128 v) {
  uint8_t le[16];
  for (int i = 0; i < 16; i++)
    le[i] = (uint8_t)(v >> (8 * i));
  char text[80];
  sp_scale_le_to_decimal(le, 16, false, text);
  return json_string(text);
}

static ext_values known_values(const char *id, const sp_extrinsic_params *p) {
  ext_values x = {NULL, NULL, false, true};
  if (!strcmp(id, "CheckNonZeroSender") || !strcmp(id, "CheckWeight")) {
  } else if (!strcmp(id, "CheckSpecVersion")) {
    x.additional = json_integer(p->spec_version);
  } else if (!strcmp(id, "CheckTxVersion")) {
    x.additional = json_integer(p->transaction_version);
  } else if (!strcmp(id, "CheckGenesis")) {
    x.additional = sp_json_hex(p->genesis_hash, 32);
  } else if (!strcmp(id, "CheckMortality") || !strcmp(id, "CheckEra")) {
    x.era = true;
    x.additional =
        sp_json_hex(p->era.mortal ? p->era_birth_hash : p->genesis_hash, 32);
  } else if (!strcmp(id, "CheckNonce")) {
    x.extra = u64_json(p->nonce);
  } else if (!strcmp(id, "ChargeTransactionPayment")) {
    x.extra = u128_json(p->tip);
  } else if (!strcmp(id, "CheckMetadataHash")) {
    /* frame_metadata_hash_extension: Mode::Disabled, no hash signed. */
    x.extra = json_pack("{s:s}", "mode", "Disabled");
    x.additional = json_string("None");
  } else {
    x.known = false;
  }
  return x;
}

/* Encodes one part of an extension; `value` NULL means "must be empty". */
static int encode_part(const sp_metadata *md, const sp_signed_extension *x,
                       uint32_t type, const json_t *value, const char *part,
                       sp_scale_writer *w, sp_chain_error *err) {
  if (!value) {
    if (sp_type_is_empty(&md->registry, type)) return 0;
    return sp_chain_fail(err, SP_CHAIN_EUNSUPPORTED,
                         "signed extension %s has a non-empty %s part (type "
                         "%u, %s) whose encoding subpow does not know; "
                         "refusing to build the transaction",
                         x->identifier, part, type,
                         sp_type_name(sp_type_get(&md->registry, type)));
  }
  int rc = sp_scale_encode_type(&md->registry, type, value, w, err);
  if (rc)
    return sp_chain_error_wrap(err, rc, "signed extension %s (%s part)",
                               x->identifier, part);
  return 0;
}

/* Appends every extension's explicit part to `extra` and implicit part to
 * `additional`, in metadata order. */
static int encode_extensions(const sp_metadata *md,
                             const sp_extrinsic_params *p,
                             sp_scale_writer *extra,
                             sp_scale_writer *additional, sp_chain_error *err) {
  for (size_t i = 0; i < md->nextensions; i++) {
    const sp_signed_extension *x = &md->extensions[i];
    ext_values v = known_values(x->identifier, p);
    int rc = 0;
    if (!v.known && !(sp_type_is_empty(&md->registry, x->type) &&
                      sp_type_is_empty(&md->registry, x->additional_type))) {
      rc = sp_chain_fail(err, SP_CHAIN_EUNSUPPORTED,
                         "unknown signed extension %s has a non-empty "
                         "encoding (types %u and %u); subpow cannot build a "
                         "transaction this runtime accepts",
                         x->identifier, x->type, x->additional_type);
    }
    if (!rc && v.era) {
      uint32_t era_type = sp_type_unwrap(&md->registry, x->type);
      const sp_type *t = sp_type_get(&md->registry, era_type);
      if (t->kind != SP_TYPE_VARIANT || strcmp(sp_type_name(t), "Era") != 0)
        rc = sp_chain_fail(err, SP_CHAIN_EUNSUPPORTED,
                           "signed extension %s does not carry an Era",
                           x->identifier);
      else
        v.extra = era_json(&md->registry, era_type, p->era);
      if (!rc && !v.extra)
        rc = sp_chain_fail(err, SP_CHAIN_EUNSUPPORTED,
                           "the runtime's Era has no variant for this era");
    }
    if (!rc) rc = encode_part(md, x, x->type, v.extra, "extra", extra, err);
    if (!rc)
      rc = encode_part(md, x, x->additional_type, v.additional, "additional",
                       additional, err);
    json_decref(v.extra);
    json_decref(v.additional);
    if (rc) return rc;
  }
  int rc = sp_scale_writer_ok(extra);
  return rc ? rc : sp_scale_writer_ok(additional);
}

/* -------------------------------------------------------- extrinsics ---- */

int sp_extrinsic_hash(const uint8_t *extrinsic, size_t len, uint8_t out[32]) {
  return crypto_generichash(out, 32, extrinsic, len, NULL, 0) == 0
             ? 0
             : -SP_CHAIN_ECRYPTO;
}

static int check_format(const sp_metadata *md, sp_chain_error *err) {
  if (md->extrinsic_version != EXTRINSIC_VERSION)
    return sp_chain_fail(err, SP_CHAIN_EUNSUPPORTED,
                         "the runtime uses extrinsic version %u; subpow "
                         "builds version 4",
                         md->extrinsic_version);
  if (!md->has_extrinsic_types)
    return sp_chain_fail(err, SP_CHAIN_EMETADATA,
                         "the metadata does not name the extrinsic's address "
                         "and signature types");
  return 0;
}

/* call ++ extra ++ additional, hashed when long; extra kept for the body. */
static int payload(const sp_metadata *md, const uint8_t *call, size_t call_len,
                   const sp_extrinsic_params *p, sp_scale_writer *extra,
                   sp_scale_writer *out, sp_chain_error *err) {
  sp_scale_writer additional;
  sp_scale_writer_init(&additional);
  int rc = encode_extensions(md, p, extra, &additional, err);
  if (rc) {
    sp_scale_writer_free(&additional);
    return rc;
  }
  sp_scale_writer whole;
  sp_scale_writer_init(&whole);
  sp_scale_put_bytes(&whole, call, call_len);
  sp_scale_put_bytes(&whole, extra->data, extra->len);
  sp_scale_put_bytes(&whole, additional.data, additional.len);
  sp_scale_writer_free(&additional);
  rc = sp_scale_writer_ok(&whole);
  if (!rc && whole.len > MAX_PLAIN_PAYLOAD) {
    uint8_t h[32];
    if (crypto_generichash(h, 32, whole.data, whole.len, NULL, 0) != 0)
      rc = sp_chain_fail(err, SP_CHAIN_ECRYPTO, "BLAKE2b failed");
    else
      sp_scale_put_bytes(out, h, 32);
  } else if (!rc) {
    sp_scale_put_bytes(out, whole.data, whole.len);
  }
  sp_scale_writer_free(&whole);
  if (!rc) rc = sp_scale_writer_ok(out);
  return rc;
}

int sp_extrinsic_signing_payload(const sp_metadata *md, const uint8_t *call,
                                 size_t call_len, const sp_extrinsic_params *p,
                                 sp_scale_writer *out, sp_chain_error *err) {
  int rc = check_format(md, err);
  if (rc) return rc;
  sp_scale_writer extra;
  sp_scale_writer_init(&extra);
  rc = payload(md, call, call_len, p, &extra, out, err);
  sp_scale_writer_free(&extra);
  return rc;
}

int sp_extrinsic_build_signed(const sp_metadata *md, const uint8_t *call,
                              size_t call_len, const sp_extrinsic_params *p,
                              const sp_signer *signer, sp_scale_writer *out,
                              sp_chain_error *err) {
  if (!md || !call || !p || !signer || !signer->sign || !out)
    return sp_chain_fail(err, SP_CHAIN_EARG,
                         "sp_extrinsic_build_signed: missing argument");
  int rc = check_format(md, err);
  if (rc) return rc;
  const char *scheme = signer->scheme == SP_SIGNER_SR25519   ? "Sr25519"
                       : signer->scheme == SP_SIGNER_ED25519 ? "Ed25519"
                                                             : NULL;
  if (!scheme)
    return sp_chain_fail(err, SP_CHAIN_EUNSUPPORTED,
                         "unknown signature scheme %d", signer->scheme);

  sp_scale_writer extra, signed_bytes, body;
  sp_scale_writer_init(&extra);
  sp_scale_writer_init(&signed_bytes);
  sp_scale_writer_init(&body);
  uint8_t sig[64];
  json_t *address = NULL, *signature = NULL;
  rc = payload(md, call, call_len, p, &extra, &signed_bytes, err);
  if (!rc &&
      signer->sign(signer->ctx, signed_bytes.data, signed_bytes.len, sig) != 0)
    rc = sp_chain_fail(err, SP_CHAIN_ESIGN,
                       "the signer failed to sign the transaction");
  if (!rc) {
    /* Signed flag | version, then MultiAddress::Id and MultiSignature
     * variants chosen by name from the runtime's own types. */
    sp_scale_put_u8(&body, SIGNED_FLAG | EXTRINSIC_VERSION);
    address = json_pack("{s:o}", "Id", sp_json_hex(signer->public_key, 32));
    signature = json_pack("{s:o}", scheme, sp_json_hex(sig, 64));
    if (!address || !signature)
      rc = sp_chain_fail(err, SP_CHAIN_ENOMEM, "out of memory");
  }
  if (!rc) {
    rc = sp_scale_encode_type(&md->registry, md->address_type, address, &body,
                              err);
    if (rc) rc = sp_chain_error_wrap(err, rc, "extrinsic address");
  }
  if (!rc) {
    rc = sp_scale_encode_type(&md->registry, md->signature_type, signature,
                              &body, err);
    if (rc) rc = sp_chain_error_wrap(err, rc, "extrinsic signature");
  }
  if (!rc) {
    sp_scale_put_bytes(&body, extra.data, extra.len);
    sp_scale_put_bytes(&body, call, call_len);
    rc = sp_scale_writer_ok(&body);
  }
  if (!rc) {
    sp_scale_put_compact(out, body.len);
    sp_scale_put_bytes(out, body.data, body.len);
    rc = sp_scale_writer_ok(out);
  }
  sodium_memzero(sig, sizeof sig);
  json_decref(address);
  json_decref(signature);
  sp_scale_writer_free(&extra);
  sp_scale_writer_free(&signed_bytes);
  sp_scale_writer_free(&body);
  return rc;
}

/* ---------------------------------------------------------- decoding ---- */

static int set_new(json_t *obj, const char *key, json_t *v,
                   sp_chain_error *err) {
  if (!v || json_object_set_new(obj, key, v) != 0)
    return sp_chain_fail(err, SP_CHAIN_ENOMEM, "out of memory");
  return 0;
}

static int decode_call(const sp_metadata *md, sp_scale_reader *r, json_t *out,
                       sp_chain_error *err) {
  size_t at = r->pos;
  uint8_t pallet_index;
  int rc = sp_scale_read_u8(r, &pallet_index);
  if (rc) return rc;
  const sp_pallet *p = sp_metadata_pallet_by_index(md, pallet_index);
  if (!p || !p->has_calls)
    return sp_chain_fail(err, SP_CHAIN_ESCALE,
                         "call at offset %zu names pallet index %u, which "
                         "has no calls",
                         at, pallet_index);
  json_t *v;
  rc = sp_scale_decode_type(&md->registry, p->calls_type, r, &v);
  if (rc) return sp_chain_error_wrap(err, rc, "call of %s", p->name);
  void *it = json_object_iter(v);
  json_t *call =
      json_pack("{s:s,s:s,s:O}", "pallet", p->name, "name",
                json_object_iter_key(it), "args", json_object_iter_value(it));
  json_decref(v);
  return set_new(out, "call", call, err);
}

int sp_extrinsic_decode(const sp_metadata *md, const uint8_t *bytes, size_t len,
                        json_t **out, sp_chain_error *err) {
  *out = NULL;
  sp_scale_reader r;
  sp_scale_reader_init(&r, bytes, len, err);
  size_t body_len;
  int rc = sp_scale_read_length(&r, 1, &body_len);
  if (rc) return sp_chain_error_wrap(err, rc, "extrinsic length");
  if (body_len != sp_scale_remaining(&r))
    return sp_chain_fail(err, SP_CHAIN_ESCALE,
                         "extrinsic length prefix says %zu bytes, %zu follow",
                         body_len, sp_scale_remaining(&r));
  uint8_t head;
  rc = sp_scale_read_u8(&r, &head);
  if (rc) return rc;
  if ((head & 0x7f) != EXTRINSIC_VERSION)
    return sp_chain_fail(err, SP_CHAIN_EUNSUPPORTED,
                         "extrinsic version %u (subpow reads version 4)",
                         head & 0x7f);
  bool is_signed = head & SIGNED_FLAG;
  json_t *o =
      json_pack("{s:i,s:b}", "version", EXTRINSIC_VERSION, "signed", is_signed);
  if (!o) return sp_chain_fail(err, SP_CHAIN_ENOMEM, "out of memory");
  if (is_signed) {
    rc = check_format(md, err);
    json_t *v = NULL;
    if (!rc) rc = sp_scale_decode_type(&md->registry, md->address_type, &r, &v);
    if (!rc) rc = set_new(o, "address", v, err);
    if (!rc)
      rc = sp_scale_decode_type(&md->registry, md->signature_type, &r, &v);
    if (!rc) rc = set_new(o, "signature", v, err);
    json_t *exts = rc ? NULL : json_object();
    for (size_t i = 0; !rc && i < md->nextensions; i++) {
      const sp_signed_extension *x = &md->extensions[i];
      if (sp_type_is_empty(&md->registry, x->type)) continue;
      rc = sp_scale_decode_type(&md->registry, x->type, &r, &v);
      if (rc)
        rc = sp_chain_error_wrap(err, rc, "signed extension %s", x->identifier);
      else
        rc = set_new(exts, x->identifier, v, err);
    }
    if (!rc)
      rc = set_new(o, "extensions", exts, err);
    else
      json_decref(exts);
  }
  if (!rc) rc = decode_call(md, &r, o, err);
  if (!rc) rc = sp_scale_expect_end(&r, "the extrinsic");
  if (rc) {
    json_decref(o);
    return rc;
  }
  *out = o;
  return 0;
}
