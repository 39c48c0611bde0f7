/*
 * The mock node's V14 metadata, written type by type. Layout of V14 (crate
 * frame-metadata 15, scale-info 2): a portable type registry, the pallets,
 * the extrinsic description and the runtime type. Shapes of the types follow
 * the real Subtensor runtime (spec 343) as read from
 * SUBPOW_SHARED_DIR/fixtures/finney/metadata_v14.hex.
 */
#include "chain/mock/mock_metadata.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain/codec/scale.h"
#include "common/runtime_era.h"

/* scale-info TypeDef and TypeDefPrimitive tags. */
enum {
  DEF_COMPOSITE,
  DEF_VARIANT,
  DEF_SEQUENCE,
  DEF_ARRAY,
  DEF_TUPLE,
  DEF_PRIMITIVE,
  DEF_COMPACT
};
enum {
  PRIM_BOOL = 0,
  PRIM_STR = 2,
  PRIM_U8 = 3,
  PRIM_U16 = 4,
  PRIM_U32 = 5,
  PRIM_U64 = 6,
  PRIM_U128 = 7
};
/* frame-metadata StorageHasher tags. */
enum { H_BLAKE2_128CONCAT = 2, H_TWOX64CONCAT = 5, H_IDENTITY = 6 };

typedef struct builder {
  sp_scale_writer types;
  uint32_t n;
  bool modern;         /* the modern profile (mock_metadata.h) */
  bool register_limit; /* ... with SubtensorModule.register_limit */
} builder;

typedef struct field {
  const char *name; /* NULL: unnamed */
  uint32_t ty;
  const char *type_name;
} field;

/* A type parameter (scale-info TypeParameter: name, Option<type id>). */
typedef struct type_param {
  const char *name;
  uint32_t ty;
} type_param;

/* Writes a type's header (id, path, type parameters) and returns its id;
 * the caller appends the TypeDef and then end_type(). Parameters matter to
 * clients that read them (polkadot.js takes Option's T, EventRecord's E and
 * MultiAddress's AccountId from them), so generic types carry them as real
 * metadata does. */
static uint32_t begin_type_params(builder *b, const char *path,
                                  const type_param *params, size_t n_params) {
  uint32_t id = b->n++;
  sp_scale_put_compact(&b->types, id);
  /* path: segments separated by "::" */
  size_t segments = 0;
  if (path != NULL) {
    segments = 1;
    for (const char *p = path; (p = strstr(p, "::")) != NULL; p += 2)
      segments++;
  }
  sp_scale_put_compact(&b->types, segments);
  for (const char *p = path; p != NULL && segments > 0; segments--) {
    const char *end = strstr(p, "::");
    size_t n = end ? (size_t)(end - p) : strlen(p);
    sp_scale_put_compact(&b->types, n);
    sp_scale_put_bytes(&b->types, p, n);
    p = end ? end + 2 : NULL;
  }
  sp_scale_put_compact(&b->types, n_params);
  for (size_t i = 0; i < n_params; i++) {
    sp_scale_put_string(&b->types, params[i].name);
    sp_scale_put_u8(&b->types, 1); /* Some(type) */
    sp_scale_put_compact(&b->types, params[i].ty);
  }
  return id;
}

static uint32_t begin_type(builder *b, const char *path) {
  return begin_type_params(b, path, NULL, 0);
}

static void end_type(builder *b) {
  sp_scale_put_compact(&b->types, 0); /* docs */
}

static void put_option_string(sp_scale_writer *w, const char *s) {
  if (s == NULL) {
    sp_scale_put_u8(w, 0);
  } else {
    sp_scale_put_u8(w, 1);
    sp_scale_put_string(w, s);
  }
}

static void put_fields(builder *b, const field *f, size_t n) {
  sp_scale_put_compact(&b->types, n);
  for (size_t i = 0; i < n; i++) {
    put_option_string(&b->types, f[i].name);
    sp_scale_put_compact(&b->types, f[i].ty);
    put_option_string(&b->types, f[i].type_name);
    sp_scale_put_compact(&b->types, 0); /* docs */
  }
}

static uint32_t primitive(builder *b, int prim) {
  uint32_t id = begin_type(b, NULL);
  sp_scale_put_u8(&b->types, DEF_PRIMITIVE);
  sp_scale_put_u8(&b->types, (uint8_t)prim);
  end_type(b);
  return id;
}

static uint32_t generic_composite(builder *b, const char *path,
                                  const type_param *p, size_t np,
                                  const field *f, size_t n) {
  uint32_t id = begin_type_params(b, path, p, np);
  sp_scale_put_u8(&b->types, DEF_COMPOSITE);
  put_fields(b, f, n);
  end_type(b);
  return id;
}

static uint32_t composite(builder *b, const char *path, const field *f,
                          size_t n) {
  return generic_composite(b, path, NULL, 0, f, n);
}

static uint32_t sequence(builder *b, uint32_t of) {
  uint32_t id = begin_type(b, NULL);
  sp_scale_put_u8(&b->types, DEF_SEQUENCE);
  sp_scale_put_compact(&b->types, of);
  end_type(b);
  return id;
}

static uint32_t array(builder *b, uint32_t len, uint32_t of) {
  uint32_t id = begin_type(b, NULL);
  sp_scale_put_u8(&b->types, DEF_ARRAY);
  sp_scale_put_u32(&b->types, len);
  sp_scale_put_compact(&b->types, of);
  end_type(b);
  return id;
}

static uint32_t tuple(builder *b, const uint32_t *of, size_t n) {
  uint32_t id = begin_type(b, NULL);
  sp_scale_put_u8(&b->types, DEF_TUPLE);
  sp_scale_put_compact(&b->types, n);
  for (size_t i = 0; i < n; i++)
    sp_scale_put_compact(&b->types, of[i]);
  end_type(b);
  return id;
}

static uint32_t compact(builder *b, uint32_t of) {
  uint32_t id = begin_type(b, NULL);
  sp_scale_put_u8(&b->types, DEF_COMPACT);
  sp_scale_put_compact(&b->types, of);
  end_type(b);
  return id;
}

/* A variant of an enum under construction. */
typedef struct variant {
  const char *name;
  uint8_t index;
  const field *fields;
  size_t n_fields;
  const char *doc;
} variant;

static uint32_t generic_enumeration(builder *b, const char *path,
                                    const type_param *p, size_t np,
                                    const variant *v, size_t n) {
  uint32_t id = begin_type_params(b, path, p, np);
  sp_scale_put_u8(&b->types, DEF_VARIANT);
  sp_scale_put_compact(&b->types, n);
  for (size_t i = 0; i < n; i++) {
    sp_scale_put_string(&b->types, v[i].name);
    put_fields(b, v[i].fields, v[i].n_fields);
    sp_scale_put_u8(&b->types, v[i].index);
    if (v[i].doc != NULL) {
      sp_scale_put_compact(&b->types, 1);
      sp_scale_put_string(&b->types, v[i].doc);
    } else {
      sp_scale_put_compact(&b->types, 0);
    }
  }
  end_type(b);
  return id;
}

static uint32_t enumeration(builder *b, const char *path, const variant *v,
                            size_t n) {
  return generic_enumeration(b, path, NULL, 0, v, n);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The ids of the types the pallets refer to. */
typedef struct ids {
  uint32_t u8, u16, u32, u64, u128, boolean, str, unit;
  uint32_t bytes, a32, a4, a64, a65, account, h256, vec_h256;
  uint32_t compact_u32, compact_u64;
  uint32_t account_info, event_records, runtime_call, runtime_event;
  uint32_t system_call, balances_call, subtensor_call;
  uint32_t system_event, subtensor_event, system_error, subtensor_error;
  uint32_t multi_address, multi_signature, era, uids_key, uid_pair, u64f64;
  uint32_t ext_empty[6], ext_spec, ext_tx, ext_genesis, ext_mortality,
      ext_nonce, ext_payment, ext_metadata_hash, option_a32, unchecked;
} ids;

/* The primitives, byte arrays, AccountId32 and H256, and the tuples of
 * storage keys. */
static void build_primitives(builder *b, ids *t) {
  t->boolean = primitive(b, PRIM_BOOL);
  t->u8 = primitive(b, PRIM_U8);
  t->u16 = primitive(b, PRIM_U16);
  t->u32 = primitive(b, PRIM_U32);
  t->u64 = primitive(b, PRIM_U64);
  t->u128 = primitive(b, PRIM_U128);
  t->str = primitive(b, PRIM_STR);
  t->unit = tuple(b, NULL, 0);
  t->bytes = sequence(b, t->u8);
  t->a32 = array(b, 32, t->u8);
  t->a4 = array(b, 4, t->u8);
  t->a64 = array(b, 64, t->u8);
  t->a65 = array(b, 65, t->u8);
  t->compact_u32 = compact(b, t->u32);
  t->compact_u64 = compact(b, t->u64);
  t->account = composite(b, "sp_core::crypto::AccountId32",
                         (field[]){{NULL, t->a32, "[u8; 32]"}}, 1);
  t->h256 = composite(b, "primitive_types::H256",
                      (field[]){{NULL, t->a32, "[u8; 32]"}}, 1);
  t->vec_h256 = sequence(b, t->h256);
  uint32_t pair[2] = {t->u16, t->account};
  t->uids_key = tuple(b, pair, 2);
  uint32_t two_u16[2] = {t->u16, t->u16};
  t->uid_pair = tuple(b, two_u16, 2);
  /* U64F64 (substrate_fixed FixedU128<U64>): the bits as a u128, 64
   * fractional. */
  t->u64f64 = composite(b, "substrate_fixed::FixedU128",
                        (field[]){{"bits", t->u128, "u128"}}, 1);
}

/* System.Account's AccountInfo. */
static void build_account(builder *b, ids *t) {
  /* System.Account: AccountInfo<u32, AccountData<u64>> (Balance is u64). */
  field data_fields[] = {{"free", t->u64, "Balance"},
                         {"reserved", t->u64, "Balance"},
                         {"frozen", t->u64, "Balance"},
                         {"flags", t->u128, "ExtraFlags"}};
  uint32_t account_data = composite(b, "pallet_balances::types::AccountData",
                                    data_fields, N(data_fields));
  field info_fields[] = {{"nonce", t->u32, "Nonce"},
                         {"consumers", t->u32, "RefCount"},
                         {"providers", t->u32, "RefCount"},
                         {"sufficients", t->u32, "RefCount"},
                         {"data", account_data, "AccountData"}};
  t->account_info =
      composite(b, "frame_system::AccountInfo", info_fields, N(info_fields));
}

/* The events and the errors: DispatchError and DispatchInfo, the pallets'
 * events, RuntimeEvent, the Vec<EventRecord> of System.Events and the
 * pallets' errors, written as one table (event_types below) that
 * build_events_and_errors walks in the order of their ids. A field names
 * its type by slot: one of the types built before the table, or a type of
 * the table written above it. */
enum slot {
  S_U8,
  S_U16,
  S_U32,
  S_U64,
  S_A4,
  S_COMPACT_U64,
  S_ACCOUNT,
  S_H256,
  S_VEC_H256,
  S_MODULE_ERROR,
  S_DISPATCH_ERROR,
  S_WEIGHT,
  S_DISPATCH_CLASS,
  S_PAYS,
  S_DISPATCH_INFO,
  S_SYSTEM_EVENT,
  S_SUBTENSOR_EVENT,
  S_RUNTIME_EVENT,
  S_PHASE,
  S_EVENT_RECORD,
  S_EVENT_RECORDS,
  S_SYSTEM_ERROR,
  S_SUBTENSOR_ERROR,
  N_SLOTS
};

/* The profiles a variant is part of (mock_metadata.h). */
enum { ALL_PROFILES, POW_PROFILES, MODERN_PROFILE };

/* A field (or a type parameter: no type_name) whose type is a slot. */
typedef struct slot_field {
  const char *name; /* NULL: unnamed */
  enum slot ty;
  const char *type_name;
} slot_field;

/* A variant whose fields' types are slots; of every profile unless
 * `profiles` says otherwise. */
typedef struct slot_variant {
  const char *name;
  uint8_t index;
  size_t n_fields;
  slot_field fields[3];
  const char *doc; /* NULL: none */
  int profiles;
} slot_variant;

/* One type of the table: a composite (fields, type parameters), an enum
 * (variants) or a sequence (of fields[0].ty). */
typedef struct slot_type {
  int def; /* DEF_COMPOSITE, DEF_VARIANT or DEF_SEQUENCE */
  enum slot slot;
  const char *path;
  size_t n_fields;
  slot_field fields[3];
  size_t n_params;
  slot_field params[2];
  const slot_variant *variants;
  size_t n_variants;
} slot_type;

static const slot_variant dispatch_error_v[] = {
    {.name = "Other", .index = 0},
    {.name = "CannotLookup", .index = 1},
    {.name = "BadOrigin", .index = 2},
    {.name = "Module",
     .index = 3,
     .n_fields = 1,
     .fields = {{NULL, S_MODULE_ERROR, "ModuleError"}}},
    {.name = "ConsumerRemaining", .index = 4},
    {.name = "NoProviders", .index = 5},
    {.name = "TooManyConsumers", .index = 6},
};
static const slot_variant class_v[] = {
    {.name = "Normal", .index = 0},
    {.name = "Operational", .index = 1},
    {.name = "Mandatory", .index = 2},
};
static const slot_variant pays_v[] = {
    {.name = "Yes", .index = 0},
    {.name = "No", .index = 1},
};
static const slot_variant system_event_v[] = {
    {.name = "ExtrinsicSuccess",
     .index = 0,
     .n_fields = 1,
     .fields = {{"dispatch_info", S_DISPATCH_INFO, "DispatchInfo"}},
     .doc = "An extrinsic completed successfully."},
    {.name = "ExtrinsicFailed",
     .index = 1,
     .n_fields = 2,
     .fields = {{"dispatch_error", S_DISPATCH_ERROR, "DispatchError"},
                {"dispatch_info", S_DISPATCH_INFO, "DispatchInfo"}},
     .doc = "An extrinsic failed."},
};
static const slot_variant subtensor_event_v[] = {
    {.name = "NeuronRegistered",
     .index = SP_MOCK_EVENT_NEURON_REGISTERED,
     .n_fields = 3,
     .fields = {{NULL, S_U16, "NetUid"},
                {NULL, S_U16, "u16"},
                {NULL, S_ACCOUNT, "T::AccountId"}},
     .doc = "a neuron was registered: (netuid, uid, hotkey)."},
    {.name = "Faucet",
     .index = SP_MOCK_EVENT_FAUCET,
     .n_fields = 2,
     .fields = {{NULL, S_ACCOUNT, "T::AccountId"}, {NULL, S_U64, "u64"}},
     .doc = "the faucet paid an account: (coldkey, amount in rao)."},
};
static const slot_variant runtime_event_v[] = {
    {.name = "System",
     .index = SP_MOCK_PALLET_SYSTEM,
     .n_fields = 1,
     .fields = {{NULL, S_SYSTEM_EVENT, NULL}}},
    {.name = "SubtensorModule",
     .index = SP_MOCK_PALLET_SUBTENSOR,
     .n_fields = 1,
     .fields = {{NULL, S_SUBTENSOR_EVENT, NULL}}},
};
static const slot_variant phase_v[] = {
    {.name = "ApplyExtrinsic",
     .index = 0,
     .n_fields = 1,
     .fields = {{NULL, S_U32, "u32"}}},
    {.name = "Finalization", .index = 1},
    {.name = "Initialization", .index = 2},
};
static const slot_variant system_error_v[] = {
    {.name = "InvalidSpecName",
     .index = 0,
     .doc = "The name of specification does not match."},
};
/* Indices: mock_metadata.h (spec 343, or 381 for the modern profile). */
static const slot_variant subtensor_error_v[] = {
    {.name = "NonAssociatedColdKey",
     .index = 7,
     .doc = "The hotkey is owned by another coldkey."},
    {.name = "NotEnoughBalanceToStake",
     .index = 12,
     .doc = "The coldkey's balance does not cover the cost."},
    {.name = "TooManyRegistrationsThisBlock",
     .index = 20,
     .doc = "Too many registrations in this block."},
    {.name = "HotKeyAlreadyRegisteredInSubNet",
     .index = 21,
     .doc = "The hotkey is already registered in this subnet."},
    {.name = "InvalidWorkBlock",
     .index = 23,
     .doc = "The block number of the work is in the future or too old."},
    {.name = "InvalidDifficulty",
     .index = 24,
     .doc = "The work does not meet the subnet's difficulty."},
    {.name = "InvalidSeal",
     .index = 25,
     .doc = "The seal does not match the block, nonce and hotkey."},
    {.name = "SubNetRegistrationDisabled",
     .index = 36,
     .doc = "Registration is disabled on this subnet."},
    {.name = "TooManyRegistrationsThisInterval",
     .index = 37,
     .doc = "Too many registrations in this interval."},
    {.name = "TransactorAccountShouldBeHotKey",
     .index = 38,
     .doc = "The signer of a registration must be the hotkey."},
    {.name = "FaucetDisabled",
     .index = 39,
     .doc = "The faucet is disabled on this chain."},
    {.name = "RegistrationNotPermittedOnRootSubnet",
     .index = 41,
     .doc = "Registration is not permitted on the root subnet."},
    {.name = "NoNeuronIdAvailable",
     .index = 47,
     .doc = "No uid is free or prunable on this subnet."},
    {.name = "SubnetNotExists",
     .index = 73,
     .doc = "The subnet does not exist.",
     .profiles = POW_PROFILES},
    {.name = "SubnetNotExists",
     .index = 75,
     .doc = "The subnet does not exist.",
     .profiles = MODERN_PROFILE},
    {.name = "RegistrationPriceLimitExceeded",
     .index = 134,
     .doc = "The registration price exceeds the limit price.",
     .profiles = MODERN_PROFILE},
};

/* The most variants one list of the table has: the size of the loop's
 * buffers (build_events_and_errors). A new list goes in the check too. */
#define MAX_VARIANTS 16
_Static_assert(N(dispatch_error_v) <= MAX_VARIANTS &&
                   N(class_v) <= MAX_VARIANTS && N(pays_v) <= MAX_VARIANTS &&
                   N(system_event_v) <= MAX_VARIANTS &&
                   N(subtensor_event_v) <= MAX_VARIANTS &&
                   N(runtime_event_v) <= MAX_VARIANTS &&
                   N(phase_v) <= MAX_VARIANTS &&
                   N(system_error_v) <= MAX_VARIANTS &&
                   N(subtensor_error_v) <= MAX_VARIANTS,
               "a variant list of the table is longer than MAX_VARIANTS");

#define ENUM_TYPE(s, p, v)                                                     \
  {                                                                            \
    .def = DEF_VARIANT, .slot = s, .path = p, .variants = v,                   \
    .n_variants = N(v)                                                         \
  }

static const slot_type event_types[] = {
    {.def = DEF_COMPOSITE,
     .slot = S_MODULE_ERROR,
     .path = "sp_runtime::ModuleError",
     .n_fields = 2,
     .fields = {{"index", S_U8, "u8"}, {"error", S_A4, "[u8; 4]"}}},
    ENUM_TYPE(S_DISPATCH_ERROR, "sp_runtime::DispatchError", dispatch_error_v),
    {.def = DEF_COMPOSITE,
     .slot = S_WEIGHT,
     .path = "sp_weights::weight_v2::Weight",
     .n_fields = 2,
     .fields = {{"ref_time", S_COMPACT_U64, "u64"},
                {"proof_size", S_COMPACT_U64, "u64"}}},
    ENUM_TYPE(S_DISPATCH_CLASS, "frame_support::dispatch::DispatchClass",
              class_v),
    ENUM_TYPE(S_PAYS, "frame_support::dispatch::Pays", pays_v),
    {.def = DEF_COMPOSITE,
     .slot = S_DISPATCH_INFO,
     .path = "frame_support::dispatch::DispatchInfo",
     .n_fields = 3,
     .fields = {{"weight", S_WEIGHT, "Weight"},
                {"class", S_DISPATCH_CLASS, "DispatchClass"},
                {"pays_fee", S_PAYS, "Pays"}}},
    ENUM_TYPE(S_SYSTEM_EVENT, "frame_system::pallet::Event", system_event_v),
    ENUM_TYPE(S_SUBTENSOR_EVENT, "pallet_subtensor::pallet::Event",
              subtensor_event_v),
    ENUM_TYPE(S_RUNTIME_EVENT, "node_subtensor_runtime::RuntimeEvent",
              runtime_event_v),
    ENUM_TYPE(S_PHASE, "frame_system::Phase", phase_v),
    {.def = DEF_COMPOSITE,
     .slot = S_EVENT_RECORD,
     .path = "frame_system::EventRecord",
     .n_fields = 3,
     .fields = {{"phase", S_PHASE, "Phase"},
                {"event", S_RUNTIME_EVENT, "E"},
                {"topics", S_VEC_H256, "Vec<T>"}},
     .n_params = 2,
     .params = {{"E", S_RUNTIME_EVENT, NULL}, {"T", S_H256, NULL}}},
    /* System.Events: Vec<EventRecord> */
    {.def = DEF_SEQUENCE,
     .slot = S_EVENT_RECORDS,
     .n_fields = 1,
     .fields = {{NULL, S_EVENT_RECORD, NULL}}},
    ENUM_TYPE(S_SYSTEM_ERROR, "frame_system::pallet::Error", system_error_v),
    ENUM_TYPE(S_SUBTENSOR_ERROR, "pallet_subtensor::pallet::Error",
              subtensor_error_v),
};

/* Whether a variant of these profiles is part of the builder's. */
static bool in_profile(const builder *b, int profiles) {
  return profiles == ALL_PROFILES ||
         profiles == (b->modern ? MODERN_PROFILE : POW_PROFILES);
}

/* Resolves `n` fields of the table into `out`. */
static void resolve_fields(const uint32_t *slots, const slot_field *in,
                           size_t n, field *out) {
  for (size_t i = 0; i < n; i++)
    out[i] = (field){in[i].name, slots[in[i].ty], in[i].type_name};
}

/* Writes the table's types and keeps the ids the pallets refer to. */
static void build_events_and_errors(builder *b, ids *t) {
  uint32_t slots[N_SLOTS] = {
      [S_U8] = t->u8,
      [S_U16] = t->u16,
      [S_U32] = t->u32,
      [S_U64] = t->u64,
      [S_A4] = t->a4,
      [S_COMPACT_U64] = t->compact_u64,
      [S_ACCOUNT] = t->account,
      [S_H256] = t->h256,
      [S_VEC_H256] = t->vec_h256,
  };
  for (size_t i = 0; i < N(event_types); i++) {
    const slot_type *d = &event_types[i];
    if (d->def == DEF_SEQUENCE) {
      slots[d->slot] = sequence(b, slots[d->fields[0].ty]);
    } else if (d->def == DEF_COMPOSITE) {
      field f[3];
      resolve_fields(slots, d->fields, d->n_fields, f);
      type_param p[2];
      for (size_t k = 0; k < d->n_params; k++)
        p[k] = (type_param){d->params[k].name, slots[d->params[k].ty]};
      slots[d->slot] =
          generic_composite(b, d->path, p, d->n_params, f, d->n_fields);
    } else {
      variant v[MAX_VARIANTS];
      field f[MAX_VARIANTS][3];
      size_t n = 0;
      for (size_t k = 0; k < d->n_variants; k++) {
        const slot_variant *sv = &d->variants[k];
        if (!in_profile(b, sv->profiles)) continue;
        resolve_fields(slots, sv->fields, sv->n_fields, f[n]);
        v[n] = (variant){sv->name, sv->index, sv->n_fields > 0 ? f[n] : NULL,
                         sv->n_fields, sv->doc};
        n++;
      }
      slots[d->slot] = enumeration(b, d->path, v, n);
    }
  }
  t->system_event = slots[S_SYSTEM_EVENT];
  t->subtensor_event = slots[S_SUBTENSOR_EVENT];
  t->runtime_event = slots[S_RUNTIME_EVENT];
  t->event_records = slots[S_EVENT_RECORDS];
  t->system_error = slots[S_SYSTEM_ERROR];
  t->subtensor_error = slots[S_SUBTENSOR_ERROR];
}

/* The pallets' calls and RuntimeCall. */
static void build_calls(builder *b, ids *t) {
  /* Calls. */
  variant system_call_v[] = {
      {"remark", 0, (field[]){{"remark", t->bytes, "Vec<u8>"}}, 1,
       "Make some on-chain remark."},
  };
  t->system_call = enumeration(b, "frame_system::pallet::Call", system_call_v,
                               N(system_call_v));
  variant multi_address_v[] = {
      {"Id", 0, (field[]){{NULL, t->account, "AccountId"}}, 1, NULL},
      {"Index", 1, (field[]){{NULL, t->compact_u32, "AccountIndex"}}, 1, NULL},
      {"Raw", 2, (field[]){{NULL, t->bytes, "Vec<u8>"}}, 1, NULL},
      {"Address32", 3, (field[]){{NULL, t->a32, "[u8; 32]"}}, 1, NULL},
  };
  type_param multi_address_p[] = {{"AccountId", t->account},
                                  {"AccountIndex", t->u32}};
  t->multi_address = generic_enumeration(
      b, "sp_runtime::multiaddress::MultiAddress", multi_address_p,
      N(multi_address_p), multi_address_v, N(multi_address_v));
  variant balances_call_v[] = {
      {"transfer_allow_death", 0,
       (field[]){{"dest", t->multi_address, "AccountIdLookupOf<T>"},
                 {"value", t->compact_u64, "T::Balance"}},
       2, "Transfer some liquid free balance to another account."},
  };
  t->balances_call = enumeration(b, "pallet_balances::pallet::Call",
                                 balances_call_v, N(balances_call_v));
  variant subtensor_call_v[] = {
      {"register", SP_MOCK_CALL_REGISTER,
       (field[]){{"netuid", t->u16, "NetUid"},
                 {"block_number", t->u64, "u64"},
                 {"nonce", t->u64, "u64"},
                 {"work", t->bytes, "Vec<u8>"},
                 {"hotkey", t->account, "T::AccountId"},
                 {"coldkey", t->account, "T::AccountId"}},
       6, "Register a hotkey on a subnet with proof of work."},
      {"burned_register", SP_MOCK_CALL_BURNED_REGISTER,
       (field[]){{"netuid", t->u16, "NetUid"},
                 {"hotkey", t->account, "T::AccountId"}},
       2, "Register a hotkey on a subnet by burning TAO."},
      {"faucet", SP_MOCK_CALL_FAUCET,
       (field[]){{"block_number", t->u64, "u64"},
                 {"nonce", t->u64, "u64"},
                 {"work", t->bytes, "Vec<u8>"}},
       3, "Mint test TAO for proof of work (pow-faucet builds only)."},
      {"register_limit", SP_MOCK_CALL_REGISTER_LIMIT,
       (field[]){{"netuid", t->u16, "NetUid"},
                 {"hotkey", t->account, "T::AccountId"},
                 {"limit_price", t->u64, "u64"}},
       3, "Register by burning, only if Burn is at most limit_price (rao)."},
  };
  t->subtensor_call =
      enumeration(b, "pallet_subtensor::pallet::Call", subtensor_call_v,
                  N(subtensor_call_v) - (b->register_limit ? 0 : 1));
  variant runtime_call_v[] = {
      {"System", SP_MOCK_PALLET_SYSTEM, (field[]){{NULL, t->system_call, NULL}},
       1, NULL},
      {"Balances", SP_MOCK_PALLET_BALANCES,
       (field[]){{NULL, t->balances_call, NULL}}, 1, NULL},
      {"SubtensorModule", SP_MOCK_PALLET_SUBTENSOR,
       (field[]){{NULL, t->subtensor_call, NULL}}, 1, NULL},
  };
  t->runtime_call = enumeration(b, "node_subtensor_runtime::RuntimeCall",
                                runtime_call_v, N(runtime_call_v));
}

/* Signatures, MultiAddress, the signed extensions and generic::Era. */
static void build_extensions(builder *b, ids *t) {
  /* Signatures and the signed extensions (section 5). */
  uint32_t ed_sig = composite(b, "sp_core::ed25519::Signature",
                              (field[]){{NULL, t->a64, "[u8; 64]"}}, 1);
  uint32_t sr_sig = composite(b, "sp_core::sr25519::Signature",
                              (field[]){{NULL, t->a64, "[u8; 64]"}}, 1);
  uint32_t ec_sig = composite(b, "sp_core::ecdsa::Signature",
                              (field[]){{NULL, t->a65, "[u8; 65]"}}, 1);
  variant multi_sig_v[] = {
      {"Ed25519", 0, (field[]){{NULL, ed_sig, "ed25519::Signature"}}, 1, NULL},
      {"Sr25519", 1, (field[]){{NULL, sr_sig, "sr25519::Signature"}}, 1, NULL},
      {"Ecdsa", 2, (field[]){{NULL, ec_sig, "ecdsa::Signature"}}, 1, NULL},
  };
  t->multi_signature =
      enumeration(b, "sp_runtime::MultiSignature", multi_sig_v, N(multi_sig_v));
  /* generic::Era: Immortal, then Mortal1..Mortal255 each carrying the second
   * byte of the two-byte encoding. */
  {
    variant era_v[256];
    static char names[256][12];
    static field era_field[1];
    era_field[0] = (field){NULL, t->u8, NULL};
    era_v[0] = (variant){"Immortal", 0, NULL, 0, NULL};
    for (int i = 1; i < 256; i++) {
      snprintf(names[i], sizeof names[i], "Mortal%d", i);
      era_v[i] = (variant){names[i], (uint8_t)i, era_field, 1, NULL};
    }
    t->era = enumeration(b, "sp_runtime::generic::era::Era", era_v, 256);
  }
  t->ext_empty[0] = composite(
      b, "frame_system::extensions::check_non_zero_sender::CheckNonZeroSender",
      NULL, 0);
  t->ext_spec = composite(
      b, "frame_system::extensions::check_spec_version::CheckSpecVersion", NULL,
      0);
  t->ext_tx = composite(
      b, "frame_system::extensions::check_tx_version::CheckTxVersion", NULL, 0);
  t->ext_genesis = composite(
      b, "frame_system::extensions::check_genesis::CheckGenesis", NULL, 0);
  t->ext_mortality =
      composite(b, "frame_system::extensions::check_mortality::CheckMortality",
                (field[]){{NULL, t->era, "Era"}}, 1);
  t->ext_nonce =
      composite(b, "frame_system::extensions::check_nonce::CheckNonce",
                (field[]){{NULL, t->compact_u32, "T::Nonce"}}, 1);
  t->ext_empty[1] = composite(
      b, "frame_system::extensions::check_weight::CheckWeight", NULL, 0);
  t->ext_payment =
      composite(b, "pallet_transaction_payment::ChargeTransactionPayment",
                (field[]){{NULL, t->compact_u64, "BalanceOf<T>"}}, 1);
  t->ext_empty[2] =
      composite(b, "pallet_subtensor::SubtensorTransactionExtension", NULL, 0);
  t->ext_empty[3] =
      composite(b, "pallet_drand::drand_priority::DrandPriority", NULL, 0);
  t->ext_empty[4] = composite(
      b, "node_subtensor_runtime::sudo_wrapper::SudoTransactionExtension", NULL,
      0);
  t->ext_empty[5] =
      composite(b, "pallet_shield::CheckShieldedTxValidity", NULL, 0);
  variant mode_v[] = {{"Disabled", 0, NULL, 0, NULL},
                      {"Enabled", 1, NULL, 0, NULL}};
  uint32_t mode =
      enumeration(b, "frame_metadata_hash_extension::Mode", mode_v, N(mode_v));
  t->ext_metadata_hash =
      composite(b, "frame_metadata_hash_extension::CheckMetadataHash",
                (field[]){{"mode", mode, "Mode"}}, 1);
  variant option_v[] = {{"None", 0, NULL, 0, NULL},
                        {"Some", 1, (field[]){{NULL, t->a32, NULL}}, 1, NULL}};
  type_param option_p[] = {{"T", t->a32}};
  t->option_a32 = generic_enumeration(b, "Option", option_p, N(option_p),
                                      option_v, N(option_v));
}

/* UncheckedExtrinsic and its type parameters. */
static void build_unchecked(builder *b, ids *t) {
  /* UncheckedExtrinsic<Address, Call, Signature, Extra>: its type parameters
   * name the address, call and signature types, as in real metadata. */
  {
    uint32_t id = b->n++;
    sp_scale_writer *w = &b->types;
    sp_scale_put_compact(w, id);
    const char *path[] = {"sp_runtime", "generic", "unchecked_extrinsic",
                          "UncheckedExtrinsic"};
    sp_scale_put_compact(w, 4);
    for (int i = 0; i < 4; i++)
      sp_scale_put_string(w, path[i]);
    const char *param_names[] = {"Address", "Call", "Signature", "Extra"};
    uint32_t param_types[] = {t->multi_address, t->runtime_call,
                              t->multi_signature, t->unit};
    sp_scale_put_compact(w, 4);
    for (int i = 0; i < 4; i++) {
      sp_scale_put_string(w, param_names[i]);
      sp_scale_put_u8(w, 1);
      sp_scale_put_compact(w, param_types[i]);
    }
    sp_scale_put_u8(w, DEF_COMPOSITE);
    field f[] = {{NULL, t->bytes, NULL}};
    put_fields(b, f, 1); /* w is &b->types */
    sp_scale_put_compact(w, 0);
    t->unchecked = id;
  }
}

/* Every type of the metadata, in the order of their ids. */
static void build_types(builder *b, ids *t) {
  build_primitives(b, t);
  build_account(b, t);
  build_events_and_errors(b, t);
  build_calls(b, t);
  build_extensions(b, t);
  build_unchecked(b, t);
}

/* One storage entry of a pallet. */
typedef struct entry {
  const char *name;
  bool optional;
  int n_hashers; /* 0: plain */
  int hashers[2];
  uint32_t key, value;
  const uint8_t *deflt;
  size_t deflt_len;
  const char *doc;
} entry;

static void put_storage(sp_scale_writer *w, const char *prefix, const entry *e,
                        size_t n) {
  sp_scale_put_u8(w, 1); /* Some(storage) */
  sp_scale_put_string(w, prefix);
  sp_scale_put_compact(w, n);
  for (size_t i = 0; i < n; i++) {
    sp_scale_put_string(w, e[i].name);
    sp_scale_put_u8(w, e[i].optional ? 0 : 1);
    if (e[i].n_hashers == 0) {
      sp_scale_put_u8(w, 0);
      sp_scale_put_compact(w, e[i].value);
    } else {
      sp_scale_put_u8(w, 1);
      sp_scale_put_compact(w, (uint64_t)e[i].n_hashers);
      for (int h = 0; h < e[i].n_hashers; h++)
        sp_scale_put_u8(w, (uint8_t)e[i].hashers[h]);
      sp_scale_put_compact(w, e[i].key);
      sp_scale_put_compact(w, e[i].value);
    }
    sp_scale_put_byte_vec(w, e[i].deflt, e[i].deflt_len);
    sp_scale_put_compact(w, 1);
    sp_scale_put_string(w, e[i].doc);
  }
}

/* A U64F64 as SCALE: its bits, a u128 little-endian (fraction first). */
static void u64f64_le(uint64_t int_part, uint64_t frac, uint8_t out[16]) {
  for (int i = 0; i < 8; i++) {
    out[i] = (uint8_t)(frac >> (8 * i));
    out[8 + i] = (uint8_t)(int_part >> (8 * i));
  }
}

static void put_option_type(sp_scale_writer *w, bool some, uint32_t ty) {
  sp_scale_put_u8(w, some ? 1 : 0);
  if (some) sp_scale_put_compact(w, ty);
}

uint8_t *sp_mock_metadata_build(size_t *len) {
  return sp_mock_metadata_build_for(343, false, len);
}

uint8_t *sp_mock_metadata_build_for(uint32_t runtime, bool register_limit,
                                    size_t *len) {
  builder b;
  sp_scale_writer_init(&b.types);
  b.n = 0;
  b.modern = !sp_runtime_era_of(runtime)->pow_registration;
  b.register_limit = b.modern && register_limit;
  ids t;
  memset(&t, 0, sizeof t);
  build_types(&b, &t);

  sp_scale_writer w;
  sp_scale_writer_init(&w);
  sp_scale_put_bytes(&w, "meta", 4);
  sp_scale_put_u8(&w, 14);
  sp_scale_put_compact(&w, b.n);
  sp_scale_put_bytes(&w, b.types.data, b.types.len);

  static const uint8_t zero_account_info[4 * 4 + 8 * 3 + 16] = {0};
  static const uint8_t zero32[32] = {0};
  static const uint8_t u32_zero[4] = {0};
  static const uint8_t empty_vec[1] = {0};
  static const uint8_t difficulty_default[8] = {0x80, 0x96, 0x98, 0,
                                                0,    0,    0,    0};
  static const uint8_t false_byte[1] = {0}, true_byte[1] = {1};
  static const uint8_t u16_zero[2] = {0};
  /* Storage defaults (an absent key's value) of spec 293 and of finney's
   * spec 343 metadata, which agree: see mock_node.h. */
  static const uint8_t max_regs_default[2] = {1, 0};
  static const uint8_t target_regs_default[2] = {2, 0};
  static const uint8_t burn_default[8] = {0x00, 0xe1, 0xf5, 0x05,
                                          0,    0,    0,    0}; /* 1e8 */
  static const uint8_t max_uids_default[2] = {0x00, 0x01};      /* 256 */
  static const uint8_t min_burn_default[8] = {0x20, 0xa1, 0x07, 0,
                                              0,    0,    0,    0}; /* 5e5 */
  static const uint8_t max_burn_default[8] = {0x00, 0xe8, 0x76, 0x48,
                                              0x17, 0,    0,    0}; /* 1e11 */
  static const uint8_t half_life_default[2] = {0x68, 0x01};         /* 360 */
  static const uint8_t u64_zero[8] = {0};
  uint8_t mult_default[16];
  u64f64_le(SP_MOCK_BURN_INCREASE_MULT_INT, SP_MOCK_BURN_INCREASE_MULT_FRAC,
            mult_default);

  sp_scale_put_compact(&w, 3); /* pallets */

  /* System (0) */
  sp_scale_put_string(&w, "System");
  entry system_entries[] = {
      {"Account",
       false,
       1,
       {H_BLAKE2_128CONCAT},
       t.account,
       t.account_info,
       zero_account_info,
       sizeof zero_account_info,
       "The full account information."},
      {"BlockHash",
       false,
       1,
       {H_TWOX64CONCAT},
       t.u32,
       t.h256,
       zero32,
       32,
       "Map of block numbers to block hashes."},
      {"Number",
       false,
       0,
       {0},
       0,
       t.u32,
       u32_zero,
       4,
       "The current block number."},
      {"Events",
       false,
       0,
       {0},
       0,
       t.event_records,
       empty_vec,
       1,
       "Events deposited for the current block."},
  };
  put_storage(&w, "System", system_entries, N(system_entries));
  put_option_type(&w, true, t.system_call);
  put_option_type(&w, true, t.system_event);
  sp_scale_put_compact(&w, 0); /* constants */
  put_option_type(&w, true, t.system_error);
  sp_scale_put_u8(&w, SP_MOCK_PALLET_SYSTEM);

  /* Balances (5) */
  sp_scale_put_string(&w, "Balances");
  sp_scale_put_u8(&w, 0); /* no storage */
  put_option_type(&w, true, t.balances_call);
  put_option_type(&w, false, 0);
  sp_scale_put_compact(&w, 0);
  put_option_type(&w, false, 0);
  sp_scale_put_u8(&w, SP_MOCK_PALLET_BALANCES);

  /* SubtensorModule (7) */
  sp_scale_put_string(&w, "SubtensorModule");
  entry subtensor_entries[] = {
      {"Difficulty",
       false,
       1,
       {H_IDENTITY},
       t.u16,
       t.u64,
       difficulty_default,
       8,
       "The proof-of-work difficulty of a subnet."},
      {"NetworksAdded",
       false,
       1,
       {H_IDENTITY},
       t.u16,
       t.boolean,
       false_byte,
       1,
       "Whether a subnet exists."},
      {"NetworkPowRegistrationAllowed",
       false,
       1,
       {H_IDENTITY},
       t.u16,
       t.boolean,
       true_byte,
       1,
       "Whether proof-of-work registration is allowed on a subnet."},
      {"Uids",
       true,
       2,
       {H_IDENTITY, H_BLAKE2_128CONCAT},
       t.uids_key,
       t.u16,
       NULL,
       0,
       "The uid of a hotkey on a subnet."},
      {"Keys",
       false,
       2,
       {H_IDENTITY, H_IDENTITY},
       t.uid_pair,
       t.account,
       zero32,
       32,
       "The hotkey of a uid on a subnet (key: netuid, uid)."},
      {"Owner",
       false,
       1,
       {H_BLAKE2_128CONCAT},
       t.account,
       t.account,
       zero32,
       32,
       "The coldkey that owns a hotkey (set by its first registration)."},
      {"SubnetworkN",
       false,
       1,
       {H_IDENTITY},
       t.u16,
       t.u16,
       u16_zero,
       2,
       "The number of neurons on a subnet."},
      {"Burn",
       false,
       1,
       {H_IDENTITY},
       t.u16,
       t.u64,
       burn_default,
       8,
       "The burn of a registration on a subnet, in rao."},
      {"MaxRegistrationsPerBlock",
       false,
       1,
       {H_IDENTITY},
       t.u16,
       t.u16,
       max_regs_default,
       2,
       "Registrations allowed in one block on a subnet."},
      {"TargetRegistrationsPerInterval",
       false,
       1,
       {H_IDENTITY},
       t.u16,
       t.u16,
       target_regs_default,
       2,
       "Target registrations per interval on a subnet."},
      {"RegistrationsThisBlock",
       false,
       1,
       {H_IDENTITY},
       t.u16,
       t.u16,
       u16_zero,
       2,
       "Registrations in the current block on a subnet."},
      {"RegistrationsThisInterval",
       false,
       1,
       {H_IDENTITY},
       t.u16,
       t.u16,
       u16_zero,
       2,
       "Registrations in the current interval on a subnet."},
      /* The modern profile's (do_register); defaults of today's source:
       * pallet lib.rs DefaultRegistrationAllowed true, runtime lib.rs
       * SubtensorInitialMaxAllowedUids 256, InitialMinBurn 500,000 rao,
       * InitialMaxBurn 100 TAO, DefaultBurnHalfLife 360,
       * DefaultBurnIncreaseMult 1.26 (U64F64 bits, truncated as
       * from_num(1.26) does). */
      {"NetworkRegistrationAllowed",
       false,
       1,
       {H_IDENTITY},
       t.u16,
       t.boolean,
       true_byte,
       1,
       "Whether registration is allowed on a subnet."},
      {"MaxAllowedUids",
       false,
       1,
       {H_IDENTITY},
       t.u16,
       t.u16,
       max_uids_default,
       2,
       "The most uids a subnet holds."},
      {"MinBurn",
       false,
       1,
       {H_IDENTITY},
       t.u16,
       t.u64,
       min_burn_default,
       8,
       "The lowest burn of a subnet, in rao."},
      {"MaxBurn",
       false,
       1,
       {H_IDENTITY},
       t.u16,
       t.u64,
       max_burn_default,
       8,
       "The highest burn of a subnet, in rao."},
      {"BurnHalfLife",
       false,
       1,
       {H_IDENTITY},
       t.u16,
       t.u16,
       half_life_default,
       2,
       "Blocks in which the burn decays by half."},
      {"BurnIncreaseMult",
       false,
       1,
       {H_IDENTITY},
       t.u16,
       t.u64f64,
       mult_default,
       16,
       "The factor of the burn after each registration."},
      {"BlockAtRegistration",
       false,
       2,
       {H_IDENTITY, H_IDENTITY},
       t.uid_pair,
       t.u64,
       u64_zero,
       8,
       "The block at which a uid was registered."},
  };
  put_storage(&w, "SubtensorModule", subtensor_entries,
              N(subtensor_entries) - (b.modern ? 0 : 7));
  put_option_type(&w, true, t.subtensor_call);
  put_option_type(&w, true, t.subtensor_event);
  sp_scale_put_compact(&w, 0);
  put_option_type(&w, true, t.subtensor_error);
  sp_scale_put_u8(&w, SP_MOCK_PALLET_SUBTENSOR);

  /* Extrinsic: version 4 and the signed extensions in finney's order. */
  sp_scale_put_compact(&w, t.unchecked);
  sp_scale_put_u8(&w, 4);
  struct {
    const char *id;
    uint32_t ty, additional;
  } ext[] = {
      {"CheckNonZeroSender", t.ext_empty[0], t.unit},
      {"CheckSpecVersion", t.ext_spec, t.u32},
      {"CheckTxVersion", t.ext_tx, t.u32},
      {"CheckGenesis", t.ext_genesis, t.h256},
      {"CheckMortality", t.ext_mortality, t.h256},
      {"CheckNonce", t.ext_nonce, t.unit},
      {"CheckWeight", t.ext_empty[1], t.unit},
      {"ChargeTransactionPayment", t.ext_payment, t.unit},
      {"SudoTransactionExtension", t.ext_empty[4], t.unit},
      {"CheckShieldedTxValidity", t.ext_empty[5], t.unit},
      {"SubtensorTransactionExtension", t.ext_empty[2], t.unit},
      {"DrandPriority", t.ext_empty[3], t.unit},
      {"CheckMetadataHash", t.ext_metadata_hash, t.option_a32},
  };
  /* Today's list (runtime lib.rs TxExtension at 14bc6f9f9) for the modern
   * profile; finney's spec-343 list, without the two, for the others. */
  bool skip[N(ext)] = {false};
  if (!b.modern) skip[8] = skip[9] = true;
  sp_scale_put_compact(&w, N(ext) - (b.modern ? 0 : 2));
  for (size_t i = 0; i < N(ext); i++) {
    if (skip[i]) continue;
    sp_scale_put_string(&w, ext[i].id);
    sp_scale_put_compact(&w, ext[i].ty);
    sp_scale_put_compact(&w, ext[i].additional);
  }
  sp_scale_put_compact(&w, t.runtime_call); /* runtime type (V14: ty) */
  sp_scale_writer_free(&b.types);
  if (sp_scale_writer_ok(&w) != 0) {
    sp_scale_writer_free(&w);
    return NULL;
  }
  *len = w.len;
  return w.data; /* ownership passes to the caller */
}
