/*
 * What the fuzz targets share (header only: regress/CMakeLists.txt builds
 * every regress/fuzz/fuzz_<name>.c as one program, alone or with
 * replay_main.c).
 *
 *   FUZZ_CHECK(cond, fmt, ...)   a property: when it does not hold, print
 *                                why and abort (libFuzzer then saves the
 *                                input; a replay test fails).
 *   fuzz_mock_metadata()         the mock node's metadata (V14), parsed
 *   fuzz_finney_metadata(v)      finney's V14 (v = 14) or V15 (v = 15)
 *                                metadata from the fixtures in
 * SUBPOW_SHARED_DIR, parsed; NULL when the fixtures are absent
 *   fuzz_finney_bytes(v, &len)   the same as raw bytes ("meta" + body; V15:
 *                                the Option<Vec<u8>> of state_call)
 *   fuzz_mock_bytes(&len)        the mock's metadata bytes
 *   fuzz_modern_bytes(&len)      the V16 metadata of spec 381 from
 *                                SUBPOW_SHARED_DIR/fixtures/modern ("meta" +
 * body); NULL when absent
 *
 * Everything is loaded once per process and kept (a fuzzer runs millions of
 * inputs through one process).
 */
#ifndef SUBPOW_REGRESS_FUZZ_SUPPORT_H
#define SUBPOW_REGRESS_FUZZ_SUPPORT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain/codec/metadata.h"
#include "chain/mock/mock_metadata.h"
#include "reference/reference.h"
#include "regress/support/chain_fixture.h"

#define FUZZ_CHECK(cond, ...)                                                  \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "fuzz property failed at %s:%d: %s: ", __FILE__,         \
              __LINE__, #cond);                                                \
      fprintf(stderr, __VA_ARGS__);                                            \
      fputc('\n', stderr);                                                     \
      abort();                                                                 \
    }                                                                          \
  } while (0)

/* Loaded blobs: [0] mock, [1] finney V14, [2] finney V15 (versioned),
 * [3] spec 381's V16. */
typedef struct fuzz_blob {
  int loaded; /* 0 not yet, 1 present, -1 absent */
  uint8_t *bytes;
  size_t len;
  sp_metadata *md;
} fuzz_blob;

static inline uint8_t *fuzz_hex_fixture(const char *name, size_t *len) {
  size_t text_len = 0;
  char *text = sp_fixture_read(name, &text_len);
  if (text == NULL) return NULL;
  uint8_t *bytes = malloc(text_len / 2 + 1);
  if (bytes == NULL ||
      sp_hex_decode(text, 0, bytes, text_len / 2 + 1, len) != 0) {
    free(bytes);
    bytes = NULL;
  }
  free(text);
  return bytes;
}

static inline fuzz_blob *fuzz_blob_get(int which) {
  static fuzz_blob blobs[4];
  fuzz_blob *b = &blobs[which];
  if (b->loaded != 0) return b->loaded > 0 ? b : NULL;
  b->loaded = -1;
  if (which == 0)
    b->bytes = sp_mock_metadata_build(&b->len);
  else if (which == 3)
    b->bytes = sp_modern_fixture_bytes(SP_MODERN_SPEC381, &b->len);
  else
    b->bytes =
        fuzz_hex_fixture(which == 1 ? "metadata_v14.hex"
                                    : "state_call_metadata_at_version_15.hex",
                         &b->len);
  if (b->bytes == NULL) return NULL;
  sp_chain_error err = {0};
  int rc = which == 2
               ? sp_metadata_parse_versioned(b->bytes, b->len, &b->md, &err)
               : sp_metadata_parse(b->bytes, b->len, &b->md, &err);
  /* A fixture this code cannot parse is a bug, not a reason to skip. */
  FUZZ_CHECK(rc == 0, "metadata %d does not parse: %s", which, err.message);
  b->loaded = 1;
  return b;
}

static inline const sp_metadata *fuzz_mock_metadata(void) {
  return fuzz_blob_get(0)->md;
}

static inline const sp_metadata *fuzz_finney_metadata(int version) {
  fuzz_blob *b = fuzz_blob_get(version == 15 ? 2 : 1);
  return b ? b->md : NULL;
}

static inline const uint8_t *fuzz_finney_bytes(int version, size_t *len) {
  fuzz_blob *b = fuzz_blob_get(version == 15 ? 2 : 1);
  if (b == NULL) return NULL;
  *len = b->len;
  return b->bytes;
}

static inline const uint8_t *fuzz_modern_bytes(size_t *len) {
  fuzz_blob *b = fuzz_blob_get(3);
  if (b == NULL) return NULL;
  *len = b->len;
  return b->bytes;
}

static inline const uint8_t *fuzz_mock_bytes(size_t *len) {
  fuzz_blob *b = fuzz_blob_get(0);
  *len = b->len;
  return b->bytes;
}

/* A chain error message is one printable line, NUL-terminated in its
 * buffer (chain_error.h). */
static inline void fuzz_check_message(const char *m, size_t cap) {
  size_t n = strnlen(m, cap);
  FUZZ_CHECK(n > 0 && n < cap, "error message empty or unterminated");
  for (size_t i = 0; i < n; i++)
    FUZZ_CHECK((unsigned char)m[i] >= 0x20 && m[i] != 0x7f,
               "control character 0x%02x in error message \"%s\"",
               (unsigned char)m[i], m);
}

#endif
