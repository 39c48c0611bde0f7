/*
 * The mock node's runtime: the transaction pool's validation of submitted
 * extrinsics (decoding, signature, nonce, era) and the dispatch of
 * SubtensorModule.register / burned_register / faucet, System.remark and
 * Balances.transfer_allow_death, with the pallet's checks in the pallet's
 * order (docs/protocol.md section 3).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain/client/storage.h"
#include "chain/codec/scale_type.h"
#include "chain/keys/keypair.h"
#include "chain/mock/mock_metadata.h"
#include "chain/mock/mock_runtime.h"
#include "common/runtime_era.h"
#include "reference/reference.h"

/* The faucet's fixed difficulty and payout (pallet do_faucet). */
#define FAUCET_DIFFICULTY 1000000u
#define FAUCET_AMOUNT 1000000000000ull /* 1,000 TAO in rao */

/* JSON-RPC error codes of Substrate's author API (sc-rpc-api author/error.rs):
 * 1002 verification error (undecodable), 1010 invalid transaction. */
#define RPC_VERIFICATION_ERROR 1002
#define RPC_INVALID_TRANSACTION 1010

/* Fills the pool's JSON-RPC error in `r` (which is the record of this
 * layer: the node answers with it) and returns -err, a negative sp_error
 * code for the caller's branch: SP_EINVAL for an extrinsic the pool
 * refuses, SP_ENOMEM. */
static int reject(sp_rpc_reply *r, int err, int code, const char *message,
                  const char *data) {
  r->error_code = code;
  snprintf(r->error_message, sizeof r->error_message, "%s", message);
  r->error_data = json_string(data);
  return -err;
}

static json_t *account_key(const uint8_t a[32]) {
  return json_pack("[o]", sp_json_hex(a, 32));
}

static uint32_t stored_nonce(sp_mock_node *n, const uint8_t account[32]) {
  json_t *k = account_key(account);
  json_t *info = st_get(n, "System", "Account", k);
  json_decref(k);
  uint32_t nonce = (uint32_t)json_integer_value(json_object_get(info, "nonce"));
  json_decref(info);
  return nonce;
}

uint32_t mock_next_index(sp_mock_node *n, const uint8_t account[32]) {
  uint32_t nonce = stored_nonce(n, account);
  for (size_t i = 0; i < n->n_pool; i++)
    if (memcmp(n->pool[i].signer, account, 32) == 0) nonce++;
  return nonce;
}

/* Era (sp_runtime::generic::Era): the two-byte mortal form carries period
 * and phase; birth is the first block of the window containing `current`. */
static bool era_window(const uint8_t enc[2], uint64_t current, uint64_t *birth,
                       uint64_t *period) {
  uint16_t e = (uint16_t)(enc[0] | enc[1] << 8);
  *period = 2ull << (e % 16);
  uint64_t quantize = *period >> 12 ? *period >> 12 : 1;
  uint64_t phase = (uint64_t)(e >> 4) * quantize;
  if (*period < 4 || phase >= *period) return false;
  uint64_t base = current > phase ? current : phase;
  *birth = (base - phase) / *period * *period + phase;
  return true;
}

/* The variant name of a decoded enum value: "Name" or {"Name": fields}. */
static const char *variant_name(json_t *v) {
  if (json_is_string(v)) return json_string_value(v);
  if (json_is_object(v) && json_object_size(v) == 1)
    return json_object_iter_key(json_object_iter(v));
  return NULL;
}

/* A decoded, signature-checked extrinsic. */
typedef struct decoded {
  uint8_t signer[32];
  uint32_t nonce;
  json_t *call;
} decoded;

static bool hex_field(json_t *v, uint8_t *out, size_t len) {
  const char *s = json_string_value(v);
  return s != NULL && sp_hex_decode(s, len, out, len, NULL) == 0;
}

/* A signed extrinsic taken apart (its JSON values owned), with where its
 * signed extensions and call lie in the bytes. */
typedef struct unpacked {
  json_t *address, *signature, *call, *extras;
  size_t extra_start, extra_end, call_start;
} unpacked;

static void unpacked_free(unpacked *u) {
  json_decref(u->address), json_decref(u->signature), json_decref(u->call),
      json_decref(u->extras);
  memset(u, 0, sizeof *u);
}

/* Decodes a v4 signed extrinsic through the node's metadata. Returns 0, or
 * -SP_CHAIN_ESCALE with the reason in `why` (a verification error; may be
 * NULL). */
static int unpack(const sp_mock_node *n, const uint8_t *bytes, size_t len,
                  unpacked *u, sp_chain_error *why) {
  const sp_metadata *md = n->md;
  const sp_type_registry *reg = &md->registry;
  sp_chain_error err = {0};
  sp_scale_reader rd;
  sp_scale_reader_init(&rd, bytes, len, &err);
  memset(u, 0, sizeof *u);
  u->extras = json_array();
  uint32_t body_len = 0;
  uint8_t version = 0;
  if (sp_scale_read_compact_u32(&rd, &body_len) != 0 ||
      body_len != sp_scale_remaining(&rd) ||
      sp_scale_read_u8(&rd, &version) != 0) {
    return sp_error_fail(
        why, SP_CHAIN_ESCALE,
        "the extrinsic's length prefix does not match its size");
  }
  if (version != 0x84) {
    return sp_error_fail(
        why, SP_CHAIN_ESCALE,
        "only signed version-4 extrinsics (0x84) are accepted");
  }
  if (sp_scale_decode_type(reg, md->address_type, &rd, &u->address) != 0 ||
      sp_scale_decode_type(reg, md->signature_type, &rd, &u->signature) != 0) {
    return sp_error_fail(why, SP_CHAIN_ESCALE, "bad address or signature: %s",
                         err.message);
  }
  u->extra_start = rd.pos;
  for (size_t i = 0; i < md->nextensions; i++) {
    json_t *v = NULL;
    if (sp_scale_decode_type(reg, md->extensions[i].type, &rd, &v) != 0) {
      return sp_error_fail(why, SP_CHAIN_ESCALE, "bad signed extension %s: %s",
                           md->extensions[i].identifier, err.message);
    }
    json_array_append_new(u->extras, v);
  }
  u->extra_end = rd.pos;
  u->call_start = rd.pos;
  if (sp_scale_decode_type(reg, md->call_type, &rd, &u->call) != 0 ||
      sp_scale_expect_end(&rd, "extrinsic") != 0) {
    return sp_error_fail(why, SP_CHAIN_ESCALE, "bad call: %s", err.message);
  }
  return 0;
}

/* The signed payload (call ++ extra ++ additional, in the metadata's
 * extension order; BLAKE2b-256 of it when longer than 256 bytes) checked
 * against the signature, with the era and metadata-hash checks on the way;
 * d->nonce is read from CheckNonce. Returns NULL, or what is invalid. */
static const char *check_signature(sp_mock_node *n, const uint8_t *bytes,
                                   size_t len, const unpacked *u, int scheme,
                                   const uint8_t sig[64], decoded *d) {
  const sp_metadata *md = n->md;
  sp_scale_writer payload;
  sp_scale_writer_init(&payload);
  sp_scale_put_bytes(&payload, bytes + u->call_start, len - u->call_start);
  sp_scale_put_bytes(&payload, bytes + u->extra_start,
                     u->extra_end - u->extra_start);
  uint64_t current = mock_best(n)->number + 1; /* the block that includes it */
  const mock_block *genesis = &n->blocks[0];
  const char *problem = NULL;
  for (size_t i = 0; i < md->nextensions && problem == NULL; i++) {
    const char *id = md->extensions[i].identifier;
    json_t *v = json_array_get(u->extras, i);
    if (strcmp(id, "CheckSpecVersion") == 0) {
      sp_scale_put_u32(&payload, n->cfg.runtime);
    } else if (strcmp(id, "CheckTxVersion") == 0) {
      sp_scale_put_u32(&payload, 1);
    } else if (strcmp(id, "CheckGenesis") == 0) {
      sp_scale_put_bytes(&payload, genesis->hash, 32);
    } else if (strcmp(id, "CheckMortality") == 0) {
      /* Era: "Immortal" or {"MortalN": second byte} */
      const char *era = variant_name(v);
      if (era != NULL && strcmp(era, "Immortal") == 0) {
        sp_scale_put_bytes(&payload, genesis->hash, 32);
      } else {
        const char *name;
        json_t *byte;
        uint8_t enc[2] = {0};
        json_object_foreach(v, name, byte) {
          enc[0] = (uint8_t)atoi(name + strlen("Mortal"));
          enc[1] = (uint8_t)json_integer_value(byte);
        }
        uint64_t birth, period;
        if (!era_window(enc, current, &birth, &period) ||
            birth >= n->n_blocks || current >= birth + period)
          problem = "Transaction has an ancient birth block";
        else
          sp_scale_put_bytes(&payload, n->blocks[birth].hash, 32);
      }
    } else if (strcmp(id, "CheckNonce") == 0) {
      d->nonce = (uint32_t)json_integer_value(v);
    } else if (strcmp(id, "CheckMetadataHash") == 0) {
      const char *mode = variant_name(json_object_get(v, "mode"));
      if (mode == NULL || strcmp(mode, "Disabled") != 0)
        problem =
            "CheckMetadataHash mode Enabled is not supported by the mock node";
      sp_scale_put_u8(&payload, 0); /* Option<[u8; 32]>::None */
    }
    /* The other extensions of section 5 sign nothing extra. */
  }
  uint8_t digest[32];
  const uint8_t *msg = payload.data;
  size_t msg_len = payload.len;
  if (problem == NULL && payload.len > 256) {
    sp_blake2_256(payload.data, payload.len, digest);
    msg = digest, msg_len = 32;
  }
  if (problem == NULL &&
      sp_signature_verify(scheme, d->signer, msg, msg_len, sig) != 0)
    problem = "Transaction has a bad signature";
  sp_scale_writer_free(&payload);
  return problem;
}

/* The pool's checks after the signature: the account's next nonce, and the
 * pallet's own filter (the register rate limit, a 32-byte work). Returns
 * NULL, or what is invalid. */
static const char *pool_checks(sp_mock_node *n, const decoded *d,
                               json_t *call) {
  uint32_t expected = mock_next_index(n, d->signer);
  if (d->nonce != expected)
    return d->nonce < expected
               ? "Transaction is outdated"
               : "Transaction will be valid in the future (the mock "
                 "node keeps no future queue)";
  json_t *reg_args =
      json_object_get(json_object_get(call, "SubtensorModule"), "register");
  if (reg_args != NULL && sp_runtime_era_of(n->cfg.runtime)->pow_registration) {
    json_t *k = json_pack("[O]", json_object_get(reg_args, "netuid"));
    uint64_t this_interval =
        st_get_u64(n, "SubtensorModule", "RegistrationsThisInterval", k);
    uint64_t target =
        st_get_u64(n, "SubtensorModule", "TargetRegistrationsPerInterval", k);
    json_decref(k);
    const char *work = json_string_value(json_object_get(reg_args, "work"));
    if (this_interval >= 3 * target) return "Custom error: RateLimitExceeded";
    if (work == NULL || strlen(work) != 2 + 64)
      return "work must be exactly 32 bytes (the pallet panics on any "
             "other length)";
  }
  return NULL;
}

/* Appends the extrinsic to the pool; the pool owns `call` from here (also
 * on failure, when it is freed). Returns 0 with its hash, or -1 (out of
 * memory, reported in r). */
static int pool_append(sp_mock_node *n, const uint8_t *bytes, size_t len,
                       const decoded *d, json_t *call, uint8_t hash[32],
                       sp_rpc_reply *r) {
  if (n->n_pool == n->cap_pool) {
    size_t cap = n->cap_pool ? 2 * n->cap_pool : 16;
    mock_pending *p = realloc(n->pool, cap * sizeof *p);
    if (p == NULL) {
      json_decref(call);
      return reject(r, SP_ENOMEM, SP_RPC_INTERNAL_ERROR, "Internal error",
                    "out of memory");
    }
    n->pool = p, n->cap_pool = cap;
  }
  mock_pending *p = &n->pool[n->n_pool];
  p->bytes = malloc(len);
  if (p->bytes == NULL) {
    json_decref(call);
    return reject(r, SP_ENOMEM, SP_RPC_INTERNAL_ERROR, "Internal error",
                  "out of memory");
  }
  memcpy(p->bytes, bytes, len);
  p->len = len;
  memcpy(p->signer, d->signer, 32);
  p->nonce = d->nonce;
  p->call = call;
  n->n_pool++;
  sp_blake2_256(bytes, len, hash);
  return 0;
}

int mock_submit(sp_mock_node *n, const uint8_t *bytes, size_t len,
                uint8_t hash[32], sp_rpc_reply *r) {
  if (n->burn_armed && n->burn_armed_method[0] == '\0') {
    /* the test control of sp_mock_set_burn_on_submit: the price moves
     * after the client's last read, before its extrinsic is seen */
    n->burn_armed = false;
    json_t *k = json_pack("[i]", n->burn_armed_netuid);
    st_set_u64(n, "SubtensorModule", "Burn", k, n->burn_armed_rao);
    json_decref(k);
  }
  unpacked u;
  sp_chain_error why = {0};
  if (unpack(n, bytes, len, &u, &why) != 0) {
    unpacked_free(&u);
    return reject(r, SP_EINVAL, RPC_VERIFICATION_ERROR, "Verification Error",
                  why.message);
  }
  decoded d = {0};
  if (!hex_field(json_object_get(u.address, "Id"), d.signer, 32)) {
    unpacked_free(&u);
    return reject(r, SP_EINVAL, RPC_VERIFICATION_ERROR, "Verification Error",
                  "the address must be MultiAddress::Id");
  }
  int scheme = -1;
  uint8_t sig[64];
  if (hex_field(json_object_get(u.signature, "Sr25519"), sig, 64))
    scheme = SP_SIGNER_SR25519;
  else if (hex_field(json_object_get(u.signature, "Ed25519"), sig, 64))
    scheme = SP_SIGNER_ED25519;
  if (scheme < 0) {
    unpacked_free(&u);
    return reject(r, SP_EINVAL, RPC_INVALID_TRANSACTION, "Invalid Transaction",
                  "Transaction has a bad signature (only Sr25519 and Ed25519)");
  }
  const char *problem = check_signature(n, bytes, len, &u, scheme, sig, &d);
  json_t *call = u.call;
  u.call = NULL;
  unpacked_free(&u);
  if (problem == NULL) problem = pool_checks(n, &d, call);
  if (problem != NULL) {
    json_decref(call);
    return reject(r, SP_EINVAL, RPC_INVALID_TRANSACTION, "Invalid Transaction",
                  problem);
  }
  return pool_append(n, bytes, len, &d, call, hash, r);
}

/* ----------------------------------------------------------- dispatch -- */

static json_t *dispatch_info(void) {
  return json_pack("{s:{s:i, s:i}, s:s, s:s}", "weight", "ref_time", 0,
                   "proof_size", 0, "class", "Normal", "pays_fee", "Yes");
}

static json_t *record(uint32_t index, json_t *event) {
  return json_pack("{s:{s:i}, s:o, s:[]}", "phase", "ApplyExtrinsic",
                   (int)index, "event", event, "topics");
}

/* DispatchError::Module of a SubtensorModule error named as in the source;
 * its index is the one the node's own metadata gives the name (each
 * profile carries its runtime's: mock_metadata.h). */
static json_t *module_error(sp_mock_node *n, const char *name) {
  const sp_type_variant *v = NULL;
  if (sp_metadata_error(n->md, "SubtensorModule", name, &v, NULL) != 0 ||
      v == NULL)
    return json_string("Other"); /* a name the profile lacks: a mock bug */
  uint8_t e[4] = {v->index, 0, 0, 0};
  return json_pack("{s:{s:i, s:o}}", "Module", "index",
                   SP_MOCK_PALLET_SUBTENSOR, "error", sp_json_hex(e, 4));
}

static uint64_t u64_arg(json_t *args, const char *name) {
  sp_u128 v = 0;
  if (sp_json_to_u128(json_object_get(args, name), UINT64_MAX, &v) != 0) v = 0;
  return (uint64_t)v;
}

/* The outcome of a dispatch: OK, a module error by name, or BadOrigin. */
#define OK NULL
static const char BAD_ORIGIN[] = "BadOrigin";

/* Checks 7 to 9 of section 3, shared by register and faucet: the work block
 * window, the difficulty under the runtime's rule, and the seal. */
static const char *check_work(sp_mock_node *n, uint64_t current,
                              uint64_t block_number, uint64_t nonce,
                              const uint8_t work[32], const uint8_t key[32],
                              uint64_t difficulty) {
  if (!(block_number <= current && current - block_number < 3))
    return "InvalidWorkBlock";
  sp_rule rule = sp_rule_for_spec_version(n->cfg.runtime);
  if (!sp_seal_meets_difficulty(work, difficulty, rule))
    return "InvalidDifficulty";
  mock_block *b = mock_block_by_number(n, block_number);
  uint8_t bahh[32], seal[32];
  if (b == NULL) return "InvalidSeal";
  sp_hash_block_with_hotkey(b->hash, key, bahh);
  if (sp_create_seal_hash(bahh, nonce, seal) != 0 ||
      memcmp(seal, work, 32) != 0)
    return "InvalidSeal";
  return OK;
}

static uint64_t balance_of(sp_mock_node *n, const uint8_t a[32],
                           json_t **info_out) {
  json_t *k = account_key(a);
  json_t *info = st_get(n, "System", "Account", k);
  json_decref(k);
  sp_u128 free_ = 0;
  sp_json_to_u128(json_object_get(json_object_get(info, "data"), "free"),
                  UINT64_MAX, &free_);
  if (info_out)
    *info_out = info;
  else
    json_decref(info);
  return (uint64_t)free_;
}

static void set_balance(sp_mock_node *n, const uint8_t a[32], uint64_t rao) {
  json_t *info = NULL;
  balance_of(n, a, &info);
  char dec[24];
  snprintf(dec, sizeof dec, "%" PRIu64, rao);
  json_object_set_new(json_object_get(info, "data"), "free", json_string(dec));
  json_t *k = account_key(a);
  st_set(n, "System", "Account", k, info);
  json_decref(k);
  json_decref(info);
}

/* Owner(hotkey): false when it has none (the all-zero DefaultAccount). */
static bool owner_of(sp_mock_node *n, const uint8_t hotkey[32],
                     uint8_t owner[32]) {
  static const uint8_t nobody[32] = {0};
  json_t *ok = account_key(hotkey);
  json_t *v = st_get(n, "SubtensorModule", "Owner", ok);
  json_decref(ok);
  bool have = hex_field(v, owner, 32) && memcmp(owner, nobody, 32) != 0;
  json_decref(v);
  return have;
}

/* Registers `hotkey` on `netuid` at `uid` (appended, or replacing the
 * pruned neuron when `replace`): Uids, Keys, BlockAtRegistration (modern
 * profile), the hotkey's Owner when it has none yet (the pallet's
 * create_account_if_non_existent) and the counters; returns the
 * NeuronRegistered event. */
static json_t *register_neuron(sp_mock_node *n, uint16_t netuid,
                               const uint8_t hotkey[32],
                               const uint8_t coldkey[32], uint64_t current,
                               bool replace, uint16_t uid) {
  uint8_t owner[32];
  if (!owner_of(n, hotkey, owner)) {
    json_t *ok = account_key(hotkey);
    json_t *cold = sp_json_hex(coldkey, 32);
    st_set(n, "SubtensorModule", "Owner", ok, cold);
    json_decref(cold);
    json_decref(ok);
  }
  json_t *k = json_pack("[i]", netuid);
  if (!replace) {
    uid = (uint16_t)st_get_u64(n, "SubtensorModule", "SubnetworkN", k);
    st_set_u64(n, "SubtensorModule", "SubnetworkN", k, (uint64_t)uid + 1);
  } else {
    /* replace_neuron: the old hotkey loses its uid */
    json_t *kk = json_pack("[i, i]", netuid, uid);
    json_t *old = st_get(n, "SubtensorModule", "Keys", kk);
    json_decref(kk);
    json_t *uk = json_pack("[i, O]", netuid, old);
    st_set(n, "SubtensorModule", "Uids", uk, NULL);
    json_decref(uk);
    json_decref(old);
  }
  st_set_u64(n, "SubtensorModule", "RegistrationsThisBlock", k,
             st_get_u64(n, "SubtensorModule", "RegistrationsThisBlock", k) + 1);
  st_set_u64(n, "SubtensorModule", "RegistrationsThisInterval", k,
             st_get_u64(n, "SubtensorModule", "RegistrationsThisInterval", k) +
                 1);
  json_decref(k);
  json_t *uk = json_pack("[i, o]", netuid, sp_json_hex(hotkey, 32));
  json_t *uidv = json_integer((json_int_t)uid);
  st_set(n, "SubtensorModule", "Uids", uk, uidv);
  json_decref(uk);
  json_t *kk = json_pack("[i, I]", netuid, (json_int_t)uid);
  json_t *hk = sp_json_hex(hotkey, 32);
  st_set(n, "SubtensorModule", "Keys", kk, hk);
  if (!sp_runtime_era_of(n->cfg.runtime)->pow_registration)
    st_set_u64(n, "SubtensorModule", "BlockAtRegistration", kk, current);
  json_decref(kk);
  json_decref(hk);
  json_decref(uidv);
  return json_pack("{s:{s:[i, I, o]}}", "SubtensorModule", "NeuronRegistered",
                   netuid, (json_int_t)uid, sp_json_hex(hotkey, 32));
}

static bool hotkey_registered(sp_mock_node *n, uint16_t netuid,
                              const uint8_t hotkey[32]) {
  json_t *uk = json_pack("[i, o]", netuid, sp_json_hex(hotkey, 32));
  json_t *v = st_get(n, "SubtensorModule", "Uids", uk);
  json_decref(uk);
  bool yes = v != NULL;
  json_decref(v);
  return yes;
}

static bool subnet_exists(sp_mock_node *n, uint16_t netuid) {
  json_t *k = json_pack("[i]", netuid);
  json_t *v = st_get(n, "SubtensorModule", "NetworksAdded", k);
  json_decref(k);
  bool yes = json_is_true(v);
  json_decref(v);
  return netuid != 0 && yes;
}

static bool flag_of(sp_mock_node *n, const char *item, uint16_t netuid) {
  json_t *k = json_pack("[i]", netuid);
  json_t *v = st_get(n, "SubtensorModule", item, k);
  json_decref(k);
  bool yes = json_is_true(v);
  json_decref(v);
  return yes;
}

static uint64_t netuid_u64(sp_mock_node *n, const char *item, uint16_t netuid) {
  json_t *k = json_pack("[i]", netuid);
  uint64_t v = st_get_u64(n, "SubtensorModule", item, k);
  json_decref(k);
  return v;
}

static void set_netuid_u64(sp_mock_node *n, const char *item, uint16_t netuid,
                           uint64_t v) {
  json_t *k = json_pack("[i]", netuid);
  st_set_u64(n, "SubtensorModule", item, k, v);
  json_decref(k);
}

/* The uid get_neuron_to_prune would pick, simplified: the mock keeps no
 * emission, immunity or owner hotkeys, so of the subnet's uids (all at
 * emission 0) the earliest registered goes, the lowest uid on a tie, as the
 * source's order (emission, then BlockAtRegistration, then uid) gives when
 * emissions are equal. False when the subnet is empty (None). */
static bool neuron_to_prune(sp_mock_node *n, uint16_t netuid, uint16_t *out) {
  uint64_t count = netuid_u64(n, "SubnetworkN", netuid);
  uint64_t best_block = UINT64_MAX;
  for (uint64_t uid = 0; uid < count; uid++) {
    json_t *kk = json_pack("[i, I]", netuid, (json_int_t)uid);
    uint64_t b = st_get_u64(n, "SubtensorModule", "BlockAtRegistration", kk);
    json_decref(kk);
    if (b < best_block) best_block = b, *out = (uint16_t)uid;
  }
  return count > 0;
}

/* U64F64 (BurnIncreaseMult) as its integer and fractional halves. */
static void u64f64_of(json_t *v, uint64_t *int_part, uint64_t *frac) {
  sp_u128 bits = 0;
  sp_json_to_u128(json_object_get(v, "bits"), (sp_u128)-1, &bits);
  *int_part = (uint64_t)(bits >> 64);
  *frac = (uint64_t)bits;
}

static uint64_t clamp_burn(sp_mock_node *n, uint16_t netuid, uint64_t burn) {
  uint64_t lo = netuid_u64(n, "MinBurn", netuid),
           hi = netuid_u64(n, "MaxBurn", netuid);
  if (burn < lo) burn = lo;
  if (burn > hi) burn = hi;
  return burn;
}

/* bump_registration_price_after_registration (registration.rs at
 * 14bc6f9f9): Burn = clamp(Burn * max(BurnIncreaseMult, 1), MinBurn,
 * MaxBurn), the product saturating and truncated to an integer. */
static void bump_burn(sp_mock_node *n, uint16_t netuid) {
  json_t *k = json_pack("[i]", netuid);
  json_t *m = st_get(n, "SubtensorModule", "BurnIncreaseMult", k);
  json_decref(k);
  uint64_t ip = 0, fp = 0;
  u64f64_of(m, &ip, &fp);
  json_decref(m);
  if (ip == 0) ip = 1, fp = 0; /* .max(1) */
  uint64_t burn = netuid_u64(n, "Burn", netuid);
  sp_u128 whole = (sp_u128)burn * ip + (((sp_u128)burn * fp) >> 64);
  uint64_t next = whole > UINT64_MAX ? UINT64_MAX : (uint64_t)whole;
  set_netuid_u64(n, "Burn", netuid, clamp_burn(n, netuid, next));
}

/* mul_by_q32, pow_q32 and decay_factor_q32 of utils/misc.rs at 14bc6f9f9,
 * to the bit. */
static uint64_t mul_by_q32(uint64_t value, uint64_t factor_q32) {
  sp_u128 shifted = ((sp_u128)value * factor_q32) >> 32;
  return shifted > UINT64_MAX ? UINT64_MAX : (uint64_t)shifted;
}

static uint64_t pow_q32(uint64_t base_q32, uint16_t exp) {
  uint64_t result = 1ull << 32, factor = base_q32;
  uint32_t power = exp;
  while (power > 0) {
    if (power & 1) result = mul_by_q32(result, factor);
    power >>= 1;
    if (power > 0) factor = mul_by_q32(factor, factor);
  }
  return result;
}

static uint64_t decay_factor_q32(uint16_t half_life) {
  if (half_life == 0) return 1ull << 32;
  uint64_t lo = 0, hi = 1ull << 32;
  while (lo + 1 < hi) {
    uint64_t mid = lo + ((hi - lo) >> 1);
    if (pow_q32(mid, half_life) > (1ull << 31))
      hi = mid;
    else
      lo = mid;
  }
  return lo;
}

void mock_on_initialize(sp_mock_node *n, uint64_t number) {
  bool modern = !sp_runtime_era_of(n->cfg.runtime)->pow_registration;
  for (size_t i = 0; i < n->cfg.n_subnets; i++) {
    uint16_t netuid = n->cfg.subnets[i].netuid;
    if (modern) {
      /* update_registration_prices_for_networks (registration.rs at
       * 14bc6f9f9): decay once per block after block 1, then the bounds */
      uint64_t burn = netuid_u64(n, "Burn", netuid), next = burn;
      uint16_t half_life = (uint16_t)netuid_u64(n, "BurnHalfLife", netuid);
      if (half_life > 0 && number > 1)
        next = mul_by_q32(burn, decay_factor_q32(half_life));
      next = clamp_burn(n, netuid, next);
      if (next != burn) set_netuid_u64(n, "Burn", netuid, next);
    }
    set_netuid_u64(n, "RegistrationsThisBlock", netuid, 0);
    /* the mock resets the interval counter of every subnet (the modern
     * source keeps it for root only; no modern check reads it) */
    if (n->cfg.adjustment_interval > 0 &&
        number % n->cfg.adjustment_interval == 0)
      set_netuid_u64(n, "RegistrationsThisInterval", netuid, 0);
  }
}

/* do_register of today's source (registration.rs at 14bc6f9f9), the
 * checks in its order; the coldkey is the signer. Writes nothing unless
 * every check passes (the extrinsic is transactional on the chain). */
static const char *do_register(sp_mock_node *n, uint64_t current,
                               const uint8_t coldkey[32], uint16_t netuid,
                               const uint8_t hotkey[32], json_t **event) {
  if (netuid == 0) return "RegistrationNotPermittedOnRootSubnet"; /* 2 */
  if (!subnet_exists(n, netuid)) return "SubnetNotExists";
  if (!flag_of(n, "NetworkRegistrationAllowed", netuid))
    return "SubNetRegistrationDisabled";
  if (hotkey_registered(n, netuid, hotkey))
    return "HotKeyAlreadyRegisteredInSubNet";    /* 4 */
  uint64_t cost = netuid_u64(n, "Burn", netuid); /* 5 */
  uint64_t have = balance_of(n, coldkey, NULL);
  if (have < cost) return "NotEnoughBalanceToStake";
  uint8_t owner[32]; /* 6: create_account_if_non_existent, then the pairing */
  if (owner_of(n, hotkey, owner) && memcmp(owner, coldkey, 32) != 0)
    return "NonAssociatedColdKey";
  uint64_t max_n = netuid_u64(n, "MaxAllowedUids", netuid); /* 7 */
  if (max_n == 0) return "NoNeuronIdAvailable";
  uint16_t prune = 0;
  bool full = netuid_u64(n, "SubnetworkN", netuid) >= max_n;
  if (full && !neuron_to_prune(n, netuid, &prune)) return "NoNeuronIdAvailable";
  /* 8: the burn leaves the coldkey (swapped for alpha on the chain: the
   * mock keeps no pools) */
  set_balance(n, coldkey, have - cost);
  *event = register_neuron(n, netuid, hotkey, coldkey, current, full,
                           prune); /* 9, 11 */
  bump_burn(n, netuid);            /* 10 */
  return OK;
}

/* register and burned_register of the PoW eras (< 397): do_registration's
 * checks 1 to 9 in order (section 3), and the old burned_register. */
static const char *pow_era_register(sp_mock_node *n, uint64_t current,
                                    const uint8_t signer[32], json_t *args,
                                    bool burned, json_t **event) {
  uint16_t netuid = (uint16_t)u64_arg(args, "netuid");
  uint8_t hotkey[32], coldkey[32], work[32];
  hex_field(json_object_get(args, "hotkey"), hotkey, 32);
  if (!hex_field(json_object_get(args, "coldkey"), coldkey, 32))
    memcpy(coldkey, signer,
           32); /* burned_register: the signer is the coldkey */
  const char *rc = OK;
  if (burned) {
    uint64_t burn = netuid_u64(n, "Burn", netuid);
    if (memcmp(signer, coldkey, 32) != 0)
      rc = BAD_ORIGIN;
    else if (!subnet_exists(n, netuid))
      rc = "SubnetNotExists";
    else if (hotkey_registered(n, netuid, hotkey))
      rc = "HotKeyAlreadyRegisteredInSubNet";
    else if (balance_of(n, signer, NULL) < burn)
      rc = "NotEnoughBalanceToStake";
    if (rc == OK) set_balance(n, signer, balance_of(n, signer, NULL) - burn);
  } else {
    hex_field(json_object_get(args, "work"), work, 32);
    if (memcmp(signer, hotkey, 32) != 0)
      rc = "TransactorAccountShouldBeHotKey";
    else if (!subnet_exists(n, netuid))
      rc = "SubnetNotExists";
    else if (!flag_of(n, "NetworkPowRegistrationAllowed", netuid))
      rc = "SubNetRegistrationDisabled";
    if (rc == OK && netuid_u64(n, "RegistrationsThisBlock", netuid) >=
                        netuid_u64(n, "MaxRegistrationsPerBlock", netuid))
      rc = "TooManyRegistrationsThisBlock";
    if (rc == OK &&
        netuid_u64(n, "RegistrationsThisInterval", netuid) >=
            3 * netuid_u64(n, "TargetRegistrationsPerInterval", netuid))
      rc = "TooManyRegistrationsThisInterval";
    if (rc == OK && hotkey_registered(n, netuid, hotkey))
      rc = "HotKeyAlreadyRegisteredInSubNet";
    if (rc == OK)
      rc = check_work(n, current, u64_arg(args, "block_number"),
                      u64_arg(args, "nonce"), work, hotkey,
                      netuid_u64(n, "Difficulty", netuid));
  }
  if (rc == OK)
    *event = register_neuron(n, netuid, hotkey, coldkey, current, false, 0);
  return rc;
}

/* Dispatches one call: OK with *event set (may stay NULL), a module error
 * name, or BAD_ORIGIN. */
static const char *dispatch(sp_mock_node *n, uint64_t current,
                            const uint8_t signer[32], json_t *call,
                            json_t **event) {
  json_t *st = json_object_get(call, "SubtensorModule");
  bool modern = !sp_runtime_era_of(n->cfg.runtime)->pow_registration;
  json_t *args;
  if ((args = json_object_get(st, "register_limit")) != NULL) {
    /* do_register_limit: root and subnet, then the limit, then do_register */
    uint16_t netuid = (uint16_t)u64_arg(args, "netuid");
    uint8_t hotkey[32];
    hex_field(json_object_get(args, "hotkey"), hotkey, 32);
    if (netuid == 0) return "RegistrationNotPermittedOnRootSubnet";
    if (!subnet_exists(n, netuid)) return "SubnetNotExists";
    if (netuid_u64(n, "Burn", netuid) > u64_arg(args, "limit_price"))
      return "RegistrationPriceLimitExceeded";
    return do_register(n, current, signer, netuid, hotkey, event);
  }
  if ((args = json_object_get(st, "register")) != NULL ||
      (args = json_object_get(st, "burned_register")) != NULL) {
    if (modern) {
      /* both are do_register(origin, netuid, hotkey): the work and the
       * coldkey argument of register are ignored (dispatches.rs) */
      uint8_t hotkey[32];
      hex_field(json_object_get(args, "hotkey"), hotkey, 32);
      return do_register(n, current, signer, (uint16_t)u64_arg(args, "netuid"),
                         hotkey, event);
    }
    return pow_era_register(n, current, signer, args,
                            json_object_get(st, "burned_register") != NULL,
                            event);
  }
  if ((args = json_object_get(st, "faucet")) != NULL) {
    /* do_faucet (pow-faucet builds): the seal over the coldkey (the
     * signer), difficulty 1,000,000, the 3-block window; mints 10^12 rao */
    if (!n->cfg.faucet) return "FaucetDisabled";
    uint8_t work[32];
    hex_field(json_object_get(args, "work"), work, 32);
    const char *rc =
        check_work(n, current, u64_arg(args, "block_number"),
                   u64_arg(args, "nonce"), work, signer, FAUCET_DIFFICULTY);
    if (rc != OK) return rc;
    set_balance(n, signer, balance_of(n, signer, NULL) + FAUCET_AMOUNT);
    *event = json_pack("{s:{s:[o, I]}}", "SubtensorModule", "Faucet",
                       sp_json_hex(signer, 32), (json_int_t)FAUCET_AMOUNT);
    return OK;
  }
  json_t *bal = json_object_get(json_object_get(call, "Balances"),
                                "transfer_allow_death");
  if (bal != NULL) {
    uint8_t dest[32];
    uint64_t value = u64_arg(bal, "value");
    if (!hex_field(json_object_get(json_object_get(bal, "dest"), "Id"), dest,
                   32))
      return BAD_ORIGIN;
    uint64_t have = balance_of(n, signer, NULL);
    if (have < value) return BAD_ORIGIN;
    set_balance(n, signer, have - value);
    set_balance(n, dest, balance_of(n, dest, NULL) + value);
    return OK;
  }
  return OK; /* System.remark: nothing to do */
}

json_t *mock_apply_pool(sp_mock_node *n, uint64_t number) {
  json_t *events = json_array();
  for (size_t i = 0; i < n->n_pool; i++) {
    mock_pending *p = &n->pool[i];
    /* CheckNonce's post-dispatch: the nonce is spent whatever the outcome. */
    json_t *k = account_key(p->signer);
    json_t *info = st_get(n, "System", "Account", k);
    json_object_set_new(info, "nonce", json_integer((json_int_t)p->nonce + 1));
    st_set(n, "System", "Account", k, info);
    json_decref(info);
    json_decref(k);
    json_t *event = NULL;
    const char *rc = dispatch(n, number, p->signer, p->call, &event);
    if (event != NULL)
      json_array_append_new(events, record((uint32_t)i, event));
    if (rc == OK) {
      json_array_append_new(
          events,
          record((uint32_t)i,
                 json_pack("{s:{s:{s:o}}}", "System", "ExtrinsicSuccess",
                           "dispatch_info", dispatch_info())));
    } else {
      json_t *error =
          rc == BAD_ORIGIN ? json_string("BadOrigin") : module_error(n, rc);
      json_array_append_new(
          events, record((uint32_t)i,
                         json_pack("{s:{s:{s:o, s:o}}}", "System",
                                   "ExtrinsicFailed", "dispatch_error", error,
                                   "dispatch_info", dispatch_info())));
    }
    free(p->bytes);
    json_decref(p->call);
  }
  n->n_pool = 0;
  return events;
}
