/*
 * Work sources: where the solve engine gets the block it solves for.
 *
 * A piece of block work is what the Subtensor chain's `register` call checks
 * a seal against (docs/protocol.md sections 1 and 3): the number and hash of
 * a recent block, the block-and-hotkey hash derived from them, the subnet's
 * difficulty and the rule the runtime applies. A source publishes a new piece
 * whenever the chain moves on; the engine hands it to every worker.
 *
 * Two ways to feed the engine, usable together:
 *  - pull: a sp_work_source whose poll() the engine's control loop calls
 *    every poll interval (the fixed and scripted sources below, and a chain
 *    source that asks a node for its best block);
 *  - push: sp_engine_publish_work() (engine.h) from any thread, e.g. a thread
 *    that follows the chain's new-head notifications.
 */
#ifndef SUBPOW_ENGINE_WORK_SOURCE_H
#define SUBPOW_ENGINE_WORK_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/backend.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One block's work: the labels a solution carries and what a kernel needs. */
typedef struct sp_block_work {
  uint64_t block_number;
  uint8_t block_hash[32];
  sp_work work; /* block_and_hotkey_hash, difficulty, rule */
} sp_block_work;

/*
 * Fills `out` from a block and the public key the seal is for (the hotkey for
 * `register`, the coldkey for `faucet`): block_and_hotkey_hash =
 * Keccak-256(block_hash || key).
 */
void sp_block_work_make(uint64_t block_number, const uint8_t block_hash[32],
                        const uint8_t key[32], uint64_t difficulty,
                        sp_rule rule, sp_block_work *out);

/*
 * A pull source. poll() is called from the engine's control loop only (never
 * from two threads at once). It returns 1 after writing new work to *out, 0
 * when the work is unchanged since its last 1, or a negative sp_error code
 * and fills `err` (may be NULL): the engine then stops with
 * SP_ENGINE_SOURCE_ERROR (a source that wants to ride out a flaky node
 * retries internally and returns 0 meanwhile). The first poll of a run must
 * return 1 unless work was pushed with sp_engine_publish_work before the engine
 * started.
 */
typedef struct sp_work_source {
  int (*poll)(void *self, sp_block_work *out, sp_error_record *err);
  void *self;
} sp_work_source;

/* ------------------------------------------------------ fixed source -- */

/* The same work forever: offline solving and benchmarks. */
typedef struct sp_fixed_source {
  sp_block_work work;
  bool delivered;
} sp_fixed_source;

/* The source reads `fs`, which must outlive it. */
void sp_fixed_source_init(sp_fixed_source *fs, const sp_block_work *work);
sp_work_source sp_fixed_source_as_source(sp_fixed_source *fs);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_ENGINE_WORK_SOURCE_H */
