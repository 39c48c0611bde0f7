/*
 * Writes seed inputs for the fuzz targets: `fuzz_seeds DIR [--no-fixtures]`
 * makes DIR/<target>/<name> files, from
 *   - the test vectors (hex strings and decimal numbers they hold),
 *   - the mock node (its metadata, storage defaults, signed extrinsics of
 *     every call it dispatches, including a registration with a valid seal
 *     for a fresh node's block 0),
 *   - hand-made key files and JSON-RPC answers,
 *   - and, unless --no-fixtures, the finney fixtures (SUBPOW_SHARED_DIR): every
 *     storage default and constant of the real registry, the recorded RPC
 *     answers, extrinsics signed under the real metadata.
 * The fixtures are read, never copied: seeds are small values taken out of
 * them. scripts/fuzz.sh and the replay tests generate them afresh; the
 * committed regress/corpus/ holds crashes and a few small seeds.
 */
#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "chain/client/client.h"
#include "chain/client/extrinsic.h"
#include "chain/codec/scale.h"
#include "chain/keys/bip39.h"
#include "chain/keys/keyfile.h"
#include "chain/keys/keypair.h"
#include "chain/mock/mock_node.h"
#include "chain/mock/mock_runtime.h"
#include "chain/mock/mock_state.h"
#include "regress/fuzz/fuzz_support.h"

static const char *out_dir;
static int written;

static void ensure_dir(const char *path) {
  if (mkdir(path, 0755) != 0 && errno != EEXIST) {
    fprintf(stderr, "fuzz_seeds: cannot create %s: %s\n", path,
            strerror(errno));
    exit(1);
  }
}

/* Writes `prefix` (may be empty) then `data` as DIR/target/name. */
static void seed(const char *target, const char *name, const void *prefix,
                 size_t plen, const void *data, size_t len) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", out_dir, target);
  ensure_dir(path);
  snprintf(path, sizeof path, "%s/%s/%s", out_dir, target, name);
  FILE *f = fopen(path, "wb");
  if (f == NULL || (plen && fwrite(prefix, 1, plen, f) != plen) ||
      (len && fwrite(data, 1, len, f) != len)) {
    fprintf(stderr, "fuzz_seeds: cannot write %s\n", path);
    exit(1);
  }
  fclose(f);
  written++;
}

static void seedf(const char *target, const void *prefix, size_t plen,
                  const void *data, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static void seedf(const char *target, const void *prefix, size_t plen,
                  const void *data, size_t len, const char *fmt, ...) {
  char name[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(name, sizeof name, fmt, ap);
  va_end(ap);
  seed(target, name, prefix, plen, data, len);
}

/* ---------------------------------------------------------- vectors ---- */

static void walk_vectors(const json_t *v, int *n) {
  if (*n >= 40) return;
  if (json_is_string(v)) {
    const char *s = json_string_value(v);
    size_t len = strlen(s);
    if (len == 64 || len == 66) {
      seedf("hex", NULL, 0, s, len, "vector-%02d", *n);
      (*n)++;
    } else if (len > 0 && len <= 20 && strspn(s, "0123456789") == len) {
      seedf("u64", NULL, 0, s, len, "vector-%02d", *n);
      (*n)++;
    }
    return;
  }
  size_t i;
  const char *k;
  json_t *x;
  if (json_is_array(v)) json_array_foreach(v, i, x) walk_vectors(x, n);
  if (json_is_object(v))
    json_object_foreach((json_t *)v, k, x) walk_vectors(x, n);
}

static void vector_seeds(void) {
  static const char *const files[] = {"seals.json", "difficulty.json",
                                      "solutions.json"};
  for (size_t i = 0; i < 3; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", SUBPOW_VECTORS_DIR, files[i]);
    json_t *doc = json_load_file(path, 0, NULL);
    int n = (int)i * 40;
    walk_vectors(doc, &n);
    json_decref(doc);
  }
}

/* ------------------------------------------------------------ SCALE ---- */

static void scale_seeds(void) {
  static const sp_u128 values[] = {0,
                                   1,
                                   63,
                                   64,
                                   16383,
                                   16384,
                                   (1u << 30) - 1,
                                   1u << 30,
                                   0xffffffffu,
                                   0x100000000ull,
                                   UINT64_MAX};
  for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
    sp_scale_writer w;
    sp_scale_writer_init(&w);
    sp_scale_put_u8(&w, 6); /* op: compact */
    sp_scale_put_compact(&w, values[i]);
    sp_scale_put_u8(&w, 7); /* op: compact u32 */
    sp_scale_put_compact(&w, values[i]);
    seedf("scale", NULL, 0, w.data, w.len, "compact-%02zu", i);
    sp_scale_writer_free(&w);
  }
  sp_scale_writer w;
  sp_scale_writer_init(&w);
  sp_scale_put_u8(&w, 6);
  sp_scale_put_compact(&w, ~(sp_u128)0);
  static const char *const texts[] = {"", "subtensor", "\xc3\xa9t\xc3\xa9",
                                      "\xf0\x9f\x98\x80"};
  for (size_t i = 0; i < 4; i++) {
    sp_scale_put_u8(&w, 11); /* op: string */
    sp_scale_put_string(&w, texts[i]);
  }
  static const uint8_t ops[] = {0, 1, 2, 3, 4, 5, 9, 10, 12, 13};
  for (size_t i = 0; i < sizeof ops; i++) {
    sp_scale_put_u8(&w, ops[i]);
    for (int k = 0; k < 17; k++)
      sp_scale_put_u8(&w, (uint8_t)(k == 0 ? 4 : k));
  }
  seed("scale", "mixed", NULL, 0, w.data, w.len);
  sp_scale_writer_free(&w);
  /* non-canonical and oversized compacts, a bad bool, a bad option */
  static const uint8_t bad[][6] = {{6, 0x01, 0x00},
                                   {6, 0x02, 0, 0, 0},
                                   {6, 0x03, 0, 0, 0, 0},
                                   {6, 0xff},
                                   {5, 2},
                                   {12, 7}};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    seedf("scale", NULL, 0, bad[i], sizeof bad[i], "bad-%zu", i);
}

/* Every storage default and constant of a registry, as scale_type inputs. */
static void registry_seeds(const sp_metadata *md, uint8_t which,
                           const char *tag, size_t max) {
  size_t n = 0;
  for (size_t p = 0; p < md->npallets && n < max; p++) {
    const sp_pallet *pl = &md->pallets[p];
    for (size_t e = 0; e < pl->nentries && n < max; e++, n++) {
      const sp_storage_entry *en = &pl->entries[e];
      uint8_t head[3] = {which, (uint8_t)en->value_type,
                         (uint8_t)(en->value_type >> 8)};
      seedf("scale_type", head, 3, en->default_bytes, en->default_len,
            "%s-storage-%s-%s", tag, pl->name, en->name);
    }
    for (size_t c = 0; c < pl->nconstants && n < max; c++, n++) {
      const sp_constant *k = &pl->constants[c];
      uint8_t head[3] = {which, (uint8_t)k->type, (uint8_t)(k->type >> 8)};
      seedf("scale_type", head, 3, k->value, k->value_len, "%s-constant-%s-%s",
            tag, pl->name, k->name);
    }
  }
}

/* ---------------------------------------------------------- metadata ---- */

static void metadata_seeds(bool fixtures) {
  size_t len;
  const uint8_t *mock = fuzz_mock_bytes(&len);
  uint8_t mode = 0;
  seed("metadata", "mock-raw", &mode, 1, mock, len);
  sp_scale_writer w;
  sp_scale_writer_init(&w);
  sp_scale_put_u8(&w, 1); /* the mode byte */
  sp_scale_put_u8(&w, 1); /* Some */
  sp_scale_put_byte_vec(&w, mock, len);
  seed("metadata", "mock-versioned", NULL, 0, w.data, w.len);
  sp_scale_writer_free(&w);
  /* the patch modes: no patch, one patch, a cut */
  for (uint8_t m = 2; m <= 4; m++) {
    if (m > 2 && !fixtures) break;
    seedf("metadata", &m, 1, NULL, 0, "base-%u", m);
    uint8_t patch[4] = {0x10, 0x00, 0x00, 0xff};
    seedf("metadata", &m, 1, patch, 4, "patch-%u", m);
    uint8_t cut = (uint8_t)(m + 3);
    uint8_t at[4] = {0x00, 0x40, 0x00, 0x00};
    seedf("metadata", &cut, 1, at, 4, "cut-%u", m);
  }
  /* spec 381's V16: modes 8 (patched) and 9 (cut) */
  if (fuzz_modern_bytes(&len) != NULL) {
    uint8_t m = 8, cut = 9;
    seed("metadata", "base-v16", &m, 1, NULL, 0);
    uint8_t patch[4] = {0x10, 0x00, 0x00, 0xff};
    seed("metadata", "patch-v16", &m, 1, patch, 4);
    uint8_t at[4] = {0x00, 0x40, 0x00, 0x00};
    seed("metadata", "cut-v16", &cut, 1, at, 4);
  }
}

/* --------------------------------------------------------------- RPC ---- */

static void rpc_seeds(bool fixtures) {
  static const char *const bodies[] = {
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x1234\"}",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":null}",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"a\":[1,2,{}]}}",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":1010,\"message\":"
      "\"Invalid Transaction\",\"data\":\"Transaction is outdated\"}}",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32601,\"message\":"
      "\"Method not found\"}}",
      "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":1}",
      "{\"jsonrpc\":\"1.0\",\"id\":1,\"result\":1}",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":1,\"error\":{}}",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x12",
      "[{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":true}]"};
  for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
    uint8_t head[2] = {(uint8_t)(i % 3 == 0 ? SP_RPC_STRING : 0), 1};
    seedf("rpc_response", head, 2, bodies[i], strlen(bodies[i]), "made-%02zu",
          i);
  }
  if (!fixtures) return;
  size_t len = 0;
  char *text = sp_fixture_read("rpc_samples.json", &len);
  json_t *doc = text ? json_loads(text, 0, NULL) : NULL;
  free(text);
  size_t i;
  json_t *s;
  json_array_foreach(json_object_get(doc, "samples"), i, s) {
    json_t *resp = json_deep_copy(json_object_get(s, "response"));
    json_object_set_new(resp, "jsonrpc", json_string("2.0"));
    json_object_set_new(resp, "id", json_integer((json_int_t)i + 1));
    char *body = json_dumps(resp, JSON_COMPACT);
    uint8_t head[2] = {0, (uint8_t)(i + 1)};
    if (body)
      seedf("rpc_response", head, 2, body, strlen(body), "finney-%02zu", i);
    free(body);
    json_decref(resp);
  }
  json_decref(doc);
}

/* ---------------------------------------------------------- key files ---- */

static void keyfile_seeds(void) {
  const sp_bip39_wordlist *wl = sp_bip39_english();
  uint8_t mini[32];
  memset(mini, 0x11, sizeof mini);
  for (int scheme = 0; scheme < 2; scheme++) {
    uint8_t mode0 = (uint8_t)(scheme == SP_SIGNER_ED25519 ? 4 : 0);
    sp_keypair kp;
    memset(&kp, 0, sizeof kp);
    static const uint8_t entropy[16] = {7, 7, 7, 7, 7, 7, 7, 7,
                                        7, 7, 7, 7, 7, 7, 7, 7};
    char phrase[SP_BIP39_PHRASE_MAX];
    if (sp_bip39_entropy_to_phrase(wl, entropy, 16, phrase, sizeof phrase) == 0)
      sp_keypair_from_phrase(scheme, wl, phrase, &kp);
    if (!kp.has_secret) sp_keypair_from_mini_secret(scheme, mini, &kp);
    for (int public_only = 0; public_only < 2; public_only++) {
      char *json = NULL;
      size_t len = 0;
      if (sp_keyfile_serialize(&kp, public_only, &json, &len) != 0) continue;
      seedf("keyfile", &mode0, 1, json, len, "parse-%s-%s",
            sp_scheme_name(scheme), public_only ? "public" : "full");
      uint8_t file_mode = (uint8_t)(mode0 | 2 | (public_only ? 8 : 0));
      seedf("keyfile", &file_mode, 1, json, len, "file-%s-%s",
            sp_scheme_name(scheme), public_only ? "loose" : "private");
      /* a $NACL file under a password the target does not use */
      uint8_t *box = NULL;
      size_t box_len = 0;
      if (!public_only &&
          sp_keyfile_encrypt_with_limits((const uint8_t *)json, len, "seed",
                                         crypto_pwhash_argon2i_OPSLIMIT_MIN,
                                         crypto_pwhash_argon2i_MEMLIMIT_MIN,
                                         &box, &box_len) == 0) {
        uint8_t m1 = 1, m2 = 2;
        seedf("keyfile", &m1, 1, box, box_len, "nacl-%s",
              sp_scheme_name(scheme));
        seedf("keyfile", &m2, 1, box, box_len, "nacl-file-%s",
              sp_scheme_name(scheme));
        sp_keyfile_buffer_free(box, box_len);
      }
      sp_keyfile_buffer_free(json, len);
    }
    /* the single-field forms btwallet also reads */
    char hex[130];
    sp_hex_encode(kp.mini, 32, hex);
    char one[256];
    int n = snprintf(one, sizeof one, "{\"secretSeed\":\"0x%s\"}", hex);
    seedf("keyfile", &mode0, 1, one, (size_t)n, "seed-only-%s",
          sp_scheme_name(scheme));
    sp_hex_encode(kp.secret, 64, hex);
    n = snprintf(one, sizeof one, "{\"privateKey\":\"0x%s\"}", hex);
    seedf("keyfile", &mode0, 1, one, (size_t)n, "private-only-%s",
          sp_scheme_name(scheme));
    sp_keypair_wipe(&kp);
  }
  static const char *const odd[] = {"$ANSIBLE_VAULT;1.1;AES256", "gAAAAABfake",
                                    "$NACL", "{\"publicKey\":null}"};
  for (size_t i = 0; i < 4; i++) {
    uint8_t m = 2;
    seedf("keyfile", &m, 1, odd[i], strlen(odd[i]), "odd-%zu", i);
  }
}

/* ------------------------------------------------------- extrinsics ---- */

static const sp_signer *fixed_signer(void) {
  static sp_keypair kp;
  static sp_signer s;
  if (s.sign == NULL) {
    uint8_t mini[32];
    memset(mini, 0x5a, sizeof mini); /* the key the targets sign with */
    if (sp_keypair_from_mini_secret(SP_SIGNER_SR25519, mini, &kp) != 0 ||
        sp_keypair_signer(&kp, &s) != 0) {
      fprintf(stderr, "fuzz_seeds: test key\n");
      exit(1);
    }
  }
  return &s;
}

typedef struct call_seed {
  const char *pallet, *call, *name;
  json_t *args;
} call_seed;

/* Calls of every shape the mock dispatches; block 0's valid work for the
 * signer on subnet 1 at the mock's default difficulty when `genesis` is
 * given. */
static size_t make_calls(call_seed *c, const uint8_t *genesis) {
  const uint8_t *me = fixed_signer()->public_key;
  uint8_t work[32] = {0};
  uint64_t nonce = 0;
  if (genesis != NULL) {
    uint8_t bahh[32];
    sp_hash_block_with_hotkey(genesis, me, bahh);
    for (nonce = 0; nonce < 10000000; nonce++) {
      sp_create_seal_hash(bahh, nonce, work);
      if (sp_seal_meets_difficulty(work, 10000, SP_RULE_CHAIN_LE)) break;
    }
  }
  char me_hex[67] = "0x";
  sp_hex_encode(me, 32, me_hex + 2);
  size_t n = 0;
  c[n++] = (call_seed){"SubtensorModule", "register", "register",
                       sp_chain_register_args(1, 0, nonce, work, me, me)};
  c[n++] = (call_seed){"SubtensorModule", "faucet", "faucet",
                       sp_chain_faucet_args(0, nonce, work)};
  c[n++] = (call_seed){"SubtensorModule", "burned_register", "burned",
                       json_pack("{s:i,s:s}", "netuid", 1, "hotkey", me_hex)};
  c[n++] = (call_seed){"System", "remark", "remark",
                       json_pack("{s:s}", "remark", "0x7375626f77")};
  c[n++] = (call_seed){
      "Balances", "transfer_allow_death", "transfer",
      json_pack("{s:{s:s},s:i}", "dest", "Id", me_hex, "value", 1000)};
  return n;
}

static void extrinsic_seeds(const sp_metadata *md, const char *target,
                            uint8_t mode_bit, const char *tag,
                            const uint8_t genesis[32]) {
  call_seed calls[8];
  size_t n = make_calls(calls, genesis);
  for (size_t i = 0; i < n; i++) {
    sp_scale_writer call, xt;
    sp_scale_writer_init(&call);
    sp_scale_writer_init(&xt);
    sp_chain_error err = {0};
    if (sp_call_encode(md, calls[i].pallet, calls[i].call, calls[i].args, &call,
                       &err) != 0) {
      /* finney's runtime may lack a mock-only call (faucet): skip it */
      json_decref(calls[i].args);
      continue;
    }
    /* mock_submit: byte 0 odd signs the call; extrinsic: bit 1 does, and
     * bit 0 picks finney's metadata */
    bool mock = strcmp(target, "mock_submit") == 0;
    uint8_t sign_mode = mock ? 1 : (uint8_t)(mode_bit | 2);
    uint8_t raw_mode = mock ? 0 : mode_bit;
    seedf(target, &sign_mode, 1, call.data, call.len, "%s-call-%s", tag,
          calls[i].name);
    sp_extrinsic_params p;
    memset(&p, 0, sizeof p);
    p.spec_version = 343;
    p.transaction_version = 1;
    if (genesis) memcpy(p.genesis_hash, genesis, 32);
    p.era = sp_era_immortal();
    if (sp_extrinsic_build_signed(md, call.data, call.len, &p, fixed_signer(),
                                  &xt, &err) == 0) {
      seedf(target, &raw_mode, 1, xt.data, xt.len, "%s-signed-%s", tag,
            calls[i].name);
    }
    /* unsigned form: the length, 0x04, the call */
    sp_scale_writer u;
    sp_scale_writer_init(&u);
    sp_scale_put_compact(&u, call.len + 1);
    sp_scale_put_u8(&u, 0x04);
    sp_scale_put_bytes(&u, call.data, call.len);
    seedf(target, &raw_mode, 1, u.data, u.len, "%s-unsigned-%s", tag,
          calls[i].name);
    sp_scale_writer_free(&u);
    sp_scale_writer_free(&call);
    sp_scale_writer_free(&xt);
    json_decref(calls[i].args);
  }
}

int main(int argc, char **argv) {
  if (argc < 2 || (argc == 3 && strcmp(argv[2], "--no-fixtures") != 0) ||
      argc > 3) {
    fprintf(stderr, "usage: fuzz_seeds DIR [--no-fixtures]\n");
    return 2;
  }
  out_dir = argv[1];
  ensure_dir(out_dir);
  if (sodium_init() < 0) return 1;
  bool fixtures = argc == 2 && fuzz_finney_metadata(14) != NULL;

  vector_seeds();
  scale_seeds();
  registry_seeds(fuzz_mock_metadata(), 0, "mock", 1000);
  metadata_seeds(fixtures);
  rpc_seeds(fixtures);
  keyfile_seeds();

  /* A fresh mock node's genesis (its seed 0 makes it the same in every
   * process), for extrinsics its pool accepts. */
  sp_mock_config c;
  sp_mock_config_default(&c);
  c.port = 0;
  c.stall_blocks = true;
  sp_error_record err = {0};
  sp_mock_node *n = sp_mock_start(&c, &err);
  if (n == NULL) {
    fprintf(stderr, "fuzz_seeds: mock node: %s\n", err.message);
    return 1;
  }
  uint8_t genesis[32];
  memcpy(genesis, n->blocks[0].hash, 32);
  sp_mock_stop(n);
  extrinsic_seeds(fuzz_mock_metadata(), "mock_submit", 0, "mock", genesis);
  extrinsic_seeds(fuzz_mock_metadata(), "extrinsic", 0, "mock", genesis);
  if (fixtures) {
    registry_seeds(fuzz_finney_metadata(14), 1, "finney", 400);
    extrinsic_seeds(fuzz_finney_metadata(14), "extrinsic", 1, "finney", NULL);
  }
  printf("fuzz_seeds: %d seeds in %s%s\n", written, out_dir,
         fixtures ? " (with the finney fixtures)" : "");
  return 0;
}
