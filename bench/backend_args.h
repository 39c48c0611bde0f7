/*
 * The backend flags shared by solve, verify, hashrate, mine, sweep and
 * register: --backend NAME and one flag per setting that a built-in
 * backend's table describes (backend/backend.h: sp_setting_info; today
 * --threads N --per-hw-thread --no-pin --isa X --dev-id LIST --tpb N
 * --update-interval N). Parsing, validation, help and `--isa help` are
 * written from those tables, so a new backend or knob needs no change here.
 */
#ifndef SUBPOW_BENCH_BACKEND_ARGS_H
#define SUBPOW_BENCH_BACKEND_ARGS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "backend/backend.h"
#include "bench/option_ids.h"
#include "registry/registry.h"

typedef struct sp_backend_args {
  const char *backend; /* NULL: the command's default */
  sp_backend_options opts;
  int dev_ids[SP_SETTING_MAX_IDS];
} sp_backend_args;

/* --backend, for a command's table of long options; the settings' flags are
 * added by sp_backend_longopts. */
#define SP_BACKEND_LONGOPTS                                                    \
  { "backend", required_argument, NULL, SP_OPT_BACKEND }

/*
 * `own`, a command's long options ending with {0}, followed by one option
 * per setting of sp_backend_settings_all() (value SP_OPT_SETTING + its
 * index). Built once per `own` table and kept (static storage).
 */
const struct option *sp_backend_longopts(const struct option *own);

/* Whether getopt value `opt` is --backend or a setting's flag. */
bool sp_backend_args_is_option(int opt);

/* Handles option `opt` (sp_backend_args_is_option) with `arg`, checked
 * against the setting's type and range; returns 0, or SP_EXIT_USAGE after
 * printing the error. `--isa help` (any name setting's "help") prints
 * every backend's kernel paths (sp_backend_isa_help) and returns
 * SP_CLI_DONE (cli.h): the command then stops and exits with status 0, as
 * after --help. */
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
