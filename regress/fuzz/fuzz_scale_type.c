/*
 * Fuzz target: SCALE values decoded through a metadata type registry
 * (chain/codec/scale_type.h), on the mock node's registry and, when the
 * fixtures are there, finney's spec-343 registry (~900 real runtime types).
 *
 * Input: byte 0 picks the registry (bit 0: finney), bytes 1-2 a type index
 * (little-endian, modulo the registry's size), the rest is the value.
 * Properties:
 *   - decoding fails with a one-line message and a SCALE, metadata or
 *     memory code, or succeeds having consumed some prefix;
 *   - a decoded value encodes back to exactly the bytes consumed (the JSON
 *     shape loses nothing), except bit sequences, which the encoder refuses
 *     by design (-SP_CHAIN_EUNSUPPORTED);
 *   - decoding that encoding gives an equal JSON value.
 */
#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "chain/codec/scale_type.h"
#include "regress/fuzz/fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 3) return 0;
  const sp_metadata *md =
      (data[0] & 1) ? fuzz_finney_metadata(14) : fuzz_mock_metadata();
  if (md == NULL) return 0; /* no fixtures here: the mock inputs still run */
  const sp_type_registry *reg = &md->registry;
  uint32_t type = (uint32_t)(data[1] | data[2] << 8) % (uint32_t)reg->ntypes;
  const uint8_t *value = data + 3;
  size_t len = size - 3;

  sp_chain_error err = {0};
  sp_scale_reader r;
  sp_scale_reader_init(&r, value, len, &err);
  json_t *v = NULL;
  int rc = sp_scale_decode_type(reg, type, &r, &v);
  if (rc != 0) {
    FUZZ_CHECK(v == NULL, "a failed decode returned a value");
    FUZZ_CHECK(rc == -SP_CHAIN_ESCALE || rc == -SP_CHAIN_EMETADATA ||
                   rc == -SP_CHAIN_ENOMEM,
               "type %u: rc %d", type, rc);
    FUZZ_CHECK(err.code == -rc, "type %u: err.code %d, rc %d", type, err.code,
               rc);
    fuzz_check_message(err.message, sizeof err.message);
    return 0;
  }
  FUZZ_CHECK(v != NULL && r.pos <= len, "type %u: no value or pos %zu > %zu",
             type, r.pos, len);
  size_t consumed = r.pos;

  sp_scale_writer w;
  sp_scale_writer_init(&w);
  sp_chain_error eerr = {0};
  rc = sp_scale_encode_type(reg, type, v, &w, &eerr);
  if (rc == -SP_CHAIN_EUNSUPPORTED) {
    FUZZ_CHECK(strstr(eerr.message, "bit sequences") != NULL,
               "type %u: unsupported: %s", type, eerr.message);
  } else {
    char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    FUZZ_CHECK(rc == 0, "type %u: %s does not encode: %s", type,
               text ? text : "?", eerr.message);
    FUZZ_CHECK(w.len == consumed &&
                   (consumed == 0 || memcmp(w.data, value, consumed) == 0),
               "type %u: %s encodes to %zu bytes, %zu were decoded", type,
               text ? text : "?", w.len, consumed);
    json_t *again = NULL;
    rc = sp_scale_decode_type_all(reg, type, w.data, w.len, &again, &eerr);
    FUZZ_CHECK(rc == 0 && json_equal(v, again),
               "type %u: %s does not decode back: %s", type, text ? text : "?",
               eerr.message);
    json_decref(again);
    free(text);
  }
  sp_scale_writer_free(&w);
  json_decref(v);
  return 0;
}
