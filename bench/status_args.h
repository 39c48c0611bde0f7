/*
 * The status-display flags shared by the commands that solve with the engine
 * (mine, later register): --output-in-place (the default when stdout is a
 * terminal), --no-output-in-place, --verbose.
 */
#ifndef SUBPOW_BENCH_STATUS_ARGS_H
#define SUBPOW_BENCH_STATUS_ARGS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "bench/cli.h"
#include "engine/stats_logger.h"

typedef struct sp_status_args {
  int in_place; /* -1: decide from the terminal, 0 no, 1 yes */
  bool verbose;
} sp_status_args;

#define SP_STATUS_LONGOPTS                                                     \
  {"output-in-place", no_argument, NULL, 1100},                                \
      {"no-output-in-place", no_argument, NULL, 1101},                         \
      {"verbose", no_argument, NULL, 1102}, SP_CLI_QUIET_LONGOPT

/* Sets the defaults. */
void sp_status_args_init(sp_status_args *a);

/* Handles option `opt` (1100..1102); returns true when it was one. */
bool sp_status_args_take(sp_status_args *a, int opt);

/* A logger on `out` as the flags say (none with --quiet). The output
 * rule of every command: results on stdout, status on stderr, so `out` is
 * stderr. */
void sp_status_args_logger(const sp_status_args *a, FILE *out,
                           sp_stats_logger *l);

extern const char sp_status_args_help[];

#endif
