/*
 * Test doubles of the backend interface for the engine tests: a backend that
 * computes real seals with the reference in small slices (so it answers
 * keep_going quickly), optionally slow, stuck (ignores keep_going), lying
 * (reports wrong seals) or failing, and that logs every scan it made so a
 * test can recompute every solution of every nonce it hashed.
 */
#ifndef SUBPOW_REGRESS_FAKE_BACKEND_H
#define SUBPOW_REGRESS_FAKE_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/backend.h"

typedef struct fake_config {
  unsigned slice;      /* nonces between keep_going polls (default 500) */
  unsigned sleep_us;   /* sleep after each slice (a slow device) */
  unsigned stuck_ms;   /* > 0: ignore keep_going, sleep this long, then
                          return having scanned nothing */
  bool lie;            /* report every nonce with an all-zero seal */
  unsigned fail_after; /* > 0: scan number fail_after returns an error */
} fake_config;

/* One scan: the work it was given, the range, and how many nonces it hashed
 * (always a prefix of the range for this double). */
typedef struct fake_scan {
  uint8_t block_and_hotkey_hash[32];
  uint64_t difficulty;
  sp_rule rule;
  uint64_t start, count, done;
} fake_scan;

/* The vtable ("fake"); copy it to give a second double another name. */
extern const sp_backend_vtable fake_vtable;

/* A new instance with `cfg` (NULL: defaults); close with fake_vtable.close. */
sp_backend *fake_backend_new(const fake_config *cfg);

/* The scans made so far; read them after the engine joined the worker. */
size_t fake_backend_scans(const sp_backend *b, const fake_scan **out);

#endif
