/*
 * Which metadata the client loads from a node: the newest version the
 * runtime offers (Metadata_metadata_versions, Metadata_metadata_at_version
 * through state_call), else state_getMetadata. A stub node serves the V16
 * metadata of spec 381 through state_call and that of spec 346 through
 * state_getMetadata, so the SubnetNotExists index (75 or 73) tells which
 * one the client took.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "chain/client/client.h"
#include "chain/codec/scale.h"
#include "reference/reference.h"
#include "regress/support/chain_setup.h"

typedef enum versions_answer {
  OFFERS_16,  /* [14, 15, 16] */
  OFFERS_17,  /* [14, 15, 16, 17]: 17 is not read, 16 is chosen */
  OFFERS_14,  /* [14] */
  NO_API,     /* state_call answers a JSON-RPC error */
  NONE_AT_16, /* lists 16 but answers None for it */
  GARBAGE,    /* an odd number of bytes */
  BAD_V16,    /* lists 16 but serves bytes that do not parse */
} versions_answer;

typedef struct node {
  versions_answer mode;
  char *plain_hex;     /* state_getMetadata: spec 346 */
  char *versioned_hex; /* Metadata_metadata_at_version(16): spec 381 */
  int get_metadata_calls;
  uint32_t asked_version;
} node;

static char *versions_hex(const uint32_t *v, size_t n) {
  sp_scale_writer w;
  sp_scale_writer_init(&w);
  sp_scale_put_compact(&w, n);
  for (size_t i = 0; i < n; i++)
    sp_scale_put_u32(&w, v[i]);
  char *s = sp_hex0x(w.data, w.len);
  sp_scale_writer_free(&w);
  return s;
}

static json_t *state_call(node *nd, const char *fn, const char *arg,
                          char **error) {
  if (nd->mode == NO_API) {
    *error = sp_http_fmt("{\"code\":4003,\"message\":\"Client error: "
                         "Execution failed: Exported method %s is not "
                         "found\"}",
                         fn);
    return NULL;
  }
  if (!strcmp(fn, "Metadata_metadata_versions")) {
    static const uint32_t v16[] = {14, 15, 16}, v17[] = {14, 15, 16, 17},
                          v14[] = {14};
    char *s = nd->mode == OFFERS_17   ? versions_hex(v17, 4)
              : nd->mode == OFFERS_14 ? versions_hex(v14, 1)
              : nd->mode == GARBAGE   ? strdup("0x0c0e0000")
                                      : versions_hex(v16, 3);
    json_t *j = json_string(s);
    free(s);
    return j;
  }
  uint8_t le[4] = {0};
  size_t n = 0;
  if (!strcmp(fn, "Metadata_metadata_at_version") && arg &&
      sp_hex_decode(arg, 4, le, 4, &n) == 0) {
    nd->asked_version =
        le[0] | le[1] << 8 | le[2] << 16 | (uint32_t)le[3] << 24;
    if (nd->mode == NONE_AT_16 || nd->asked_version != 16)
      return json_string("0x00");
    if (nd->mode == BAD_V16) return json_string("0x01106d657461100000");
    return json_string(nd->versioned_hex);
  }
  *error = sp_http_fmt("{\"code\":-32602,\"message\":\"bad state_call\"}");
  return NULL;
}

static void serve(void *user, const char *body, size_t len, sp_http_reply *r) {
  (void)len;
  node *nd = user;
  long long id;
  const char *m;
  json_t *params;
  json_t *req = sp_jsonrpc_request(body, &id, &m, &params);
  json_t *result = NULL;
  char *error = NULL;
  if (!strcmp(m, "state_getRuntimeVersion")) {
    result = json_pack("{s:s,s:i,s:i}", "specName", "node-subtensor",
                       "specVersion", 381, "transactionVersion", 1);
  } else if (!strcmp(m, "state_getMetadata")) {
    nd->get_metadata_calls++;
    result = json_string(nd->plain_hex);
  } else if (!strcmp(m, "state_call")) {
    result = state_call(nd, json_string_value(json_array_get(params, 0)),
                        json_string_value(json_array_get(params, 1)), &error);
  } else if (!strcmp(m, "chain_getBlockHash")) {
    result = json_string("0x1111111111111111111111111111111111111111111111111"
                         "111111111111111");
  }
  sp_http_reply_jsonrpc(r, id, result, error); /* none: method not found */
  json_decref(req);
}

static node nd;
static sp_http_stub *stub;

static void setup(void) {
  memset(&nd, 0, sizeof nd);
  size_t n346, n381;
  uint8_t *a = sp_modern_fixture(SP_MODERN_SPEC346, &n346);
  uint8_t *b = sp_modern_fixture(SP_MODERN_SPEC381, &n381);
  nd.plain_hex = sp_hex0x(a, n346);
  sp_scale_writer w; /* Option<Vec<u8>>: Some(bytes) */
  sp_scale_writer_init(&w);
  sp_scale_put_u8(&w, 1);
  sp_scale_put_byte_vec(&w, b, n381);
  nd.versioned_hex = sp_hex0x(w.data, w.len);
  sp_scale_writer_free(&w);
  free(a);
  free(b);
  stub = sp_http_stub_start(serve, &nd);
  cr_assert_not_null(stub);
}

static void teardown(void) {
  sp_http_stub_stop(stub);
  free(nd.plain_hex);
  free(nd.versioned_hex);
}

static int open_as(versions_answer mode, sp_chain_client **c,
                   sp_chain_error *err) {
  nd.mode = mode;
  nd.get_metadata_calls = 0;
  nd.asked_version = 0;
  sp_rpc_options o;
  sp_rpc_options_quick(&o);
  return sp_chain_client_open(c, sp_http_stub_url(stub), &o, err);
}

static int subnet_not_exists(const sp_chain_client *c) {
  const sp_type_variant *v;
  if (sp_metadata_error(c->metadata, "SubtensorModule", "SubnetNotExists", &v,
                        NULL) != 0)
    return -1;
  return v->index;
}

Test(chain_client_metadata, newest_offered_version_is_used, .init = setup,
     .fini = teardown) {
  static const versions_answer modes[] = {OFFERS_16, OFFERS_17};
  for (size_t i = 0; i < 2; i++) {
    sp_chain_client *c = NULL;
    sp_chain_error err = {0};
    cr_assert_eq(open_as(modes[i], &c, &err), 0, "%s", err.message);
    cr_expect_eq(nd.asked_version, 16, "asked for V%u", nd.asked_version);
    cr_expect_eq(nd.get_metadata_calls, 0);
    cr_expect_eq(c->metadata->version, 16);
    cr_expect_eq(subnet_not_exists(c), 75, "spec 381's metadata");
    sp_chain_client_close(c);
  }
}

Test(chain_client_metadata, falls_back_to_state_getMetadata, .init = setup,
     .fini = teardown) {
  static const versions_answer modes[] = {OFFERS_14, NO_API, NONE_AT_16};
  static const char *what[] = {"only V14 offered", "no runtime API",
                               "None for V16"};
  for (size_t i = 0; i < 3; i++) {
    sp_chain_client *c = NULL;
    sp_chain_error err = {0};
    cr_assert_eq(open_as(modes[i], &c, &err), 0, "%s: %s", what[i],
                 err.message);
    cr_expect_eq(nd.get_metadata_calls, 1, "%s", what[i]);
    cr_expect_eq(subnet_not_exists(c), 73, "%s: spec 346's metadata", what[i]);
    sp_chain_client_close(c);
  }
}

Test(chain_client_metadata, malformed_answers_are_errors, .init = setup,
     .fini = teardown) {
  sp_chain_client *c = NULL;
  sp_chain_error err = {0};
  int rc = open_as(GARBAGE, &c, &err);
  cr_expect_eq(rc, -SP_CHAIN_ESCALE, "%s", err.message);
  cr_expect(strstr(err.message, "Metadata_metadata_versions") != NULL, "%s",
            err.message);
  cr_expect_null(c);
  cr_expect_eq(nd.get_metadata_calls, 0,
               "garbage is not a reason to fall back");
  rc = open_as(BAD_V16, &c, &err);
  cr_expect(rc == -SP_CHAIN_EMETADATA || rc == -SP_CHAIN_ESCALE, "rc %d: %s",
            rc, err.message);
  cr_expect_null(c);
  cr_expect_eq(nd.get_metadata_calls, 0);
}
