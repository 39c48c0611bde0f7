/* Subnet registration facts from storage, batched (see subnets.h). */
#include "chain/client/subnets.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "chain/client/storage.h"
#include "chain/codec/scale_type.h"
#include "reference/reference.h"

#define PALLET "SubtensorModule"
/* Keys per state_queryStorageAt: well under any node's request limits. */
#define CHUNK 256

/* One value to read: `item` of netuid (or the plain item). */
typedef struct want {
  const char *item;
  bool plain;
  uint16_t netuid;
  const sp_storage_entry *entry;
  char key[2 * 128 + 3]; /* "0x" + a 16+16+2-byte key, with room */
  json_t *value;         /* decoded, after read_batch */
} want;

static int build_key(const sp_metadata *md, want *w, sp_chain_error *err) {
  sp_scale_writer k;
  sp_scale_writer_init(&k);
  json_t *parts = w->plain ? NULL : json_pack("[i]", w->netuid);
  int rc = sp_storage_key(md, PALLET, w->item, parts, &k, &w->entry, err);
  json_decref(parts);
  if (!rc && k.len * 2 + 3 > sizeof w->key)
    rc = sp_chain_fail(err, SP_CHAIN_EMETADATA, "storage key of %s too long",
                       w->item);
  if (!rc) {
    w->key[0] = '0', w->key[1] = 'x';
    sp_hex_encode(k.data, k.len, w->key + 2);
  }
  sp_scale_writer_free(&k);
  return rc;
}

/* Decodes one value given as "0x" hex (NULL: absent) with its entry. */
static int decode_value(const sp_metadata *md, want *w, const char *hex,
                        sp_chain_error *err) {
  uint8_t *bytes = NULL;
  size_t len = 0;
  if (hex) {
    size_t cap = strlen(hex) / 2 + 1;
    bytes = malloc(cap);
    if (!bytes) return sp_chain_fail(err, SP_CHAIN_ENOMEM, "out of memory");
    if (strncmp(hex, "0x", 2) != 0 || sp_hex_decode(hex, 0, bytes, cap, &len)) {
      free(bytes);
      return sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                           "the value of %s.%s is not 0x hex", PALLET, w->item);
    }
  }
  int rc = sp_storage_decode(md, w->entry, bytes, len, &w->value, err);
  free(bytes);
  if (rc) return sp_chain_error_wrap(err, rc, "%s.%s", PALLET, w->item);
  return 0;
}

/* Key by key, for a node without state_queryStorageAt. */
static int read_one_by_one(sp_rpc *rpc, const sp_metadata *md, want *ws,
                           size_t n, const uint8_t *at, sp_chain_error *err) {
  for (size_t i = 0; i < n; i++) {
    json_t *params = at ? json_pack("[s,o]", ws[i].key, sp_json_hex(at, 32))
                        : json_pack("[s]", ws[i].key);
    json_t *res;
    int rc = sp_rpc_call(rpc, "state_getStorage", params,
                         SP_RPC_STRING | SP_RPC_NULL, &res, err);
    if (rc) return rc;
    rc = decode_value(md, &ws[i], json_string_value(res), err);
    json_decref(res);
    if (rc) return rc;
  }
  return 0;
}

/* The value of `key` in a change set's [[key, value|null], ...]; *found
 * false when the node did not list the key. */
static const char *change_of(const json_t *changes, const char *key,
                             bool *found) {
  size_t i;
  json_t *c;
  *found = false;
  json_array_foreach(changes, i, c) {
    const char *k = json_string_value(json_array_get(c, 0));
    if (k && strcasecmp(k, key) == 0) {
      *found = true;
      return json_string_value(json_array_get(c, 1));
    }
  }
  return NULL;
}

static int read_batch(sp_rpc *rpc, const sp_metadata *md, want *ws, size_t n,
                      const uint8_t *at, sp_chain_error *err) {
  for (size_t i = 0; i < n; i++) {
    int rc = build_key(md, &ws[i], err);
    if (rc) return rc;
  }
  for (size_t off = 0; off < n; off += CHUNK) {
    size_t m = n - off < CHUNK ? n - off : CHUNK;
    json_t *keys = json_array();
    for (size_t i = 0; i < m; i++)
      json_array_append_new(keys, json_string(ws[off + i].key));
    json_t *params = at ? json_pack("[o,o]", keys, sp_json_hex(at, 32))
                        : json_pack("[o]", keys);
    json_t *res;
    int rc = sp_rpc_call(rpc, "state_queryStorageAt", params, SP_RPC_ARRAY,
                         &res, err);
    if (rc == -SP_CHAIN_ERPC) /* not offered: the slow way */
      return read_one_by_one(rpc, md, ws + off, n - off, at, err);
    if (rc) return rc;
    /* [{block, changes}]: one change set for the one block asked. */
    const json_t *changes = json_object_get(json_array_get(res, 0), "changes");
    if (json_array_size(res) != 1 || !json_is_array(changes))
      rc = sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                         "state_queryStorageAt: expected one change set");
    for (size_t i = 0; i < m && !rc; i++) {
      bool found;
      const char *hex = change_of(changes, ws[off + i].key, &found);
      if (!found)
        rc = sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                           "state_queryStorageAt: no value for %s.%s", PALLET,
                           ws[off + i].item);
      else
        rc = decode_value(md, &ws[off + i], hex, err);
    }
    json_decref(res);
    if (rc) return rc;
  }
  return 0;
}

/* A newtype (a struct or tuple of one field, as a currency wrapper) is read
 * as its field. */
static const json_t *unwrap(const json_t *v) {
  if (json_is_object(v) && json_object_size(v) == 1)
    return json_object_iter_value(json_object_iter((json_t *)v));
  if (json_is_array(v) && json_array_size(v) == 1) return json_array_get(v, 0);
  return v;
}

static int as_u64(const want *w, uint64_t *out, sp_chain_error *err) {
  sp_u128 x;
  if (sp_json_to_u128(unwrap(w->value), UINT64_MAX, &x) != 0)
    return sp_chain_fail(err, SP_CHAIN_EMETADATA,
                         "storage %s.%s is not an unsigned integer in this "
                         "runtime",
                         PALLET, w->item);
  *out = (uint64_t)x;
  return 0;
}

static int as_bool(const want *w, bool *out, sp_chain_error *err) {
  const json_t *v = unwrap(w->value);
  if (!json_is_boolean(v))
    return sp_chain_fail(err, SP_CHAIN_EMETADATA,
                         "storage %s.%s is not a bool in this runtime", PALLET,
                         w->item);
  *out = json_is_true(v);
  return 0;
}

/* The per-subnet items, with the bit each sets (0: NetworksAdded). */
static const struct {
  const char *item;
  unsigned bit;
} ITEMS[] = {
    {"NetworksAdded", 0},
    {"NetworkRegistrationAllowed", SP_SUBNET_REGISTRATION_ALLOWED},
    {"NetworkPowRegistrationAllowed", SP_SUBNET_POW_ALLOWED},
    {"Difficulty", SP_SUBNET_DIFFICULTY},
    {"Burn", SP_SUBNET_BURN},
    {"SubnetworkN", SP_SUBNET_UIDS},
    {"MaxAllowedUids", SP_SUBNET_MAX_UIDS},
    {"RegistrationsThisInterval", SP_SUBNET_REGS_THIS_INTERVAL},
    {"TargetRegistrationsPerInterval", SP_SUBNET_TARGET_REGS},
    {"ImmunityPeriod", SP_SUBNET_IMMUNITY},
};
#define NITEMS (sizeof ITEMS / sizeof ITEMS[0])

static bool has_item(const sp_metadata *md, const char *item) {
  return sp_metadata_storage(md, PALLET, item, NULL, NULL, NULL) == 0;
}

static void free_wants(want *ws, size_t n) {
  for (size_t i = 0; i < n; i++)
    json_decref(ws[i].value);
  free(ws);
}

static int fill_info(const want *w, unsigned bit, sp_subnet_info *s,
                     sp_chain_error *err) {
  switch (bit) {
  case 0: return as_bool(w, &s->exists, err);
  case SP_SUBNET_REGISTRATION_ALLOWED:
    return as_bool(w, &s->registration_allowed, err);
  case SP_SUBNET_POW_ALLOWED: return as_bool(w, &s->pow_allowed, err);
  case SP_SUBNET_DIFFICULTY: return as_u64(w, &s->difficulty, err);
  case SP_SUBNET_BURN: return as_u64(w, &s->burn_rao, err);
  case SP_SUBNET_UIDS: return as_u64(w, &s->uids, err);
  case SP_SUBNET_MAX_UIDS: return as_u64(w, &s->max_uids, err);
  case SP_SUBNET_REGS_THIS_INTERVAL:
    return as_u64(w, &s->regs_this_interval, err);
  case SP_SUBNET_TARGET_REGS:
    return as_u64(w, &s->target_regs_per_interval, err);
  default: return as_u64(w, &s->immunity_period, err);
  }
}

int sp_subnets_read(sp_rpc *rpc, const sp_metadata *md, const uint16_t *netuids,
                    size_t n, const uint8_t *at, sp_subnet_info *out,
                    sp_chain_error *err) {
  if (!has_item(md, "NetworksAdded"))
    return sp_chain_fail(err, SP_CHAIN_EMETADATA,
                         "the chain's metadata has no storage item "
                         "%s.NetworksAdded",
                         PALLET);
  unsigned have = 0;
  size_t per = 0;
  for (size_t k = 0; k < NITEMS; k++)
    if (has_item(md, ITEMS[k].item)) have |= ITEMS[k].bit, per++;
  want *ws = n ? calloc(n * per, sizeof *ws) : NULL;
  if (n && !ws) return sp_chain_fail(err, SP_CHAIN_ENOMEM, "out of memory");
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < NITEMS; k++)
      if (k == 0 || (have & ITEMS[k].bit))
        ws[m++] = (want){.item = ITEMS[k].item, .netuid = netuids[i]};
  int rc = read_batch(rpc, md, ws, m, at, err);
  m = 0;
  for (size_t i = 0; i < n && !rc; i++) {
    memset(&out[i], 0, sizeof out[i]);
    out[i].netuid = netuids[i];
    out[i].have = have;
    for (size_t k = 0; k < NITEMS && !rc; k++)
      if (k == 0 || (have & ITEMS[k].bit))
        rc = fill_info(&ws[m++], ITEMS[k].bit, &out[i], err);
  }
  free_wants(ws, n * per);
  return rc;
}

/* A plain u16 item, or `fallback` when the runtime has no such item. */
static int plain_u16(sp_rpc *rpc, const sp_metadata *md, const char *item,
                     const uint8_t *at, uint64_t fallback, uint64_t *out,
                     sp_chain_error *err) {
  *out = fallback;
  if (!has_item(md, item)) return 0;
  want w = {.item = item, .plain = true};
  int rc = read_batch(rpc, md, &w, 1, at, err);
  if (!rc) rc = as_u64(&w, out, err);
  json_decref(w.value);
  return rc;
}

int sp_subnets_list(sp_rpc *rpc, const sp_metadata *md, const uint8_t *at,
                    uint16_t **netuids, size_t *n, sp_chain_error *err) {
  *netuids = NULL;
  *n = 0;
  if (!has_item(md, "NetworksAdded"))
    return sp_chain_fail(err, SP_CHAIN_EMETADATA,
                         "the chain's metadata has no storage item "
                         "%s.NetworksAdded",
                         PALLET);
  uint64_t total = 0, limit = 0;
  int rc = plain_u16(rpc, md, "TotalNetworks", at, 0, &total, err);
  if (!rc) rc = plain_u16(rpc, md, "SubnetLimit", at, 0, &limit, err);
  if (rc) return rc;
  uint64_t upto = total > limit ? total : limit;
  if (upto < 64) upto = 64;
  upto += 1;
  uint16_t *found = malloc(65536 * sizeof *found);
  want *ws = calloc(CHUNK, sizeof *ws);
  if (!found || !ws) {
    free(found);
    free(ws);
    return sp_chain_fail(err, SP_CHAIN_ENOMEM, "out of memory");
  }
  size_t nfound = 0;
  for (uint64_t start = 0;
       !rc && start < 65536 && (start < upto || (total && nfound < total));
       start += CHUNK) {
    size_t m = 0;
    for (uint64_t u = start; u < start + CHUNK && u < 65536; u++)
      ws[m++] = (want){.item = "NetworksAdded", .netuid = (uint16_t)u};
    rc = read_batch(rpc, md, ws, m, at, err);
    for (size_t i = 0; i < m && !rc; i++) {
      bool exists = false;
      rc = as_bool(&ws[i], &exists, err);
      if (!rc && exists) found[nfound++] = ws[i].netuid;
    }
    for (size_t i = 0; i < m; i++) {
      json_decref(ws[i].value);
      ws[i].value = NULL;
    }
  }
  free(ws);
  if (rc) {
    free(found);
    return rc;
  }
  *netuids = found;
  *n = nfound;
  return 0;
}
