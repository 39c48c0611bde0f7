/* Fuzz target: the fleet's messages between ranks (fleet/fleet_wire.h).
 * Properties checked, not just "no crash": a message that decodes has the
 * exact length of its type, encodes back to as many bytes, and that
 * encoding decodes to the same message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fleet/fleet_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  sp_wire_msg m, again;
  sp_error_record err = {0};
  char *t1 = NULL, *t2 = NULL, *u1 = NULL, *u2 = NULL;
  if (sp_wire_decode(data, size, &m, &t1, &t2, &err) != 0) {
    if (err.message[0] == '\0') abort(); /* a refusal always says why */
    return 0;
  }
  size_t cap = size + 16;
  uint8_t *buf = malloc(cap);
  if (buf == NULL) abort();
  size_t n = sp_wire_encode(&m, buf, cap);
  if (n != size) abort();
  if (sp_wire_decode(buf, n, &again, &u1, &u2, &err) != 0) abort();
  if (again.type != m.type || again.seq != m.seq || again.status != m.status ||
      again.nonce != m.nonce || again.scanned != m.scanned ||
      again.rc != m.rc || again.range.start != m.range.start ||
      again.range.count != m.range.count || strcmp(again.host, m.host) != 0 ||
      strcmp(again.err, m.err) != 0 || memcmp(again.seal, m.seal, 32) != 0 ||
      memcmp(&again.work.block_and_hotkey_hash, &m.work.block_and_hotkey_hash,
             32) != 0 ||
      again.len1 != m.len1 || again.len2 != m.len2)
    abort();
  if (m.type == SP_WIRE_REPORT && (strcmp(t1, u1) != 0 || strcmp(t2, u2) != 0))
    abort();
  free(buf);
  free(t1);
  free(t2);
  free(u1);
  free(u2);
  return 0;
}
