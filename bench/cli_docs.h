/*
 * The man page and the shell completion, made from the same description of
 * each command that --help prints: the command table (name, summary), each
 * command's own --help text, and the option table its parser reads
 * (cli.h: sp_cli_dump_options). Nothing is written twice, so the three
 * cannot drift apart; regress/test_cli_docs.c checks that they agree.
 *
 *   PROG --man                 the man page (roff) on stdout
 *   PROG --completion bash     a bash completion script on stdout
 *   PROG --options CMD [SUB]   the long options CMD takes, one a line
 *                              ("--name=" when it takes a value)
 *
 * The build runs the first two as `subpow` (cmake --install puts them in
 * share/man/man1/subpow.1 and share/bash-completion/completions/subpow).
 */
#ifndef SUBPOW_BENCH_CLI_DOCS_H
#define SUBPOW_BENCH_CLI_DOCS_H

#include <stddef.h>
#include <stdio.h>

#include "bench/cli.h"

/* What the documents are made from: the program's command table and its
 * own --help. */
typedef struct sp_command_docs {
  const sp_command *commands;
  size_t n;
  void (*usage)(FILE *out); /* the program's own --help */
} sp_command_docs;

/* What sp_cli_docs_main returns when argv[1] is not one of its options (not
 * an error: the caller goes on with its own parsing). */
enum { SP_CLI_DOCS_NOT_MINE = -1 };

/* Handles argv[1] when it is --man, --completion or --options; returns the
 * exit status (SP_EXIT_*), or SP_CLI_DOCS_NOT_MINE when argv[1] is none of
 * them. */
int sp_cli_docs_main(const sp_command_docs *d, int argc, char **argv);

#endif
