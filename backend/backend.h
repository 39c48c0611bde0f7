/*
 * The backend interface: one contract that every solver implements (the
 * reference, the optimized CPU backend, the CUDA backend), in the manner of
 * XKCP's one Keccak-p interface with several implementations behind it.
 *
 * A backend is opened with options, describes its devices, scans nonce ranges
 * of a piece of work reporting every solution, and is closed. `bench` and the
 * engine only ever talk to this interface, through the registry below.
 */
#ifndef SUBPOW_BACKEND_BACKEND_H
#define SUBPOW_BACKEND_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reference/reference.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A piece of work: everything a kernel needs, constant for a block. */
typedef struct sp_work {
  uint8_t block_and_hotkey_hash[32];
  uint64_t difficulty;
  sp_rule rule;
} sp_work;

/* Options shared by every backend; each uses the ones that make sense to it
 * and ignores the rest. Zero values mean "the backend's default". */
typedef struct sp_backend_options {
  int threads;              /* CPU: worker threads (0: one per core) */
  bool per_hw_thread;       /* CPU: default to one worker per hardware thread */
  bool no_pin;              /* CPU: do not bind workers to cores */
  const char *isa;          /* CPU: force a kernel path ("portable", ...) */
  const int *dev_ids;       /* CUDA: devices to use (NULL: device 0) */
  int n_dev_ids;
  int tpb;                  /* CUDA: threads per block (0: backend's choice) */
  uint64_t update_interval; /* nonces per thread between work checks (0: default) */
} sp_backend_options;

/* One device a backend runs on. */
typedef struct sp_device_info {
  char name[128];  /* "AMD EPYC 9R14", "NVIDIA H100 80GB HBM3" */
  char isa[64];    /* kernel path ("avx512+shani") or compute capability ("sm_90") */
  int units;       /* worker threads, or streaming multiprocessors */
  int id;          /* device id (CUDA), or 0 */
} sp_device_info;

/* Where a scan reports solutions. `found` is called with every solution, in
 * no particular order, never from two threads at once. */
typedef struct sp_solution_sink {
  void (*found)(void *user, uint64_t nonce, const uint8_t seal[32]);
  void *user;
} sp_solution_sink;

/* Polled by a scan at least once per update interval per worker, possibly
 * from several threads at once; returning false makes the scan return early.
 * NULL means "never stop early". */
typedef bool (*sp_keep_going_fn)(void *user);

typedef struct sp_backend sp_backend; /* an opened backend; backend-defined */

typedef struct sp_backend_vtable {
  const char *name;    /* as typed after --backend */
  const char *summary; /* one line for --help */
  /* Opens the backend. Returns 0, or a negative code with a message in err:
   * SP_BACKEND_UNAVAILABLE when the hardware is absent (no GPU), or
   * -SP_EINVAL for bad options. */
  int (*open)(const sp_backend_options *opts, sp_backend **out, char *err,
              size_t errlen);
  /* Number of devices and their descriptions (i < count). */
  int (*device_count)(const sp_backend *b);
  void (*describe)(const sp_backend *b, int i, sp_device_info *out);
  /*
   * Hashes every nonce of `range` (clipped at 2^64 - 1, see sp_nonce_range)
   * for `work`, reports each seal that meets the work's difficulty under its
   * rule to `sink`, and stores in *scanned how many nonces were hashed. When
   * keep_going returns false the scan returns early: then *scanned counts the
   * nonces done, which need not be a prefix of the range. Returns 0, or a
   * negative code with a message in err.
   */
  int (*scan)(sp_backend *b, const sp_work *work, sp_nonce_range range,
              const sp_solution_sink *sink, sp_keep_going_fn keep_going,
              void *keep_going_user, uint64_t *scanned, char *err,
              size_t errlen);
  void (*close)(sp_backend *b);
} sp_backend_vtable;

/* What open() returns when the hardware is absent (common/error.h). */
#define SP_BACKEND_UNAVAILABLE (-SP_EUNAVAILABLE)

/* ------------------------------------------------------------ registry -- */

/* The registered backends, in order of preference (fastest first is not
 * implied). Returns the count and sets *list. */
size_t sp_backend_registry(const sp_backend_vtable *const **list);

/* The registered backend called `name`, or NULL. */
const sp_backend_vtable *sp_backend_find(const char *name);

/* ---------------------------------------------------- generic solving -- */

/* A growable list of solutions. */
typedef struct sp_solution_list {
  uint64_t *nonces;
  uint8_t (*seals)[32];
  size_t count, cap;
  bool oom; /* an allocation failed: the list is incomplete */
} sp_solution_list;

void sp_solution_list_free(sp_solution_list *l);

/* A sink appending to `list` (not thread-safe by itself; backends serialize). */
sp_solution_sink sp_solution_list_sink(sp_solution_list *list);

/* Sorts a list ascending by nonce. */
void sp_solution_list_sort(sp_solution_list *list);

/*
 * The `bench solve` contract on any backend: with `all`, every solution of
 * `range` in ascending order; without, only the lowest one (found by scanning
 * windows of `window` nonces in ascending order: 0 picks a default). Returns
 * 0 or a negative code with err set.
 */
int sp_backend_solve(const sp_backend_vtable *vt, sp_backend *b,
                     const sp_work *work, sp_nonce_range range, bool all,
                     uint64_t window, sp_solution_list *out, uint64_t *scanned,
                     char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_BACKEND_BACKEND_H */
