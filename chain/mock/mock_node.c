/* The mock node: block production, the JSON-RPC methods and the node's life
 * cycle (state: mock_state.c, runtime: mock_runtime.c). */
#include "chain/mock/mock_node.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chain/client/extrinsic.h"
#include "chain/client/storage.h"
#include "chain/codec/scale_type.h"
#include "chain/keys/ss58.h"
#include "chain/mock/mock_dev.h"
#include "chain/mock/mock_metadata.h"
#include "chain/mock/mock_runtime.h"
#include "chain/mock/mock_state.h"
#include "common/deadline.h"
#include "common/hex.h"
#include "common/runtime_era.h"
#include "common/version.h"

void sp_mock_config_default(sp_mock_config *c) {
  memset(c, 0, sizeof *c);
  c->port = 9944;
  c->block_time_ms = 1000;
  c->runtime = 343;
  c->faucet = true;
  /* 0: the runtime profile's value, resolved by sp_mock_start (see
   * mock_node.h for where each comes from) */
  c->max_registrations_per_block = 0;
  c->target_registrations_per_interval = 0;
  c->adjustment_interval = 100;
  sp_mock_config_subnet(c, 1, true, 10000);
}

int sp_mock_config_subnet(sp_mock_config *c, uint16_t netuid, bool pow_allowed,
                          uint64_t difficulty) {
  for (size_t i = 0; i < c->n_subnets; i++) {
    if (c->subnets[i].netuid == netuid) {
      c->subnets[i].pow_allowed = pow_allowed;
      c->subnets[i].difficulty = difficulty;
      return 0;
    }
  }
  if (c->n_subnets == SP_MOCK_MAX_SUBNETS) return -SP_ERANGE;
  c->subnets[c->n_subnets++] = (sp_mock_subnet){.netuid = netuid,
                                                .pow_allowed = pow_allowed,
                                                .difficulty = difficulty,
                                                .burn = 1000000000 /* 1 TAO */};
  return 0;
}

/* ------------------------------------------------------------- blocks -- */

/* A block's hash is, as on a Substrate chain, BLAKE2b-256 of its SCALE
 * header: parent_hash, Compact<u32> number, state_root, extrinsics_root,
 * digest (empty). Clients such as polkadot.js hash the header themselves
 * (header.hash) and sign mortal eras against that hash, so it must match
 * chain_getBlockHash. The mock has no state trie: its state root is
 * BLAKE2b-256(seed || number || parent) (integers little-endian), which
 * makes hashes deterministic for a seed and different for every block; the
 * extrinsics root is zero. */
static int block_hash(uint64_t seed, mock_block *b) {
  uint8_t in[48];
  for (int i = 0; i < 8; i++) {
    in[i] = (uint8_t)(seed >> (8 * i));
    in[8 + i] = (uint8_t)(b->number >> (8 * i));
  }
  memcpy(in + 16, b->parent, 32);
  sp_blake2_256(in, sizeof in, b->state_root);
  static const uint8_t zero[32] = {0};
  sp_scale_writer w;
  sp_scale_writer_init(&w);
  sp_scale_put_bytes(&w, b->parent, 32);
  sp_scale_put_compact(&w, b->number);
  sp_scale_put_bytes(&w, b->state_root, 32);
  sp_scale_put_bytes(&w, zero, 32); /* extrinsics_root */
  sp_scale_put_compact(&w, 0);      /* digest: no logs */
  int rc = sp_scale_writer_ok(&w);
  if (rc == 0) sp_blake2_256(w.data, w.len, b->hash);
  sp_scale_writer_free(&w);
  return rc;
}

/* Appends block `number` with these events; caller holds the lock.
 * Returns 0, or a negative sp_error code and fills `err` (may be NULL):
 * SP_CHAIN_ENOMEM, or the codec's code when the events do not encode. */
static int append_block(sp_mock_node *n, json_t *extrinsics, json_t *events,
                        sp_chain_error *err) {
  if (n->n_blocks == n->cap_blocks) {
    size_t cap = n->cap_blocks ? 2 * n->cap_blocks : 256;
    mock_block *b = realloc(n->blocks, cap * sizeof *b);
    if (b == NULL) return sp_error_fail(err, SP_CHAIN_ENOMEM, "out of memory");
    n->blocks = b;
    n->cap_blocks = cap;
  }
  mock_block *b = &n->blocks[n->n_blocks];
  memset(b, 0, sizeof *b);
  b->number = n->n_blocks;
  if (b->number > 0) memcpy(b->parent, n->blocks[b->number - 1].hash, 32);
  int rc = block_hash(n->cfg.seed, b);
  if (rc != 0) return sp_error_fail(err, -rc, "out of memory");
  b->extrinsics = extrinsics;
  const sp_storage_entry *e = NULL;
  sp_metadata_storage(n->md, "System", "Events", NULL, &e, NULL);
  sp_scale_writer w;
  sp_scale_writer_init(&w);
  sp_chain_error enc = {0};
  rc = e == NULL ? -SP_CHAIN_ENOTFOUND
                 : sp_scale_encode_type(&n->md->registry, e->value_type, events,
                                        &w, &enc);
  if (rc != 0) {
    sp_scale_writer_free(&w);
    rc = sp_error_fail(err, -rc, "cannot encode events: %s", enc.message);
    if (err != NULL) err->cause = enc.code;
    return rc;
  }
  b->events = w.data;
  b->events_len = w.len;
  n->n_blocks++;
  json_t *num = json_pack("[I]", (json_int_t)b->number);
  json_t *hash = sp_json_hex(b->hash, 32);
  st_set(n, "System", "BlockHash", num, hash);
  json_decref(num);
  json_decref(hash);
  json_t *number = json_integer((json_int_t)b->number);
  st_set(n, "System", "Number", NULL, number);
  json_decref(number);
  st_set(n, "System", "Events", NULL, events);
  return 0;
}

static json_t *header_json(const mock_block *b);

uint64_t sp_mock_produce_block(sp_mock_node *n) {
  pthread_mutex_lock(&n->lock);
  uint64_t number = n->n_blocks;
  json_t *extrinsics = json_array();
  /* the pool's hashes, for the watchers of author_submitAndWatchExtrinsic */
  json_t *included = json_array();
  for (size_t i = 0; i < n->n_pool; i++) {
    json_array_append_new(extrinsics,
                          sp_json_hex(n->pool[i].bytes, n->pool[i].len));
    uint8_t h[32];
    if (sp_extrinsic_hash(n->pool[i].bytes, n->pool[i].len, h) == 0)
      json_array_append_new(included, sp_json_hex(h, 32));
  }
  mock_on_initialize(n, number);
  json_t *events = mock_apply_pool(n, number);
  sp_chain_error err = {0};
  /* The producer has no caller to answer: a block that cannot be made is
   * said on stderr, as the mock node's own diagnostic. */
  if (append_block(n, extrinsics, events, &err) != 0)
    fprintf(stderr, "mock node: %s\n", err.message);
  json_decref(events);
  mock_block *b = mock_best(n);
  json_t *header = header_json(b);
  json_t *block_hash = sp_json_hex(b->hash, 32);
  pthread_mutex_unlock(&n->lock);
  /* WebSocket subscribers, outside the lock (ws_server.h); the mock
   * finalizes every block at once (chain_getFinalizedHead is the best). */
  if (n->server != NULL) {
    sp_rpc_server_publish_head(n->server, false, header);
    sp_rpc_server_publish_head(n->server, true, header);
    size_t i;
    json_t *h;
    json_array_foreach(included, i, h) {
      json_t *in_block = json_pack("{s:O}", "inBlock", block_hash);
      json_t *final = json_pack("{s:O}", "finalized", block_hash);
      sp_rpc_server_publish_extrinsic(n->server, json_string_value(h), in_block,
                                      false);
      sp_rpc_server_publish_extrinsic(n->server, json_string_value(h), final,
                                      true);
      json_decref(in_block);
      json_decref(final);
    }
  }
  json_decref(header);
  json_decref(block_hash);
  json_decref(included);
  return number;
}

static void *producer(void *arg) {
  sp_mock_node *n = arg;
  while (!atomic_load(&n->stop)) {
    struct timespec deadline =
        sp_deadline_after_ms(CLOCK_REALTIME, (long long)n->cfg.block_time_ms);
    pthread_mutex_lock(&n->lock);
    int rc = 0;
    while (!atomic_load(&n->stop) && rc != ETIMEDOUT)
      rc = pthread_cond_timedwait(&n->wake, &n->lock, &deadline);
    pthread_mutex_unlock(&n->lock);
    if (atomic_load(&n->stop)) break;
    if (!atomic_load(&n->stalled)) sp_mock_produce_block(n);
  }
  return NULL;
}

/* ------------------------------------------------------------ methods -- */

static void fail(sp_rpc_reply *r, int code, const char *fmt, const char *arg) {
  r->error_code = code;
  snprintf(r->error_message, sizeof r->error_message, fmt, arg ? arg : "");
}

/* An optional block-hash parameter at position i: the best block when
 * absent or null, NULL for an unknown hash. Returns 0, or -SP_EINVAL with
 * the JSON-RPC error (invalid params) in `r`, the record of this layer. */
static int block_param(sp_mock_node *n, json_t *params, size_t i,
                       mock_block **out, sp_rpc_reply *r) {
  json_t *p = json_array_get(params, i);
  *out = mock_best(n);
  if (p == NULL || json_is_null(p)) return 0;
  uint8_t hash[32];
  const char *s = json_string_value(p);
  if (s == NULL || sp_hex_decode(s, 32, hash, 32, NULL) != 0) {
    fail(r, SP_RPC_INVALID_PARAMS, "Invalid params: expected a block hash",
         NULL);
    return -SP_EINVAL;
  }
  *out = mock_block_by_hash(n, hash);
  return 0;
}

static json_t *header_json(const mock_block *b) {
  char number[24];
  snprintf(number, sizeof number, "0x%" PRIx64, b->number);
  static const uint8_t zero[32] = {0};
  return json_pack("{s:o, s:s, s:o, s:o, s:{s:[]}}", "parentHash",
                   sp_json_hex(b->parent, 32), "number", number, "stateRoot",
                   sp_json_hex(b->state_root, 32), "extrinsicsRoot",
                   sp_json_hex(zero, 32), "digest", "logs");
}

static json_t *runtime_version(const sp_mock_node *n) {
  return json_pack(
      "{s:s, s:s, s:i, s:I, s:i, s:[[s,i],[s,i],[s,i],[s,i]], s:i, s:i}",
      "specName", "node-subtensor", "implName", "node-subtensor",
      "authoringVersion", 1, "specVersion", (json_int_t)n->cfg.runtime,
      "implVersion", 1, "apis", "0xdf6acb689907609b", 5, "0x37e397fc7c91f5e4",
      2, "0xd2bc9897eed08f15", 3, "0xf78b278be53f454c", 2, "transactionVersion",
      1, "stateVersion", 1);
}

static const char *const methods[] = {"account_nextIndex",
                                      "author_pendingExtrinsics",
                                      "author_submitExtrinsic",
                                      "chain_getBlock",
                                      "chain_getBlockHash",
                                      "chain_getFinalizedHead",
                                      "chain_getHead",
                                      "chain_getHeader",
                                      "chain_getRuntimeVersion",
                                      "dev_newBlock",
                                      "dev_setStorage",
                                      "rpc_methods",
                                      "state_call",
                                      "state_getMetadata",
                                      "state_getRuntimeVersion",
                                      "state_getStorage",
                                      "state_getStorageAt",
                                      "state_queryStorageAt",
                                      "system_accountNextIndex",
                                      "system_chain",
                                      "system_health",
                                      "system_name",
                                      "system_properties",
                                      "system_version"};

/* The value of a storage key at block b: per-block for System.Events and
 * System.Number, else the newest state (a documented simplification). */
static json_t *storage_value(sp_mock_node *n, const char *key, mock_block *b) {
  uint8_t k[32];
  char hex[67] = "0x";
  sp_storage_prefix("System", "Events", k);
  sp_hex_encode(k, 32, hex + 2);
  if (strcasecmp(key, hex) == 0) return sp_json_hex(b->events, b->events_len);
  sp_storage_prefix("System", "Number", k);
  sp_hex_encode(k, 32, hex + 2);
  if (strcasecmp(key, hex) == 0) {
    uint8_t le[4];
    for (int i = 0; i < 4; i++)
      le[i] = (uint8_t)(b->number >> (8 * i));
    return sp_json_hex(le, 4);
  }
  /* keys are stored in lowercase */
  char *lower = strdup(key);
  if (lower == NULL) return json_null();
  for (char *p = lower; *p; p++)
    if (*p >= 'A' && *p <= 'F') *p = (char)(*p - 'A' + 'a');
  json_t *v = json_object_get(n->storage, lower);
  free(lower);
  return v ? json_incref(v) : json_null();
}

static bool valid_key(const char *s) {
  uint8_t buf[512];
  return s != NULL && sp_hex_decode(s, 0, buf, sizeof buf, NULL) == 0;
}

/* chain_*: block hashes, heads, headers and blocks. Returns false for
 * another method. Caller holds n->lock. */
static bool chain_method(sp_mock_node *n, const char *method, json_t *params,
                         sp_rpc_reply *r) {
  mock_block *b = NULL;
  if (strcmp(method, "chain_getBlockHash") == 0) {
    json_t *p = json_array_get(params, 0);
    if (p == NULL || json_is_null(p)) {
      b = mock_best(n);
    } else if (json_is_integer(p) && json_integer_value(p) >= 0) {
      b = mock_block_by_number(n, (uint64_t)json_integer_value(p));
    } else if (json_is_string(p)) {
      uint64_t num = 0;
      const char *s = json_string_value(p);
      char *end = NULL;
      errno = 0;
      num = strtoull(s, &end, 0);
      if (errno || end == s || *end) {
        fail(r, SP_RPC_INVALID_PARAMS, "Invalid params: block number", NULL);
        return true;
      }
      b = mock_block_by_number(n, num);
    } else {
      fail(r, SP_RPC_INVALID_PARAMS, "Invalid params: block number", NULL);
      return true;
    }
    r->result = b ? sp_json_hex(b->hash, 32) : json_null();
  } else if (strcmp(method, "chain_getHead") == 0 ||
             strcmp(method, "chain_getFinalizedHead") == 0) {
    /* Instant finality: every block is final once produced. */
    r->result = sp_json_hex(mock_best(n)->hash, 32);
  } else if (strcmp(method, "chain_getHeader") == 0) {
    if (block_param(n, params, 0, &b, r) == 0)
      r->result = b ? header_json(b) : json_null();
  } else if (strcmp(method, "chain_getBlock") == 0) {
    if (block_param(n, params, 0, &b, r) == 0)
      r->result = b ? json_pack("{s:{s:o, s:O}, s:n}", "block", "header",
                                header_json(b), "extrinsics", b->extrinsics,
                                "justifications")
                    : json_null();
  } else {
    return false;
  }
  return true;
}

/* state_*: storage, the runtime version, the metadata and the runtime
 * calls the clients make. Returns false for
 * another method. Caller holds n->lock. */
static bool state_method(sp_mock_node *n, const char *method, json_t *params,
                         sp_rpc_reply *r) {
  mock_block *b = NULL;
  if (strcmp(method, "state_getStorage") == 0 ||
      strcmp(method, "state_getStorageAt") == 0) {
    const char *key = json_string_value(json_array_get(params, 0));
    if (!valid_key(key)) {
      fail(r, SP_RPC_INVALID_PARAMS,
           "Invalid params: expected a hex storage key", NULL);
    } else if (block_param(n, params, 1, &b, r) == 0) {
      r->result = b ? storage_value(n, key, b) : json_null();
    }
  } else if (strcmp(method, "state_queryStorageAt") == 0) {
    json_t *keys = json_array_get(params, 0);
    if (!json_is_array(keys)) {
      fail(r, SP_RPC_INVALID_PARAMS,
           "Invalid params: expected an array of keys", NULL);
    } else if (block_param(n, params, 1, &b, r) == 0 && b != NULL) {
      json_t *changes = json_array();
      size_t i;
      json_t *k;
      json_array_foreach(keys, i, k) {
        if (!valid_key(json_string_value(k))) {
          json_decref(changes);
          fail(r, SP_RPC_INVALID_PARAMS, "Invalid params: bad storage key",
               NULL);
          return true;
        }
        json_array_append_new(
            changes,
            json_pack("[O,o]", k, storage_value(n, json_string_value(k), b)));
      }
      r->result = json_pack("[{s:o, s:o}]", "block", sp_json_hex(b->hash, 32),
                            "changes", changes);
    } else if (r->error_code == 0) {
      r->result = json_array();
    }
  } else if (strcmp(method, "state_getRuntimeVersion") == 0 ||
             strcmp(method, "chain_getRuntimeVersion") == 0) {
    r->result = runtime_version(n);
  } else if (strcmp(method, "state_getMetadata") == 0) {
    r->result = sp_json_hex(n->metadata, n->metadata_len);
  } else if (strcmp(method, "state_call") == 0) {
    const char *fn = json_string_value(json_array_get(params, 0));
    const char *data = json_string_value(json_array_get(params, 1));
    uint8_t arg[8];
    size_t arg_len = 0;
    if (fn == NULL || data == NULL ||
        sp_hex_decode(data, 0, arg, sizeof arg, &arg_len) != 0) {
      fail(r, SP_RPC_INVALID_PARAMS,
           "Invalid params: state_call(method, hex data)", NULL);
    } else if (strcmp(fn, "Metadata_metadata_versions") == 0) {
      static const uint8_t versions[] = {0x04, 14, 0, 0, 0}; /* Vec<u32> [14] */
      r->result = sp_json_hex(versions, sizeof versions);
    } else if (strcmp(fn, "Metadata_metadata_at_version") == 0) {
      if (arg_len != 4) {
        fail(r, SP_RPC_INVALID_PARAMS, "Invalid params: version must be a u32",
             NULL);
        return true;
      }
      uint32_t version = (uint32_t)arg[0] | (uint32_t)arg[1] << 8 |
                         (uint32_t)arg[2] << 16 | (uint32_t)arg[3] << 24;
      sp_scale_writer w;
      sp_scale_writer_init(&w);
      if (version == 14) { /* Option<OpaqueMetadata>: Some(Vec<u8>) */
        sp_scale_put_u8(&w, 1);
        sp_scale_put_byte_vec(&w, n->metadata, n->metadata_len);
      } else {
        sp_scale_put_u8(&w, 0);
      }
      r->result = sp_json_hex(w.data, w.len);
      sp_scale_writer_free(&w);
    } else {
      /* Substrate answers an unknown runtime API with this code. */
      fail(r, 4003,
           "Client error: Execution failed: Other: Exported method %s is not "
           "found",
           fn);
    }
  } else {
    return false;
  }
  return true;
}

/* system_*, rpc_methods and the account's next index. Returns false for
 * another method. Caller holds n->lock. */
static bool system_method(sp_mock_node *n, const char *method, json_t *params,
                          sp_rpc_reply *r) {
  if (strcmp(method, "system_chain") == 0) {
    r->result = json_string("Bittensor (subpow mock)");
  } else if (strcmp(method, "system_name") == 0) {
    r->result = json_string("subpow-mock-node");
  } else if (strcmp(method, "system_version") == 0) {
    r->result = json_string(sp_version());
  } else if (strcmp(method, "system_health") == 0) {
    r->result = json_pack("{s:i, s:b, s:b}", "peers", 0, "isSyncing", 0,
                          "shouldHavePeers", 0);
  } else if (strcmp(method, "system_properties") == 0) {
    r->result = json_pack("{s:i, s:i, s:s}", "ss58Format", 42, "tokenDecimals",
                          9, "tokenSymbol", "TAO");
  } else if (strcmp(method, "rpc_methods") == 0) {
    json_t *list = json_array();
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
      json_array_append_new(list, json_string(methods[i]));
    r->result = json_pack("{s:i, s:o}", "version", 1, "methods", list);
  } else if (strcmp(method, "system_accountNextIndex") == 0 ||
             strcmp(method, "account_nextIndex") == 0) {
    const char *addr = json_string_value(json_array_get(params, 0));
    uint8_t account[32];
    if (addr == NULL || sp_ss58_decode(addr, account, NULL) != 0) {
      fail(r, SP_RPC_INVALID_PARAMS, "Invalid params: expected an SS58 address",
           NULL);
    } else {
      r->result = json_integer(mock_next_index(n, account));
    }
  } else {
    return false;
  }
  return true;
}

/* author_submitExtrinsic: into the transaction pool. Returns false for
 * another method. Caller holds n->lock. */
static bool author_method(sp_mock_node *n, const char *method, json_t *params,
                          sp_rpc_reply *r) {
  if (strcmp(method, "author_submitExtrinsic") == 0) {
    const char *hex = json_string_value(json_array_get(params, 0));
    size_t cap = hex ? strlen(hex) / 2 + 1 : 1;
    uint8_t *bytes = malloc(cap);
    size_t len = 0;
    if (bytes == NULL || hex == NULL ||
        sp_hex_decode(hex, 0, bytes, cap, &len) != 0) {
      fail(r, SP_RPC_INVALID_PARAMS,
           "Invalid params: expected the extrinsic as hex", NULL);
    } else {
      uint8_t hash[32];
      if (mock_submit(n, bytes, len, hash, r) == 0)
        r->result = sp_json_hex(hash, 32);
    }
    free(bytes);
  } else {
    return false;
  }
  return true;
}

/* One JSON-RPC call: the test controls first (mock_dev.c), then each
 * family of methods under the node's lock. */
static void handle(void *user, const char *method, json_t *params,
                   sp_rpc_reply *r) {
  sp_mock_node *n = user;
  if (!json_is_array(params)) {
    fail(r, SP_RPC_INVALID_PARAMS, "Invalid params: expected an array", NULL);
    return;
  }
  if (mock_dev_handle(n, sp_mock_produce_block, method, params, r)) return;
  pthread_mutex_lock(&n->lock);
  if (n->burn_armed && n->burn_armed_method[0] != '\0' &&
      strcmp(method, n->burn_armed_method) == 0) {
    /* sp_mock_set_burn_on_method: the price moves before this answer */
    n->burn_armed = false;
    json_t *k = json_pack("[i]", n->burn_armed_netuid);
    st_set_u64(n, "SubtensorModule", "Burn", k, n->burn_armed_rao);
    json_decref(k);
  }
  if (!chain_method(n, method, params, r) &&
      !state_method(n, method, params, r) &&
      !system_method(n, method, params, r) &&
      !author_method(n, method, params, r))
    fail(r, SP_RPC_METHOD_NOT_FOUND, "Method not found", NULL);
  pthread_mutex_unlock(&n->lock);
}

/* ------------------------------------------------------------ control -- */

/* The mock's runtime profiles: the spec_version each answers with, the
 * real runtime it stands for, and the genesis values of that runtime read
 * under Chopsticks (regress/realchain, scenario 0): spec 218
 * (raonet-spec218.json, netuid 1) for profile 282; spec 293 for 343, whose
 * values on netuid 1 are its storage defaults, the same as in finney's
 * spec-343 metadata (the recorded metadata_v14.hex). The
 * modern profile answers any spec_version of the runtime era "burned"
 * (common/runtime_era.h) and follows today's source (mock_node.h). */
typedef struct mock_profile {
  uint32_t spec; /* 0: any spec_version of the burned era */
  uint16_t max_registrations_per_block, target_registrations_per_interval;
} mock_profile;

static const mock_profile profiles[] = {
    {282, 4, 4},
    {343, 1, 2},
    {0, 1, 2},
};

static const mock_profile *profile_of(uint32_t runtime) {
  for (size_t i = 0; i < sizeof profiles / sizeof profiles[0]; i++) {
    if (profiles[i].spec != 0 ? profiles[i].spec == runtime
                              : !sp_runtime_era_of(runtime)->pow_registration)
      return &profiles[i];
  }
  return NULL;
}

bool sp_mock_runtime_known(uint32_t runtime) {
  return profile_of(runtime) != NULL;
}

static void profile_defaults(sp_mock_config *c) {
  const mock_profile *p = profile_of(c->runtime);
  if (c->max_registrations_per_block == 0)
    c->max_registrations_per_block = p->max_registrations_per_block;
  if (c->target_registrations_per_interval == 0)
    c->target_registrations_per_interval = p->target_registrations_per_interval;
}

/* Writes the configured subnets and appends block 0. Returns 0, or a
 * negative sp_error code and fills `err` (append_block). */
static int genesis(sp_mock_node *n, sp_chain_error *err) {
  const sp_mock_config *c = &n->cfg;
  for (size_t i = 0; i < c->n_subnets; i++) {
    const sp_mock_subnet *s = &c->subnets[i];
    json_t *k = json_pack("[i]", s->netuid);
    json_t *yes = json_true(),
           *allowed = s->pow_allowed ? json_true() : json_false();
    st_set(n, "SubtensorModule", "NetworksAdded", k, yes);
    st_set(n, "SubtensorModule", "NetworkPowRegistrationAllowed", k, allowed);
    st_set_u64(n, "SubtensorModule", "Difficulty", k, s->difficulty);
    st_set_u64(n, "SubtensorModule", "Burn", k, s->burn);
    st_set_u64(n, "SubtensorModule", "MaxRegistrationsPerBlock", k,
               c->max_registrations_per_block);
    st_set_u64(n, "SubtensorModule", "TargetRegistrationsPerInterval", k,
               c->target_registrations_per_interval);
    json_decref(k);
    json_decref(yes);
    json_decref(allowed);
  }
  json_t *events = json_array();
  int rc = append_block(n, json_array(), events, err);
  json_decref(events);
  return rc;
}

sp_mock_node *sp_mock_start(const sp_mock_config *c, sp_error_record *err) {
  if (!sp_mock_runtime_known(c->runtime)) {
    sp_error_fail(err, SP_EINVAL,
                  "runtime %u is not a profile of the mock (282, 343, %u+)",
                  c->runtime, sp_runtime_era_burned_from());
    return NULL;
  }
  if (c->block_time_ms == 0) {
    sp_error_fail(err, SP_EINVAL, "block time must be at least 1 ms");
    return NULL;
  }
  for (size_t i = 0; i < c->n_subnets; i++) {
    if (c->subnets[i].netuid == 0) {
      sp_error_fail(err, SP_EINVAL,
                    "netuid 0 is the root network, not a PoW subnet");
      return NULL;
    }
  }
  sp_mock_node *n = calloc(1, sizeof *n);
  if (n == NULL) {
    sp_error_fail(err, SP_ENOMEM, "out of memory");
    return NULL;
  }
  n->cfg = *c;
  profile_defaults(&n->cfg);
  pthread_mutex_init(&n->lock, NULL);
  pthread_cond_init(&n->wake, NULL);
  atomic_init(&n->stop, false);
  atomic_init(&n->stalled, c->stall_blocks);
  n->storage = json_object();
  n->metadata = sp_mock_metadata_build_for(c->runtime, !c->no_register_limit,
                                           &n->metadata_len);
  sp_chain_error cerr = {0};
  if (n->metadata == NULL ||
      sp_metadata_parse(n->metadata, n->metadata_len, &n->md, &cerr) != 0 ||
      genesis(n, &cerr) != 0) {
    sp_error_fail(err, SP_CHAIN_EMETADATA,
                  "mock node: cannot build its metadata or genesis: %s",
                  cerr.message);
    if (err != NULL) err->cause = cerr.code;
    sp_mock_stop(n);
    return NULL;
  }
  n->server = sp_rpc_server_start(c->port, handle, n, c->seed, err);
  if (n->server == NULL) {
    sp_mock_stop(n);
    return NULL;
  }
  sp_rpc_server_set_faults(n->server, &c->faults);
  int rc = pthread_create(&n->producer, NULL, producer, n);
  if (rc != 0) {
    sp_error_fail(err, SP_EIO, "cannot start the block producer");
    if (err != NULL) err->sys_errno = rc;
    sp_mock_stop(n);
    return NULL;
  }
  n->producer_started = true;
  return n;
}

uint16_t sp_mock_port(const sp_mock_node *n) {
  return sp_rpc_server_port(n->server);
}

void sp_mock_url(const sp_mock_node *n, char *out, size_t cap) {
  snprintf(out, cap, "http://127.0.0.1:%u", sp_mock_port(n));
}

void sp_mock_ws_url(const sp_mock_node *n, char *out, size_t cap) {
  snprintf(out, cap, "ws://127.0.0.1:%u", sp_mock_port(n));
}

void sp_mock_drop_connections(sp_mock_node *n) {
  sp_rpc_server_drop_ws(n->server);
}

void sp_mock_set_down(sp_mock_node *n, bool down) {
  sp_rpc_server_set_down(n->server, down);
}

unsigned sp_mock_ws_connections(sp_mock_node *n) {
  return sp_rpc_server_ws_connections(n->server);
}

void sp_mock_set_faults(sp_mock_node *n, const sp_rpc_faults *f) {
  sp_rpc_server_set_faults(n->server, f);
}

void sp_mock_set_stalled(sp_mock_node *n, bool stalled) {
  atomic_store(&n->stalled, stalled);
}

size_t sp_mock_pool_size(sp_mock_node *n) {
  pthread_mutex_lock(&n->lock);
  size_t k = n->n_pool;
  pthread_mutex_unlock(&n->lock);
  return k;
}

uint64_t sp_mock_best(sp_mock_node *n) {
  pthread_mutex_lock(&n->lock);
  uint64_t b = mock_best(n)->number;
  pthread_mutex_unlock(&n->lock);
  return b;
}

int sp_mock_uid(sp_mock_node *n, uint16_t netuid, const uint8_t hotkey[32],
                uint16_t *uid) {
  pthread_mutex_lock(&n->lock);
  json_t *k = json_pack("[i, o]", netuid, sp_json_hex(hotkey, 32));
  json_t *v = st_get(n, "SubtensorModule", "Uids", k);
  json_decref(k);
  int rc = 1;
  if (v != NULL && json_is_integer(v)) {
    *uid = (uint16_t)json_integer_value(v);
    rc = 0;
  }
  json_decref(v);
  pthread_mutex_unlock(&n->lock);
  return rc;
}

static json_t *account_key(const uint8_t account[32]) {
  return json_pack("[o]", sp_json_hex(account, 32));
}

uint64_t sp_mock_balance(sp_mock_node *n, const uint8_t account[32]) {
  pthread_mutex_lock(&n->lock);
  json_t *k = account_key(account);
  json_t *info = st_get(n, "System", "Account", k);
  sp_u128 free_ = 0;
  sp_json_to_u128(json_object_get(json_object_get(info, "data"), "free"),
                  UINT64_MAX, &free_);
  json_decref(info);
  json_decref(k);
  pthread_mutex_unlock(&n->lock);
  return (uint64_t)free_;
}

void sp_mock_set_balance(sp_mock_node *n, const uint8_t account[32],
                         uint64_t rao) {
  pthread_mutex_lock(&n->lock);
  json_t *k = account_key(account);
  json_t *info = st_get(n, "System", "Account", k);
  char dec[24];
  snprintf(dec, sizeof dec, "%" PRIu64, rao);
  json_object_set_new(json_object_get(info, "data"), "free", json_string(dec));
  st_set(n, "System", "Account", k, info);
  json_decref(info);
  json_decref(k);
  pthread_mutex_unlock(&n->lock);
}

static json_t *netuid_key(uint16_t netuid) { return json_pack("[i]", netuid); }

uint64_t sp_mock_burn(sp_mock_node *n, uint16_t netuid) {
  pthread_mutex_lock(&n->lock);
  json_t *k = netuid_key(netuid);
  uint64_t v = st_get_u64(n, "SubtensorModule", "Burn", k);
  json_decref(k);
  pthread_mutex_unlock(&n->lock);
  return v;
}

void sp_mock_set_burn(sp_mock_node *n, uint16_t netuid, uint64_t rao) {
  pthread_mutex_lock(&n->lock);
  json_t *k = netuid_key(netuid);
  st_set_u64(n, "SubtensorModule", "Burn", k, rao);
  json_decref(k);
  pthread_mutex_unlock(&n->lock);
}

void sp_mock_set_burn_on_method(sp_mock_node *n, const char *method,
                                uint16_t netuid, uint64_t rao) {
  pthread_mutex_lock(&n->lock);
  n->burn_armed = true;
  n->burn_armed_netuid = netuid;
  n->burn_armed_rao = rao;
  snprintf(n->burn_armed_method, sizeof n->burn_armed_method, "%s", method);
  pthread_mutex_unlock(&n->lock);
}

void sp_mock_set_burn_on_submit(sp_mock_node *n, uint16_t netuid,
                                uint64_t rao) {
  pthread_mutex_lock(&n->lock);
  n->burn_armed_method[0] = '\0';
  n->burn_armed = true;
  n->burn_armed_netuid = netuid;
  n->burn_armed_rao = rao;
  pthread_mutex_unlock(&n->lock);
}

void sp_mock_set_owner(sp_mock_node *n, const uint8_t hotkey[32],
                       const uint8_t coldkey[32]) {
  pthread_mutex_lock(&n->lock);
  json_t *k = account_key(hotkey);
  json_t *v = sp_json_hex(coldkey, 32);
  st_set(n, "SubtensorModule", "Owner", k, v);
  json_decref(v);
  json_decref(k);
  pthread_mutex_unlock(&n->lock);
}

uint64_t sp_mock_requests(const sp_mock_node *n) {
  return sp_rpc_server_requests(n->server);
}

void sp_mock_stop(sp_mock_node *n) {
  if (n == NULL) return;
  atomic_store(&n->stop, true);
  if (n->producer_started) {
    pthread_mutex_lock(&n->lock);
    pthread_cond_broadcast(&n->wake);
    pthread_mutex_unlock(&n->lock);
    pthread_join(n->producer, NULL);
  }
  sp_rpc_server_stop(n->server);
  for (size_t i = 0; i < n->n_blocks; i++) {
    json_decref(n->blocks[i].extrinsics);
    free(n->blocks[i].events);
  }
  for (size_t i = 0; i < n->n_pool; i++) {
    free(n->pool[i].bytes);
    json_decref(n->pool[i].call);
  }
  free(n->pool);
  free(n->blocks);
  json_decref(n->storage);
  sp_metadata_free(n->md);
  free(n->metadata);
  pthread_cond_destroy(&n->wake);
  pthread_mutex_destroy(&n->lock);
  free(n);
}
