/*
 * How the CUDA backend cuts a scan into launches. Pure C, no CUDA: the tests
 * check it on any machine.
 *
 * The devices of a scan share one dispenser: each worker takes the next
 * piece of the range whenever it has a launch slot free, so faster devices
 * take more pieces and a range is split among any number of devices with
 * every nonce handed out exactly once. A piece never crosses a multiple of
 * 2^32, because the kernel folds the nonce's high word into its constants.
 */
#ifndef SUBPOW_CUDA_LAUNCH_PLAN_H
#define SUBPOW_CUDA_LAUNCH_PLAN_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "reference/reference.h"

/* The default --update-interval of the CUDA backend: nonces per GPU thread
 * per launch. With the H100's full grid this is a launch of a few tens of
 * milliseconds, so new work is picked up that often. */
#define SP_CUDA_DEFAULT_UPDATE_INTERVAL 1024u

typedef struct sp_nonce_dispenser {
  pthread_mutex_t lock;
  uint64_t start;  /* first nonce of the range */
  uint64_t length; /* nonces in the range (sp_nonce_range_length) */
  uint64_t taken;  /* nonces handed out so far */
} sp_nonce_dispenser;

/* Starts dispensing `range` (clipped at 2^64 - 1). Returns 0 or -SP_ENOMEM
 * when the lock cannot be made. */
int sp_nonce_dispenser_init(sp_nonce_dispenser *d, sp_nonce_range range);
void sp_nonce_dispenser_destroy(sp_nonce_dispenser *d);

/*
 * Hands out the next piece: at most `max` (>= 1) nonces, not crossing a
 * multiple of 2^32. Returns false when the range is used up. Thread-safe.
 */
bool sp_nonce_dispenser_take(sp_nonce_dispenser *d, uint64_t max,
                             uint64_t *start, uint64_t *len);

/* The length of the piece starting at `start` with `left` nonces left:
 * min(left, max, the distance to the next multiple of 2^32). */
uint64_t sp_nonce_piece(uint64_t start, uint64_t left, uint64_t max);

/*
 * Nonces in one launch of a device with `threads` threads in a full grid:
 * threads x update_interval, at most `max_launch`, and, when solutions are
 * dense (a small difficulty), at most difficulty x cap / 8 (but not below
 * 2^20) so that a launch is expected to find about cap / 8 solutions and
 * its buffer of `cap` entries rarely overflows. At least 1.
 */
uint64_t sp_cuda_launch_nonces(uint32_t threads, uint64_t update_interval,
                               uint64_t difficulty, uint32_t cap,
                               uint64_t max_launch);

/*
 * How many pieces to rescan a launch of `len` nonces in, after it found
 * `found` > cap solutions: each piece is expected to hold about cap / 2.
 * At least 2 and at most len.
 */
uint64_t sp_cuda_rescan_pieces(uint64_t len, uint64_t found, uint32_t cap);

#endif /* SUBPOW_CUDA_LAUNCH_PLAN_H */
