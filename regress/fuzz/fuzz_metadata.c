/*
 * Fuzz target: runtime metadata V14/V15/V16 parsing
 * (chain/codec/metadata.h).
 *
 * Byte 0 picks what is parsed:
 *   % 10 == 0  the rest, as "meta"-prefixed metadata
 *   % 10 == 1  the rest, as state_call's Option<Vec<u8>> around it
 *   % 10 == 2, 3, 4   the mock's V14, finney's V14 or finney's V15
 *             (versioned) metadata with patches applied: the rest is a list
 *             of 4-byte patches, a 3-byte little-endian offset (modulo the
 *             size) and the byte to store there
 *   % 10 == 5, 6, 7   the same three, cut at the offset of the first patch,
 *             then patched by the others
 *   % 10 == 8, 9      spec 381's V16 metadata, patched (8) or cut (9) the
 *             same way
 * so that small inputs reach deep into real metadata (finney's is 500 KB,
 * beyond what a fuzzer would build from scratch).
 * Properties:
 *   - an unpatched, uncut real metadata parses (modes 2-4 with no patch);
 *   - failures carry a metadata, SCALE, not-found or memory code and a
 *     one-line message; a cut metadata never parses;
 *   - what parses is consistent: every pallet, call, event, error, storage
 *     entry and constant is found again by its name and index, and every
 *     storage default and constant value decodes (or fails cleanly) with
 *     the parsed registry.
 */
#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "chain/codec/scale_type.h"
#include "regress/fuzz/fuzz_support.h"

static void check_value(const sp_metadata *md, uint32_t type,
                        const uint8_t *bytes, size_t len) {
  json_t *v = NULL;
  sp_chain_error err = {0};
  int rc = sp_scale_decode_type_all(&md->registry, type, bytes, len, &v, &err);
  if (rc != 0) fuzz_check_message(err.message, sizeof err.message);
  json_decref(v);
}

static void check_variants(const sp_metadata *md, const sp_pallet *p,
                           uint32_t type, int which) {
  const sp_type *t = sp_type_get(&md->registry, type);
  FUZZ_CHECK(t != NULL && t->kind == SP_TYPE_VARIANT,
             "pallet %s: enum type %u is not an enum", p->name, type);
  for (size_t i = 0; i < t->nvariants; i++) {
    const sp_type_variant *v = &t->variants[i];
    const sp_type_variant *found = NULL;
    int rc =
        which == 0 ? sp_metadata_call(md, p->name, v->name, NULL, &found, NULL)
        : which == 1 ? sp_metadata_event(md, p->name, v->name, &found, NULL)
                     : sp_metadata_error(md, p->name, v->name, &found, NULL);
    FUZZ_CHECK(rc == 0 && found != NULL && strcmp(found->name, v->name) == 0,
               "%s.%s not found by name", p->name, v->name);
    FUZZ_CHECK(sp_type_variant_by_index(t, v->index) == v,
               "%s.%s not found by its index %u", p->name, v->name, v->index);
    if (which == 2) {
      const sp_pallet *owner = NULL;
      FUZZ_CHECK(sp_metadata_module_error(md, p->index, v->index, &owner) ==
                         v &&
                     owner == p,
                 "module error %u/%u", p->index, v->index);
    }
  }
}

static void check_consistent(const sp_metadata *md) {
  FUZZ_CHECK(md->version >= 14 && md->version <= 16, "version %u", md->version);
  for (size_t i = 0; i < md->npallets; i++) {
    const sp_pallet *p = &md->pallets[i];
    const sp_pallet *by_name = sp_metadata_pallet(md, p->name);
    FUZZ_CHECK(by_name != NULL && strcmp(by_name->name, p->name) == 0,
               "pallet %s not found by name", p->name);
    const sp_pallet *by_index = sp_metadata_pallet_by_index(md, p->index);
    FUZZ_CHECK(by_index != NULL && by_index->index == p->index,
               "pallet index %u", p->index);
    /* Look-ups by name see the first of two pallets with one name, and by
     * index the first of two with one index: check only those. */
    if (by_name == p && by_index == p) {
      if (p->has_calls) check_variants(md, p, p->calls_type, 0);
      if (p->has_events) check_variants(md, p, p->events_type, 1);
      if (p->has_errors) check_variants(md, p, p->errors_type, 2);
    }
    for (size_t e = 0; e < p->nentries; e++) {
      const sp_storage_entry *en = &p->entries[e];
      const sp_storage_entry *found = NULL;
      if (by_name == p) {
        FUZZ_CHECK(sp_metadata_storage(md, p->name, en->name, NULL, &found,
                                       NULL) == 0 &&
                       strcmp(found->name, en->name) == 0,
                   "storage %s.%s", p->name, en->name);
      }
      check_value(md, en->value_type, en->default_bytes, en->default_len);
    }
    for (size_t c = 0; c < p->nconstants; c++) {
      const sp_constant *k = &p->constants[c];
      if (by_name == p)
        FUZZ_CHECK(sp_metadata_constant(md, p->name, k->name) != NULL,
                   "constant %s.%s", p->name, k->name);
      check_value(md, k->type, k->value, k->value_len);
    }
  }
  for (size_t i = 0; i < md->nextensions; i++)
    FUZZ_CHECK(md->extensions[i].type < md->registry.ntypes &&
                   md->extensions[i].additional_type < md->registry.ntypes,
               "extension %s", md->extensions[i].identifier);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  int mode = data[0] % 10;
  const uint8_t *rest = data + 1;
  size_t rest_len = size - 1;
  uint8_t *copy = NULL;
  const uint8_t *bytes = rest;
  size_t len = rest_len;
  bool versioned = mode == 1, pristine = false, cut = false;
  if (mode >= 2) {
    /* 0 mock, 1 finney V14, 2 finney V15, 3 spec 381's V16 */
    int base = mode >= 8 ? 3 : (mode - 2) % 3;
    bool cutting = mode >= 8 ? mode == 9 : mode >= 5;
    const uint8_t *src;
    size_t src_len = 0;
    if (base == 0)
      src = fuzz_mock_bytes(&src_len);
    else if (base == 3)
      src = fuzz_modern_bytes(&src_len);
    else
      src = fuzz_finney_bytes(base == 1 ? 14 : 15, &src_len);
    if (src == NULL) return 0; /* no fixtures here */
    versioned = base == 2;
    copy = malloc(src_len);
    if (copy == NULL) return 0;
    memcpy(copy, src, src_len);
    len = src_len;
    size_t npatch = rest_len / 4, first = 0;
    if (cutting && npatch > 0) {
      len = (size_t)(rest[0] | rest[1] << 8 | rest[2] << 16) % len;
      first = 1; /* that patch was the cut */
      /* Every field is length-prefixed, so no strict prefix of a valid
       * metadata parses; patches might make one that does. */
      cut = npatch == 1;
    }
    for (size_t i = first; i < npatch && len > 0; i++) {
      const uint8_t *pt = rest + 4 * i;
      copy[(size_t)(pt[0] | pt[1] << 8 | pt[2] << 16) % len] = pt[3];
    }
    pristine = npatch == 0;
    bytes = copy;
  }

  sp_metadata *md = NULL;
  sp_chain_error err = {0};
  int rc = versioned ? sp_metadata_parse_versioned(bytes, len, &md, &err)
                     : sp_metadata_parse(bytes, len, &md, &err);
  if (pristine)
    FUZZ_CHECK(rc == 0, "unpatched metadata (mode %d) fails: %s", mode,
               err.message);
  if (rc == 0) {
    FUZZ_CHECK(md != NULL, "no metadata");
    FUZZ_CHECK(!cut, "metadata cut at %zu parses", len);
    check_consistent(md);
    sp_metadata_free(md);
  } else {
    FUZZ_CHECK(md == NULL, "a failed parse returned metadata");
    FUZZ_CHECK(rc == -SP_CHAIN_EMETADATA || rc == -SP_CHAIN_ESCALE ||
                   rc == -SP_CHAIN_ENOTFOUND || rc == -SP_CHAIN_ENOMEM,
               "rc %d: %s", rc, err.message);
    fuzz_check_message(err.message, sizeof err.message);
  }
  free(copy);
  return 0;
}
