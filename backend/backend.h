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

#include "common/error_record.h"
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
  int threads;        /* CPU: worker threads (0: one per core) */
  bool per_hw_thread; /* CPU: default to one worker per hardware thread */
  bool no_pin;        /* CPU: do not bind workers to cores */
  const char *isa;    /* CPU: force a kernel path ("portable", ...) */
  const int *dev_ids; /* CUDA: devices to use (NULL: device 0) */
  int n_dev_ids;
  int tpb; /* CUDA: threads per block (0: backend's choice) */
  uint64_t
      update_interval; /* nonces per thread between work checks (0: default) */
} sp_backend_options;

/* One device a backend runs on. */
typedef struct sp_device_info {
  char name[128]; /* "AMD EPYC 9R14", "NVIDIA H100 80GB HBM3" */
  char isa[64]; /* kernel path ("avx512+shani") or compute capability ("sm_90")
                 */
  int units;    /* worker threads, or streaming multiprocessors */
  int id;       /* device id (CUDA), or 0 */
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
typedef enum sp_device_kind {
  SP_DEVICE_CPU = 0,
  SP_DEVICE_GPU = 1
} sp_device_kind;

struct sp_backend_vtable;

/* How a setting is written on the command line and where its value goes in
 * sp_backend_options (at `field`). */
typedef enum sp_setting_type {
  SP_SETTING_SWITCH,  /* a flag alone: sets the bool at `field` */
  SP_SETTING_INT,     /* an integer in min..max: the int at `field` */
  SP_SETTING_U64,     /* an integer in min..max: the uint64_t at `field` */
  SP_SETTING_NAME,    /* a name: the const char * at `field` (choices() lists
                         the ones that run here; "help" lists them and exits) */
  SP_SETTING_ID_LIST, /* distinct ids in min..max, comma-separated, at most
                         SP_SETTING_MAX_IDS: dev_ids and n_dev_ids */
} sp_setting_type;

#define SP_SETTING_MAX_IDS 64

/* How `bench sweep` varies a setting. Swept settings vary in list order, the
 * last one fastest: it is the x axis of the plot. */
typedef enum sp_sweep_rule {
  SP_SWEEP_NONE = 0, /* held at the default or at the value given */
  SP_SWEEP_ALL,      /* every value: a switch off then on, a name each of
                        choices(), an integer 1..--max-threads (default: the
                        CPUs this process may use) */
  SP_SWEEP_LIST,     /* the numbers of sweep_values (--NAME-list replaces
                        them) */
} sp_sweep_rule;

#define SP_SWEEP_VALUES 8

/* One setting a backend takes: a row of its table, which is all that the
 * commands know of it (parsing, validation, --help, `--isa help`, and how
 * `bench sweep` varies, labels and replays it). */
typedef struct sp_setting_info {
  const char *name; /* the flag without dashes ("threads", "dev-id"); NULL
                       ends a backend's table */
  sp_setting_type type;
  size_t field;        /* offsetof(sp_backend_options, ...) of the value */
  const char *meaning; /* "worker threads" */
  uint64_t min, max;   /* INT, U64, ID_LIST: the values accepted */
  const char *range;   /* NAME, ID_LIST: the values in words ("a kernel
                          path"); numbers: NULL, written from min..max */
  uint64_t dflt_value; /* INT, U64: the default, when `dflt` is NULL */
  const char *dflt;    /* the default in words ("one per core"), or NULL */
  sp_sweep_rule sweep;
  uint64_t sweep_values[SP_SWEEP_VALUES]; /* SP_SWEEP_LIST: 0 ends them */
  /* A plot series' word for it: a switch's when on ("unpinned", with
   * off_word "pinned"), a number's prefix ("ui" for "ui=256"); NULL: the
   * name. */
  const char *word;
  const char *off_word;
} sp_setting_info;

/* The setting `name` of backend `vt`, or NULL when it does not take it. */
const sp_setting_info *sp_backend_setting(const struct sp_backend_vtable *vt,
                                          const char *name);

/* Whether `opts` gives setting `s` (a value other than zero, false or
 * NULL: zero is "the backend's default" everywhere). */
bool sp_setting_given(const sp_setting_info *s, const sp_backend_options *opts);

/* INT, U64, SWITCH (0 or 1): the value in `opts`; 0 for the others. */
uint64_t sp_setting_number(const sp_setting_info *s,
                           const sp_backend_options *opts);

/* INT, U64, SWITCH (non-zero: true): stores `v` in `opts` (the caller keeps
 * it in min..max); the others are left alone. */
void sp_setting_set_number(const sp_setting_info *s, sp_backend_options *opts,
                           uint64_t v);

/* NAME: the value in `opts` (NULL: the backend's default); else NULL. */
const char *sp_setting_name_value(const sp_setting_info *s,
                                  const sp_backend_options *opts);

/* NAME: stores `v` (static or outliving `opts`) in `opts`. */
void sp_setting_set_name(const sp_setting_info *s, sp_backend_options *opts,
                         const char *v);

/* The accepted values in words, for help ("1..4096", "1..2^64-1", the
 * table's `range`); "" for a switch. Returns `out`. */
const char *sp_setting_range_text(const sp_setting_info *s, char *out,
                                  size_t cap);

/* The default in words ("one per core", "256"). Returns `out`. */
const char *sp_setting_default_text(const sp_setting_info *s, char *out,
                                    size_t cap);

/* INT, U64: the default as a number (`dflt_value`); 0 when the default is
 * given in words (`dflt`: "one per core", the backend's choice when it
 * opens) and for the other types. */
uint64_t sp_setting_default_number(const sp_setting_info *s);

typedef struct sp_backend_vtable {
  const char *name;    /* as typed after --backend */
  const char *summary; /* one line for --help */
  /* Opens the backend. Returns 0, or a negative sp_error code and fills
   * `err` (may be NULL): SP_BACKEND_UNAVAILABLE when the hardware is absent
   * (no GPU), -SP_EINVAL for bad options, -SP_ENOMEM when out of memory. */
  int (*open)(const sp_backend_options *opts, sp_backend **out,
              sp_error_record *err);
  /* Number of devices and their descriptions (i < count). */
  int (*device_count)(const sp_backend *b);
  void (*describe)(const sp_backend *b, int i, sp_device_info *out);
  /*
   * Hashes every nonce of `range` (clipped at 2^64 - 1, see sp_nonce_range)
   * for `work`, reports each seal that meets the work's difficulty under its
   * rule to `sink`, and stores in *scanned how many nonces were hashed. When
   * keep_going returns false the scan returns early: then *scanned counts the
   * nonces done, which need not be a prefix of the range. Returns 0, or a
   * negative sp_error code and fills `err` (may be NULL).
   */
  int (*scan)(sp_backend *b, const sp_work *work, sp_nonce_range range,
              const sp_solution_sink *sink, sp_keep_going_fn keep_going,
              void *keep_going_user, uint64_t *scanned, sp_error_record *err);
  void (*close)(sp_backend *b);
  /* --- description, for the commands that present every backend alike -- */
  sp_device_kind kind;
  /* Among the CPU backends built in, the one of highest rank is the default
   * of hashrate and mine (the reference has 0). */
  int rank;
  /* The settings the backend takes, its table (see sp_setting_info); NULL
   * or ended by .name == NULL. A new knob is a row here and, when it needs
   * one, a field of sp_backend_options. */
  const sp_setting_info *settings;
  /* The values of the SP_SETTING_NAME setting `setting` ("isa") that can
   * run here, fastest first; sets *values to static storage and returns the
   * count. NULL, or 0 returned: no list (any documented name). */
  size_t (*choices)(const char *setting, const char *const **values);
} sp_backend_vtable;

/* The reference adapter (backend_reference.c): always there. */
extern const sp_backend_vtable sp_backend_reference;

/* What open() returns when the hardware is absent (common/error.h). */
#define SP_BACKEND_UNAVAILABLE (-SP_EUNAVAILABLE)

/*
 * The contract every backend's scan enforces first, in this one function:
 * the work's rule passes sp_rule_check (reference.h). Returns 0, or
 * -SP_EINVAL and fills `err` (may be NULL) with "BACKEND: unknown rule N";
 * a scan that gets an error returns it with *scanned 0.
 */
int sp_work_check(const sp_work *work, const char *backend,
                  sp_error_record *err);

/* ---------------------------------------------------- generic solving -- */

/* A growable list of solutions. */
typedef struct sp_solution_list {
  uint64_t *nonces;
  uint8_t (*seals)[32];
  size_t count, cap;
  bool oom; /* an allocation failed: the list is incomplete */
} sp_solution_list;

void sp_solution_list_free(sp_solution_list *l);

/* A sink appending to `list` (not thread-safe by itself; backends serialize).
 */
sp_solution_sink sp_solution_list_sink(sp_solution_list *list);

/* Sorts a list ascending by nonce. */
void sp_solution_list_sort(sp_solution_list *list);

/*
 * The `bench solve` contract on any backend: with `all`, every solution of
 * `range` in ascending order; without, only the lowest one (found by scanning
 * windows of `window` nonces in ascending order: 0 picks a default). Returns
 * 0, or a negative sp_error code (the scan's, or -SP_ENOMEM when the list
 * could not grow) and fills `err` (may be NULL).
 */
int sp_backend_solve(const sp_backend_vtable *vt, sp_backend *b,
                     const sp_work *work, sp_nonce_range range, bool all,
                     uint64_t window, sp_solution_list *out, uint64_t *scanned,
                     sp_error_record *err);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_BACKEND_BACKEND_H */
