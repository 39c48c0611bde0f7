/* Test support: run a program and capture its output and exit status. */
#ifndef SUBPOW_REGRESS_RUN_COMMAND_H
#define SUBPOW_REGRESS_RUN_COMMAND_H

#include <stddef.h>

typedef struct sp_run_result {
  int status; /* exit status, or 128 + signal number when killed */
  char *out;  /* captured stdout, NUL-terminated (malloc'd) */
  char *err;  /* captured stderr, NUL-terminated (malloc'd) */
} sp_run_result;

/* Runs argv (argv[0] is a path) with optional stdin text; waits for it. */
int sp_run(char *const argv[], const char *stdin_text, sp_run_result *r);

/* Runs build/bench with the given arguments (NULL-terminated). */
int sp_run_bench(sp_run_result *r, const char *arg, ...);

void sp_run_result_free(sp_run_result *r);

/* Number of lines in s. */
size_t sp_count_lines(const char *s);

#endif
