/* Merlin transcripts over Strobe-128; see merlin.h for the sources. */
#include "chain/keys/merlin.h"

#include <string.h>

static void le32(size_t n, uint8_t out[4]) {
  for (int i = 0; i < 4; i++)
    out[i] = (uint8_t)(n >> (8 * i));
}

void sp_merlin_init(sp_merlin *t, const char *label) {
  sp_strobe_init(&t->strobe, (const uint8_t *)"Merlin v1.0", 11);
  sp_merlin_append(t, "dom-sep", (const uint8_t *)label, strlen(label));
}

void sp_merlin_append(sp_merlin *t, const char *label, const uint8_t *msg,
                      size_t len) {
  uint8_t n[4];
  le32(len, n);
  sp_strobe_meta_ad(&t->strobe, (const uint8_t *)label, strlen(label), false);
  sp_strobe_meta_ad(&t->strobe, n, 4, true);
  sp_strobe_ad(&t->strobe, msg, len, false);
}

void sp_merlin_challenge(sp_merlin *t, const char *label, uint8_t *out,
                         size_t len) {
  uint8_t n[4];
  le32(len, n);
  sp_strobe_meta_ad(&t->strobe, (const uint8_t *)label, strlen(label), false);
  sp_strobe_meta_ad(&t->strobe, n, 4, true);
  sp_strobe_prf(&t->strobe, out, len, false);
}

void sp_merlin_witness_bytes(const sp_merlin *t, const char *label,
                             const uint8_t *const *witness,
                             const size_t *witness_len, size_t n,
                             const uint8_t random[32], uint8_t *out,
                             size_t len) {
  sp_strobe s = t->strobe;
  uint8_t le[4];
  for (size_t i = 0; i < n; i++) {
    le32(witness_len[i], le);
    sp_strobe_meta_ad(&s, (const uint8_t *)label, strlen(label), false);
    sp_strobe_meta_ad(&s, le, 4, true);
    sp_strobe_key(&s, witness[i], witness_len[i], false);
  }
  sp_strobe_meta_ad(&s, (const uint8_t *)"rng", 3, false);
  sp_strobe_key(&s, random, 32, false);
  le32(len, le);
  sp_strobe_meta_ad(&s, le, 4, false);
  sp_strobe_prf(&s, out, len, false);
  sp_strobe_wipe(&s);
}

void sp_merlin_wipe(sp_merlin *t) { sp_strobe_wipe(&t->strobe); }
