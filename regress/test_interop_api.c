/* Interoperability of the mock node with polkadot.js: the mock
 * runs in-process, our client (chain/client/client.h) registers two hotkeys on
 * it, then regress/interop-api/check.mjs, with @polkadot/api over HTTP and
 * @polkadot/keyring from the npm registry, reads Difficulty and Uids, decodes
 * our client's registration extrinsic and its event, mines and submits a
 * faucet extrinsic of its own and sees it succeed. Its summary is checked
 * here against the node's state and against our client's reading of the
 * same blocks.
 *
 * Needs node and npm; installs the pinned packages (package-lock.json) into
 * regress/interop-api/node_modules with `npm ci`. Skips, saying why, when
 * node or npm is missing or npm cannot install (no registry). */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "chain/client/client.h"
#include "chain/client/storage.h"
#include "chain/codec/scale.h"
#include "chain/codec/scale_type.h"
#include "chain/keys/keypair.h"
#include "chain/mock/mock_node.h"
#include "reference/reference.h"
#include "regress/support/run_command.h"

#define INTEROP_DIR SUBPOW_SOURCE_DIR "/regress/interop-api"
#define NETUID 1
#define DIFFICULTY 1000
#define FAUCET_AMOUNT 1000000000000ull /* pallet_subtensor do_faucet */

static int sh(const char *script, sp_run_result *r) {
  char *argv[] = {"/bin/sh", "-c", (char *)script, NULL};
  cr_assert_eq(sp_run(argv, NULL, r), 0);
  return r->status;
}

/* node_modules is current when npm's hidden lock file is newer than ours. */
static bool modules_current(void) {
  struct stat a, b;
  return stat(INTEROP_DIR "/node_modules/.package-lock.json", &a) == 0 &&
         stat(INTEROP_DIR "/package-lock.json", &b) == 0 &&
         a.st_mtime >= b.st_mtime;
}

/* The last non-empty line of s, for one-line messages. */
static void last_line(const char *s, char *out, size_t cap) {
  size_t n = strlen(s);
  while (n > 0 && s[n - 1] == '\n')
    n--;
  size_t start = n;
  while (start > 0 && s[start - 1] != '\n')
    start--;
  snprintf(out, cap, "%.*s", (int)(n - start), s + start);
}

static void prepare_node(void) {
  sp_run_result r;
  if (sh("command -v node && command -v npm", &r) != 0) {
    sp_run_result_free(&r);
    cr_skip_test(
        "node or npm not found: the polkadot.js API interop check did not run");
  }
  sp_run_result_free(&r);
  if (modules_current()) return;
  /* A lock keeps parallel runs from installing at the same time; the check
   * is repeated under it. Few, short retries: no registry skips in seconds. */
  static const char install[] =
      "cd '" INTEROP_DIR "' || exit 1\n"
      "ci() {\n"
      "  [ node_modules/.package-lock.json -nt package-lock.json ] && return "
      "0\n"
      "  npm ci --no-audit --no-fund --loglevel=error --fetch-retries=1 \\\n"
      "    --fetch-retry-mintimeout=1000 --fetch-retry-maxtimeout=3000 2>&1\n"
      "}\n"
      "if command -v flock >/dev/null 2>&1; then\n"
      "  (flock 9 && ci) 9>\"${TMPDIR:-/tmp}/subpow-interop-api-npm.lock\"\n"
      "else\n"
      "  ci\n"
      "fi\n";
  if (sh(install, &r) != 0) {
    /* npm's first line names the cause ("npm error code ECONNREFUSED"). */
    char why[300];
    snprintf(why, sizeof why, "%.*s", (int)strcspn(r.out, "\n"), r.out);
    sp_run_result_free(&r);
    cr_skip_test("npm ci failed, polkadot.js API interop check not run: %s",
                 why);
  }
  sp_run_result_free(&r);
}

static sp_keypair key(uint8_t tag) {
  uint8_t mini[32];
  memset(mini, tag, 32);
  sp_keypair kp;
  cr_assert_eq(sp_keypair_from_mini_secret(SP_SIGNER_SR25519, mini, &kp), 0);
  return kp;
}

/* Registers `hot` (coldkey `cold`) on NETUID with our client: solves on the
 * best block and submits, signed by the hotkey; returns the block that
 * included it and the uid of its NeuronRegistered event. */
static void register_hotkey(sp_chain_client *c, const sp_keypair *hot,
                            const sp_keypair *cold, uint64_t *block,
                            uint16_t *uid) {
  sp_chain_error e = {0};
  uint64_t best = 0;
  uint8_t hash[32], bahh[32], seal[32];
  cr_assert_eq(sp_chain_best_block(c, &best, hash, &e), 0, "%s", e.message);
  sp_hash_block_with_hotkey(hash, hot->public_key, bahh);
  sp_rule rule = sp_rule_for_spec_version(c->runtime.spec_version);
  uint64_t nonce = 0;
  for (;; nonce++) {
    cr_assert_eq(sp_create_seal_hash(bahh, nonce, seal), 0);
    if (sp_seal_meets_difficulty(seal, DIFFICULTY, rule)) break;
  }
  json_t *args = sp_chain_register_args(NETUID, best, nonce, seal,
                                        hot->public_key, cold->public_key);
  cr_assert_not_null(args);
  sp_signer signer;
  cr_assert_eq(sp_keypair_signer(hot, &signer), 0);
  sp_submit_options o;
  sp_submit_options_default(&o);
  o.poll_interval_ms = 50;
  o.timeout_ms = 20000;
  sp_chain_outcome out;
  cr_assert_eq(sp_chain_submit_and_watch(c, &signer, "SubtensorModule",
                                         "register", args, &o, &out, &e),
               0, "%s", e.message);
  json_decref(args);
  cr_assert(out.dispatch.success, "registration failed: %s",
            out.dispatch.failure);
  /* Its unnamed fields (netuid, uid, hotkey) decode as an array. */
  const json_t *fields = sp_dispatch_outcome_event(
      &out.dispatch, "SubtensorModule", "NeuronRegistered");
  cr_assert_not_null(fields, "no NeuronRegistered event");
  cr_assert_eq(json_integer_value(json_array_get(fields, 0)), NETUID);
  *uid = (uint16_t)json_integer_value(json_array_get(fields, 1));
  *block = out.block_number;
  sp_chain_outcome_free(&out);
}

static const char *jstr(json_t *obj, const char *key) {
  json_t *v = json_object_get(obj, key);
  cr_assert(json_is_string(v), "summary lacks string %s", key);
  return json_string_value(v);
}

static json_int_t jint(json_t *obj, const char *key) {
  json_t *v = json_object_get(obj, key);
  cr_assert(json_is_integer(v), "summary lacks integer %s", key);
  return json_integer_value(v);
}

static char *hex0x(const uint8_t *b, size_t n) {
  char *s = malloc(2 * n + 3);
  cr_assert_not_null(s);
  s[0] = '0', s[1] = 'x';
  sp_hex_encode(b, n, s + 2);
  return s;
}

Test(interop_api, polkadot_js_reads_and_submits_a_faucet, .timeout = 240) {
  prepare_node();

  sp_mock_config cfg;
  sp_mock_config_default(&cfg);
  cfg.port = 0;
  cfg.block_time_ms = 200;
  cfg.runtime = 343;
  cfg.faucet = true;
  cr_assert_eq(sp_mock_config_subnet(&cfg, NETUID, true, DIFFICULTY), 0);
  sp_error_record err = {0};
  char url[64];
  sp_mock_node *node = sp_mock_start(&cfg, &err);
  cr_assert_not_null(node, "%s", err.message);
  sp_mock_url(node, url, sizeof url);

  sp_chain_client *c = NULL;
  sp_chain_error e = {0};
  cr_assert_eq(sp_chain_client_open(&c, url, NULL, &e), 0, "%s", e.message);
  /* Two registrations, so that the hotkey checked has uid 1, not the
   * zero a default could give. */
  sp_keypair hot_a = key(0x31), hot_b = key(0x32), cold = key(0x33);
  uint64_t block_a = 0, block_b = 0;
  uint16_t uid_a = 99, uid_b = 99, uid = 99;
  register_hotkey(c, &hot_a, &cold, &block_a, &uid_a);
  register_hotkey(c, &hot_b, &cold, &block_b, &uid_b);
  cr_assert_eq(uid_a, 0);
  cr_assert_eq(uid_b, 1);
  cr_assert_eq(sp_mock_uid(node, NETUID, hot_b.public_key, &uid), 0);
  cr_assert_eq(uid, uid_b);

  char *hot_hex = hex0x(hot_b.public_key, 32);
  char script[1024];
  snprintf(script, sizeof script,
           "node '%s/check.mjs' '%s' %d '%s' %u %" PRIu64, INTEROP_DIR, url,
           NETUID, hot_hex, uid_b, block_b);
  sp_run_result r;
  int status = sh(script, &r);
  cr_assert_eq(status, 0, "check.mjs exited %d:\n%s%s", status, r.out, r.err);
  char line[4096];
  last_line(r.out, line, sizeof line);
  json_error_t je;
  json_t *sum = json_loads(line, 0, &je);
  cr_assert_not_null(sum, "check.mjs summary is not JSON (%s): %s", je.text,
                     line);
  sp_run_result_free(&r);

  /* What polkadot.js read is what the node holds. */
  cr_assert_eq(jint(sum, "specVersion"), 343);
  char *genesis = hex0x(c->genesis_hash, 32);
  cr_assert_str_eq(jstr(sum, "genesisHash"), genesis);
  free(genesis);
  cr_assert_str_eq(jstr(sum, "difficulty"), "1000");
  cr_assert_eq(jint(sum, "uid"), uid_b);
  cr_assert_eq(jint(sum, "registerNetuid"), NETUID);

  /* Its faucet paid its coldkey on the node, and our client reads the same
   * Faucet event at the block and index it reported. */
  uint8_t coldkey[32];
  cr_assert_eq(sp_hex_decode(jstr(sum, "coldkey"), 32, coldkey, 32, NULL), 0);
  cr_assert_eq(sp_mock_balance(node, coldkey), FAUCET_AMOUNT);
  cr_assert_str_eq(jstr(sum, "balanceBefore"), "0");
  cr_assert_str_eq(jstr(sum, "balanceAfter"), "1000000000000");
  uint8_t fhash[32];
  cr_assert_eq(
      sp_chain_block_hash(c, (uint64_t)jint(sum, "faucetBlock"), fhash, &e), 0,
      "%s", e.message);
  json_t *events = NULL;
  cr_assert_eq(sp_chain_read_events(c, fhash, &events, &e), 0, "%s", e.message);
  json_int_t index = jint(sum, "faucetIndex");
  bool faucet_seen = false, success_seen = false;
  size_t i;
  json_t *rec;
  json_array_foreach(events, i, rec) {
    json_t *phase = json_object_get(rec, "phase");
    if (json_integer_value(json_object_get(phase, "ApplyExtrinsic")) != index)
      continue;
    json_t *ev = json_object_get(rec, "event");
    json_t *paid =
        json_object_get(json_object_get(ev, "SubtensorModule"), "Faucet");
    if (paid != NULL) {
      uint8_t who[32];
      cr_assert_eq(sp_json_hex_fixed(json_array_get(paid, 0), who, 32), 0);
      cr_assert_eq(memcmp(who, coldkey, 32), 0);
      faucet_seen = true;
    }
    if (json_object_get(json_object_get(ev, "System"), "ExtrinsicSuccess"))
      success_seen = true;
  }
  cr_assert(faucet_seen,
            "our client sees no Faucet event at %" JSON_INTEGER_FORMAT, index);
  cr_assert(success_seen, "our client sees no ExtrinsicSuccess");
  cr_log_info("polkadot.js mined the faucet on block %" JSON_INTEGER_FORMAT
              " (nonce %s) in %" JSON_INTEGER_FORMAT
              " ms; included in block %" JSON_INTEGER_FORMAT,
              jint(sum, "workBlock"), jstr(sum, "workNonce"),
              jint(sum, "mineMs"), jint(sum, "faucetBlock"));

  json_decref(events);
  json_decref(sum);
  free(hot_hex);
  sp_keypair_wipe(&hot_a);
  sp_keypair_wipe(&hot_b);
  sp_keypair_wipe(&cold);
  sp_chain_client_close(c);
  sp_mock_stop(node);
}

/* What polkadot.js relies on without saying: a block's hash is BLAKE2b-256
 * of its SCALE header (it computes header.hash itself, mines on it above and
 * signs mortal eras against it). Checked here with our own encoder, so that
 * it holds where node is absent. */
Test(interop_api, block_hash_is_the_hash_of_its_header) {
  sp_mock_config cfg;
  sp_mock_config_default(&cfg);
  cfg.port = 0;
  cfg.stall_blocks = true;
  cfg.seed = 7;
  sp_error_record err = {0};
  char url[64];
  sp_mock_node *node = sp_mock_start(&cfg, &err);
  cr_assert_not_null(node, "%s", err.message);
  for (int i = 0; i < 3; i++)
    sp_mock_produce_block(node);
  sp_mock_url(node, url, sizeof url);
  sp_chain_client *c = NULL;
  sp_chain_error e = {0};
  cr_assert_eq(sp_chain_client_open(&c, url, NULL, &e), 0, "%s", e.message);
  for (uint64_t number = 0; number <= 3; number++) {
    uint8_t hash[32], field[32], mine[32];
    cr_assert_eq(sp_chain_block_hash(c, number, hash, &e), 0, "%s", e.message);
    json_t *h = NULL;
    cr_assert_eq(sp_rpc_call(c->rpc, "chain_getHeader",
                             json_pack("[o]", sp_json_hex(hash, 32)),
                             SP_RPC_OBJECT, &h, &e),
                 0, "%s", e.message);
    sp_scale_writer w;
    sp_scale_writer_init(&w);
    cr_assert_eq(sp_json_hex_fixed(json_object_get(h, "parentHash"), field, 32),
                 0);
    sp_scale_put_bytes(&w, field, 32);
    const char *num = json_string_value(json_object_get(h, "number"));
    cr_assert_not_null(num);
    cr_assert_eq(strtoull(num, NULL, 16), number);
    sp_scale_put_compact(&w, number);
    cr_assert_eq(sp_json_hex_fixed(json_object_get(h, "stateRoot"), field, 32),
                 0);
    sp_scale_put_bytes(&w, field, 32);
    cr_assert_eq(
        sp_json_hex_fixed(json_object_get(h, "extrinsicsRoot"), field, 32), 0);
    sp_scale_put_bytes(&w, field, 32);
    json_t *logs = json_object_get(json_object_get(h, "digest"), "logs");
    cr_assert_eq(json_array_size(logs), 0);
    sp_scale_put_compact(&w, 0);
    cr_assert_eq(sp_scale_writer_ok(&w), 0);
    sp_blake2_256(w.data, w.len, mine);
    cr_assert_eq(memcmp(mine, hash, 32), 0, "block %" PRIu64, number);
    sp_scale_writer_free(&w);
    json_decref(h);
  }
  sp_chain_client_close(c);
  sp_mock_stop(node);
}
