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

#include "reference/reference.h"

/* Exit statuses shared by every subcommand. */
enum { SP_EXIT_OK = 0, SP_EXIT_NO = 1, SP_EXIT_USAGE = 2 };

/* A subcommand: name, one-line summary, entry point, and its --help text. */
typedef struct sp_command {
  const char *name;
  const char *summary;
  int (*run)(int argc, char **argv);
  bool fleet; /* runs as one job over MPI ranks (fleet/fleet.h) */
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

#endif /* SUBPOW_BENCH_CLI_H */
