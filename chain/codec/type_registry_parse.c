/* Parsing the portable type registry (see type_registry.h). */
#include "chain/codec/type_registry.h"

#include <stdlib.h>
#include <string.h>

static int nomem(sp_scale_reader *r) {
  return sp_chain_fail(r->err, SP_CHAIN_ENOMEM, "out of memory");
}

static int read_option_string(sp_scale_reader *r, char **out) {
  bool some;
  int rc = sp_scale_read_option(r, &some);
  if (rc || !some) {
    *out = NULL;
    return rc;
  }
  return sp_scale_read_string(r, out);
}

/* Vec<Field>; a field takes at least 4 bytes (tag, id, tag, docs length). */
static int read_fields(sp_scale_reader *r, sp_type_field **out, size_t *n) {
  size_t count;
  int rc = sp_scale_read_length(r, 4, &count);
  if (rc) return rc;
  sp_type_field *f = count ? calloc(count, sizeof *f) : NULL;
  if (count && !f) return nomem(r);
  for (size_t i = 0; i < count; i++) {
    rc = read_option_string(r, &f[i].name);
    if (!rc) rc = sp_scale_read_compact_u32(r, &f[i].type);
    if (!rc) rc = read_option_string(r, &f[i].type_name);
    if (!rc) rc = sp_scale_read_strings(r, &f[i].docs, &f[i].ndocs);
    if (rc) {
      sp_type_fields_free(f, i + 1);
      return rc;
    }
  }
  *out = f;
  *n = count;
  return 0;
}

static int read_variants(sp_scale_reader *r, sp_type *t) {
  size_t count;
  int rc = sp_scale_read_length(r, 4, &count);
  if (rc) return rc;
  t->variants = count ? calloc(count, sizeof *t->variants) : NULL;
  if (count && !t->variants) return nomem(r);
  t->nvariants = count;
  for (size_t i = 0; i < count; i++) {
    sp_type_variant *v = &t->variants[i];
    rc = sp_scale_read_string(r, &v->name);
    if (!rc) rc = read_fields(r, &v->fields, &v->nfields);
    if (!rc) rc = sp_scale_read_u8(r, &v->index);
    if (!rc) rc = sp_scale_read_strings(r, &v->docs, &v->ndocs);
    if (rc) return rc;
    for (size_t k = 0; k < i; k++)
      if (t->variants[k].index == v->index)
        return sp_chain_fail(r->err, SP_CHAIN_EMETADATA,
                             "variant index %u appears twice in one enum",
                             v->index);
  }
  return 0;
}

static int read_type(sp_scale_reader *r, sp_type *t) {
  int rc = sp_scale_read_strings(r, &t->path, &t->npath);
  if (rc) return rc;
  size_t np;
  rc = sp_scale_read_length(r, 2, &np);
  if (rc) return rc;
  t->params = np ? calloc(np, sizeof *t->params) : NULL;
  if (np && !t->params) return nomem(r);
  t->nparams = np;
  for (size_t i = 0; i < np; i++) {
    rc = sp_scale_read_string(r, &t->params[i].name);
    if (!rc) rc = sp_scale_read_option(r, &t->params[i].has_type);
    if (!rc && t->params[i].has_type)
      rc = sp_scale_read_compact_u32(r, &t->params[i].type);
    if (rc) return rc;
  }
  uint8_t def;
  rc = sp_scale_read_u8(r, &def);
  if (rc) return rc;
  switch (def) {
  case SP_TYPE_COMPOSITE: rc = read_fields(r, &t->fields, &t->nfields); break;
  case SP_TYPE_VARIANT: rc = read_variants(r, t); break;
  case SP_TYPE_SEQUENCE:
  case SP_TYPE_COMPACT: rc = sp_scale_read_compact_u32(r, &t->item); break;
  case SP_TYPE_ARRAY:
    rc = sp_scale_read_u32(r, &t->array_len);
    if (!rc) rc = sp_scale_read_compact_u32(r, &t->item);
    break;
  case SP_TYPE_TUPLE: {
    size_t n;
    rc = sp_scale_read_length(r, 1, &n);
    if (rc) break;
    t->tuple = n ? calloc(n, sizeof *t->tuple) : NULL;
    if (n && !t->tuple) return nomem(r);
    t->ntuple = n;
    for (size_t i = 0; i < n && !rc; i++)
      rc = sp_scale_read_compact_u32(r, &t->tuple[i]);
    break;
  }
  case SP_TYPE_PRIMITIVE: {
    uint8_t p;
    rc = sp_scale_read_u8(r, &p);
    if (rc) break;
    if (p > SP_PRIM_I256)
      return sp_chain_fail(r->err, SP_CHAIN_EMETADATA,
                           "unknown primitive type %u", p);
    t->primitive = (sp_primitive)p;
    break;
  }
  case SP_TYPE_BIT_SEQUENCE:
    rc = sp_scale_read_compact_u32(r, &t->bit_store);
    if (!rc) rc = sp_scale_read_compact_u32(r, &t->bit_order);
    break;
  default:
    return sp_chain_fail(r->err, SP_CHAIN_EMETADATA,
                         "unknown type definition kind %u", def);
  }
  if (rc) return rc;
  t->kind = (sp_type_kind)def;
  char **docs = NULL;
  size_t ndocs = 0;
  rc = sp_scale_read_strings(r, &docs, &ndocs);
  sp_scale_free_strings(docs, ndocs); /* type docs are not needed by any user */
  return rc;
}

static bool in_range(const sp_type_registry *reg, uint32_t i) {
  return i < reg->ntypes;
}

/* Every index a type names must exist, so that later walks need no check. */
static int check_references(const sp_type_registry *reg, sp_chain_error *err) {
  for (size_t i = 0; i < reg->ntypes; i++) {
    const sp_type *t = &reg->types[i];
    bool ok = true;
    for (size_t k = 0; k < t->nparams; k++)
      if (t->params[k].has_type && !in_range(reg, t->params[k].type))
        ok = false;
    for (size_t k = 0; k < t->nfields; k++)
      if (!in_range(reg, t->fields[k].type)) ok = false;
    for (size_t v = 0; v < t->nvariants; v++)
      for (size_t k = 0; k < t->variants[v].nfields; k++)
        if (!in_range(reg, t->variants[v].fields[k].type)) ok = false;
    for (size_t k = 0; k < t->ntuple; k++)
      if (!in_range(reg, t->tuple[k])) ok = false;
    if ((t->kind == SP_TYPE_SEQUENCE || t->kind == SP_TYPE_ARRAY ||
         t->kind == SP_TYPE_COMPACT) &&
        !in_range(reg, t->item))
      ok = false;
    if (t->kind == SP_TYPE_BIT_SEQUENCE &&
        (!in_range(reg, t->bit_store) || !in_range(reg, t->bit_order)))
      ok = false;
    if (!ok)
      return sp_chain_fail(err, SP_CHAIN_EMETADATA,
                           "type %zu refers to a type index that does not "
                           "exist (registry has %zu types)",
                           i, reg->ntypes);
  }
  return 0;
}

int sp_type_registry_parse(sp_scale_reader *r, sp_type_registry *reg) {
  memset(reg, 0, sizeof *reg);
  size_t count;
  int rc = sp_scale_read_length(r, 5, &count);
  if (rc) return rc;
  reg->types = count ? calloc(count, sizeof *reg->types) : NULL;
  if (count && !reg->types) return nomem(r);
  reg->ntypes = count;
  for (size_t i = 0; i < count && !rc; i++) {
    uint32_t id;
    rc = sp_scale_read_compact_u32(r, &id);
    if (!rc && id != i)
      rc = sp_chain_fail(r->err, SP_CHAIN_EMETADATA,
                         "type registry entry %zu has id %u (ids must be "
                         "0, 1, 2, ... in order)",
                         i, id);
    if (!rc) rc = read_type(r, &reg->types[i]);
  }
  if (!rc) rc = check_references(reg, r->err);
  if (!rc) rc = sp_type_registry_size_types(reg, r->err);
  if (rc) sp_type_registry_free(reg);
  return rc;
}
