/* The mock node's Chopsticks-style test controls (chain/mock/mock_dev.c):
 * dev_newBlock, dev_setStorage (raw pairs) and author_pendingExtrinsics,
 * with which regress/realchain/run.mjs drives the mock and the real runtime
 * through one scenario table; and that each refuses malformed parameters
 * without changing anything. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <string.h>

#include "chain/client/rpc.h"
#include "chain/mock/mock_node.h"

typedef struct fixture {
  sp_mock_node *node;
  sp_rpc *rpc;
} fixture;

static void start(fixture *f) {
  sp_mock_config cfg;
  sp_mock_config_default(&cfg);
  cfg.port = 0;
  cfg.stall_blocks = true; /* blocks only through dev_newBlock */
  sp_error_record err = {0};
  char url[64];
  f->node = sp_mock_start(&cfg, &err);
  cr_assert_not_null(f->node, "%s", err.message);
  sp_mock_url(f->node, url, sizeof url);
  sp_chain_error e = {0};
  cr_assert_eq(sp_rpc_open(&f->rpc, url, NULL, &e), 0, "%s", e.message);
}

static void stop(fixture *f) {
  sp_rpc_close(f->rpc);
  sp_mock_stop(f->node);
}

/* One call; returns its rc, the result in *out (NULL on error). */
static int call(fixture *f, const char *method, const char *params_json,
                json_t **out, sp_chain_error *e) {
  json_error_t je;
  json_t *params = json_loads(params_json, 0, &je);
  cr_assert_not_null(params, "%s: %s", params_json, je.text);
  *out = NULL;
  memset(e, 0, sizeof *e);
  return sp_rpc_call(f->rpc, method, params, SP_RPC_ANY, out, e);
}

static const char *storage(fixture *f, const char *key, json_t **keep) {
  sp_chain_error e;
  char params[128];
  snprintf(params, sizeof params, "[\"%s\"]", key);
  cr_assert_eq(call(f, "state_getStorage", params, keep, &e), 0, "%s",
               e.message);
  return json_string_value(*keep); /* NULL for null */
}

Test(mock_dev, new_block_makes_blocks_while_stalled) {
  fixture f;
  start(&f);
  cr_assert_eq(sp_mock_best(f.node), 0);
  json_t *r = NULL;
  sp_chain_error e;
  cr_assert_eq(call(&f, "dev_newBlock", "[{\"count\": 3}]", &r, &e), 0, "%s",
               e.message);
  cr_assert_eq(sp_mock_best(f.node), 3);
  json_t *h = NULL;
  cr_assert_eq(call(&f, "chain_getBlockHash", "[3]", &h, &e), 0, "%s",
               e.message);
  cr_assert_str_eq(json_string_value(r), json_string_value(h),
                   "dev_newBlock answers the new best block's hash");
  json_decref(r);
  json_decref(h);
  cr_assert_eq(call(&f, "dev_newBlock", "[]", &r, &e), 0, "%s", e.message);
  cr_assert_eq(sp_mock_best(f.node), 4, "no options: one block");
  json_decref(r);
  static const char *const bad[] = {"[{\"count\": 0}]", "[{\"count\": 1001}]",
                                    "[{\"count\": \"2\"}]", "[7]"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    cr_expect_eq(call(&f, "dev_newBlock", bad[i], &r, &e), -SP_CHAIN_ERPC, "%s",
                 bad[i]);
    cr_expect_eq(e.rpc_code, -32602, "%s", bad[i]);
  }
  cr_assert_eq(sp_mock_best(f.node), 4, "a refused call makes no block");
  stop(&f);
}

Test(mock_dev, set_storage_writes_and_deletes_raw_pairs) {
  fixture f;
  start(&f);
  json_t *r = NULL, *keep = NULL;
  sp_chain_error e;
  cr_assert_eq(call(&f, "dev_setStorage",
                    "[[[\"0x1234\", \"0xABcd\"], [\"0x55\", \"0x01\"]]]", &r,
                    &e),
               0, "%s", e.message);
  json_decref(r);
  cr_assert_str_eq(storage(&f, "0x1234", &keep), "0xabcd");
  json_decref(keep);
  cr_assert_str_eq(storage(&f, "0x55", &keep), "0x01");
  json_decref(keep);
  cr_assert_eq(call(&f, "dev_setStorage", "[[[\"0x1234\", null]]]", &r, &e), 0,
               "%s", e.message);
  json_decref(r);
  cr_assert_null(storage(&f, "0x1234", &keep), "null deletes");
  json_decref(keep);
  /* Each malformed call is refused whole: the good pair before a bad one
   * is not written either. */
  static const char *const bad[] = {
      "[[[\"0x66\", \"0x01\"], [\"0x77\", \"0xzz\"]]]",
      "[[[\"0x66\", \"0x01\"], [\"0x77\"]]]",
      "[[[\"0x66\", \"0x01\"], [\"77\", \"0x01\"]]]",
      "[[[\"0x66\", \"0x012\"]]]",
      "[{\"SubtensorModule\": {\"Difficulty\": [[[1], 5]]}}]",
      "[[[\"0x66\", \"0x01\"]], \"0x00\"]"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    cr_expect_eq(call(&f, "dev_setStorage", bad[i], &r, &e), -SP_CHAIN_ERPC,
                 "%s", bad[i]);
    cr_expect_eq(e.rpc_code, -32602, "%s", bad[i]);
  }
  cr_assert_null(storage(&f, "0x66", &keep), "a refused call wrote a pair");
  json_decref(keep);
  stop(&f);
}

Test(mock_dev, pending_extrinsics_of_an_empty_pool) {
  fixture f;
  start(&f);
  json_t *r = NULL;
  sp_chain_error e;
  cr_assert_eq(call(&f, "author_pendingExtrinsics", "[]", &r, &e), 0, "%s",
               e.message);
  cr_assert(json_is_array(r) && json_array_size(r) == 0);
  json_decref(r);
  stop(&f);
}
