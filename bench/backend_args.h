/*
 * The backend flags shared by solve, verify, hashrate, mine, sweep and
 * register: --backend NAME and one flag per setting of the backend
 * interface (backend/backend.h: --threads N --per-hw-thread --no-pin --isa X
 * --dev-id LIST --tpb N --update-interval N). Help and `--isa help` are
 * written from what each built-in backend describes, so a new backend needs
 * no change here.
 */
#ifndef SUBPOW_BENCH_BACKEND_ARGS_H
#define SUBPOW_BENCH_BACKEND_ARGS_H

#include <getopt.h>
#include <stdio.h>

#include "backend/backend.h"

typedef struct sp_backend_args {
  const char *backend; /* NULL: the command's default */
  sp_backend_options opts;
  int dev_ids[64];
} sp_backend_args;

/* The long options for sp_backend_args, with values >= 1000 (1000 is
 * --backend); append them to a command's own table. */
#define SP_BACKEND_LONGOPTS                                                    \
  {"backend", required_argument, NULL, 1000},                                  \
      {"threads", required_argument, NULL, 1001},                              \
      {"isa", required_argument, NULL, 1002},                                  \
      {"dev-id", required_argument, NULL, 1003},                               \
      {"tpb", required_argument, NULL, 1004},                                  \
      {"update-interval", required_argument, NULL, 1005},                      \
      {"per-hw-thread", no_argument, NULL, 1006},                              \
      {"no-pin", no_argument, NULL, 1007}

/* Handles option `opt` (>= 1000) with `arg`; returns 0 or SP_EXIT_USAGE.
 * `--isa help` prints every backend's kernel paths (sp_backend_isa_help)
 * and exits the process with status 0, as --help does. */
int sp_backend_args_take(const char *cmd, sp_backend_args *a, int opt,
                         const char *arg);

/* The help of the flags above, from the built-in backends' descriptions. */
void sp_backend_args_print_help(FILE *out);

/* `--isa help`: for each backend with named kernel paths, their meaning,
 * the ones this machine runs (fastest first) and the default. */
void sp_backend_isa_help(FILE *out);

/*
 * Opens the backend named `name` with the options ("auto": see
 * cli_auto.h). Prints a clear message and returns SP_EXIT_USAGE for an
 * unknown name or a backend that cannot run here (no GPU, bad device id,
 * bad option).
 */
int sp_cli_open_backend(const char *cmd, const char *name,
                        const sp_backend_options *opts,
                        const sp_backend_vtable **vt, sp_backend **b);

#endif /* SUBPOW_BENCH_BACKEND_ARGS_H */
