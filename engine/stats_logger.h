/*
 * The status display of a solve (the SDK's RegistrationStatisticsLogger),
 * written to a FILE* the program chooses: the library never picks a terminal
 * itself.
 *
 * In-place mode (for a terminal) redraws a block of lines: before each
 * update it moves the cursor up over the previous block (ANSI "ESC [ n A"),
 * clears to the end of the screen ("ESC [ J") and writes the new block, each
 * line cleared first ("ESC [ 2 K"). Line mode (for pipes and log files)
 * writes one self-contained line per update. Verbose adds the round times.
 */
#ifndef SUBPOW_ENGINE_STATS_LOGGER_H
#define SUBPOW_ENGINE_STATS_LOGGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "engine/solve_stats.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sp_stats_logger {
  FILE *out;
  bool in_place;
  bool verbose;
  /* Line mode writes a line when the block or the solution count changes,
   * else at most every line_every_s seconds of the solve (10 by default;
   * 0: every update): a log gets no line per quarter second. */
  double line_every_s;
  bool have_line;
  double line_t; /* time_spent_total of the last line */
  uint64_t line_block, line_solutions;
  char label[96]; /* what a worker is ("cpu, 2 threads"); "" when unknown */
  unsigned lines_drawn; /* lines of the block now on screen (in place) */
  bool have_last;
  sp_solve_stats last; /* the block on screen, redrawn after a note */
} sp_stats_logger;

/* True when `out` is a terminal (and TERM is not "dumb"): the default for
 * in_place. */
bool sp_stats_logger_default_in_place(FILE *out);

void sp_stats_logger_init(sp_stats_logger *l, FILE *out, bool in_place,
                          bool verbose);

/* Says what a worker is, for the "Solving (N workers: LABEL)" line. */
void sp_stats_logger_set_label(sp_stats_logger *l, const char *label);

/* Shows `s`: redraws the block in place, or writes one line (see
 * line_every_s). Flushes. */
void sp_stats_logger_update(sp_stats_logger *l, const sp_solve_stats *s);

/* Writes `line` (no newline needed) so that it stays: in place mode puts it
 * above the status block and redraws the block below it. */
void sp_stats_logger_note(sp_stats_logger *l, const char *line);

/* Writes `line` to `to` (a result on stdout, say) so that a status block
 * in place on the same terminal stays whole below it. */
void sp_stats_logger_note_to(sp_stats_logger *l, FILE *to, const char *line);

/* Ends the display: the last block stays on screen; later output starts on
 * a fresh line. */
void sp_stats_logger_finish(sp_stats_logger *l);

/*
 * The status block as lines (no newlines), at most `max` lines of `width`
 * characters each into lines[i * width]; returns the count. Exposed for
 * tests and for programs that draw their own display.
 */
size_t sp_stats_format_block(const sp_solve_stats *s, bool verbose, char *lines,
                             size_t max, size_t width);

/* The chance that a solve with independent hashes and mean time to a
 * solution `mean_s` found one within `t` seconds: 1 - exp(-t / mean_s). */
double sp_stats_chance_by(double t, double mean_s);

/* The one-line form. */
void sp_stats_format_line(const sp_solve_stats *s, bool verbose, char *out,
                          size_t outlen);

/* "1.234 MH/s"-style rate with SI prefixes (H/s, kH/s, MH/s, GH/s, TH/s). */
void sp_format_rate(double hashes_per_second, char *out, size_t outlen);

/* "H:MM:SS.mmm" for a duration in seconds ("-" for infinity or NaN; days are
 * shown as "Nd H:MM:SS"). */
void sp_format_duration(double seconds, char *out, size_t outlen);

/* The SDK's millify: 10000000 -> "10.00 M", 1234 -> "1.23 K", 999 -> "999". */
void sp_format_count(uint64_t n, char *out, size_t outlen);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_ENGINE_STATS_LOGGER_H */
