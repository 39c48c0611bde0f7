/*
 * The backend interface: one contract that every solver implements (the
 * reference, the optimized CPU backend, the CUDA backend), in the manner of
 * XKCP's one Keccak-p interface with several implementations behind it.
 *
 * A backend is opened with options, describes its devices, scans nonce ranges
 * of a piece of work reporting every solution, and is closed; it describes
 * its settings and device kind, so that the commands present every backend
 * with one code. The engine takes vtables; `bench` finds them in the
 * registry of built-in backends (registry/registry.h), which sits above the
 * backends. Nothing above this interface includes a backend's own header.
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

/* What a backend computes on: decides how `bench sweep` measures it (CPU
 * backends by thread count, GPU backends by launch shape) and which rows
 * carry GPU driver facts. */
typedef enum sp_device_kind { SP_DEVICE_CPU = 0, SP_DEVICE_GPU = 1 } sp_device_kind;

/* The settings of sp_backend_options, one command-line flag each (the flag
 * is sp_setting_flag()). A backend lists the ones it takes. */
typedef enum sp_setting {
  SP_SETTING_THREADS,         /* opts.threads          --threads N */
  SP_SETTING_PER_HW_THREAD,   /* opts.per_hw_thread    --per-hw-thread */
  SP_SETTING_NO_PIN,          /* opts.no_pin           --no-pin */
  SP_SETTING_ISA,             /* opts.isa              --isa X */
  SP_SETTING_DEVICES,         /* opts.dev_ids          --dev-id LIST */
  SP_SETTING_TPB,             /* opts.tpb              --tpb N */
  SP_SETTING_UPDATE_INTERVAL, /* opts.update_interval  --update-interval N */
  SP_SETTING_COUNT
} sp_setting;

/* How a backend describes one setting it takes (for --help, `--isa help`
 * and `bench sweep`). */
typedef struct sp_setting_info {
  sp_setting id;
  const char *meaning; /* "worker threads"; NULL ends a backend's list */
  const char *range;   /* "1..4096", "a kernel path"; NULL for a switch */
  const char *dflt;    /* "one per core" */
  /* `bench sweep`: NULL: not swept (held at the default or the value
   * given); "*": every value (threads 1..the CPUs, every choice of
   * choices(), pinned then unpinned); else the comma-separated values swept
   * by default ("32,64,128"). Swept settings vary in list order, the last
   * one fastest: it is the x axis of the plot. */
  const char *sweep;
} sp_setting_info;

/* The flag of a setting without dashes ("threads", "dev-id"). */
const char *sp_setting_flag(sp_setting s);

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
  /* --- description, for the commands that present every backend alike -- */
  sp_device_kind kind;
  /* Among the CPU backends built in, the one of highest rank is the default
   * of hashrate and mine (the reference has 0). */
  int rank;
  /* The settings the backend takes; NULL or ended by .meaning == NULL. */
  const sp_setting_info *settings;
  /* The values of a setting with named values (SP_SETTING_ISA) that can run
   * here, fastest first; sets *values to static storage and returns the
   * count. NULL, or 0 returned: no list (any documented name). */
  size_t (*choices)(sp_setting s, const char *const **values);
} sp_backend_vtable;

/* The description of setting `s` of backend `vt`, or NULL when it does not
 * take it. */
const sp_setting_info *sp_backend_setting(const sp_backend_vtable *vt,
                                          sp_setting s);

/* The reference adapter (backend_reference.c): always there. */
extern const sp_backend_vtable sp_backend_reference;

/* What open() returns when the hardware is absent (common/error.h). */
#define SP_BACKEND_UNAVAILABLE (-SP_EUNAVAILABLE)

/*
 * The contract every backend's scan enforces first, in this one function:
 * the work's rule passes sp_rule_check (reference.h). Returns 0, or
 * -SP_EINVAL with "BACKEND: unknown rule N" in err; a scan that gets an
 * error returns it with *scanned 0.
 */
int sp_work_check(const sp_work *work, const char *backend, char *err,
                  size_t errlen);

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
