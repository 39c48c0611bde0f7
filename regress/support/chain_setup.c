/* The chain tests' shared set-up; see chain_setup.h. */
#include "regress/support/chain_setup.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "reference/reference.h"

char *sp_fixture_text(const char *name) {
  char *text = sp_fixture_read(name, NULL);
  if (text == NULL)
    cr_skip_test("fixture %s is absent (SUBPOW_SHARED_DIR=%s): skipped",
                 sp_fixture_path(name), SUBPOW_SHARED_DIR);
  return text;
}

uint8_t *sp_fixture_hex_bytes(const char *name, size_t *len) {
  char *hex = sp_fixture_text(name);
  size_t cap = strlen(hex) / 2;
  uint8_t *b = malloc(cap);
  cr_assert_eq(sp_hex_decode(hex, 0, b, cap, len), 0);
  free(hex);
  return b;
}

uint8_t *sp_modern_fixture(const char *name, size_t *len) {
  uint8_t *b = sp_modern_fixture_bytes(name, len);
  if (b == NULL)
    cr_skip_test("fixture %s is absent: skipped", sp_modern_fixture_path(name));
  return b;
}

sp_metadata *sp_fixture_metadata(const char *name, bool versioned) {
  char *hex = sp_fixture_text(name);
  sp_metadata *md = NULL;
  sp_chain_error err = {0};
  int rc = sp_metadata_parse_hex(hex, versioned, &md, &err);
  free(hex);
  cr_assert_eq(rc, 0, "%s: %s", name, err.message);
  return md;
}

sp_metadata *sp_modern_fixture_metadata(const char *name) {
  size_t len;
  uint8_t *b = sp_modern_fixture(name, &len);
  sp_metadata *md = NULL;
  sp_chain_error err = {0};
  int rc = sp_metadata_parse(b, len, &md, &err);
  free(b);
  cr_assert_eq(rc, 0, "%s: %s", name, err.message);
  return md;
}

char *sp_hex0x(const uint8_t *b, size_t n) {
  char *s = malloc(2 * n + 3);
  s[0] = '0', s[1] = 'x';
  sp_hex_encode(b, n, s + 2);
  return s;
}

json_t *sp_jsonrpc_request(const char *body, long long *id, const char **method,
                           json_t **params) {
  json_t *req = json_loads(body, 0, NULL);
  *id = json_integer_value(json_object_get(req, "id"));
  const char *m = json_string_value(json_object_get(req, "method"));
  *method = m ? m : "";
  *params = json_object_get(req, "params");
  return req;
}

void sp_http_reply_jsonrpc(sp_http_reply *r, long long id, json_t *result,
                           char *error) {
  if (result == NULL && error == NULL)
    error = sp_http_fmt("{\"code\":-32601,\"message\":\"Method not found\"}");
  if (error) {
    r->body = sp_http_fmt("{\"jsonrpc\":\"2.0\",\"id\":%lld,\"error\":%s}", id,
                          error);
    free(error);
  } else {
    json_t *resp = json_pack("{s:s,s:I,s:o}", "jsonrpc", "2.0", "id",
                             (json_int_t)id, "result", result);
    r->body = json_dumps(resp, JSON_COMPACT);
    json_decref(resp);
  }
}

void sp_rpc_options_quick(sp_rpc_options *o) {
  sp_rpc_options_default(o);
  o->backoff_initial_ms = 1;
  o->backoff_max_ms = 2;
}
