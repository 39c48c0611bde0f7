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

/* A gate a scan can be held at: a backend deliberately slow to stop, held
 * for exactly as long as a test wants (no timer), then let go. */
typedef struct fake_gate fake_gate;
fake_gate *fake_gate_new(void);
/* Lets every held scan go on (and later ones pass). */
void fake_gate_open(fake_gate *g);
/* Waits up to timeout_ms for `n` scans to have started; true if so. */
bool fake_gate_wait_entered(fake_gate *g, unsigned n, unsigned timeout_ms);
/* Waits up to timeout_ms for `n` scans to be held at the gate; true if so. */
bool fake_gate_wait_held(fake_gate *g, unsigned n, unsigned timeout_ms);
void fake_gate_free(fake_gate *g);

typedef struct fake_config {
  unsigned slice;      /* nonces between keep_going polls (default 500) */
  unsigned sleep_us;   /* sleep after each slice (a slow device) */
  unsigned stuck_ms;   /* > 0: ignore keep_going, sleep this long, then
                          return having scanned nothing */
  bool lie;            /* report every nonce with an all-zero seal */
  unsigned fail_after; /* > 0: scan number fail_after returns an error */
  fake_gate *hold;     /* non-NULL: once keep_going turns false, the scan
                          ignores it and waits for the gate to open, then
                          returns (slow to stop); the gate outlives b */
} fake_config;

/* Process-wide counts of the doubles: closes, and closes that came while a
 * scan of that backend was still running (the bug of freeing a backend
 * under a late worker). Such a close is only recorded, and the memory freed
 * when the scan ends, so that the test reports it instead of crashing. */
unsigned fake_backend_closes(void);
unsigned fake_backend_closes_during_scan(void);
/* Waits up to timeout_ms for fake_backend_closes() >= n; true if so. */
bool fake_backend_wait_closes(unsigned n, unsigned timeout_ms);

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
