/* Strobe-128: see strobe.h for the source of each constant. */
#include "chain/keys/strobe.h"

#include <sodium.h>
#include <string.h>

#include "reference/reference.h"

#define STROBE_R 166

enum {
  FLAG_I = 1,
  FLAG_A = 1 << 1,
  FLAG_C = 1 << 2,
  FLAG_T = 1 << 3,
  FLAG_M = 1 << 4,
  FLAG_K = 1 << 5,
};

static void run_f(sp_strobe *s) {
  s->state[s->pos] ^= s->pos_begin;
  s->state[s->pos + 1] ^= 0x04;
  s->state[STROBE_R + 1] ^= 0x80;
  sp_keccak_f1600(s->state);
  s->pos = 0;
  s->pos_begin = 0;
}

static void absorb(sp_strobe *s, const uint8_t *data, size_t len) {
  for (size_t i = 0; i < len; i++) {
    s->state[s->pos] ^= data[i];
    if (++s->pos == STROBE_R) run_f(s);
  }
}

static void overwrite(sp_strobe *s, const uint8_t *data, size_t len) {
  for (size_t i = 0; i < len; i++) {
    s->state[s->pos] = data[i];
    if (++s->pos == STROBE_R) run_f(s);
  }
}

static void squeeze(sp_strobe *s, uint8_t *out, size_t len) {
  for (size_t i = 0; i < len; i++) {
    out[i] = s->state[s->pos];
    s->state[s->pos] = 0;
    if (++s->pos == STROBE_R) run_f(s);
  }
}

/* Merlin never uses the T flag and never changes flags in a continued
 * operation; those are programming errors of this file, not inputs. */
static void begin_op(sp_strobe *s, uint8_t flags, bool more) {
  if (more) return;
  uint8_t old_begin = s->pos_begin;
  s->pos_begin = (uint8_t)(s->pos + 1);
  s->cur_flags = flags;
  uint8_t hdr[2] = {old_begin, flags};
  absorb(s, hdr, 2);
  if ((flags & (FLAG_C | FLAG_K)) != 0 && s->pos != 0) run_f(s);
}

void sp_strobe_init(sp_strobe *s, const uint8_t *label, size_t len) {
  memset(s, 0, sizeof *s);
  static const uint8_t head[6] = {1, STROBE_R + 2, 1, 0, 1, 96};
  memcpy(s->state, head, 6);
  memcpy(s->state + 6, "STROBEv1.0.2", 12);
  sp_keccak_f1600(s->state);
  sp_strobe_meta_ad(s, label, len, false);
}

void sp_strobe_meta_ad(sp_strobe *s, const uint8_t *data, size_t len,
                       bool more) {
  begin_op(s, FLAG_M | FLAG_A, more);
  absorb(s, data, len);
}

void sp_strobe_ad(sp_strobe *s, const uint8_t *data, size_t len, bool more) {
  begin_op(s, FLAG_A, more);
  absorb(s, data, len);
}

void sp_strobe_prf(sp_strobe *s, uint8_t *out, size_t len, bool more) {
  begin_op(s, FLAG_I | FLAG_A | FLAG_C, more);
  squeeze(s, out, len);
}

void sp_strobe_key(sp_strobe *s, const uint8_t *data, size_t len, bool more) {
  begin_op(s, FLAG_A | FLAG_C, more);
  overwrite(s, data, len);
}

void sp_strobe_wipe(sp_strobe *s) { sodium_memzero(s, sizeof *s); }
