/*
 * The engine's solution queue: a bounded FIFO guarded by a mutex, with a
 * condition variable the control loop waits on. Solutions are rare (one per
 * `difficulty` hashes), so a lock here costs nothing in the hot loop.
 */
#ifndef SUBPOW_ENGINE_SOLUTION_QUEUE_H
#define SUBPOW_ENGINE_SOLUTION_QUEUE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reference/reference.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A solution with everything needed to submit it and to check its label. */
typedef struct sp_engine_solution {
  sp_pow_solution pow; /* nonce, block_number (the work's), difficulty, seal */
  uint8_t block_hash[32];
  uint8_t block_and_hotkey_hash[32];
  sp_rule rule;
  uint64_t generation; /* which publication of work it was computed for */
  int worker;          /* index of the worker that found it */
} sp_engine_solution;

typedef struct sp_solution_queue {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  sp_engine_solution *items;
  size_t cap, head, count;
  uint64_t pushed, dropped;
  bool kicked; /* sp_solution_queue_kick since the last wait */
} sp_solution_queue;

/* Returns 0 or -SP_ENOMEM. capacity >= 1. */
int sp_solution_queue_init(sp_solution_queue *q, size_t capacity);
void sp_solution_queue_destroy(sp_solution_queue *q);

/* Appends a copy; when full, counts it as dropped and returns false. Wakes
 * a waiter either way. */
bool sp_solution_queue_push(sp_solution_queue *q, const sp_engine_solution *s);

/* Takes the oldest solution into *out; false when empty. */
bool sp_solution_queue_pop(sp_solution_queue *q, sp_engine_solution *out);

/* Waits until the queue is non-empty, a kick arrives, or `timeout_s`
 * seconds pass. Returns true when the queue is non-empty. */
bool sp_solution_queue_wait(sp_solution_queue *q, double timeout_s);

/* Wakes a waiter without a solution (a stop request, a worker error). */
void sp_solution_queue_kick(sp_solution_queue *q);

/* Counters: solutions pushed (queued) and dropped (queue full). */
void sp_solution_queue_counts(sp_solution_queue *q, uint64_t *pushed,
                              uint64_t *dropped);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_ENGINE_SOLUTION_QUEUE_H */
