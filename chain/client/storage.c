/* Storage keys, hashers and typed reads (see storage.h). */
#include "chain/client/storage.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "chain/codec/scale_type.h"
#include "common/byte_order.h"

/* ------------------------------------------------------------ hashers ---- */

/* Substrate's twox: n concatenated XXH64 digests with seeds 0..n-1, each
 * little-endian (sp_core::hashing::twox_128). */
static void twox(const void *data, size_t len, size_t words, uint8_t *out) {
  for (size_t i = 0; i < words; i++)
    sp_put_le64(out + 8 * i, XXH64(data, len, (XXH64_hash_t)i));
}

void sp_twox64(const void *data, size_t len, uint8_t out[8]) {
  twox(data, len, 1, out);
}
void sp_twox128(const void *data, size_t len, uint8_t out[16]) {
  twox(data, len, 2, out);
}
void sp_twox256(const void *data, size_t len, uint8_t out[32]) {
  twox(data, len, 4, out);
}

int sp_blake2_128(const void *data, size_t len, uint8_t out[16]) {
  return crypto_generichash(out, 16, data, len, NULL, 0) == 0
             ? 0
             : -SP_CHAIN_ECRYPTO;
}

int sp_blake2_256(const void *data, size_t len, uint8_t out[32]) {
  return crypto_generichash(out, 32, data, len, NULL, 0) == 0
             ? 0
             : -SP_CHAIN_ECRYPTO;
}

int sp_storage_hash_part(sp_storage_hasher h, const uint8_t *part, size_t len,
                         sp_scale_writer *w) {
  uint8_t d[32];
  switch (h) {
  case SP_HASHER_BLAKE2_128:
  case SP_HASHER_BLAKE2_128_CONCAT:
    if (sp_blake2_128(part, len, d)) return -SP_CHAIN_ECRYPTO;
    sp_scale_put_bytes(w, d, 16);
    if (h == SP_HASHER_BLAKE2_128_CONCAT) sp_scale_put_bytes(w, part, len);
    return 0;
  case SP_HASHER_BLAKE2_256:
    if (sp_blake2_256(part, len, d)) return -SP_CHAIN_ECRYPTO;
    sp_scale_put_bytes(w, d, 32);
    return 0;
  case SP_HASHER_TWOX128:
    sp_twox128(part, len, d);
    sp_scale_put_bytes(w, d, 16);
    return 0;
  case SP_HASHER_TWOX256:
    sp_twox256(part, len, d);
    sp_scale_put_bytes(w, d, 32);
    return 0;
  case SP_HASHER_TWOX64_CONCAT:
    sp_twox64(part, len, d);
    sp_scale_put_bytes(w, d, 8);
    sp_scale_put_bytes(w, part, len);
    return 0;
  case SP_HASHER_IDENTITY: sp_scale_put_bytes(w, part, len); return 0;
  }
  return -SP_CHAIN_EARG;
}

void sp_storage_prefix(const char *pallet_prefix, const char *item,
                       uint8_t out[32]) {
  sp_twox128(pallet_prefix, strlen(pallet_prefix), out);
  sp_twox128(item, strlen(item), out + 16);
}

/* --------------------------------------------------------------- keys ---- */

int sp_storage_key(const sp_metadata *md, const char *pallet, const char *item,
                   const json_t *parts, sp_scale_writer *key,
                   const sp_storage_entry **entry_out, sp_chain_error *err) {
  const sp_pallet *p;
  const sp_storage_entry *e;
  int rc = sp_metadata_storage(md, pallet, item, &p, &e, err);
  if (rc) return rc;
  size_t nparts = parts ? json_array_size(parts) : 0;
  if ((parts && !json_is_array(parts)) || nparts != e->nhashers)
    return sp_chain_fail(err, SP_CHAIN_EARG,
                         "storage %s.%s takes %zu key parts, got %zu", pallet,
                         item, e->nhashers, nparts);
  uint8_t prefix[32];
  sp_storage_prefix(p->storage_prefix, e->name, prefix);
  sp_scale_put_bytes(key, prefix, 32);
  const sp_type *kt =
      e->is_map ? sp_type_get(&md->registry, e->key_type) : NULL;
  for (size_t i = 0; i < nparts; i++) {
    /* With several hashers the key type is a tuple, one item per part
     * (checked when the metadata was parsed). */
    uint32_t ty = e->nhashers > 1 ? kt->tuple[i] : e->key_type;
    sp_scale_writer part;
    sp_scale_writer_init(&part);
    rc = sp_scale_encode_type(&md->registry, ty, json_array_get(parts, i),
                              &part, err);
    if (!rc) rc = sp_scale_writer_ok(&part);
    if (!rc) rc = sp_storage_hash_part(e->hashers[i], part.data, part.len, key);
    sp_scale_writer_free(&part);
    if (rc)
      return sp_chain_error_wrap(err, rc, "storage %s.%s key part %zu", pallet,
                                 item, i);
  }
  if (entry_out) *entry_out = e;
  return sp_scale_writer_ok(key);
}

/* ------------------------------------------------------------- values ---- */

int sp_storage_decode(const sp_metadata *md, const sp_storage_entry *entry,
                      const uint8_t *bytes, size_t len, json_t **value,
                      sp_chain_error *err) {
  *value = NULL;
  if (!bytes) {
    if (entry->optional) {
      *value = json_null();
      return 0;
    }
    bytes = entry->default_bytes;
    len = entry->default_len;
  }
  int rc = sp_scale_decode_type_all(&md->registry, entry->value_type, bytes,
                                    len, value, err);
  if (rc) return sp_chain_error_wrap(err, rc, "storage value %s", entry->name);
  return 0;
}

static json_t *hex_param(const uint8_t *bytes, size_t len) {
  return sp_json_hex(bytes, len);
}

int sp_storage_read(sp_rpc *rpc, const sp_metadata *md, const char *pallet,
                    const char *item, const json_t *parts, const uint8_t *at,
                    json_t **value, sp_chain_error *err) {
  *value = NULL;
  sp_scale_writer key;
  sp_scale_writer_init(&key);
  const sp_storage_entry *e;
  int rc = sp_storage_key(md, pallet, item, parts, &key, &e, err);
  if (rc) {
    sp_scale_writer_free(&key);
    return rc;
  }
  json_t *params = json_pack("[o]", hex_param(key.data, key.len));
  sp_scale_writer_free(&key);
  if (params && at) json_array_append_new(params, hex_param(at, 32));
  if (!params) return sp_chain_fail(err, SP_CHAIN_ENOMEM, "out of memory");
  bool found;
  uint8_t *bytes;
  size_t len;
  rc = sp_rpc_call_hex(rpc, "state_getStorage", params, &found, &bytes, &len,
                       err);
  if (rc) return rc;
  rc = sp_storage_decode(md, e, found ? bytes : NULL, len, value, err);
  free(bytes);
  if (rc) return sp_chain_error_wrap(err, rc, "%s", pallet);
  return 0;
}

/* ------------------------------------------------------ typed reads ---- */

static bool is_primitive(const sp_metadata *md, uint32_t ty, sp_primitive p) {
  const sp_type *t =
      sp_type_get(&md->registry, sp_type_unwrap(&md->registry, ty));
  return t && t->kind == SP_TYPE_PRIMITIVE && t->primitive == p;
}

static bool is_bytes32(const sp_metadata *md, uint32_t ty) {
  const sp_type *t =
      sp_type_get(&md->registry, sp_type_unwrap(&md->registry, ty));
  return t && t->kind == SP_TYPE_ARRAY && t->array_len == 32 &&
         is_primitive(md, t->item, SP_PRIM_U8);
}

/* The item exists with the key parts and value type a typed read expects. */
static int expect_item(const sp_metadata *md, const char *pallet,
                       const char *item, size_t nparts,
                       bool (*part_ok)(const sp_metadata *, uint32_t, size_t),
                       bool (*value_ok)(const sp_metadata *, uint32_t),
                       sp_chain_error *err) {
  const sp_storage_entry *e;
  int rc = sp_metadata_storage(md, pallet, item, NULL, &e, err);
  if (rc) return rc;
  bool ok = e->nhashers == nparts && value_ok(md, e->value_type);
  const sp_type *kt =
      e->is_map ? sp_type_get(&md->registry, e->key_type) : NULL;
  for (size_t i = 0; ok && i < nparts; i++)
    ok = part_ok(md, nparts > 1 ? kt->tuple[i] : e->key_type, i);
  if (!ok)
    return sp_chain_fail(err, SP_CHAIN_EMETADATA,
                         "storage %s.%s has another key or value type in this "
                         "runtime than subpow reads",
                         pallet, item);
  return 0;
}

static bool key_u16(const sp_metadata *md, uint32_t ty, size_t i) {
  (void)i;
  return is_primitive(md, ty, SP_PRIM_U16);
}
static bool key_u32(const sp_metadata *md, uint32_t ty, size_t i) {
  (void)i;
  return is_primitive(md, ty, SP_PRIM_U32);
}
static bool key_account(const sp_metadata *md, uint32_t ty, size_t i) {
  (void)i;
  return is_bytes32(md, ty);
}
static bool key_u16_account(const sp_metadata *md, uint32_t ty, size_t i) {
  return i == 0 ? is_primitive(md, ty, SP_PRIM_U16) : is_bytes32(md, ty);
}
static bool value_u64(const sp_metadata *md, uint32_t ty) {
  return is_primitive(md, ty, SP_PRIM_U64);
}
static bool value_u16(const sp_metadata *md, uint32_t ty) {
  return is_primitive(md, ty, SP_PRIM_U16);
}
static bool value_bool(const sp_metadata *md, uint32_t ty) {
  return is_primitive(md, ty, SP_PRIM_BOOL);
}
static bool value_bytes32(const sp_metadata *md, uint32_t ty) {
  return is_bytes32(md, ty);
}
static bool value_composite(const sp_metadata *md, uint32_t ty) {
  const sp_type *t = sp_type_get(&md->registry, ty);
  return t && t->kind == SP_TYPE_COMPOSITE;
}

static int read_typed(sp_rpc *rpc, const sp_metadata *md, const char *pallet,
                      const char *item, json_t *parts, const uint8_t *at,
                      json_t **value, sp_chain_error *err) {
  if (!parts) return sp_chain_fail(err, SP_CHAIN_ENOMEM, "out of memory");
  int rc = sp_storage_read(rpc, md, pallet, item, parts, at, value, err);
  json_decref(parts);
  return rc;
}

int sp_storage_difficulty(sp_rpc *rpc, const sp_metadata *md, uint16_t netuid,
                          const uint8_t *at, uint64_t *out,
                          sp_chain_error *err) {
  int rc = expect_item(md, "SubtensorModule", "Difficulty", 1, key_u16,
                       value_u64, err);
  json_t *v = NULL;
  if (!rc)
    rc = read_typed(rpc, md, "SubtensorModule", "Difficulty",
                    json_pack("[i]", netuid), at, &v, err);
  sp_u128 x = 0;
  if (!rc && sp_json_to_u128(v, UINT64_MAX, &x) != 0)
    rc = sp_chain_fail(err, SP_CHAIN_EPROTOCOL, "Difficulty is not a u64");
  json_decref(v);
  if (!rc) *out = (uint64_t)x;
  return rc;
}

static int read_bool(sp_rpc *rpc, const sp_metadata *md, const char *item,
                     uint16_t netuid, const uint8_t *at, bool *out,
                     sp_chain_error *err) {
  int rc =
      expect_item(md, "SubtensorModule", item, 1, key_u16, value_bool, err);
  json_t *v = NULL;
  if (!rc)
    rc = read_typed(rpc, md, "SubtensorModule", item, json_pack("[i]", netuid),
                    at, &v, err);
  if (!rc && !json_is_boolean(v))
    rc = sp_chain_fail(err, SP_CHAIN_EPROTOCOL, "%s is not a bool", item);
  if (!rc) *out = json_is_true(v);
  json_decref(v);
  return rc;
}

int sp_storage_networks_added(sp_rpc *rpc, const sp_metadata *md,
                              uint16_t netuid, const uint8_t *at, bool *out,
                              sp_chain_error *err) {
  return read_bool(rpc, md, "NetworksAdded", netuid, at, out, err);
}

int sp_storage_pow_registration_allowed(sp_rpc *rpc, const sp_metadata *md,
                                        uint16_t netuid, const uint8_t *at,
                                        bool *out, sp_chain_error *err) {
  return read_bool(rpc, md, "NetworkPowRegistrationAllowed", netuid, at, out,
                   err);
}

int sp_storage_uid(sp_rpc *rpc, const sp_metadata *md, uint16_t netuid,
                   const uint8_t hotkey[32], const uint8_t *at,
                   bool *registered, uint16_t *uid, sp_chain_error *err) {
  int rc = expect_item(md, "SubtensorModule", "Uids", 2, key_u16_account,
                       value_u16, err);
  json_t *v = NULL;
  if (!rc)
    rc = read_typed(rpc, md, "SubtensorModule", "Uids",
                    json_pack("[i,o]", netuid, sp_json_hex(hotkey, 32)), at, &v,
                    err);
  if (rc) return rc;
  *registered = !json_is_null(v);
  *uid = (uint16_t)json_integer_value(v);
  if (*registered && (!json_is_integer(v) || json_integer_value(v) < 0 ||
                      json_integer_value(v) > UINT16_MAX))
    rc = sp_chain_fail(err, SP_CHAIN_EPROTOCOL, "Uids value is not a u16");
  json_decref(v);
  return rc;
}

static int u128_field(const json_t *obj, const char *name, sp_u128 max,
                      sp_u128 *out, sp_chain_error *err) {
  if (sp_json_to_u128(json_object_get(obj, name), max, out) != 0)
    return sp_chain_fail(err, SP_CHAIN_EMETADATA,
                         "AccountInfo has no integer field \"%s\"", name);
  return 0;
}

int sp_account_info_from_json(const json_t *v, sp_account_info *out,
                              sp_chain_error *err) {
  memset(out, 0, sizeof *out);
  const json_t *data = json_object_get(v, "data");
  sp_u128 x[4];
  static const char *const counters[4] = {"nonce", "consumers", "providers",
                                          "sufficients"};
  for (int i = 0; i < 4; i++) {
    int rc = u128_field(v, counters[i], UINT32_MAX, &x[i], err);
    if (rc) return rc;
  }
  out->nonce = (uint32_t)x[0];
  out->consumers = (uint32_t)x[1];
  out->providers = (uint32_t)x[2];
  out->sufficients = (uint32_t)x[3];
  if (!json_is_object(data))
    return sp_chain_fail(err, SP_CHAIN_EMETADATA,
                         "AccountInfo has no \"data\" struct");
  const sp_u128 max = ~(sp_u128)0;
  int rc = u128_field(data, "free", max, &out->free, err);
  if (!rc) rc = u128_field(data, "reserved", max, &out->reserved, err);
  if (!rc) rc = u128_field(data, "frozen", max, &out->frozen, err);
  if (!rc) rc = u128_field(data, "flags", max, &out->flags, err);
  return rc;
}

int sp_storage_account(sp_rpc *rpc, const sp_metadata *md,
                       const uint8_t account[32], const uint8_t *at,
                       sp_account_info *out, sp_chain_error *err) {
  int rc = expect_item(md, "System", "Account", 1, key_account, value_composite,
                       err);
  json_t *v = NULL;
  if (!rc)
    rc = read_typed(rpc, md, "System", "Account",
                    json_pack("[o]", sp_json_hex(account, 32)), at, &v, err);
  if (!rc) rc = sp_account_info_from_json(v, out, err);
  json_decref(v);
  return rc;
}

int sp_storage_block_hash(sp_rpc *rpc, const sp_metadata *md, uint32_t number,
                          const uint8_t *at, uint8_t out[32],
                          sp_chain_error *err) {
  int rc =
      expect_item(md, "System", "BlockHash", 1, key_u32, value_bytes32, err);
  json_t *v = NULL;
  if (!rc)
    rc = read_typed(rpc, md, "System", "BlockHash",
                    json_pack("[I]", (json_int_t)number), at, &v, err);
  if (!rc && sp_json_hex_fixed(v, out, 32) != 0)
    rc = sp_chain_fail(err, SP_CHAIN_EPROTOCOL, "BlockHash is not 32 bytes");
  json_decref(v);
  return rc;
}
