/* The scripted work source; see scripted_source.h. */
#include "engine/scripted_source.h"

#include <string.h>
#include <time.h>

#include "common/byte_order.h"

void sp_scripted_source_init(sp_scripted_source *s, uint64_t first_block,
                             unsigned period_ms, uint64_t n_blocks,
                             uint64_t seed, const uint8_t key[32],
                             uint64_t difficulty, sp_rule rule) {
  memset(s, 0, sizeof *s);
  s->first_block = first_block;
  s->period_ms = period_ms ? period_ms : 1;
  s->n_blocks = n_blocks;
  s->seed = seed;
  memcpy(s->key, key, 32);
  s->difficulty = difficulty;
  s->rule = rule;
}

void sp_scripted_block(const sp_scripted_source *s, uint64_t number,
                       sp_block_work *out) {
  static const char tag[] = "subpow scripted block";
  uint8_t msg[sizeof tag - 1 + 16];
  memcpy(msg, tag, sizeof tag - 1);
  sp_put_le64(msg + sizeof tag - 1, s->seed);
  sp_put_le64(msg + sizeof tag - 1 + 8, number);
  uint8_t block_hash[32];
  sp_keccak256(msg, sizeof msg, block_hash);
  sp_block_work_make(number, block_hash, s->key, s->difficulty, s->rule, out);
}

static int scripted_poll(void *self, sp_block_work *out, sp_error_record *err) {
  (void)err;
  sp_scripted_source *s = self;
  double now = sp_clock_now(&s->clock);
  if (!s->started) {
    s->started = true;
    s->t0 = now;
    s->last = s->first_block;
    s->n_published = 1;
    sp_scripted_block(s, s->last, out);
    return 1;
  }
  uint64_t steps = (uint64_t)((now - s->t0) * 1000.0 / s->period_ms);
  if (s->n_blocks != 0 && steps > s->n_blocks - 1) steps = s->n_blocks - 1;
  uint64_t number = s->first_block + steps;
  if (number == s->last) return 0;
  s->last = number;
  s->n_published++;
  sp_scripted_block(s, number, out);
  return 1;
}

sp_work_source sp_scripted_source_as_source(sp_scripted_source *s) {
  return (sp_work_source){.poll = scripted_poll, .self = s};
}
