/*
 * The rows of a `bench sweep` and their two files: sweep.csv (RFC 4180, one
 * header line) and sweep.json ({"command", "date", "machine", "rows": [...],
 * "best": [...]}). Every row carries the machine description too, so a row
 * copied elsewhere still says where it was measured.
 */
#ifndef SUBPOW_BENCH_SWEEP_TABLE_H
#define SUBPOW_BENCH_SWEEP_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "bench/machine_info.h"
#include "common/error_record.h"

typedef struct sp_sweep_row {
  char backend[32];
  char series[96]; /* one line of a plot: "cpu/avx2/pinned", "cuda/ui=50000" */
  int workers;     /* engine workers (backend instances) */
  int threads;     /* hashing threads in all: workers x threads per worker
                      for CPU backends (the backend's own count); 0 for GPUs */
  bool pinned;     /* CPU threads bound to cores */
  char isa[64];    /* the kernel path the backend reports */
  int tpb;         /* CUDA threads per block (0: not a GPU row) */
  uint64_t update_interval; /* as passed (0: the backend's default) */
  double seconds;           /* measured time */
  uint64_t hashes;
  double hashes_per_second;
  char device[128]; /* device 0's name */
  int units;        /* units of all devices (threads or SMs) */
  char gpu_name[128];
  char gpu_driver[64];
  char cuda_version[32];
  int sm_clock_mhz;
  int max_sm_clock_mhz; /* the card's highest SM clock (its setting) */
  int n_samples;        /* measurements of this point (--samples) */
  double samples[16];   /* hashes per second each; the rate is the best */
  char command[256];    /* a command that measures this point again */
} sp_sweep_row;

typedef struct sp_sweep_table {
  sp_sweep_row *rows;
  size_t n, cap;
  sp_machine_info machine;
  char date[32];      /* UTC, ISO 8601 */
  char command[2048]; /* the sweep's own command line */
} sp_sweep_table;

/* Appends a copy. Returns 0 or -SP_ENOMEM. */
int sp_sweep_table_add(sp_sweep_table *t, const sp_sweep_row *r);
void sp_sweep_table_free(sp_sweep_table *t);

/* The fastest row of `backend`, or NULL. */
const sp_sweep_row *sp_sweep_table_best(const sp_sweep_table *t,
                                        const char *backend);

/* The CSV header line (without newline), for readers and tests. */
extern const char sp_sweep_csv_header[];

/* Writes the table; returns 0, or -SP_EIO when a write failed (-SP_ENOMEM
 * when the JSON document could not be built). */
int sp_sweep_write_csv(const sp_sweep_table *t, FILE *f);
int sp_sweep_write_json(const sp_sweep_table *t, FILE *f);

/*
 * The serialized table a fleet rank sends (the struct as a JSON document,
 * not sweep.json; malloc'd, or NULL) and its decoder, which checks every
 * field's type, length and range. Decode returns 0, or -SP_EINVAL (the
 * record names the field that does not fit) or -SP_ENOMEM, filling `err`
 * (may be NULL) and leaving *t empty.
 */
char *sp_sweep_table_encode(const sp_sweep_table *t);
int sp_sweep_table_decode(const char *text, sp_sweep_table *t,
                          sp_error_record *err);

/* A row as sweep.json writes it (with the table's machine and date). */
json_t *sp_sweep_row_json(const sp_sweep_table *t, const sp_sweep_row *r);

/* The CSV rows of t without the header, each with `rank` as one more field
 * (a fleet's merged sweep.csv). Returns 0 or -SP_EIO. */
int sp_sweep_write_csv_rows(const sp_sweep_table *t, FILE *f, int rank);

/* Writes one CSV field: quoted (quotes doubled) when it holds a comma, a
 * quote, or a line break; as is otherwise. */
void sp_csv_field(FILE *f, const char *s);

#endif
