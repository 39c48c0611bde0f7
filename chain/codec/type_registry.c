/* The portable type registry: freeing, queries and the primitives (see
 * type_registry.h; parsing is type_registry_parse.c). */
#include "chain/codec/type_registry.h"

#include <stdlib.h>
#include <string.h>

void sp_type_fields_free(sp_type_field *f, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(f[i].name);
    free(f[i].type_name);
    sp_scale_free_strings(f[i].docs, f[i].ndocs);
  }
  free(f);
}

static void free_type(sp_type *t) {
  sp_scale_free_strings(t->path, t->npath);
  for (size_t i = 0; i < t->nparams; i++)
    free(t->params[i].name);
  free(t->params);
  sp_type_fields_free(t->fields, t->nfields);
  for (size_t i = 0; i < t->nvariants; i++) {
    free(t->variants[i].name);
    sp_type_fields_free(t->variants[i].fields, t->variants[i].nfields);
    sp_scale_free_strings(t->variants[i].docs, t->variants[i].ndocs);
  }
  free(t->variants);
  free(t->tuple);
  memset(t, 0, sizeof *t);
}

void sp_type_registry_free(sp_type_registry *reg) {
  if (!reg) return;
  for (size_t i = 0; i < reg->ntypes; i++)
    free_type(&reg->types[i]);
  free(reg->types);
  reg->types = NULL;
  reg->ntypes = 0;
  free(reg->min_size);
  reg->min_size = NULL;
}

const sp_type *sp_type_get(const sp_type_registry *reg, uint32_t index) {
  return reg && index < reg->ntypes ? &reg->types[index] : NULL;
}

const sp_type_variant *sp_type_variant_by_name(const sp_type *t,
                                               const char *name) {
  if (!t || t->kind != SP_TYPE_VARIANT || !name) return NULL;
  for (size_t i = 0; i < t->nvariants; i++)
    if (strcmp(t->variants[i].name, name) == 0) return &t->variants[i];
  return NULL;
}

const sp_type_variant *sp_type_variant_by_index(const sp_type *t,
                                                uint8_t index) {
  if (!t || t->kind != SP_TYPE_VARIANT) return NULL;
  for (size_t i = 0; i < t->nvariants; i++)
    if (t->variants[i].index == index) return &t->variants[i];
  return NULL;
}

const char *sp_type_name(const sp_type *t) {
  return t && t->npath ? t->path[t->npath - 1] : "";
}

uint32_t sp_type_unwrap(const sp_type_registry *reg, uint32_t index) {
  for (int depth = 0; depth < 32; depth++) {
    const sp_type *t = sp_type_get(reg, index);
    if (t && t->kind == SP_TYPE_COMPOSITE && t->nfields == 1)
      index = t->fields[0].type;
    else if (t && t->kind == SP_TYPE_TUPLE && t->ntuple == 1)
      index = t->tuple[0];
    else
      break;
  }
  return index;
}

/* scale-info's TypeDefPrimitive as SCALE encodes it (parity-scale-codec):
 * integers little-endian in their width, bool one byte, char a Unicode
 * scalar value as a u32, str a Compact length and the bytes. */
static const sp_primitive_info primitives[] = {
    [SP_PRIM_BOOL] = {1, false, false}, [SP_PRIM_CHAR] = {4, false, false},
    [SP_PRIM_STR] = {0, false, false},  [SP_PRIM_U8] = {1, true, false},
    [SP_PRIM_U16] = {2, true, false},   [SP_PRIM_U32] = {4, true, false},
    [SP_PRIM_U64] = {8, true, false},   [SP_PRIM_U128] = {16, true, false},
    [SP_PRIM_U256] = {32, true, false}, [SP_PRIM_I8] = {1, true, true},
    [SP_PRIM_I16] = {2, true, true},    [SP_PRIM_I32] = {4, true, true},
    [SP_PRIM_I64] = {8, true, true},    [SP_PRIM_I128] = {16, true, true},
    [SP_PRIM_I256] = {32, true, true},
};

sp_primitive_info sp_primitive_describe(sp_primitive p) {
  if ((unsigned)p >= sizeof primitives / sizeof primitives[0])
    return (sp_primitive_info){0, false, false};
  return primitives[p];
}
