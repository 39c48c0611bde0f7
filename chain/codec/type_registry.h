/*
 * The portable type registry of Substrate metadata (scale-info 2.x,
 * `PortableRegistry`), as parsed from metadata V14 and V15.
 *
 * Every type of the runtime that appears in metadata (call arguments, events,
 * storage values, signed extensions) is an entry of this registry, named by
 * its index. The SCALE bytes of a value follow from its type definition
 * alone, which is what chain/codec/scale_type.h does with it.
 *
 * Layout of one registry entry in metadata (scale-info PortableType):
 *   id: Compact<u32>, path: Vec<String>, params: Vec<(String,
 * Option<Compact<u32>>)>, def: enum { 0 Composite(Vec<Field>), 1
 * Variant(Vec<Variant>), 2 Sequence(Compact<u32>), 3 Array(u32 len,
 * Compact<u32>), 4 Tuple(Vec<Compact<u32>>), 5 Primitive(u8), 6
 * Compact(Compact<u32>), 7 BitSequence(Compact<u32> store, Compact<u32> order)
 * }, docs: Vec<String> Field   = name: Option<String>, ty: Compact<u32>,
 * type_name: Option<String>, docs Variant = name: String, fields: Vec<Field>,
 * index: u8, docs: Vec<String>
 */
#ifndef SUBPOW_CHAIN_CODEC_TYPE_REGISTRY_H
#define SUBPOW_CHAIN_CODEC_TYPE_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chain/codec/scale.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sp_type_kind {
  SP_TYPE_COMPOSITE = 0,
  SP_TYPE_VARIANT = 1,
  SP_TYPE_SEQUENCE = 2,
  SP_TYPE_ARRAY = 3,
  SP_TYPE_TUPLE = 4,
  SP_TYPE_PRIMITIVE = 5,
  SP_TYPE_COMPACT = 6,
  SP_TYPE_BIT_SEQUENCE = 7,
} sp_type_kind;

/* scale-info's TypeDefPrimitive, in its index order. */
typedef enum sp_primitive {
  SP_PRIM_BOOL = 0,
  SP_PRIM_CHAR = 1,
  SP_PRIM_STR = 2,
  SP_PRIM_U8 = 3,
  SP_PRIM_U16 = 4,
  SP_PRIM_U32 = 5,
  SP_PRIM_U64 = 6,
  SP_PRIM_U128 = 7,
  SP_PRIM_U256 = 8,
  SP_PRIM_I8 = 9,
  SP_PRIM_I16 = 10,
  SP_PRIM_I32 = 11,
  SP_PRIM_I64 = 12,
  SP_PRIM_I128 = 13,
  SP_PRIM_I256 = 14,
} sp_primitive;

typedef struct sp_type_field {
  char *name;      /* NULL for an unnamed (tuple-struct) field */
  uint32_t type;   /* registry index */
  char *type_name; /* the Rust spelling ("T::AccountId"), or NULL */
  char **docs;
  size_t ndocs;
} sp_type_field;

typedef struct sp_type_variant {
  char *name;
  uint8_t index; /* the SCALE enum byte, not the position in the list */
  sp_type_field *fields;
  size_t nfields;
  char **docs;
  size_t ndocs;
} sp_type_variant;

typedef struct sp_type_param {
  char *name;
  bool has_type;
  uint32_t type;
} sp_type_param;

typedef struct sp_type {
  char **path; /* e.g. {"sp_runtime", "generic", "era", "Era"} */
  size_t npath;
  sp_type_param *params;
  size_t nparams;
  sp_type_kind kind;
  /* SP_TYPE_COMPOSITE */
  sp_type_field *fields;
  size_t nfields;
  /* SP_TYPE_VARIANT */
  sp_type_variant *variants;
  size_t nvariants;
  /* SP_TYPE_SEQUENCE, SP_TYPE_ARRAY, SP_TYPE_COMPACT: the item type */
  uint32_t item;
  uint32_t array_len; /* SP_TYPE_ARRAY */
  /* SP_TYPE_TUPLE */
  uint32_t *tuple;
  size_t ntuple;
  sp_primitive primitive;        /* SP_TYPE_PRIMITIVE */
  uint32_t bit_store, bit_order; /* SP_TYPE_BIT_SEQUENCE */
} sp_type;

typedef struct sp_type_registry {
  sp_type *types; /* types[i] is registry index i */
  size_t ntypes;
  /* min_size[i]: the fewest bytes a value of type i encodes to (see
   * sp_type_min_size); computed by sp_type_registry_parse */
  uint64_t *min_size;
} sp_type_registry;

/* What a primitive is in SCALE: its encoded size in bytes (0 for str: a
 * Compact length, then UTF-8 bytes), whether it is an integer (little-endian)
 * and whether a signed one. char is a Unicode scalar value encoded as a u32:
 * 4 bytes, not an integer. An index outside the enum: all zero. The one
 * table the codec (scale_type.c) and the sizes (type_min_size.c) read. */
typedef struct sp_primitive_info {
  uint8_t size;
  bool integer;
  bool is_signed;
} sp_primitive_info;

sp_primitive_info sp_primitive_describe(sp_primitive p);

/* Frees `n` fields and their names and docs (the parser's and the
 * registry's). */
void sp_type_fields_free(sp_type_field *f, size_t n);

/* The size of a type that has no finite value (struct A { a: A }). */
#define SP_TYPE_SIZE_INFINITE UINT64_MAX

/*
 * Parses a PortableRegistry (Vec<PortableType>) at the reader's position.
 * Ids must be 0, 1, 2, ... in order (scale-info emits them so; anything else
 * is refused), and every type index named inside must exist. On error the
 * registry is left empty. Returns 0 or -SP_CHAIN_ESCALE / -SP_CHAIN_EMETADATA
 * / -SP_CHAIN_ENOMEM.
 */
int sp_type_registry_parse(sp_scale_reader *r, sp_type_registry *reg);

/* Frees everything the registry owns (safe on a zeroed registry). */
void sp_type_registry_free(sp_type_registry *reg);

/* The type at `index`, or NULL when out of range. */
const sp_type *sp_type_get(const sp_type_registry *reg, uint32_t index);

/* The variant of a SP_TYPE_VARIANT type with this name / enum index. */
const sp_type_variant *sp_type_variant_by_name(const sp_type *t,
                                               const char *name);
const sp_type_variant *sp_type_variant_by_index(const sp_type *t,
                                                uint8_t index);

/* The last path segment ("Era" for sp_runtime::generic::era::Era), or "". */
const char *sp_type_name(const sp_type *t);

/*
 * Computes reg->min_size for every type, in O(E log E) for E type
 * references and without recursion (chain/codec/type_min_size.c says how);
 * sp_type_registry_parse calls it. Returns 0, or -SP_CHAIN_ENOMEM with
 * `err` (may be NULL) filled.
 */
int sp_type_registry_size_types(sp_type_registry *reg, sp_chain_error *err);

/*
 * The fewest bytes a value of the type encodes to: fields summed, an array
 * its length times its item's, an enum 1 + its smallest variant; 1 for
 * sequences, strings, bit sequences and compacts (Compact<()>: 0), the
 * width for other primitives; saturating at SP_TYPE_SIZE_INFINITE, which is
 * also the size of a type with no finite value (a cycle without a way out),
 * of an index out of range and of a registry without sizes. O(1).
 */
uint64_t sp_type_min_size(const sp_type_registry *reg, uint32_t index);

/*
 * True when every value of the type encodes to zero bytes
 * (sp_type_min_size is 0): a composite or tuple whose fields are all empty
 * (so also a field-less struct and the unit tuple), an array of length 0 or
 * of empty items, Compact<()>. O(1): hostile nesting cannot make it slow.
 */
bool sp_type_is_empty(const sp_type_registry *reg, uint32_t index);

/*
 * Follows single-field composites and 1-tuples down to the type that
 * carries the bytes (e.g. AccountId32 -> [u8; 32], CheckNonce -> Compact<u32>)
 * and returns its index.
 */
uint32_t sp_type_unwrap(const sp_type_registry *reg, uint32_t index);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_CHAIN_CODEC_TYPE_REGISTRY_H */
