/*
 * The typed result of `bench hashrate`: one row per measured backend and
 * kernel path, with its repeated samples and the statistics the
 * performance gate decides on; the machine it ran on. Its text and JSON
 * renderers print it; a fleet rank sends it serialized (the struct as a
 * JSON document) and rank 0 merges every rank's rows.
 */
#ifndef SUBPOW_BENCH_HASHRATE_RESULT_H
#define SUBPOW_BENCH_HASHRATE_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/error_record.h"

#define SP_HASHRATE_MAX_SAMPLES 64

typedef struct sp_hashrate_row {
  char backend[32];
  char device[128]; /* device 0's name */
  char isa[64];     /* the kernel path device 0 reports */
  int devices;      /* how many devices (the first 16 described below) */
  struct {
    int id, units;
    char name[128], isa[64];
  } dev[16];
  int threads; /* device 0's units (CPU threads, GPU SMs) */
  int tpb;     /* as run: the value given or the backend's default; 0 when the
                  backend has no such setting (not printed) */
  uint64_t update_interval; /* the same */
  bool pinned;
  uint64_t hashes; /* over every sample */
  double seconds;  /* over every sample */
  int n_samples;
  double samples[SP_HASHRATE_MAX_SAMPLES]; /* hashes per second each */
  double best, median;                     /* of the samples */
  char host[64];                           /* "" outside a fleet */
  int rank;                                /* -1 outside a fleet */
  int status;    /* a fleet rank's status; 0 when measured */
  char why[200]; /* status != 0: why it did not measure */
} sp_hashrate_row;

/* The machine a result describes: a baseline is compared only on the same
 * CPU model, and for GPU rows the same GPU model and SM clock. */
typedef struct sp_hashrate_machine {
  char cpu_model[256];
  char gpu_name[128]; /* "" without a GPU row */
  int sm_clock_mhz;   /* the card's highest SM clock (nvidia-smi
                         clocks.max.sm: its setting, not the clock of the
                         moment, which moves with load); 0 when unknown */
} sp_hashrate_machine;

typedef struct sp_hashrate_result {
  sp_hashrate_row *rows;
  size_t n;
  sp_hashrate_machine machine;
  char command[1024]; /* the command line that measured it */
} sp_hashrate_result;

/* Appends a copy; fills best and median from the samples. Returns 0 or
 * -SP_ENOMEM. */
int sp_hashrate_add(sp_hashrate_result *r, const sp_hashrate_row *row);
void sp_hashrate_free(sp_hashrate_result *r);

/* best and median of n > 0 samples. */
void sp_hashrate_stats(const double *samples, int n, double *best,
                       double *median);

/* Text: per row "device"/"backend"/"rate" lines as bench hashrate printed
 * them (one row, no fleet), or a table of every row (several rows or a
 * fleet) with a fleet total. */
void sp_hashrate_print_text(FILE *f, const sp_hashrate_result *r, bool fleet);

/* --json: one row and no fleet: the object hashrate always printed (plus
 * "samples", "median" and "machine"); otherwise {"rows": [...], "machine",
 * "command"} and in a fleet {"ranks", "failed", "total"} as before.
 * Returns 0 or sp_json_print's negative code. */
int sp_hashrate_print_json(FILE *f, const sp_hashrate_result *r, bool fleet);

/* The serialized form a fleet rank sends, and its checking decoder, which
 * returns 0, or -SP_EINVAL (the record names the field that does not fit)
 * or -SP_ENOMEM, filling `err` (may be NULL) and leaving *r empty. */
char *sp_hashrate_encode(const sp_hashrate_result *r);
int sp_hashrate_decode(const char *text, sp_hashrate_result *r,
                       sp_error_record *err);

/*
 * Reads a baseline: a file written by `bench hashrate --json` (one row or
 * the rows form). Returns 0, or a negative code filling `err` (may be
 * NULL): the open's (common/user_file.h: -SP_ENOT_FOUND, -SP_EACCESS, ...),
 * -SP_ERANGE for a file over 16 MiB, or the decoder's, its message prefixed
 * with the path (not JSON, or rows without a backend and samples or a rate are
 * refused).
 */
int sp_hashrate_load_baseline(const char *path, sp_hashrate_result *r,
                              sp_error_record *err);

#endif
