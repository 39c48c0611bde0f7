/*
 * Runtime metadata V14, V15 and V16 (frame-metadata 15.x-23.x), parsed.
 *
 * The metadata is how a client learns, from the chain itself, the index of
 * every pallet and call, the arguments of calls, the layout of storage
 * values and events, the errors with their documentation, and the signed
 * extensions a transaction must carry. Nothing in chain/ hard-codes those:
 * it looks them up here by name.
 *
 * Accepted inputs:
 *   - the result of `state_getMetadata`: "meta" (6d 65 74 61), a version byte
 *     (14, 15 or 16), then RuntimeMetadataV14 / V15 / V16;
 *   - the result of `state_call("Metadata_metadata_at_version", v)`: SCALE
 *     Option<Vec<u8>> around the bytes above (sp_metadata_parse_versioned).
 * Everything is bounds-checked and every byte must be consumed; any other
 * version or trailing data is -SP_CHAIN_EMETADATA with a message.
 *
 * V14 layout read here (frame-metadata v14.rs): types: PortableRegistry,
 *   pallets: Vec<{name, storage: Option<{prefix, entries}>, calls:
 *   Option<ty>, event: Option<ty>, constants: Vec<{name, ty, value, docs}>,
 *   error: Option<ty>, index: u8}>, extrinsic: {ty, version: u8,
 *   signed_extensions: Vec<{identifier, ty, additional_signed}>}, ty.
 * V15 (v15.rs) adds pallet docs, an extrinsic with address/call/signature/
 *   extra types, runtime APIs, outer enums and custom values.
 * V16 (v16.rs; what Subtensor's own tooling records since 2025) adds
 *   deprecation records to pallets, storage entries, constants, calls,
 *   events, errors and runtime APIs, pallet associated types and view
 *   functions, and a versioned runtime API; its extrinsic record lists the
 *   extrinsic versions (e.g. [4, 5]), the address/call/signature types
 *   (no "extra" type) and the transaction extensions with, per extension
 *   version, which of them apply. Deprecations, associated types, view
 *   functions, APIs, outer enums and custom values are validated and
 *   dropped.
 */
#ifndef SUBPOW_CHAIN_CODEC_METADATA_H
#define SUBPOW_CHAIN_CODEC_METADATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chain/codec/chain_error.h"
#include "chain/codec/type_registry.h"

#ifdef __cplusplus
extern "C" {
#endif

/* frame-metadata's StorageHasher, in its index order. */
typedef enum sp_storage_hasher {
  SP_HASHER_BLAKE2_128 = 0,
  SP_HASHER_BLAKE2_256 = 1,
  SP_HASHER_BLAKE2_128_CONCAT = 2,
  SP_HASHER_TWOX128 = 3,
  SP_HASHER_TWOX256 = 4,
  SP_HASHER_TWOX64_CONCAT = 5,
  SP_HASHER_IDENTITY = 6,
} sp_storage_hasher;

typedef struct sp_storage_entry {
  char *name;
  bool optional; /* modifier Optional: absent means None, else the default */
  bool is_map;
  sp_storage_hasher *hashers; /* one per key part; none for a plain value */
  size_t nhashers;
  uint32_t key_type; /* is_map only: a tuple when there are several parts */
  uint32_t value_type;
  uint8_t *default_bytes; /* SCALE of the value when the key is absent */
  size_t default_len;
  char **docs;
  size_t ndocs;
} sp_storage_entry;

typedef struct sp_constant {
  char *name;
  uint32_t type;
  uint8_t *value;
  size_t value_len;
} sp_constant;

typedef struct sp_pallet {
  char *name;
  uint8_t index; /* the first byte of its calls, events and module errors */
  char *storage_prefix; /* NULL when the pallet has no storage */
  sp_storage_entry *entries;
  size_t nentries;
  bool has_calls, has_events, has_errors;
  uint32_t calls_type, events_type, errors_type; /* variant types */
  sp_constant *constants;
  size_t nconstants;
} sp_pallet;

typedef struct sp_signed_extension {
  char *identifier;         /* "CheckNonce", ... */
  uint32_t type;            /* encoded in the extrinsic ("extra") */
  uint32_t additional_type; /* only signed ("additional signed") */
} sp_signed_extension;

typedef struct sp_metadata {
  uint8_t version; /* 14, 15 or 16 */
  sp_type_registry registry;
  sp_pallet *pallets;
  size_t npallets;
  /* 4 for the runtimes this project targets. V16 lists several: 4 when
   * the runtime offers it, else the highest it lists. */
  uint8_t extrinsic_version;
  /* In the order the runtime checks them. V16: those of transaction
   * extension version 0 (the one a version-4 extrinsic carries), in the
   * order its transaction_extensions_by_version entry gives. */
  sp_signed_extension *extensions;
  size_t nextensions;
  /* The UncheckedExtrinsic's parameter types, from V15's extrinsic record
   * or (V14) from the extrinsic type's "Address", "Call", "Signature" and
   * "Extra" (or "Extension") type parameters. has_extrinsic_types is false when
   * a V14 runtime does not name them. V16 has no extra type (extra_type is
   * 0 there) and no runtime type (runtime_type 0). */
  bool has_extrinsic_types;
  uint32_t address_type, call_type, signature_type, extra_type;
  uint32_t runtime_type;
} sp_metadata;

/*
 * Parses "meta"-prefixed metadata bytes into a new sp_metadata (*out; free
 * it with sp_metadata_free). Returns 0, -SP_CHAIN_EMETADATA, -SP_CHAIN_ESCALE
 * or -SP_CHAIN_ENOMEM, with a message in `err`.
 */
int sp_metadata_parse(const uint8_t *bytes, size_t len, sp_metadata **out,
                      sp_chain_error *err);

/*
 * Escapes, in place, what a terminal could act on (common/sanitize.h) in
 * every name, path and doc string of `md`: the node's text, made safe at
 * the boundary. Clean text (all real runtimes' names) is left as it is.
 * sp_metadata_parse calls it. Returns 0, or -SP_CHAIN_ENOMEM with `err`
 * (may be NULL) filled.
 */
int sp_metadata_sanitize_text(sp_metadata *md, sp_chain_error *err);

/*
 * Parses the Option<Vec<u8>> result of Metadata_metadata_at_version: None is
 * -SP_CHAIN_ENOTFOUND ("the runtime does not offer this metadata version").
 */
int sp_metadata_parse_versioned(const uint8_t *bytes, size_t len,
                                sp_metadata **out, sp_chain_error *err);

/* Parses "0x"-hex text of either form above (versioned: true for the
 * Option<Vec<u8>> form). */
int sp_metadata_parse_hex(const char *hex, bool versioned, sp_metadata **out,
                          sp_chain_error *err);

void sp_metadata_free(sp_metadata *md);

/* The pallet with this name / index; NULL when there is none. */
const sp_pallet *sp_metadata_pallet(const sp_metadata *md, const char *name);
const sp_pallet *sp_metadata_pallet_by_index(const sp_metadata *md,
                                             uint8_t index);

/*
 * The call `call` of pallet `pallet` (its variant in the pallet's call
 * enum). Returns 0, or -SP_CHAIN_ENOTFOUND with a message naming what is
 * missing (the pallet, its calls, or the call). `pallet_out`/`call_out` may
 * be NULL.
 */
int sp_metadata_call(const sp_metadata *md, const char *pallet,
                     const char *call, const sp_pallet **pallet_out,
                     const sp_type_variant **call_out, sp_chain_error *err);

/* An event or module error variant by pallet name and variant name. */
int sp_metadata_event(const sp_metadata *md, const char *pallet,
                      const char *event, const sp_type_variant **out,
                      sp_chain_error *err);
int sp_metadata_error(const sp_metadata *md, const char *pallet,
                      const char *error, const sp_type_variant **out,
                      sp_chain_error *err);

/*
 * The module error a DispatchError::Module { index, error } names: the
 * pallet (by index) and the variant of its error enum (by error[0], the
 * byte Substrate uses since the error became [u8; 4]). NULL when unknown.
 */
const sp_type_variant *sp_metadata_module_error(const sp_metadata *md,
                                                uint8_t pallet_index,
                                                uint8_t error_index,
                                                const sp_pallet **pallet_out);

/* The storage entry `entry` of `pallet`; -SP_CHAIN_ENOTFOUND when absent. */
int sp_metadata_storage(const sp_metadata *md, const char *pallet,
                        const char *entry, const sp_pallet **pallet_out,
                        const sp_storage_entry **entry_out,
                        sp_chain_error *err);

/* A pallet constant by name; NULL when absent. */
const sp_constant *sp_metadata_constant(const sp_metadata *md,
                                        const char *pallet, const char *name);

/* The name of a storage hasher ("Blake2_128Concat"), or "?" . */
const char *sp_storage_hasher_name(sp_storage_hasher h);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_CHAIN_CODEC_METADATA_H */
