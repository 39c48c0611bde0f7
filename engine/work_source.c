/* Block work and the fixed source; see work_source.h. */
#include "engine/work_source.h"

#include <string.h>

void sp_block_work_make(uint64_t block_number, const uint8_t block_hash[32],
                        const uint8_t key[32], uint64_t difficulty,
                        sp_rule rule, sp_block_work *out) {
  memset(out, 0, sizeof *out);
  out->block_number = block_number;
  memcpy(out->block_hash, block_hash, 32);
  sp_hash_block_with_hotkey(block_hash, key, out->work.block_and_hotkey_hash);
  out->work.difficulty = difficulty;
  out->work.rule = rule;
}

static int fixed_poll(void *self, sp_block_work *out, sp_error_record *err) {
  (void)err;
  sp_fixed_source *fs = self;
  if (fs->delivered) return 0;
  *out = fs->work;
  fs->delivered = true;
  return 1;
}

void sp_fixed_source_init(sp_fixed_source *fs, const sp_block_work *work) {
  fs->work = *work;
  fs->delivered = false;
}

sp_work_source sp_fixed_source_as_source(sp_fixed_source *fs) {
  return (sp_work_source){.poll = fixed_poll, .self = fs};
}
