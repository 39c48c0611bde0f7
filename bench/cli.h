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
#include <stdio.h>

#include "bench/option_ids.h"
#include "reference/reference.h"

/* Exit statuses shared by every subcommand. */
enum { SP_EXIT_OK = 0, SP_EXIT_NO = 1, SP_EXIT_USAGE = 2 };
/* Not an exit status: what an option handler (or a command's parser)
 * returns after printing what was asked for (`--isa help`, --help), so
 * that the command stops there and returns SP_EXIT_OK. No library
 * function ends the process itself. */
enum { SP_CLI_DONE = -1 };
/* --seconds ran out before an answer: nothing was refused. 124 as
 * timeout(1), which scripts already tell apart. */
enum { SP_EXIT_TIME_LIMIT = 124 };

/* A subcommand: name, one-line summary, entry point, and its --help text. */
typedef struct sp_command {
  const char *name;
  const char *summary;
  int (*run)(int argc, char **argv);
  bool fleet; /* runs as one job over MPI ranks (fleet/fleet.h) */
} sp_command;

/* The name the program was run as (the last part of argv[0], e.g. "subpow"
 * when installed under that name); "bench" until sp_cli_set_prog is called.
 * Every message, usage line and printed command uses it. */
void sp_cli_set_prog(const char *argv0);
const char *sp_cli_prog(void);

/* Writes help or usage text `text` to `out` with each word "bench" (the
 * name the texts are written with) replaced by sp_cli_prog(). */
void sp_cli_help(FILE *out, const char *text);

/* The options every command takes, the last lines of each --help:
 * -h/--help and --quiet (and the output rule). */
void sp_cli_help_end(FILE *out);

/* The one of `names` (n of them) closest to `s` by edit distance when it is
 * close enough to be a likely typo (at most 2 edits, fewer for short
 * names), else NULL: the "did you mean" of commands, flags and names. */
const char *sp_cli_suggest(const char *s, const char *const *names, size_t n);

/* Prints "PROG CMD: message" on stderr; returns SP_EXIT_USAGE. */
int sp_cli_fail(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Runs getopt_long over argv with our error convention. Returns the option's
 * value (as getopt_long), -1 at the end, or '?' after printing the error for
 * an unknown option (with the closest known one when there is one), a
 * missing value or an option with a value given twice (a switch given
 * twice is the same switch). Call sp_cli_reset() before the
 * loop.
 *
 * On the first call after sp_cli_reset() it rewrites btcli's spellings in
 * argv to ours (sp_cli_aliases: --wallet.name, --name, -p, --hotkey,
 * --subtensor.network, --chain, --use-cuda, -tbp, -y, -h, ...), each only
 * where the command takes the option it stands for and has no option of
 * the alias's own name (seal's --hotkey stays its own).
 */
void sp_cli_reset(void);
/* --quiet, which every command takes: sp_cli_next handles it itself (it
 * never returns SP_CLI_OPT_QUIET) and sp_cli_quiet() then answers true.
 * The output rule of every command: results on stdout, status and progress
 * on stderr, and --quiet silences the status (never results, errors or
 * warnings). */
#define SP_CLI_OPT_QUIET SP_OPT_QUIET
#define SP_CLI_QUIET_LONGOPT                                                   \
  { "quiet", no_argument, NULL, SP_CLI_OPT_QUIET }
bool sp_cli_quiet(void);
/* A status line on stderr ("PROG CMD: ..."), unless --quiet. */
void sp_cli_status(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Lets option `name` (long name, no dashes) be given more than once until
 * the next sp_cli_reset (e.g. sweep's --backend A --backend B). */
void sp_cli_repeatable(const char *name);
/* Completion support: while set, sp_cli_next writes the command's long
 * options to `out` (one "--name" a line, "--name=" when it takes a value)
 * and returns '?' without parsing, so a command reports its options and
 * stops before doing anything. NULL turns it off. */
void sp_cli_dump_options(FILE *out);

/* One btcli spelling and what it stands for: `--alias[=V]` becomes
 * `--canonical[=V]`, or `--canonical=value` when value is set. A short
 * alias is written with its single dash ("-p"). */
typedef struct sp_cli_alias {
  const char *alias, *canonical, *value;
} sp_cli_alias;
/* The table (documented in docs/cli.md), n into *n. */
const sp_cli_alias *sp_cli_aliases(size_t *n);
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
int sp_cli_seconds(const char *cmd, const char *flag, const char *s, double min,
                   double max, double *out);
int sp_cli_rule(const char *cmd, const char *s, sp_rule *out);

/*
 * The work of one block as the commands that hash it take it (seal, solve,
 * mine): --block-hash HEX with --hotkey HEX (the hotkey's public key), or
 * --block-and-hotkey-hash HEX directly. A command puts the three
 * SP_CLI_*_LONGOPT below in its option table, hands each of the three options
 * to sp_cli_work_take (case SP_OPT_BLOCK_HASH, SP_OPT_HOTKEY,
 * SP_OPT_BLOCK_AND_HOTKEY_HASH) and after the loop calls
 * sp_cli_work_finish, unless it has a form of its own besides these two
 * (mine's --scripted-period) and checks the forms itself.
 */
typedef struct sp_cli_work {
  uint8_t block_hash[32], hotkey[32];
  uint8_t bahh[32]; /* block_and_hotkey_hash */
  bool have_block, have_hotkey, have_bahh;
} sp_cli_work;
/* The three options, for a command's table of long options. */
#define SP_CLI_BLOCK_HASH_LONGOPT                                              \
  { "block-hash", required_argument, NULL, SP_OPT_BLOCK_HASH }
#define SP_CLI_HOTKEY_LONGOPT                                                  \
  { "hotkey", required_argument, NULL, SP_OPT_HOTKEY }
#define SP_CLI_BLOCK_AND_HOTKEY_HASH_LONGOPT                                   \
  {                                                                            \
    "block-and-hotkey-hash", required_argument, NULL,                          \
        SP_OPT_BLOCK_AND_HOTKEY_HASH                                           \
  }
/* Parses the value `s` of work option `c` (one of the three above) into
 * `w` and notes it given: 0, or SP_EXIT_USAGE after printing the error
 * (sp_cli_hex32's). */
int sp_cli_work_take(const char *cmd, sp_cli_work *w, int c, const char *s);
/* After the loop: the work given once, in one of the two forms (else
 * prints which is missing or that both were given, and returns
 * SP_EXIT_USAGE); fills w->bahh from --block-hash and --hotkey where
 * those were given. 0 on success. */
int sp_cli_work_finish(const char *cmd, sp_cli_work *w);

#endif /* SUBPOW_BENCH_CLI_H */
