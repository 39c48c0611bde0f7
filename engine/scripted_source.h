/*
 * A scripted work source for tests and demonstrations: a new block every
 * `period_ms` milliseconds of its clock (monotonic time unless a test sets
 * another), with hashes that are a pure function
 * of (seed, block number), so a test can recompute the work of any block a
 * solution is labelled with and check the seal against the reference.
 */
#ifndef SUBPOW_ENGINE_SCRIPTED_SOURCE_H
#define SUBPOW_ENGINE_SCRIPTED_SOURCE_H

#include <stdbool.h>
#include <stdint.h>

#include "common/clock.h"
#include "engine/work_source.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sp_scripted_source {
  uint64_t first_block; /* the number of the first block published */
  unsigned period_ms;   /* a new block this often (>= 1) */
  uint64_t n_blocks; /* after this many blocks the last one stays (0: no end) */
  uint64_t seed;     /* selects the block hashes */
  uint8_t key[32];   /* the hotkey the seals are for */
  uint64_t difficulty;
  sp_rule rule;
  sp_clock clock; /* what "time passes" means (zeroed: monotonic); set it
                     after init to drive the script from a test */
  /* state */
  bool started;
  double t0;            /* monotonic seconds at the first poll */
  uint64_t last;        /* the block last published */
  uint64_t n_published; /* how many blocks poll() has published */
} sp_scripted_source;

/* Sets the fields above and clears the state; the first poll publishes
 * block `first_block` and starts the clock. */
void sp_scripted_source_init(sp_scripted_source *s, uint64_t first_block,
                             unsigned period_ms, uint64_t n_blocks,
                             uint64_t seed, const uint8_t key[32],
                             uint64_t difficulty, sp_rule rule);

/*
 * The work of block `number` of this script: block_hash =
 * Keccak-256("subpow scripted block" || seed (8 bytes LE) || number (8 bytes
 * LE)), then sp_block_work_make with the script's key, difficulty and rule.
 * Any block number is valid, published or not.
 */
void sp_scripted_block(const sp_scripted_source *s, uint64_t number,
                       sp_block_work *out);

/* The source reads and updates `s`, which must outlive it. Polls publish
 * block first_block + floor(elapsed / period), skipping blocks when polled
 * less often than the period (as a chain client does). */
sp_work_source sp_scripted_source_as_source(sp_scripted_source *s);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_ENGINE_SCRIPTED_SOURCE_H */
