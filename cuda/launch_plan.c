/* Cutting a scan into launches; see launch_plan.h. */
#include "cuda/launch_plan.h"

int sp_nonce_dispenser_init(sp_nonce_dispenser *d, sp_nonce_range range) {
  d->start = range.start;
  d->length = sp_nonce_range_length(range);
  d->taken = 0;
  return pthread_mutex_init(&d->lock, NULL) == 0 ? 0 : -SP_ENOMEM;
}

void sp_nonce_dispenser_destroy(sp_nonce_dispenser *d) {
  pthread_mutex_destroy(&d->lock);
}

uint64_t sp_nonce_piece(uint64_t start, uint64_t left, uint64_t max) {
  /* 2^32 - low word, computed without overflow: at least 1. */
  uint64_t to_boundary = (1ull << 32) - (start & 0xffffffffull);
  uint64_t n = left < max ? left : max;
  return n < to_boundary ? n : to_boundary;
}

bool sp_nonce_dispenser_take(sp_nonce_dispenser *d, uint64_t max,
                             uint64_t *start, uint64_t *len) {
  pthread_mutex_lock(&d->lock);
  bool ok = d->taken < d->length && max > 0;
  if (ok) {
    *start = d->start + d->taken;
    *len = sp_nonce_piece(*start, d->length - d->taken, max);
    d->taken += *len;
  }
  pthread_mutex_unlock(&d->lock);
  return ok;
}

uint64_t sp_cuda_launch_nonces(uint32_t threads, uint64_t update_interval,
                               uint64_t difficulty, uint32_t cap,
                               uint64_t max_launch) {
  uint64_t n = max_launch;
  if (update_interval <= max_launch / (threads ? threads : 1))
    n = (uint64_t)(threads ? threads : 1) * update_interval;
  /* difficulty x cap / 8, saturating. */
  uint64_t per = cap / 8 ? cap / 8 : 1;
  uint64_t dense =
      difficulty > UINT64_MAX / per ? UINT64_MAX : difficulty * per;
  if (dense < (1ull << 20)) dense = 1ull << 20;
  if (n > dense) n = dense;
  return n ? n : 1;
}

uint64_t sp_cuda_rescan_pieces(uint64_t len, uint64_t found, uint32_t cap) {
  uint64_t half = cap / 2 ? cap / 2 : 1;
  uint64_t pieces = found / half + 1;
  if (pieces < 2) pieces = 2;
  if (pieces > len) pieces = len;
  return pieces;
}
