/* Runtime metadata V14/V15/V16 parsing and look-ups (see metadata.h). */
#include "chain/codec/metadata.h"

#include <stdlib.h>
#include <string.h>

#include "common/hex.h"

/* "meta" as a little-endian u32, the RuntimeMetadataPrefixed magic. */
static const uint8_t META_MAGIC[4] = {0x6d, 0x65, 0x74, 0x61};

void sp_metadata_free(sp_metadata *md) {
  if (!md) return;
  sp_type_registry_free(&md->registry);
  for (size_t p = 0; p < md->npallets; p++) {
    sp_pallet *pl = &md->pallets[p];
    free(pl->name);
    free(pl->storage_prefix);
    for (size_t e = 0; e < pl->nentries; e++) {
      sp_storage_entry *en = &pl->entries[e];
      free(en->name);
      free(en->hashers);
      free(en->default_bytes);
      sp_scale_free_strings(en->docs, en->ndocs);
    }
    free(pl->entries);
    for (size_t c = 0; c < pl->nconstants; c++) {
      free(pl->constants[c].name);
      free(pl->constants[c].value);
    }
    free(pl->constants);
  }
  free(md->pallets);
  for (size_t i = 0; i < md->nextensions; i++)
    free(md->extensions[i].identifier);
  free(md->extensions);
  free(md);
}

static int nomem(sp_scale_reader *r) {
  return sp_chain_fail(r->err, SP_CHAIN_ENOMEM, "out of memory");
}

static int skip_strings(sp_scale_reader *r) {
  char **v = NULL;
  size_t n = 0;
  int rc = sp_scale_read_strings(r, &v, &n);
  sp_scale_free_strings(v, n);
  return rc;
}

static int copy_bytes(sp_scale_reader *r, uint8_t **out, size_t *n) {
  const uint8_t *p;
  int rc = sp_scale_read_byte_vec(r, &p, n);
  if (rc) return rc;
  *out = malloc(*n ? *n : 1);
  if (!*out) return nomem(r);
  memcpy(*out, p, *n);
  return 0;
}

/* Option<Compact<u32>>, as in `calls: Option<PalletCallMetadata>`. */
static int read_option_type(sp_scale_reader *r, bool *some, uint32_t *ty) {
  int rc = sp_scale_read_option(r, some);
  if (!rc && *some) rc = sp_scale_read_compact_u32(r, ty);
  return rc;
}

/* A String, validated and dropped. */
static int skip_string(sp_scale_reader *r) {
  char *s = NULL;
  int rc = sp_scale_read_string(r, &s);
  free(s); /* NULL when the read failed */
  return rc;
}

/* An Option<String>, validated and dropped. */
static int skip_option_string(sp_scale_reader *r) {
  bool some;
  int rc = sp_scale_read_option(r, &some);
  if (!rc && some) rc = skip_string(r);
  return rc;
}

/* V16's deprecation records (frame-metadata v16.rs), read to validate the
 * layout and dropped: no decision of the client depends on them.
 *   ItemDeprecationInfo: 0 NotDeprecated, 1 DeprecatedWithoutNote,
 *     2 Deprecated { note: String, since: Option<String> };
 *   EnumDeprecationInfo: BTreeMap<u8, VariantDeprecationInfo>, whose two
 *     variants keep the indices 1 (without a note) and 2 (with one). */
static int skip_deprecation(sp_scale_reader *r, uint8_t lowest) {
  uint8_t tag;
  int rc = sp_scale_read_u8(r, &tag);
  if (rc) return rc;
  if (tag < lowest || tag > 2)
    return sp_chain_fail(r->err, SP_CHAIN_EMETADATA,
                         "unknown deprecation record %u", tag);
  if (tag == 2) {
    rc = skip_string(r);
    if (!rc) rc = skip_option_string(r);
  }
  return rc;
}

static int skip_item_deprecation(sp_scale_reader *r) {
  return skip_deprecation(r, 0);
}

static int skip_enum_deprecation(sp_scale_reader *r) {
  size_t n = 0;
  int rc = sp_scale_read_length(r, 2, &n); /* key u8 + variant tag */
  for (size_t i = 0; i < n && !rc; i++) {
    uint8_t key;
    rc = sp_scale_read_u8(r, &key);
    if (!rc) rc = skip_deprecation(r, 1);
  }
  return rc;
}

/* Option<{ty, deprecation}> of a V16 pallet's calls, event or error (V14
 * and V15: Option<ty>). */
static int read_pallet_enum(sp_scale_reader *r, int version, bool *some,
                            uint32_t *ty) {
  int rc = read_option_type(r, some, ty);
  if (!rc && *some && version >= 16) rc = skip_enum_deprecation(r);
  return rc;
}

static int read_entry(sp_scale_reader *r, sp_storage_entry *e, int version) {
  int rc = sp_scale_read_string(r, &e->name);
  if (rc) return rc;
  uint8_t modifier, kind;
  rc = sp_scale_read_u8(r, &modifier);
  if (rc) return rc;
  if (modifier > 1)
    return sp_chain_fail(r->err, SP_CHAIN_EMETADATA,
                         "storage %s: unknown modifier %u", e->name, modifier);
  e->optional = modifier == 0;
  rc = sp_scale_read_u8(r, &kind);
  if (rc) return rc;
  if (kind == 0) {
    rc = sp_scale_read_compact_u32(r, &e->value_type);
  } else if (kind == 1) {
    e->is_map = true;
    size_t n;
    rc = sp_scale_read_length(r, 1, &n);
    if (rc) return rc;
    e->hashers = calloc(n ? n : 1, sizeof *e->hashers);
    if (!e->hashers) return nomem(r);
    e->nhashers = n;
    for (size_t i = 0; i < n; i++) {
      uint8_t h;
      rc = sp_scale_read_u8(r, &h);
      if (rc) return rc;
      if (h > SP_HASHER_IDENTITY)
        return sp_chain_fail(r->err, SP_CHAIN_EMETADATA,
                             "storage %s: unknown hasher %u", e->name, h);
      e->hashers[i] = (sp_storage_hasher)h;
    }
    rc = sp_scale_read_compact_u32(r, &e->key_type);
    if (!rc) rc = sp_scale_read_compact_u32(r, &e->value_type);
  } else {
    return sp_chain_fail(r->err, SP_CHAIN_EMETADATA,
                         "storage %s: unknown entry kind %u", e->name, kind);
  }
  if (!rc) rc = copy_bytes(r, &e->default_bytes, &e->default_len);
  if (!rc) rc = sp_scale_read_strings(r, &e->docs, &e->ndocs);
  if (!rc && version >= 16) rc = skip_item_deprecation(r);
  return rc;
}

/* Vec<{name: String, ty}>: runtime API and view function parameters. */
static int skip_params(sp_scale_reader *r) {
  size_t n = 0;
  uint32_t ty;
  int rc = sp_scale_read_length(r, 2, &n);
  for (size_t i = 0; i < n && !rc; i++) {
    rc = skip_string(r);
    if (!rc) rc = sp_scale_read_compact_u32(r, &ty);
  }
  return rc;
}

/* A V16 pallet's associated types (Vec<{name, ty, docs}>) and view
 * functions (Vec<{id: [u8; 32], name, inputs, output: ty, docs,
 * deprecation}>), validated and dropped. */
static int skip_v16_pallet_extras(sp_scale_reader *r) {
  size_t n = 0;
  uint32_t ty;
  const uint8_t *id;
  int rc = sp_scale_read_length(r, 3, &n);
  for (size_t i = 0; i < n && !rc; i++) {
    rc = skip_string(r);
    if (!rc) rc = sp_scale_read_compact_u32(r, &ty);
    if (!rc) rc = skip_strings(r);
  }
  if (!rc) rc = sp_scale_read_length(r, 32 + 5, &n);
  for (size_t i = 0; i < n && !rc; i++) {
    rc = sp_scale_read_bytes(r, 32, &id);
    if (!rc) rc = skip_string(r);
    if (!rc) rc = skip_params(r);
    if (!rc) rc = sp_scale_read_compact_u32(r, &ty);
    if (!rc) rc = skip_strings(r);
    if (!rc) rc = skip_item_deprecation(r);
  }
  return rc;
}

static int read_pallet(sp_scale_reader *r, sp_pallet *p, int version) {
  int rc = sp_scale_read_string(r, &p->name);
  if (rc) return rc;
  bool some;
  rc = sp_scale_read_option(r, &some);
  if (rc) return rc;
  if (some) {
    rc = sp_scale_read_string(r, &p->storage_prefix);
    size_t n = 0;
    if (!rc) rc = sp_scale_read_length(r, 6, &n);
    if (rc) return rc;
    p->entries = calloc(n ? n : 1, sizeof *p->entries);
    if (!p->entries) return nomem(r);
    p->nentries = n;
    for (size_t i = 0; i < n; i++) {
      rc = read_entry(r, &p->entries[i], version);
      if (rc) return rc;
    }
  }
  rc = read_pallet_enum(r, version, &p->has_calls, &p->calls_type);
  if (!rc) rc = read_pallet_enum(r, version, &p->has_events, &p->events_type);
  if (rc) return rc;
  size_t nc;
  rc = sp_scale_read_length(r, 4, &nc);
  if (rc) return rc;
  p->constants = calloc(nc ? nc : 1, sizeof *p->constants);
  if (!p->constants) return nomem(r);
  p->nconstants = nc;
  for (size_t i = 0; i < nc && !rc; i++) {
    sp_constant *c = &p->constants[i];
    rc = sp_scale_read_string(r, &c->name);
    if (!rc) rc = sp_scale_read_compact_u32(r, &c->type);
    if (!rc) rc = copy_bytes(r, &c->value, &c->value_len);
    if (!rc) rc = skip_strings(r);
    if (!rc && version >= 16) rc = skip_item_deprecation(r);
  }
  if (!rc) rc = read_pallet_enum(r, version, &p->has_errors, &p->errors_type);
  if (!rc && version >= 16) rc = skip_v16_pallet_extras(r);
  if (!rc) rc = sp_scale_read_u8(r, &p->index);
  if (!rc && version >= 15) rc = skip_strings(r);
  if (!rc && version >= 16) rc = skip_item_deprecation(r);
  return rc;
}

static int read_extensions(sp_scale_reader *r, sp_metadata *md) {
  size_t n;
  int rc = sp_scale_read_length(r, 3, &n);
  if (rc) return rc;
  md->extensions = calloc(n ? n : 1, sizeof *md->extensions);
  if (!md->extensions) return nomem(r);
  md->nextensions = n;
  for (size_t i = 0; i < n && !rc; i++) {
    sp_signed_extension *x = &md->extensions[i];
    rc = sp_scale_read_string(r, &x->identifier);
    if (!rc) rc = sp_scale_read_compact_u32(r, &x->type);
    if (!rc) rc = sp_scale_read_compact_u32(r, &x->additional_type);
  }
  return rc;
}

/* V14 names the extrinsic's parts only as type parameters of the
 * UncheckedExtrinsic type (sp_runtime::generic::UncheckedExtrinsic<Address,
 * Call, Signature, Extra>; the finney spec-343 runtime calls the last one
 * "Extension"). */
static void v14_extrinsic_types(sp_metadata *md, uint32_t extrinsic_type) {
  const sp_type *t = sp_type_get(&md->registry, extrinsic_type);
  if (!t) return;
  int found = 0;
  for (size_t i = 0; i < t->nparams; i++) {
    const sp_type_param *p = &t->params[i];
    if (!p->has_type) continue;
    if (strcmp(p->name, "Address") == 0)
      md->address_type = p->type, found++;
    else if (strcmp(p->name, "Call") == 0)
      md->call_type = p->type, found++;
    else if (strcmp(p->name, "Signature") == 0)
      md->signature_type = p->type, found++;
    else if (strcmp(p->name, "Extra") == 0 ||
             strcmp(p->name, "Extension") == 0) /* renamed in polkadot-sdk */
      md->extra_type = p->type, found++;
  }
  md->has_extrinsic_types = found == 4;
}

/* The runtime APIs, outer enums and custom values of V15 and V16: read to
 * validate the layout and reach the end, not kept (no user needs them
 * yet). V16 adds a deprecation record to each API and method and a
 * Compact<u32> version to each API. */
static int skip_api_tail(sp_scale_reader *r, int version) {
  size_t napis = 0, n = 0; /* read by the loop tests even after a failure */
  uint32_t ty;
  int rc = sp_scale_read_length(r, 3, &napis);
  for (size_t a = 0; a < napis && !rc; a++) {
    rc = skip_string(r);
    if (!rc) rc = sp_scale_read_length(r, 4, &n);
    for (size_t m = 0; m < n && !rc; m++) {
      rc = skip_string(r);
      if (!rc) rc = skip_params(r);
      if (!rc) rc = sp_scale_read_compact_u32(r, &ty);
      if (!rc) rc = skip_strings(r);
      if (!rc && version >= 16) rc = skip_item_deprecation(r);
    }
    if (!rc) rc = skip_strings(r);
    if (!rc && version >= 16) rc = sp_scale_read_compact_u32(r, &ty);
    if (!rc && version >= 16) rc = skip_item_deprecation(r);
  }
  for (int i = 0; i < 3 && !rc; i++)
    rc = sp_scale_read_compact_u32(r, &ty);
  if (!rc) rc = sp_scale_read_length(r, 3, &n);
  for (size_t i = 0; i < n && !rc; i++) {
    const uint8_t *p;
    size_t len;
    rc = skip_string(r);
    if (!rc) rc = sp_scale_read_compact_u32(r, &ty);
    if (!rc) rc = sp_scale_read_byte_vec(r, &p, &len);
  }
  return rc;
}

/* The extrinsic format this client builds (chain/client/extrinsic.h). */
#define PREFERRED_EXTRINSIC_VERSION 4

/*
 * V16's extrinsic record: versions: Vec<u8>, address_ty, call_ty,
 * signature_ty, transaction_extensions_by_version: BTreeMap<u8,
 * Vec<Compact<u32>>>, transaction_extensions: Vec<{identifier, ty,
 * implicit}>. Kept: version 4 when offered (else the highest), and the
 * extensions of transaction-extension version 0 (the only one a version-4
 * extrinsic can carry) in that map's order; without an entry for 0, all
 * of them in their listed order.
 */
static int read_v16_extrinsic(sp_scale_reader *r, sp_metadata *md) {
  const uint8_t *versions;
  size_t nversions = 0;
  int rc = sp_scale_read_byte_vec(r, &versions, &nversions);
  if (rc) return rc;
  if (nversions == 0)
    return sp_chain_fail(r->err, SP_CHAIN_EMETADATA,
                         "the runtime lists no extrinsic version");
  md->extrinsic_version = 0;
  for (size_t i = 0; i < nversions; i++)
    if (versions[i] == PREFERRED_EXTRINSIC_VERSION ||
        (md->extrinsic_version != PREFERRED_EXTRINSIC_VERSION &&
         versions[i] > md->extrinsic_version))
      md->extrinsic_version = versions[i];
  rc = sp_scale_read_compact_u32(r, &md->address_type);
  if (!rc) rc = sp_scale_read_compact_u32(r, &md->call_type);
  if (!rc) rc = sp_scale_read_compact_u32(r, &md->signature_type);
  if (rc) return rc;
  size_t nmap = 0;
  uint32_t *order = NULL; /* the indices listed for version 0 */
  size_t norder = 0;
  bool have_order = false;
  rc = sp_scale_read_length(r, 2, &nmap);
  for (size_t i = 0; i < nmap && !rc; i++) {
    uint8_t key;
    size_t n = 0;
    rc = sp_scale_read_u8(r, &key);
    if (!rc) rc = sp_scale_read_length(r, 1, &n);
    if (!rc && key == 0 && have_order)
      rc = sp_chain_fail(r->err, SP_CHAIN_EMETADATA,
                         "transaction extension version 0 is listed twice");
    uint32_t *idx = NULL;
    if (!rc && key == 0) {
      idx = calloc(n ? n : 1, sizeof *idx);
      if (!idx) rc = nomem(r);
    }
    for (size_t k = 0; k < n && !rc; k++) {
      uint32_t v;
      rc = sp_scale_read_compact_u32(r, &v);
      if (idx) idx[k] = v;
    }
    if (idx && !rc) {
      order = idx, norder = n, have_order = true;
    } else {
      free(idx);
    }
  }
  if (!rc) rc = read_extensions(r, md);
  if (!rc && have_order) {
    /* Reorder (and select) by the version-0 list; an index out of range
     * or listed twice is refused. */
    sp_signed_extension *sel = calloc(norder ? norder : 1, sizeof *sel);
    bool *used = calloc(md->nextensions ? md->nextensions : 1, sizeof *used);
    if (!sel || !used) rc = nomem(r);
    for (size_t k = 0; k < norder && !rc; k++) {
      if (order[k] >= md->nextensions || used[order[k]])
        rc = sp_chain_fail(r->err, SP_CHAIN_EMETADATA,
                           "transaction extension index %u of version 0 is "
                           "out of range or repeated",
                           order[k]);
      else
        used[order[k]] = true, sel[k] = md->extensions[order[k]];
    }
    if (!rc) {
      for (size_t k = 0; k < md->nextensions; k++)
        if (!used[k]) free(md->extensions[k].identifier);
      free(md->extensions);
      md->extensions = sel;
      md->nextensions = norder;
      sel = NULL;
    }
    free(sel);
    free(used);
  }
  free(order);
  return rc;
}

static bool valid_type(const sp_metadata *md, uint32_t t) {
  return t < md->registry.ntypes;
}

/* Indices named outside the registry must exist too. */
static int check_indices(const sp_metadata *md, sp_chain_error *err) {
  for (size_t i = 0; i < md->npallets; i++) {
    const sp_pallet *p = &md->pallets[i];
    bool ok = (!p->has_calls || valid_type(md, p->calls_type)) &&
              (!p->has_events || valid_type(md, p->events_type)) &&
              (!p->has_errors || valid_type(md, p->errors_type));
    for (size_t e = 0; ok && e < p->nentries; e++) {
      const sp_storage_entry *en = &p->entries[e];
      ok = valid_type(md, en->value_type) &&
           (!en->is_map || valid_type(md, en->key_type));
      if (ok && en->is_map && en->nhashers > 1) {
        const sp_type *k = sp_type_get(&md->registry, en->key_type);
        ok = k->kind == SP_TYPE_TUPLE && k->ntuple == en->nhashers;
      }
    }
    for (size_t c = 0; ok && c < p->nconstants; c++)
      ok = valid_type(md, p->constants[c].type);
    if (ok && (p->has_calls || p->has_events || p->has_errors)) {
      const uint32_t tys[3] = {p->calls_type, p->events_type, p->errors_type};
      const bool has[3] = {p->has_calls, p->has_events, p->has_errors};
      for (int k = 0; k < 3; k++)
        if (has[k] &&
            sp_type_get(&md->registry, tys[k])->kind != SP_TYPE_VARIANT)
          ok = false;
    }
    if (!ok)
      return sp_chain_fail(err, SP_CHAIN_EMETADATA,
                           "pallet %s names a type that does not exist or "
                           "has the wrong shape",
                           p->name);
  }
  for (size_t i = 0; i < md->nextensions; i++)
    if (!valid_type(md, md->extensions[i].type) ||
        !valid_type(md, md->extensions[i].additional_type))
      return sp_chain_fail(err, SP_CHAIN_EMETADATA,
                           "signed extension %s names a type that does not "
                           "exist",
                           md->extensions[i].identifier);
  if (md->has_extrinsic_types &&
      !(valid_type(md, md->address_type) && valid_type(md, md->call_type) &&
        valid_type(md, md->signature_type) &&
        (md->version >= 16 || valid_type(md, md->extra_type))))
    return sp_chain_fail(err, SP_CHAIN_EMETADATA,
                         "the extrinsic record names a type that does not "
                         "exist");
  return 0;
}

static int parse_body(sp_scale_reader *r, sp_metadata *md) {
  int rc = sp_type_registry_parse(r, &md->registry);
  if (rc) return sp_chain_error_wrap(r->err, rc, "type registry");
  size_t n;
  rc = sp_scale_read_length(r, 8, &n);
  if (rc) return rc;
  md->pallets = calloc(n ? n : 1, sizeof *md->pallets);
  if (!md->pallets) return nomem(r);
  md->npallets = n;
  for (size_t i = 0; i < n; i++) {
    rc = read_pallet(r, &md->pallets[i], md->version);
    if (rc)
      return sp_chain_error_wrap(r->err, rc, "pallet %s",
                                 md->pallets[i].name ? md->pallets[i].name
                                                     : "?");
  }
  if (md->version == 14) {
    uint32_t ext_ty;
    rc = sp_scale_read_compact_u32(r, &ext_ty);
    if (!rc) rc = sp_scale_read_u8(r, &md->extrinsic_version);
    if (!rc) rc = read_extensions(r, md);
    if (!rc) rc = sp_scale_read_compact_u32(r, &md->runtime_type);
    if (!rc) v14_extrinsic_types(md, ext_ty);
  } else if (md->version == 15) {
    rc = sp_scale_read_u8(r, &md->extrinsic_version);
    if (!rc) rc = sp_scale_read_compact_u32(r, &md->address_type);
    if (!rc) rc = sp_scale_read_compact_u32(r, &md->call_type);
    if (!rc) rc = sp_scale_read_compact_u32(r, &md->signature_type);
    if (!rc) rc = sp_scale_read_compact_u32(r, &md->extra_type);
    if (!rc) rc = read_extensions(r, md);
    if (!rc) rc = sp_scale_read_compact_u32(r, &md->runtime_type);
    if (!rc) rc = skip_api_tail(r, 15);
    md->has_extrinsic_types = true;
  } else {
    /* V16 has no "extra" tuple type and no runtime type. */
    rc = read_v16_extrinsic(r, md);
    if (!rc) rc = skip_api_tail(r, 16);
    md->has_extrinsic_types = true;
  }
  if (rc) return sp_chain_error_wrap(r->err, rc, "extrinsic metadata");
  rc = sp_scale_expect_end(r, "the metadata");
  if (!rc) rc = check_indices(md, r->err);
  return rc;
}

int sp_metadata_parse(const uint8_t *bytes, size_t len, sp_metadata **out,
                      sp_chain_error *err) {
  *out = NULL;
  if (!bytes || len < 5)
    return sp_chain_fail(err, SP_CHAIN_EMETADATA,
                         "metadata of %zu bytes is too short", bytes ? len : 0);
  if (memcmp(bytes, META_MAGIC, 4) != 0)
    return sp_chain_fail(err, SP_CHAIN_EMETADATA,
                         "metadata does not start with the \"meta\" magic");
  if (bytes[4] < 14 || bytes[4] > 16)
    return sp_chain_fail(err, SP_CHAIN_EMETADATA,
                         "metadata version %u is not supported (14, 15 and "
                         "16 are)",
                         bytes[4]);
  sp_metadata *md = calloc(1, sizeof *md);
  if (!md) return sp_chain_fail(err, SP_CHAIN_ENOMEM, "out of memory");
  md->version = bytes[4];
  sp_scale_reader r;
  sp_scale_reader_init(&r, bytes + 5, len - 5, err);
  int rc = parse_body(&r, md);
  if (!rc) rc = sp_metadata_sanitize_text(md, err);
  if (rc) {
    sp_chain_error_wrap(err, rc, "metadata V%u", md->version);
    sp_metadata_free(md);
    return rc;
  }
  *out = md;
  return 0;
}

int sp_metadata_parse_versioned(const uint8_t *bytes, size_t len,
                                sp_metadata **out, sp_chain_error *err) {
  *out = NULL;
  sp_scale_reader r;
  sp_scale_reader_init(&r, bytes, len, err);
  bool some;
  const uint8_t *inner;
  size_t inner_len;
  int rc = sp_scale_read_option(&r, &some);
  if (rc) return sp_chain_error_wrap(err, rc, "versioned metadata");
  if (!some)
    return sp_chain_fail(err, SP_CHAIN_ENOTFOUND,
                         "the runtime does not offer this metadata version");
  rc = sp_scale_read_byte_vec(&r, &inner, &inner_len);
  if (!rc) rc = sp_scale_expect_end(&r, "the versioned metadata");
  if (rc) return sp_chain_error_wrap(err, rc, "versioned metadata");
  return sp_metadata_parse(inner, inner_len, out, err);
}

int sp_metadata_parse_hex(const char *hex, bool versioned, sp_metadata **out,
                          sp_chain_error *err) {
  *out = NULL;
  if (!hex) return sp_chain_fail(err, SP_CHAIN_EARG, "no metadata text");
  size_t cap = strlen(hex) / 2 + 1;
  uint8_t *bytes = malloc(cap);
  if (!bytes) return sp_chain_fail(err, SP_CHAIN_ENOMEM, "out of memory");
  size_t len;
  int rc = sp_hex_decode(hex, 0, bytes, cap, &len);
  if (rc) {
    free(bytes);
    return sp_chain_fail(err, SP_CHAIN_EMETADATA, "metadata hex: %s",
                         sp_strerror(rc));
  }
  rc = versioned ? sp_metadata_parse_versioned(bytes, len, out, err)
                 : sp_metadata_parse(bytes, len, out, err);
  free(bytes);
  return rc;
}

/* ------------------------------------------------------------ look-ups ---- */

const sp_pallet *sp_metadata_pallet(const sp_metadata *md, const char *name) {
  if (!md || !name) return NULL;
  for (size_t i = 0; i < md->npallets; i++)
    if (strcmp(md->pallets[i].name, name) == 0) return &md->pallets[i];
  return NULL;
}

const sp_pallet *sp_metadata_pallet_by_index(const sp_metadata *md,
                                             uint8_t index) {
  if (!md) return NULL;
  for (size_t i = 0; i < md->npallets; i++)
    if (md->pallets[i].index == index) return &md->pallets[i];
  return NULL;
}

/* A variant of one of a pallet's three enums (calls, events, errors). */
static int pallet_variant(const sp_metadata *md, const char *pallet,
                          const char *name, int which, const sp_pallet **p_out,
                          const sp_type_variant **out, sp_chain_error *err) {
  static const char *const what[3] = {"call", "event", "error"};
  const sp_pallet *p = sp_metadata_pallet(md, pallet);
  if (!p)
    return sp_chain_fail(err, SP_CHAIN_ENOTFOUND,
                         "the chain's metadata has no pallet %s",
                         pallet ? pallet : "(null)");
  bool has = which == 0   ? p->has_calls
             : which == 1 ? p->has_events
                          : p->has_errors;
  uint32_t ty = which == 0   ? p->calls_type
                : which == 1 ? p->events_type
                             : p->errors_type;
  const sp_type_variant *v =
      has ? sp_type_variant_by_name(sp_type_get(&md->registry, ty), name)
          : NULL;
  if (!v)
    return sp_chain_fail(err, SP_CHAIN_ENOTFOUND,
                         "the chain's metadata has no %s %s.%s", what[which],
                         pallet, name ? name : "(null)");
  if (p_out) *p_out = p;
  if (out) *out = v;
  return 0;
}

int sp_metadata_call(const sp_metadata *md, const char *pallet,
                     const char *call, const sp_pallet **pallet_out,
                     const sp_type_variant **call_out, sp_chain_error *err) {
  return pallet_variant(md, pallet, call, 0, pallet_out, call_out, err);
}

int sp_metadata_event(const sp_metadata *md, const char *pallet,
                      const char *event, const sp_type_variant **out,
                      sp_chain_error *err) {
  return pallet_variant(md, pallet, event, 1, NULL, out, err);
}

int sp_metadata_error(const sp_metadata *md, const char *pallet,
                      const char *error, const sp_type_variant **out,
                      sp_chain_error *err) {
  return pallet_variant(md, pallet, error, 2, NULL, out, err);
}

const sp_type_variant *sp_metadata_module_error(const sp_metadata *md,
                                                uint8_t pallet_index,
                                                uint8_t error_index,
                                                const sp_pallet **pallet_out) {
  const sp_pallet *p = sp_metadata_pallet_by_index(md, pallet_index);
  if (pallet_out) *pallet_out = p;
  if (!p || !p->has_errors) return NULL;
  return sp_type_variant_by_index(sp_type_get(&md->registry, p->errors_type),
                                  error_index);
}

int sp_metadata_storage(const sp_metadata *md, const char *pallet,
                        const char *entry, const sp_pallet **pallet_out,
                        const sp_storage_entry **entry_out,
                        sp_chain_error *err) {
  const sp_pallet *p = sp_metadata_pallet(md, pallet);
  if (!p)
    return sp_chain_fail(err, SP_CHAIN_ENOTFOUND,
                         "the chain's metadata has no pallet %s",
                         pallet ? pallet : "(null)");
  for (size_t i = 0; entry && i < p->nentries; i++)
    if (strcmp(p->entries[i].name, entry) == 0) {
      if (pallet_out) *pallet_out = p;
      if (entry_out) *entry_out = &p->entries[i];
      return 0;
    }
  return sp_chain_fail(err, SP_CHAIN_ENOTFOUND,
                       "the chain's metadata has no storage item %s.%s", pallet,
                       entry ? entry : "(null)");
}

const sp_constant *sp_metadata_constant(const sp_metadata *md,
                                        const char *pallet, const char *name) {
  const sp_pallet *p = sp_metadata_pallet(md, pallet);
  for (size_t i = 0; p && name && i < p->nconstants; i++)
    if (strcmp(p->constants[i].name, name) == 0) return &p->constants[i];
  return NULL;
}

const char *sp_storage_hasher_name(sp_storage_hasher h) {
  static const char *const names[] = {
      "Blake2_128", "Blake2_256",   "Blake2_128Concat", "Twox128",
      "Twox256",    "Twox64Concat", "Identity"};
  return (unsigned)h <= SP_HASHER_IDENTITY ? names[h] : "?";
}
