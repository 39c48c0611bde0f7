/*
 * Fuzz target: what the WebSocket transport does with the bytes of one
 * message from a node (chain/client/ws.h): reassembly from frames under a
 * size bound (sp_ws_append) and the classification of the message
 * (sp_ws_classify) that routes it to a waiting call or a subscription.
 *
 * Input: byte 0 picks the message bound (64 << (b % 12) bytes), byte 1 the
 * frame size (1 + b bytes), the rest is the message, fed in frames of that
 * size. Properties:
 *   - the reassembled message never exceeds the bound, and equals the input
 *     when it fits;
 *   - SP_WS_MSG_ANSWER only for a JSON object with an integer "id" (the one
 *     reported);
 *   - SP_WS_MSG_NOTICE only for an object with a string "method" and
 *     "params" holding a "subscription" (reported as text, within its
 *     buffer) and a "result" (handed back equal);
 *   - SP_WS_MSG_BAD otherwise, with one printable line; never a crash.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chain/client/ws.h"
#include "regress/fuzz/fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2) return 0;
  size_t max = (size_t)64 << (data[0] % 12);
  size_t frame = 1 + (size_t)data[1];
  const char *msg = (const char *)data + 2;
  size_t len = size - 2;

  char *buf = NULL;
  size_t have = 0, cap = 0;
  bool fits = true;
  for (size_t off = 0; off < len && fits; off += frame) {
    size_t n = len - off < frame ? len - off : frame;
    fits = sp_ws_append(&buf, &have, &cap, msg + off, n, max);
    FUZZ_CHECK(have <= max, "reassembled %zu bytes over the bound %zu", have,
               max);
  }
  FUZZ_CHECK(fits == (len <= max),
             "refused %zu bytes under the bound %zu or "
             "took them over it",
             len, max);
  if (!fits) {
    free(buf);
    return 0;
  }
  FUZZ_CHECK(have == len && (len == 0 || memcmp(buf, msg, len) == 0),
             "reassembly changed the message");

  int64_t id = -1;
  char sub[32];
  json_t *result = NULL;
  sp_chain_error err;
  memset(&err, 0, sizeof err);
  sp_ws_msg_kind kind =
      sp_ws_classify(buf ? buf : "", have, &id, sub, sizeof sub, &result, &err);
  json_t *doc = json_loadb(buf ? buf : "", have, JSON_REJECT_DUPLICATES, NULL);
  if (kind == SP_WS_MSG_ANSWER) {
    json_t *jid = json_object_get(doc, "id");
    FUZZ_CHECK(json_is_object(doc) && json_is_integer(jid) &&
                   json_integer_value(jid) == id,
               "an answer that is not an object with this integer id");
    FUZZ_CHECK(result == NULL, "an answer hands back a notification result");
  } else if (kind == SP_WS_MSG_NOTICE) {
    json_t *params = json_object_get(doc, "params");
    FUZZ_CHECK(json_is_object(doc) &&
                   json_is_string(json_object_get(doc, "method")) &&
                   json_is_object(params),
               "a notification without method and params");
    FUZZ_CHECK(strnlen(sub, sizeof sub) > 0 &&
                   strnlen(sub, sizeof sub) < sizeof sub,
               "subscription id empty or unterminated");
    FUZZ_CHECK(result != NULL &&
                   json_equal(result, json_object_get(params, "result")),
               "the result handed back differs from the document's");
  } else {
    FUZZ_CHECK(kind == SP_WS_MSG_BAD, "kind %d", (int)kind);
    FUZZ_CHECK(result == NULL, "a bad message with a result");
    fuzz_check_message(err.message, sizeof err.message);
  }
  json_decref(result);
  json_decref(doc);
  free(buf);
  return 0;
}
