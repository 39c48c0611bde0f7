/*
 * Fuzz target: the validation every JSON-RPC answer goes through
 * (sp_rpc_parse_response, chain/client/rpc.h).
 *
 * Input: byte 0 is the `expect` mask of result types, byte 1 the request
 * id, the rest the response body. The body is also read independently
 * with jansson, and the verdict must follow rpc.h's rules:
 *   - 0 only for a JSON object with "jsonrpc": "2.0", the request's integer
 *     id, a "result" of an expected type (the library's own check,
 *     sp_rpc_result_type_ok, jsonrpc.h) and no "error"; the result handed
 *     back equals the document's;
 *   - -SP_CHAIN_ERPC only for such an object with no "result" and an
 *     "error" object with an integer code (err->rpc_code) and a string
 *     message;
 *   - anything else is -SP_CHAIN_EPROTOCOL, with one printable line.
 */
#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "chain/client/rpc.h"
#include "regress/fuzz/fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2) return 0;
  unsigned expect = data[0] & 0x3f;
  int64_t id = data[1];
  const char *body = (const char *)data + 2;
  size_t len = size - 2;

  json_t *result = NULL;
  sp_chain_error err;
  memset(&err, 0, sizeof err);
  int rc = sp_rpc_parse_response(body, len, "fuzz_method", id, expect, &result,
                                 &err);

  json_t *doc =
      json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, NULL);
  json_t *version = json_object_get(doc, "jsonrpc");
  json_t *rid = json_object_get(doc, "id");
  json_t *res = json_object_get(doc, "result");
  json_t *error = json_object_get(doc, "error");
  bool framed = json_is_object(doc) && json_is_string(version) &&
                strcmp(json_string_value(version), "2.0") == 0 &&
                json_is_integer(rid) && json_integer_value(rid) == id;
  if (rc == 0) {
    FUZZ_CHECK(framed && res != NULL && error == NULL,
               "accepted a response that is not a JSON-RPC result");
    FUZZ_CHECK(result != NULL && json_equal(result, res),
               "the result handed back differs from the document's");
    FUZZ_CHECK(sp_rpc_result_type_ok(res, expect),
               "result of an unexpected type");
  } else if (rc == -SP_CHAIN_ERPC) {
    FUZZ_CHECK(result == NULL, "an error with a result");
    FUZZ_CHECK(framed && res == NULL && json_is_object(error),
               "a JSON-RPC error from a response that is not one");
    /* The code is optional (Chopsticks' HTTP errors carry only a
     * message, chain/client/rpc.c); when absent rpc_code is 0. */
    json_t *code = json_object_get(error, "code");
    FUZZ_CHECK((code == NULL || json_is_integer(code)) &&
                   json_is_string(json_object_get(error, "message")),
               "malformed error object reported as a node error");
    FUZZ_CHECK(err.code == SP_CHAIN_ERPC &&
                   err.rpc_code == (code ? json_integer_value(code) : 0),
               "rpc_code %lld, code %lld", (long long)err.rpc_code,
               (long long)(code ? json_integer_value(code) : 0));
    fuzz_check_message(err.message, sizeof err.message);
  } else {
    FUZZ_CHECK(rc == -SP_CHAIN_EPROTOCOL && err.code == SP_CHAIN_EPROTOCOL,
               "rc %d", rc);
    FUZZ_CHECK(result == NULL, "an error with a result");
    FUZZ_CHECK(!(framed && res != NULL && error == NULL &&
                 sp_rpc_result_type_ok(res, expect)),
               "a valid result refused: %s", err.message);
    fuzz_check_message(err.message, sizeof err.message);
  }
  json_decref(result);
  json_decref(doc);
  return 0;
}
