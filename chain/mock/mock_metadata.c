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

/* DispatchError and DispatchInfo, the pallets' events, RuntimeEvent and the
 * Vec<EventRecord> of System.Events. */
static void build_events(builder *b, ids *t) {
  /* Errors and dispatch information for events. */
  field module_error_fields[] = {{"index", t->u8, "u8"},
                                 {"error", t->a4, "[u8; 4]"}};
  uint32_t module_error =
      composite(b, "sp_runtime::ModuleError", module_error_fields,
                N(module_error_fields));
  variant dispatch_error_v[] = {
      {"Other", 0, NULL, 0, NULL},
      {"CannotLookup", 1, NULL, 0, NULL},
      {"BadOrigin", 2, NULL, 0, NULL},
      {"Module", 3, (field[]){{NULL, module_error, "ModuleError"}}, 1, NULL},
      {"ConsumerRemaining", 4, NULL, 0, NULL},
      {"NoProviders", 5, NULL, 0, NULL},
      {"TooManyConsumers", 6, NULL, 0, NULL},
  };
  uint32_t dispatch_error = enumeration(b, "sp_runtime::DispatchError",
                                        dispatch_error_v, N(dispatch_error_v));
  field weight_fields[] = {{"ref_time", t->compact_u64, "u64"},
                           {"proof_size", t->compact_u64, "u64"}};
  uint32_t weight = composite(b, "sp_weights::weight_v2::Weight", weight_fields,
                              N(weight_fields));
  variant class_v[] = {{"Normal", 0, NULL, 0, NULL},
                       {"Operational", 1, NULL, 0, NULL},
                       {"Mandatory", 2, NULL, 0, NULL}};
  uint32_t dispatch_class = enumeration(
      b, "frame_support::dispatch::DispatchClass", class_v, N(class_v));
  variant pays_v[] = {{"Yes", 0, NULL, 0, NULL}, {"No", 1, NULL, 0, NULL}};
  uint32_t pays =
      enumeration(b, "frame_support::dispatch::Pays", pays_v, N(pays_v));
  field info_f[] = {{"weight", weight, "Weight"},
                    {"class", dispatch_class, "DispatchClass"},
                    {"pays_fee", pays, "Pays"}};
  uint32_t dispatch_info =
      composite(b, "frame_support::dispatch::DispatchInfo", info_f, N(info_f));

  /* Events. */
  variant system_event_v[] = {
      {"ExtrinsicSuccess", 0,
       (field[]){{"dispatch_info", dispatch_info, "DispatchInfo"}}, 1,
       "An extrinsic completed successfully."},
      {"ExtrinsicFailed", 1,
       (field[]){{"dispatch_error", dispatch_error, "DispatchError"},
                 {"dispatch_info", dispatch_info, "DispatchInfo"}},
       2, "An extrinsic failed."},
  };
  t->system_event = enumeration(b, "frame_system::pallet::Event",
                                system_event_v, N(system_event_v));
  variant subtensor_event_v[] = {
      {"NeuronRegistered", SP_MOCK_EVENT_NEURON_REGISTERED,
       (field[]){{NULL, t->u16, "NetUid"},
                 {NULL, t->u16, "u16"},
                 {NULL, t->account, "T::AccountId"}},
       3, "a neuron was registered: (netuid, uid, hotkey)."},
      {"Faucet", SP_MOCK_EVENT_FAUCET,
       (field[]){{NULL, t->account, "T::AccountId"}, {NULL, t->u64, "u64"}}, 2,
       "the faucet paid an account: (coldkey, amount in rao)."},
  };
  t->subtensor_event = enumeration(b, "pallet_subtensor::pallet::Event",
                                   subtensor_event_v, N(subtensor_event_v));
  variant runtime_event_v[] = {
      {"System", SP_MOCK_PALLET_SYSTEM,
       (field[]){{NULL, t->system_event, NULL}}, 1, NULL},
      {"SubtensorModule", SP_MOCK_PALLET_SUBTENSOR,
       (field[]){{NULL, t->subtensor_event, NULL}}, 1, NULL},
  };
  t->runtime_event = enumeration(b, "node_subtensor_runtime::RuntimeEvent",
                                 runtime_event_v, N(runtime_event_v));
  variant phase_v[] = {
      {"ApplyExtrinsic", 0, (field[]){{NULL, t->u32, "u32"}}, 1, NULL},
      {"Finalization", 1, NULL, 0, NULL},
      {"Initialization", 2, NULL, 0, NULL}};
  uint32_t phase = enumeration(b, "frame_system::Phase", phase_v, N(phase_v));
  field record_f[] = {{"phase", phase, "Phase"},
                      {"event", t->runtime_event, "E"},
                      {"topics", t->vec_h256, "Vec<T>"}};
  type_param record_p[] = {{"E", t->runtime_event}, {"T", t->h256}};
  uint32_t record = generic_composite(b, "frame_system::EventRecord", record_p,
                                      N(record_p), record_f, N(record_f));
  t->event_records = sequence(b, record);
}

/* The pallets' errors. */
static void build_errors(builder *b, ids *t) {
  /* Errors. */
  variant system_error_v[] = {
      {"InvalidSpecName", 0, NULL, 0,
       "The name of specification does not match."},
  };
  t->system_error = enumeration(b, "frame_system::pallet::Error",
                                system_error_v, N(system_error_v));
  /* Indices: mock_metadata.h (spec 343, or 381 for the modern profile). */
  variant subtensor_error_v[] = {
      {"NonAssociatedColdKey", 7, NULL, 0,
       "The hotkey is owned by another coldkey."},
      {"NotEnoughBalanceToStake", 12, NULL, 0,
       "The coldkey's balance does not cover the cost."},
      {"TooManyRegistrationsThisBlock", 20, NULL, 0,
       "Too many registrations in this block."},
      {"HotKeyAlreadyRegisteredInSubNet", 21, NULL, 0,
       "The hotkey is already registered in this subnet."},
      {"InvalidWorkBlock", 23, NULL, 0,
       "The block number of the work is in the future or too old."},
      {"InvalidDifficulty", 24, NULL, 0,
       "The work does not meet the subnet's difficulty."},
      {"InvalidSeal", 25, NULL, 0,
       "The seal does not match the block, nonce and hotkey."},
      {"SubNetRegistrationDisabled", 36, NULL, 0,
       "Registration is disabled on this subnet."},
      {"TooManyRegistrationsThisInterval", 37, NULL, 0,
       "Too many registrations in this interval."},
      {"TransactorAccountShouldBeHotKey", 38, NULL, 0,
       "The signer of a registration must be the hotkey."},
      {"FaucetDisabled", 39, NULL, 0, "The faucet is disabled on this chain."},
      {"RegistrationNotPermittedOnRootSubnet", 41, NULL, 0,
       "Registration is not permitted on the root subnet."},
      {"NoNeuronIdAvailable", 47, NULL, 0,
       "No uid is free or prunable on this subnet."},
      {"SubnetNotExists", (uint8_t)(b->modern ? 75 : 73), NULL, 0,
       "The subnet does not exist."},
      {"RegistrationPriceLimitExceeded", 134, NULL, 0,
       "The registration price exceeds the limit price."},
  };
  size_t n_errors = N(subtensor_error_v) - (b->modern ? 0 : 1);
  t->subtensor_error = enumeration(b, "pallet_subtensor::pallet::Error",
                                   subtensor_error_v, n_errors);
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
  build_events(b, t);
  build_errors(b, t);
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
