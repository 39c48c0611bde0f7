/*
 * A progress bar for long commands, on stderr: redrawn on one line ("\r",
 * then "ESC [ 2 K" to clear it) when the stream is a terminal, and one plain
 * line per step otherwise, so logs stay readable.
 */
#ifndef SUBPOW_BENCH_PROGRESS_BAR_H
#define SUBPOW_BENCH_PROGRESS_BAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct sp_progress {
  FILE *out; /* NULL: silent */
  bool tty;
  size_t total; /* steps */
  size_t step;  /* the step being shown */
  double t0;    /* monotonic start */
  bool drawn;   /* a bar is on the line (tty) */
} sp_progress;

/* `tty`: draw in place; pass sp_progress_is_tty(out) for the default. */
void sp_progress_init(sp_progress *p, FILE *out, size_t total, bool tty);
bool sp_progress_is_tty(FILE *out);

/* Shows step `step` (0-based) at fraction `frac` (0..1) done, with `label`.
 * In line mode, prints only when a new step starts. */
void sp_progress_update(sp_progress *p, size_t step, double frac,
                        const char *label);

/* A message that stays (e.g. a skipped point): clears the bar first. */
void sp_progress_note(sp_progress *p, const char *line);

/* Clears the bar (tty) and prints how many of the steps gave a result
 * (`done`) and the total time: "done: N points in T s" when every step did,
 * "done: N of M points (K skipped) in T s" when some were skipped, and
 * "interrupted by signal S: N of M points measured in T s" when `signo` is
 * not 0. */
void sp_progress_finish(sp_progress *p, size_t done, int signo);

#endif
