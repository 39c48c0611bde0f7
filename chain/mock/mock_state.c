/* The mock node's state: typed storage through its metadata, and block
 * lookup (mock_state.h). Below the runtime (mock_runtime.c) and the RPC
 * methods (mock_node.c), which both use it. */
#include "chain/mock/mock_state.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain/client/storage.h"
#include "chain/codec/scale_type.h"
#include "common/hex.h"

/* ------------------------------------------------------------ storage -- */

static int storage_key_hex(sp_mock_node *n, const char *pallet,
                           const char *item, json_t *parts, char **key_hex,
                           const sp_storage_entry **entry) {
  sp_scale_writer w;
  sp_scale_writer_init(&w);
  sp_chain_error err = {0};
  int rc = sp_storage_key(n->md, pallet, item, parts, &w, entry, &err);
  if (rc == 0) {
    *key_hex = malloc(2 * w.len + 3);
    if (*key_hex == NULL) {
      rc = -SP_CHAIN_ENOMEM;
    } else {
      (*key_hex)[0] = '0', (*key_hex)[1] = 'x';
      sp_hex_encode(w.data, w.len, *key_hex + 2);
    }
  }
  sp_scale_writer_free(&w);
  return rc;
}

json_t *st_get(sp_mock_node *n, const char *pallet, const char *item,
               json_t *parts) {
  char *key = NULL;
  const sp_storage_entry *e = NULL;
  if (storage_key_hex(n, pallet, item, parts, &key, &e) != 0) return NULL;
  const char *hex = json_string_value(json_object_get(n->storage, key));
  free(key);
  const uint8_t *bytes = e->default_bytes;
  size_t len = e->default_len;
  uint8_t *buf = NULL;
  if (hex != NULL) {
    size_t cap = strlen(hex) / 2 + 1;
    buf = malloc(cap);
    if (buf == NULL || sp_hex_decode(hex, 0, buf, cap, &len) != 0) {
      free(buf);
      return NULL;
    }
    bytes = buf;
  } else if (e->optional) {
    return NULL;
  }
  json_t *value = NULL;
  sp_chain_error err = {0};
  sp_scale_decode_type_all(&n->md->registry, e->value_type, bytes, len, &value,
                           &err);
  free(buf);
  return value;
}

int st_set(sp_mock_node *n, const char *pallet, const char *item, json_t *parts,
           json_t *value) {
  char *key = NULL;
  const sp_storage_entry *e = NULL;
  int rc = storage_key_hex(n, pallet, item, parts, &key, &e);
  if (rc != 0) return rc;
  if (value == NULL) {
    json_object_del(n->storage, key);
  } else {
    sp_scale_writer w;
    sp_scale_writer_init(&w);
    sp_chain_error err = {0};
    rc = sp_scale_encode_type(&n->md->registry, e->value_type, value, &w, &err);
    if (rc == 0)
      json_object_set_new(n->storage, key, sp_json_hex(w.data, w.len));
    sp_scale_writer_free(&w);
  }
  free(key);
  return rc;
}

uint64_t st_get_u64(sp_mock_node *n, const char *pallet, const char *item,
                    json_t *parts) {
  json_t *v = st_get(n, pallet, item, parts);
  sp_u128 out = 0;
  if (v != NULL && sp_json_to_u128(v, UINT64_MAX, &out) != 0) out = 0;
  json_decref(v);
  return (uint64_t)out;
}

int st_set_u64(sp_mock_node *n, const char *pallet, const char *item,
               json_t *parts, uint64_t v) {
  char dec[24];
  snprintf(dec, sizeof dec, "%" PRIu64, v);
  json_t *value = json_string(dec);
  int rc = st_set(n, pallet, item, parts, value);
  json_decref(value);
  return rc;
}

/* ------------------------------------------------------------- blocks -- */

mock_block *mock_block_by_number(sp_mock_node *n, uint64_t number) {
  return number < n->n_blocks ? &n->blocks[number] : NULL;
}

mock_block *mock_block_by_hash(sp_mock_node *n, const uint8_t hash[32]) {
  for (size_t i = n->n_blocks; i-- > 0;)
    if (memcmp(n->blocks[i].hash, hash, 32) == 0) return &n->blocks[i];
  return NULL;
}
