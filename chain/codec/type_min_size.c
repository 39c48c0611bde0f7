/*
 * The fewest bytes a value of each registry type encodes to, computed once
 * per registry (see sp_type_min_size in type_registry.h).
 *
 * Why: sp_type_is_empty recursed without a memo and doubled per level of
 * nested tuples (30 s at depth 30), and decoders could not tell how many
 * items of a type fit in the bytes left. The sizes obey
 *   composite, tuple   sum of the fields' sizes
 *   array [T; n]       n * size(T)            (0 for n = 0)
 *   enum               1 + min over variants of the sum of its fields
 *   sequence, str, BitVec, compact   1        (a Compact length or value;
 *                                             Compact<()> is 0)
 *   primitives         their width
 * with cycles allowed (an enum can contain itself through another variant).
 * That is the least solution of a system of "superior" functions, the
 * shortest-derivation problem of a context-free grammar; Knuth's
 * generalization of Dijkstra's algorithm (D. E. Knuth, "A generalization of
 * Dijkstra's algorithm", Information Processing Letters 6(1), 1977) solves
 * it in O(E log E) for E references, whatever the registry's shape: no
 * recursion, so no depth limit and no stack to exhaust. A type that has no
 * finite value (struct A { a: A }) gets SP_TYPE_SIZE_INFINITE.
 */
#include <stdlib.h>
#include <string.h>

#include "chain/codec/type_registry.h"

#define INF SP_TYPE_SIZE_INFINITE

static uint64_t add_sat(uint64_t a, uint64_t b) {
  return a > INF - b ? INF : a + b;
}

static uint64_t mul_sat(uint64_t a, uint64_t b) {
  if (a == 0 || b == 0) return 0;
  return a > INF / b ? INF : a * b;
}

/* One way to build a value of `owner`: base + mult * (sum of the children's
 * sizes), known once every child's size is. */
typedef struct rule {
  uint32_t owner;
  uint64_t acc;   /* base plus what the resolved children added */
  uint64_t mult;  /* 1, or an array's length */
  size_t pending; /* children not yet resolved */
} rule;

typedef struct entry {
  uint64_t size;
  uint32_t type;
} entry;

typedef struct heap {
  entry *e;
  size_t n, cap;
} heap;

/* Returns 0 or -SP_CHAIN_ENOMEM (sp_type_registry_size_types records it). */
static int heap_push(heap *h, uint64_t size, uint32_t type) {
  if (h->n == h->cap) {
    size_t cap = h->cap ? 2 * h->cap : 64;
    entry *e = realloc(h->e, cap * sizeof *e);
    if (!e) return -SP_CHAIN_ENOMEM;
    h->e = e;
    h->cap = cap;
  }
  size_t i = h->n++;
  while (i > 0 && h->e[(i - 1) / 2].size > size) {
    h->e[i] = h->e[(i - 1) / 2];
    i = (i - 1) / 2;
  }
  h->e[i] = (entry){size, type};
  return 0;
}

static entry heap_pop(heap *h) {
  entry top = h->e[0], last = h->e[--h->n];
  size_t i = 0;
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= h->n) break;
    if (c + 1 < h->n && h->e[c + 1].size < h->e[c].size) c++;
    if (h->e[c].size >= last.size) break;
    h->e[i] = h->e[c];
    i = c;
  }
  if (h->n) h->e[i] = last;
  return top;
}

/* How many rules type t has: one per enum variant, one for a composite,
 * a tuple or a non-empty array, none for the leaves. */
static size_t count_rules(const sp_type *t) {
  switch (t->kind) {
  case SP_TYPE_COMPOSITE:
  case SP_TYPE_TUPLE: return 1;
  case SP_TYPE_ARRAY: return t->array_len ? 1 : 0;
  case SP_TYPE_VARIANT: return t->nvariants;
  default: return 0;
  }
}

/* The size of a type without children (primitives, sequences, compacts,
 * bit sequences, [T; 0]); INF for those that have rules instead. */
static uint64_t leaf_size(const sp_type_registry *reg, const sp_type *t) {
  switch (t->kind) {
  case SP_TYPE_PRIMITIVE: {
    uint8_t size = sp_primitive_describe(t->primitive).size;
    return size ? size : 1; /* str: its Compact length */
  }
  case SP_TYPE_COMPACT: {
    const sp_type *it = sp_type_get(reg, sp_type_unwrap(reg, t->item));
    return it && it->kind == SP_TYPE_TUPLE && it->ntuple == 0 ? 0 : 1;
  }
  case SP_TYPE_SEQUENCE:
  case SP_TYPE_BIT_SEQUENCE: return 1;
  case SP_TYPE_ARRAY: return t->array_len == 0 ? 0 : INF;
  default: return INF;
  }
}

int sp_type_registry_size_types(sp_type_registry *reg, sp_chain_error *err) {
  free(reg->min_size);
  reg->min_size = NULL;
  size_t n = reg->ntypes;
  if (n == 0) return 0;
  uint64_t *size = malloc(n * sizeof *size);
  bool *done = calloc(n, sizeof *done);
  size_t *rule_at = calloc(n + 1, sizeof *rule_at); /* first rule of type i */
  size_t *edge_at = calloc(n + 1, sizeof *edge_at); /* first edge of child i */
  rule *rules = NULL;
  size_t *edges = NULL; /* for each child occurrence: the rule using it */
  heap h = {0};
  int rc = -SP_CHAIN_ENOMEM; /* until the sizes are known */
  if (!size || !done || !rule_at || !edge_at) goto out;

  /* Count rules and, per child, its occurrences (CSR layout). */
  size_t nrules = 0, nedges = 0;
  for (size_t i = 0; i < n; i++) {
    const sp_type *t = &reg->types[i];
    rule_at[i] = nrules;
    nrules += count_rules(t);
  }
  rule_at[n] = nrules;
  rules = calloc(nrules ? nrules : 1, sizeof *rules);
  if (!rules) goto out;
#define FOR_CHILDREN(t, body)                                                  \
  do {                                                                         \
    size_t r_ = 0;                                                             \
    if ((t)->kind == SP_TYPE_COMPOSITE)                                        \
      for (size_t k = 0; k < (t)->nfields; k++) {                              \
        uint32_t child = (t)->fields[k].type;                                  \
        body;                                                                  \
      }                                                                        \
    else if ((t)->kind == SP_TYPE_TUPLE)                                       \
      for (size_t k = 0; k < (t)->ntuple; k++) {                               \
        uint32_t child = (t)->tuple[k];                                        \
        body;                                                                  \
      }                                                                        \
    else if ((t)->kind == SP_TYPE_ARRAY && (t)->array_len) {                   \
      uint32_t child = (t)->item;                                              \
      body;                                                                    \
    } else if ((t)->kind == SP_TYPE_VARIANT)                                   \
      for (r_ = 0; r_ < (t)->nvariants; r_++)                                  \
        for (size_t k = 0; k < (t)->variants[r_].nfields; k++) {               \
          uint32_t child = (t)->variants[r_].fields[k].type;                   \
          body;                                                                \
        }                                                                      \
    (void)r_;                                                                  \
  } while (0)
  for (size_t i = 0; i < n; i++) {
    const sp_type *t = &reg->types[i];
    for (size_t k = 0; k < count_rules(t); k++) {
      rule *ru = &rules[rule_at[i] + k];
      ru->owner = (uint32_t)i;
      ru->acc = t->kind == SP_TYPE_VARIANT ? 1 : 0;
      ru->mult = t->kind == SP_TYPE_ARRAY ? t->array_len : 1;
    }
    FOR_CHILDREN(t, {
      if (child < n) {
        edge_at[child]++;
        nedges++;
      }
    });
  }
  /* prefix sums: edge_at[c] becomes the end of child c's slice, filled
   * backwards below so that it ends at its start */
  for (size_t c = 0, sum = 0; c <= n; c++) {
    sum += edge_at[c];
    edge_at[c] = sum;
  }
  edges = malloc((nedges ? nedges : 1) * sizeof *edges);
  if (!edges) goto out;
  for (size_t i = 0; i < n; i++) {
    const sp_type *t = &reg->types[i];
    FOR_CHILDREN(t, {
      if (child < n) {
        size_t ri = rule_at[i] + (t->kind == SP_TYPE_VARIANT ? r_ : 0);
        edges[--edge_at[child]] = ri;
        rules[ri].pending++;
      }
    });
  }
#undef FOR_CHILDREN

  /* Seeds: leaves, and rules without children (a field-less struct, the
   * unit tuple, a field-less variant). */
  for (size_t i = 0; i < n; i++) {
    size[i] = INF;
    uint64_t leaf = leaf_size(reg, &reg->types[i]);
    if (leaf != INF && heap_push(&h, leaf, (uint32_t)i)) goto out;
  }
  for (size_t ri = 0; ri < nrules; ri++)
    if (rules[ri].pending == 0 && heap_push(&h, rules[ri].acc, rules[ri].owner))
      goto out;
  /* Every pop is the smallest size still possible for its type: final. */
  while (h.n) {
    entry e = heap_pop(&h);
    if (done[e.type]) continue;
    done[e.type] = true;
    size[e.type] = e.size;
    for (size_t k = edge_at[e.type]; k < edge_at[e.type + 1]; k++) {
      rule *ru = &rules[edges[k]];
      ru->acc = add_sat(ru->acc, mul_sat(ru->mult, e.size));
      if (--ru->pending == 0 && !done[ru->owner] &&
          heap_push(&h, ru->acc, ru->owner))
        goto out;
    }
  }
  reg->min_size = size;
  size = NULL;
  rc = 0;
out:
  free(size);
  free(done);
  free(rule_at);
  free(edge_at);
  free(rules);
  free(edges);
  free(h.e);
  if (rc) return sp_chain_fail(err, SP_CHAIN_ENOMEM, "out of memory");
  return 0;
}

uint64_t sp_type_min_size(const sp_type_registry *reg, uint32_t index) {
  if (!reg || index >= reg->ntypes || !reg->min_size) return INF;
  return reg->min_size[index];
}

bool sp_type_is_empty(const sp_type_registry *reg, uint32_t index) {
  return sp_type_min_size(reg, index) == 0;
}
