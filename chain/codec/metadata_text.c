/*
 * The text of parsed metadata (names, paths, docs) made safe to print, at
 * the boundary where it enters: a hostile node's event docs or error names
 * reached the terminal raw and their escape sequences cleared the screen.
 * See sp_metadata_sanitize_text in metadata.h.
 */
#include <stdlib.h>
#include <string.h>

#include "chain/codec/metadata.h"
#include "common/sanitize.h"

/* Replaces *s by its sanitized copy when it needs one. Returns 0 or
 * -SP_CHAIN_ENOMEM (recorded by sp_metadata_sanitize_text), as do the two
 * below. */
static int clean(char **s) {
  if (*s == NULL || sp_sanitize_is_clean(*s)) return 0;
  size_t cap = strlen(*s) * 4 + 4; /* an escape is at most 4 bytes a byte */
  char *c = malloc(cap);
  if (c == NULL) return -SP_CHAIN_ENOMEM;
  sp_sanitize(*s, c, cap);
  free(*s);
  *s = c;
  return 0;
}

static int clean_all(char **s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (clean(&s[i])) return -SP_CHAIN_ENOMEM;
  return 0;
}

static int clean_fields(sp_type_field *f, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (clean(&f[i].name) || clean(&f[i].type_name) ||
        clean_all(f[i].docs, f[i].ndocs))
      return -SP_CHAIN_ENOMEM;
  return 0;
}

int sp_metadata_sanitize_text(sp_metadata *md, sp_chain_error *err) {
  sp_type_registry *reg = &md->registry;
  for (size_t i = 0; i < reg->ntypes; i++) {
    sp_type *t = &reg->types[i];
    if (clean_all(t->path, t->npath) || clean_fields(t->fields, t->nfields))
      goto nomem;
    for (size_t k = 0; k < t->nparams; k++)
      if (clean(&t->params[k].name)) goto nomem;
    for (size_t k = 0; k < t->nvariants; k++) {
      sp_type_variant *v = &t->variants[k];
      if (clean(&v->name) || clean_fields(v->fields, v->nfields) ||
          clean_all(v->docs, v->ndocs))
        goto nomem;
    }
  }
  for (size_t i = 0; i < md->npallets; i++) {
    sp_pallet *p = &md->pallets[i];
    if (clean(&p->name) || clean(&p->storage_prefix)) goto nomem;
    for (size_t k = 0; k < p->nentries; k++)
      if (clean(&p->entries[k].name) ||
          clean_all(p->entries[k].docs, p->entries[k].ndocs))
        goto nomem;
    for (size_t k = 0; k < p->nconstants; k++)
      if (clean(&p->constants[k].name)) goto nomem;
  }
  for (size_t i = 0; i < md->nextensions; i++)
    if (clean(&md->extensions[i].identifier)) goto nomem;
  return 0;
nomem:
  return sp_chain_fail(err, SP_CHAIN_ENOMEM, "out of memory");
}
