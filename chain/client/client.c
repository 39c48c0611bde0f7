/* The Subtensor client: connection, runtime, reads, the search for an
 * extrinsic in a block (see client.h; submission and watching are
 * submit.c's). */
#include "chain/client/client.h"
#include "chain/client/quantity.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "chain/client/storage.h"
#include "chain/codec/scale_type.h"
#include "chain/keys/ss58.h"
#include "common/clock.h"
#include "common/hex.h"
#include "common/sanitize.h"

/* ------------------------------------------------------------ helpers ---- */

int sp_chain_call_hash(sp_chain_client *c, const char *method, json_t *params,
                       uint8_t out[32], bool *found, sp_chain_error *err) {
  uint8_t *bytes;
  size_t len;
  bool have = true;
  int rc = sp_rpc_call_hex(c->rpc, method, params, found ? &have : NULL, &bytes,
                           &len, err);
  if (rc) return rc;
  if (found) *found = have;
  if (!have) return 0;
  if (len != 32)
    rc = sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                       "%s: expected a 32-byte hash, got %zu "
                       "bytes",
                       method, len);
  else
    memcpy(out, bytes, 32);
  free(bytes);
  return rc;
}

/* A u32 member of a JSON object. */
static int u32_member(const json_t *o, const char *key, uint32_t *out,
                      const char *method, sp_chain_error *err) {
  json_t *v = json_object_get(o, key);
  if (!json_is_integer(v) || json_integer_value(v) < 0 ||
      json_integer_value(v) > UINT32_MAX)
    return sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                         "%s: \"%s\" is missing or not a u32", method, key);
  *out = (uint32_t)json_integer_value(v);
  return 0;
}

static int read_runtime_version(sp_chain_client *c, sp_runtime_version *v,
                                sp_chain_error *err) {
  json_t *res;
  int rc = sp_rpc_call(c->rpc, "state_getRuntimeVersion", NULL, SP_RPC_OBJECT,
                       &res, err);
  if (rc) return rc;
  memset(v, 0, sizeof *v);
  rc = u32_member(res, "specVersion", &v->spec_version,
                  "state_getRuntimeVersion", err);
  if (!rc)
    rc = u32_member(res, "transactionVersion", &v->transaction_version,
                    "state_getRuntimeVersion", err);
  const char *name = json_string_value(json_object_get(res, "specName"));
  /* The node's text: escaped at this boundary (common/sanitize.h). */
  if (!rc) sp_sanitize(name, v->spec_name, sizeof v->spec_name);
  json_decref(res);
  return rc;
}

/* The metadata versions this library reads (chain/codec/metadata.h). */
#define OLDEST_METADATA 14
#define NEWEST_METADATA 16

/* state_call(`fn`, `arg`) as bytes; the node's "0x" hex result decoded. */
static int runtime_call(sp_chain_client *c, const char *fn, const uint8_t *arg,
                        size_t arg_len, uint8_t **bytes, size_t *len,
                        sp_chain_error *err) {
  char hex[2 * 8 + 3] = "0x";
  sp_hex_encode(arg, arg_len, hex + 2);
  return sp_rpc_call_hex(c->rpc, "state_call", json_pack("[s,s]", fn, hex),
                         NULL, bytes, len, err);
}

/* The newest version of 14..16 that Metadata_metadata_versions (a SCALE
 * Vec<u32>) lists, in *version; 0 when it lists none of them. */
static int newest_metadata_version(sp_chain_client *c, uint32_t *version,
                                   sp_chain_error *err) {
  uint8_t *bytes;
  size_t len;
  *version = 0;
  int rc =
      runtime_call(c, "Metadata_metadata_versions", NULL, 0, &bytes, &len, err);
  if (rc) return rc;
  sp_scale_reader r;
  sp_scale_reader_init(&r, bytes, len, err);
  size_t n = 0;
  rc = sp_scale_read_length(&r, 4, &n);
  for (size_t i = 0; i < n && !rc; i++) {
    uint32_t v;
    rc = sp_scale_read_u32(&r, &v);
    if (!rc && v >= OLDEST_METADATA && v <= NEWEST_METADATA && v > *version)
      *version = v;
  }
  if (!rc) rc = sp_scale_expect_end(&r, "the list of metadata versions");
  free(bytes);
  if (rc) return sp_chain_error_wrap(err, rc, "Metadata_metadata_versions");
  return 0;
}

/*
 * The newest metadata the runtime offers and this library reads: the
 * version Metadata_metadata_versions lists highest (up to 16), fetched with
 * Metadata_metadata_at_version (both through state_call; a live node still
 * answers state_getMetadata with V14). Falls back to state_getMetadata when
 * the node or runtime has no such API (a JSON-RPC error), offers nothing
 * newer than 14, or answers None for the version it listed. A malformed
 * answer is an error, not a reason to fall back.
 */
static int read_metadata(sp_chain_client *c, sp_metadata **md,
                         sp_chain_error *err) {
  uint8_t *bytes;
  size_t len;
  uint32_t version = 0;
  int rc = newest_metadata_version(c, &version, err);
  if (rc && rc != -SP_CHAIN_ERPC) return rc;
  if (!rc && version > OLDEST_METADATA) {
    uint8_t le[4] = {(uint8_t)version, (uint8_t)(version >> 8),
                     (uint8_t)(version >> 16), (uint8_t)(version >> 24)};
    rc = runtime_call(c, "Metadata_metadata_at_version", le, 4, &bytes, &len,
                      err);
    if (!rc) {
      rc = sp_metadata_parse_versioned(bytes, len, md, err);
      free(bytes);
    }
    if (rc != -SP_CHAIN_ERPC && rc != -SP_CHAIN_ENOTFOUND) return rc;
  }
  rc = sp_rpc_call_hex(c->rpc, "state_getMetadata", NULL, NULL, &bytes, &len,
                       err);
  if (rc) return rc;
  rc = sp_metadata_parse(bytes, len, md, err);
  free(bytes);
  return rc;
}

/* ------------------------------------------------------------- client ---- */

int sp_chain_client_open(sp_chain_client **out, const char *network_or_url,
                         const sp_rpc_options *opts, sp_chain_error *err) {
  *out = NULL;
  if (sodium_init() < 0)
    return sp_chain_fail(err, SP_CHAIN_ECRYPTO, "libsodium failed to start");
  sp_chain_client *c = calloc(1, sizeof *c);
  if (!c) return sp_chain_fail(err, SP_CHAIN_ENOMEM, "out of memory");
  int rc = sp_rpc_open(&c->rpc, network_or_url, opts, err);
  if (!rc) rc = read_runtime_version(c, &c->runtime, err);
  if (!rc) rc = read_metadata(c, &c->metadata, err);
  if (!rc)
    rc = sp_chain_call_hash(c, "chain_getBlockHash", json_pack("[i]", 0),
                            c->genesis_hash, NULL, err);
  if (rc) {
    sp_chain_error_wrap(err, rc, "connecting to %s", network_or_url);
    sp_chain_client_close(c);
    return rc;
  }
  *out = c;
  return 0;
}

void sp_chain_client_close(sp_chain_client *c) {
  if (!c) return;
  sp_rpc_close(c->rpc);
  sp_metadata_free(c->metadata);
  free(c);
}

int sp_chain_client_refresh(sp_chain_client *c, bool *upgraded,
                            sp_chain_error *err) {
  if (upgraded) *upgraded = false;
  sp_runtime_version v;
  int rc = read_runtime_version(c, &v, err);
  if (rc) return rc;
  if (v.spec_version != c->runtime.spec_version) {
    sp_metadata *md;
    rc = read_metadata(c, &md, err);
    if (rc) return rc;
    sp_metadata_free(c->metadata);
    c->metadata = md;
    if (upgraded) *upgraded = true;
  }
  c->runtime = v;
  return 0;
}

int sp_chain_best_block(sp_chain_client *c, uint64_t *number, uint8_t hash[32],
                        sp_chain_error *err) {
  uint8_t h[32];
  int rc = sp_chain_call_hash(c, "chain_getBlockHash", NULL, h, NULL, err);
  if (rc) return rc;
  json_t *res;
  rc = sp_rpc_call(c->rpc, "chain_getHeader",
                   json_pack("[o]", sp_json_hex(h, 32)), SP_RPC_OBJECT, &res,
                   err);
  if (rc) return rc;
  /* The header's number is hex text ("0x31ce99"), as Substrate serializes
   * block numbers. */
  const json_t *jn = json_object_get(res, "number");
  const char *num = json_string_value(jn);
  uint64_t n = 0;
  if (sp_hex_quantity_parse(num, &n) != 0) {
    /* The node's value in the message, printable characters only. */
    char shown[48];
    size_t k = 0;
    if (num != NULL) {
      shown[k++] = '"';
      for (const char *q = num; *q && k < sizeof shown - 5; q++)
        shown[k++] = (*q >= ' ' && *q < 0x7f) ? *q : '?';
      if (strlen(num) > sizeof shown - 6) shown[k++] = '.', shown[k++] = '.';
      shown[k++] = '"';
    } else {
      const char *t = jn == NULL ? "absent" : "not a string";
      while (*t && k < sizeof shown - 1)
        shown[k++] = *t++;
    }
    shown[k] = '\0';
    rc = sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                       "chain_getHeader: \"number\" is not a 0x-hex u64 "
                       "quantity: %s",
                       shown);
  }
  json_decref(res);
  if (rc) return rc;
  *number = n;
  if (hash) memcpy(hash, h, 32);
  return 0;
}

int sp_chain_block_hash(sp_chain_client *c, uint64_t number, uint8_t hash[32],
                        sp_chain_error *err) {
  bool found;
  int rc = sp_chain_call_hash(c, "chain_getBlockHash",
                              json_pack("[I]", (json_int_t)number), hash,
                              &found, err);
  if (!rc && !found)
    rc = sp_chain_fail(err, SP_CHAIN_ENOTFOUND,
                       "the node has no block %" PRIu64, number);
  return rc;
}

int sp_chain_account_next_index(sp_chain_client *c, const uint8_t account[32],
                                uint64_t *nonce, sp_chain_error *err) {
  /* system_accountNextIndex takes SS58 text: AccountId32 deserializes
   * only from it. */
  char ss58[64];
  int enc = sp_ss58_encode(account, 42, ss58, sizeof ss58);
  if (enc != 0)
    return sp_chain_fail(err, SP_CHAIN_EARG,
                         "cannot encode the account as SS58");
  json_t *res;
  int rc = sp_rpc_call(c->rpc, "system_accountNextIndex",
                       json_pack("[s]", ss58), SP_RPC_INTEGER, &res, err);
  if (rc) return rc;
  if (json_integer_value(res) < 0)
    rc = sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                       "system_accountNextIndex: negative nonce");
  else
    *nonce = (uint64_t)json_integer_value(res);
  json_decref(res);
  return rc;
}

int sp_chain_read_events(sp_chain_client *c, const uint8_t block_hash[32],
                         json_t **events, sp_chain_error *err) {
  *events = NULL;
  sp_scale_writer key;
  sp_scale_writer_init(&key);
  int rc =
      sp_storage_key(c->metadata, "System", "Events", NULL, &key, NULL, err);
  json_t *params = rc ? NULL
                      : json_pack("[o,o]", sp_json_hex(key.data, key.len),
                                  sp_json_hex(block_hash, 32));
  sp_scale_writer_free(&key);
  if (rc) return rc;
  bool found;
  uint8_t *bytes;
  size_t len;
  rc = sp_rpc_call_hex(c->rpc, "state_getStorage", params, &found, &bytes, &len,
                       err);
  if (rc) return rc;
  rc = sp_events_decode(c->metadata, found ? bytes : NULL, len, events, err);
  free(bytes);
  return rc;
}

json_t *sp_chain_register_args(uint16_t netuid, uint64_t block_number,
                               uint64_t nonce, const uint8_t work[32],
                               const uint8_t hotkey[32],
                               const uint8_t coldkey[32]) {
  char b[24], n[24];
  snprintf(b, sizeof b, "%" PRIu64, block_number);
  snprintf(n, sizeof n, "%" PRIu64, nonce);
  return json_pack("{s:i,s:s,s:s,s:o,s:o,s:o}", "netuid", (int)netuid,
                   "block_number", b, "nonce", n, "work", sp_json_hex(work, 32),
                   "hotkey", sp_json_hex(hotkey, 32), "coldkey",
                   sp_json_hex(coldkey, 32));
}

json_t *sp_chain_faucet_args(uint64_t block_number, uint64_t nonce,
                             const uint8_t work[32]) {
  char b[24], n[24];
  snprintf(b, sizeof b, "%" PRIu64, block_number);
  snprintf(n, sizeof n, "%" PRIu64, nonce);
  return json_pack("{s:s,s:s,s:o}", "block_number", b, "nonce", n, "work",
                   sp_json_hex(work, 32));
}

/* ---------------------------------------------------------- inclusion ---- */

int sp_chain_find_inclusion(sp_chain_client *c, const sp_chain_submission *sub,
                            const uint8_t hash[32], const uint64_t *number_of,
                            bool *found, sp_chain_outcome *out,
                            sp_chain_error *err) {
  *found = false;
  json_t *res;
  int rc = sp_rpc_call(c->rpc, "chain_getBlock",
                       json_pack("[o]", sp_json_hex(hash, 32)), SP_RPC_OBJECT,
                       &res, err);
  if (rc) return rc;
  json_t *block = json_object_get(res, "block");
  json_t *xts = json_object_get(block, "extrinsics");
  const char *num = json_string_value(
      json_object_get(json_object_get(block, "header"), "number"));
  uint64_t number = 0;
  bool have_number = false;
  if (num && strncmp(num, "0x", 2) == 0 && num[2]) {
    char *end = NULL;
    number = strtoull(num + 2, &end, 16);
    have_number = *end == '\0';
  } else if (num == NULL && number_of != NULL) {
    number = *number_of;
    have_number = true;
  }
  if (!json_is_array(xts) || !have_number) {
    json_decref(res);
    return sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                         "chain_getBlock: no block.extrinsics or header "
                         "number");
  }
  char *want = malloc(2 * sub->len + 3);
  if (!want) {
    json_decref(res);
    return sp_chain_fail(err, SP_CHAIN_ENOMEM, "out of memory");
  }
  want[0] = '0', want[1] = 'x';
  sp_hex_encode(sub->bytes, sub->len, want + 2);
  size_t i;
  json_t *x;
  uint32_t index = 0;
  json_array_foreach(xts, i, x) {
    if (json_is_string(x) && strcasecmp(json_string_value(x), want) == 0) {
      *found = true;
      index = (uint32_t)i;
      break;
    }
  }
  free(want);
  json_decref(res);
  if (!*found) return 0;
  out->block_number = number;
  memcpy(out->block_hash, hash, 32);
  out->extrinsic_index = index;
  json_t *events;
  rc = sp_chain_read_events(c, hash, &events, err);
  if (!rc) {
    rc = sp_events_outcome(c->metadata, events, index, &out->dispatch, err);
    json_decref(events);
  }
  if (rc)
    return sp_chain_error_wrap(err, rc, "events of block %" PRIu64, number);
  return 0;
}
