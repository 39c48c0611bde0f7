/*
 * Command-line plumbing shared by the `bench` subcommands: strict parsing of
 * numbers, hex and rules, and the one error convention (one line on stderr,
 * exit status 2).
 */
#ifndef SUBPOW_BENCH_CLI_H
#define SUBPOW_BENCH_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>

#include "backend/backend.h"
#include "reference/reference.h"

/* Exit statuses shared by every subcommand. */
enum { SP_EXIT_OK = 0, SP_EXIT_NO = 1, SP_EXIT_USAGE = 2 };

/* A subcommand: name, one-line summary, entry point, and its --help text. */
typedef struct sp_command {
  const char *name;
  const char *summary;
  int (*run)(int argc, char **argv);
} sp_command;

/* Prints "bench CMD: message" on stderr; returns SP_EXIT_USAGE. */
int sp_cli_fail(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Runs getopt_long over argv with our error convention. Returns the option's
 * value (as getopt_long), -1 at the end, or '?' after printing the error for
 * an unknown option or a missing value. Call sp_cli_reset() before the loop.
 */
void sp_cli_reset(void);
int sp_cli_next(const char *cmd, int argc, char **argv,
                const struct option *longopts);
/* After the loop: fails (returns SP_EXIT_USAGE) on a leftover positional
 * argument, else 0. */
int sp_cli_no_positional(const char *cmd, int argc, char **argv);

/* Strict parsers: on error they print the message and return SP_EXIT_USAGE;
 * on success 0. */
int sp_cli_u64(const char *cmd, const char *flag, const char *s, uint64_t *out);
int sp_cli_int(const char *cmd, const char *flag, const char *s, long min,
               long max, long *out);
int sp_cli_hex32(const char *cmd, const char *flag, const char *s,
                 uint8_t out[32]);
/* A duration in seconds from `min` to `max`, parsed the way integers are:
 * decimal digits with at most one '.' and a digit on each side of it or
 * before it ("2", "0.5", "10."); no sign, space, exponent, hex ("0x1"),
 * "inf" or "nan" (strtod would take all of them). */
int sp_cli_seconds(const char *cmd, const char *flag, const char *s,
                   double min, double max, double *out);
int sp_cli_rule(const char *cmd, const char *s, sp_rule *out);

/* Backend selection flags shared by solve, verify, hashrate, register:
 * --backend NAME --threads N --isa X --dev-id LIST --tpb N
 * --update-interval N --per-hw-thread --no-pin. */
typedef struct sp_backend_args {
  const char *backend; /* NULL: the command's default */
  sp_backend_options opts;
  int dev_ids[64];
} sp_backend_args;

/* The long options for sp_backend_args, with values >= 1000; append them to a
 * command's own table with SP_BACKEND_LONGOPTS. */
#define SP_BACKEND_LONGOPTS                                                    \
  {"backend", required_argument, NULL, 1000},                                  \
      {"threads", required_argument, NULL, 1001},                              \
      {"isa", required_argument, NULL, 1002},                                  \
      {"dev-id", required_argument, NULL, 1003},                               \
      {"tpb", required_argument, NULL, 1004},                                  \
      {"update-interval", required_argument, NULL, 1005},                      \
      {"per-hw-thread", no_argument, NULL, 1006},                              \
      {"no-pin", no_argument, NULL, 1007}

/* Handles option `opt` (>= 1000) with `arg`; returns 0 or SP_EXIT_USAGE. */
int sp_backend_args_take(const char *cmd, sp_backend_args *a, int opt,
                         const char *arg);

/* Help text for the flags above. */
extern const char sp_backend_args_help[];

/*
 * Opens the backend named `name` with the options ("auto": see
 * sp_cli_open_auto). Prints a clear message
 * and returns SP_EXIT_USAGE for an unknown name or a backend that cannot run
 * here (no GPU, bad device id, bad option).
 */
int sp_cli_open_backend(const char *cmd, const char *name,
                        const sp_backend_options *opts,
                        const sp_backend_vtable **vt, sp_backend **b);

/* `--backend auto` (autoselect/auto_backend.h): verifies on first use, caches,
 * opens the fastest verified backend; same contract as above. */
int sp_cli_open_auto(const char *cmd, const sp_backend_options *opts,
                     const sp_backend_vtable **vt, sp_backend **b);

#endif /* SUBPOW_BENCH_CLI_H */
