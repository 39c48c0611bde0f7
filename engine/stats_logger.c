/* The status display; see stats_logger.h. */
#include "engine/stats_logger.h"
#include "common/sanitize.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool sp_stats_logger_default_in_place(FILE *out) {
  /* a terminal that cannot move its cursor (TERM=dumb: Emacs shells, some
   * CI consoles) gets lines */
  const char *term = getenv("TERM");
  if (term != NULL && strcmp(term, "dumb") == 0) return false;
  return out != NULL && isatty(fileno(out));
}

void sp_stats_logger_init(sp_stats_logger *l, FILE *out, bool in_place,
                          bool verbose) {
  l->out = out;
  l->in_place = in_place;
  l->verbose = verbose;
  l->lines_drawn = 0;
  l->have_last = false;
  l->line_every_s = 10;
  l->have_line = false;
  l->line_t = 0;
  l->line_block = l->line_solutions = 0;
  l->label[0] = '\0';
}

void sp_stats_logger_set_label(sp_stats_logger *l, const char *label) {
  snprintf(l->label, sizeof l->label, "%s", label ? label : "");
}

double sp_stats_chance_by(double t, double mean_s) {
  if (!(mean_s > 0) || !isfinite(mean_s) || !(t > 0)) return 0;
  return 1 - exp(-t / mean_s);
}

/* "0x..." or "unknown": the engine keeps zeros where the work was given
 * as its block-and-hotkey hash, without the block's hash. */
static void block_hash_text(const uint8_t h[32], char out[67]) {
  bool zero = true;
  for (int i = 0; i < 32; i++)
    if (h[i]) zero = false;
  if (zero) {
    snprintf(out, 67, "unknown");
    return;
  }
  out[0] = '0', out[1] = 'x';
  sp_hex_encode(h, 32, out + 2);
}

void sp_format_rate(double r, char *out, size_t outlen) {
  static const char *const unit[] = {"H/s",  "kH/s", "MH/s",
                                     "GH/s", "TH/s", "PH/s"};
  int i = 0;
  if (!isfinite(r) || r < 0) r = 0;
  while (r >= 1000 && i < 5)
    r /= 1000, i++;
  snprintf(out, outlen, i ? "%.3f %s" : "%.0f %s", r, unit[i]);
}

void sp_format_duration(double s, char *out, size_t outlen) {
  if (!isfinite(s) || s < 0) {
    snprintf(out, outlen, "-");
    return;
  }
  if (s >= 1e12) { /* beyond any useful display; avoids integer overflow */
    snprintf(out, outlen, "%.3g years", s / (365.25 * 86400));
    return;
  }
  uint64_t ms = (uint64_t)llround(s * 1000);
  uint64_t days = ms / 86400000;
  ms %= 86400000;
  unsigned h = (unsigned)(ms / 3600000), m = (unsigned)(ms / 60000 % 60),
           sec = (unsigned)(ms / 1000 % 60), milli = (unsigned)(ms % 1000);
  if (days)
    snprintf(out, outlen, "%" PRIu64 "d %u:%02u:%02u", days, h, m, sec);
  else
    snprintf(out, outlen, "%u:%02u:%02u.%03u", h, m, sec, milli);
}

void sp_format_count(uint64_t n, char *out, size_t outlen) {
  static const char *const unit[] = {"", " K", " M", " B", " T", " Q", " Qi"};
  double v = (double)n;
  int i = 0;
  while (v >= 1000 && i < 6)
    v /= 1000, i++;
  if (i == 0)
    snprintf(out, outlen, "%" PRIu64, n);
  else
    snprintf(out, outlen, "%.2f%s", v, unit[i]);
}

/* The block's lines, with the worker label of `l` when it has one. */
static size_t format_block(const sp_solve_stats *s, bool verbose,
                           const char *label, char *lines, size_t max,
                           size_t width) {
  char a[64], b[64], hex[67];
  size_t n = 0;
#define LINE(...)                                                              \
  do {                                                                         \
    if (n < max) snprintf(lines + n * width, width, __VA_ARGS__);              \
    n++;                                                                       \
  } while (0)
  if (label != NULL && label[0] != '\0')
    LINE("Solving (%d worker%s: %s)", s->workers, s->workers == 1 ? "" : "s",
         label);
  else
    LINE("Solving (%d worker%s)", s->workers, s->workers == 1 ? "" : "s");
  sp_format_duration(s->time_spent_total, a, sizeof a);
  LINE("Time spent (total): %s", a);
  if (verbose) {
    sp_format_duration(s->time_spent, a, sizeof a);
    LINE("Time spent this round: %s", a);
    sp_format_duration(s->time_average, a, sizeof a);
    LINE("Time spent average: %s (%" PRIu64 " rounds)", a, s->rounds_total);
  }
  sp_format_count(s->difficulty, a, sizeof a);
  LINE("Registration difficulty: %s (rule %s)", a, sp_rule_name(s->rule));
  sp_format_rate(s->hash_rate, a, sizeof a);
  sp_format_rate(s->hash_rate_perpetual, b, sizeof b);
  LINE("Iters (now / whole run): %s / %s", a, b);
  /* Each hash is an independent trial, so the mean time to a solution is
   * the same at every moment: it does not count down. What grows is the
   * chance of having found one. */
  sp_format_duration(s->expected_seconds, a, sizeof a);
  LINE("Mean time to a solution: %s (hashes are independent: it does not "
       "count down)",
       a);
  char t50[64], t90[64];
  sp_format_duration(s->expected_seconds * log(2.0), t50, sizeof t50);
  sp_format_duration(s->expected_seconds * log(10.0), t90, sizeof t90);
  LINE("Chance found by now: %.1f%% (50%% by %s, 90%% by %s of solving)",
       100 * sp_stats_chance_by(s->time_spent_total, s->expected_seconds), t50,
       t90);
  LINE("Block number: %" PRIu64, s->block_number);
  block_hash_text(s->block_hash, hex);
  LINE("Block hash: %s", hex);
  if (s->bad_solutions || s->dropped_solutions)
    LINE("Solutions: %" PRIu64 " (%" PRIu64 " failed the check, %" PRIu64
         " dropped)",
         s->solutions, s->bad_solutions, s->dropped_solutions);
  else
    LINE("Solutions: %" PRIu64, s->solutions);
#undef LINE
  return n < max ? n : max;
}

size_t sp_stats_format_block(const sp_solve_stats *s, bool verbose, char *lines,
                             size_t max, size_t width) {
  return format_block(s, verbose, NULL, lines, max, width);
}

void sp_stats_format_line(const sp_solve_stats *s, bool verbose, char *out,
                          size_t outlen) {
  char t[64], d[64], r[64], rp[64], e[64], rt[64], ra[64], hex[67];
  sp_format_duration(s->time_spent_total, t, sizeof t);
  sp_format_count(s->difficulty, d, sizeof d);
  sp_format_rate(s->hash_rate, r, sizeof r);
  sp_format_rate(s->hash_rate_perpetual, rp, sizeof rp);
  sp_format_duration(s->expected_seconds, e, sizeof e);
  block_hash_text(s->block_hash, hex);
  int n = snprintf(
      out, outlen,
      "solving: time %s  block %" PRIu64 " %s  difficulty %s "
      "(%s)  rate %s (whole run %s)  mean time to a solution %s  "
      "found by now %.1f%%  solutions %" PRIu64,
      t, s->block_number, hex, d, sp_rule_name(s->rule), r, rp, e,
      100 * sp_stats_chance_by(s->time_spent_total, s->expected_seconds),
      s->solutions);
  if (verbose && n > 0 && (size_t)n < outlen) {
    sp_format_duration(s->time_spent, rt, sizeof rt);
    sp_format_duration(s->time_average, ra, sizeof ra);
    snprintf(out + n, outlen - (size_t)n,
             "  round %s  average %s  rounds %" PRIu64, rt, ra,
             s->rounds_total);
  }
}

/* Moves to the first line of the block on screen and clears from there.
 * The "\r" first: a terminal echoes ^C (and any typed key) where the cursor
 * is, which shifted every redrawn line by two columns. */
static void erase_block(sp_stats_logger *l) {
  if (l->lines_drawn > 0)
    fprintf(l->out, "\r\x1b[2K\x1b[%uA\x1b[J", l->lines_drawn);
  l->lines_drawn = 0;
}

static void draw_block(sp_stats_logger *l, const sp_solve_stats *s) {
  enum { MAX = 16, WIDTH = 192 };
  char lines[MAX * WIDTH];
  size_t n = format_block(s, l->verbose, l->label, lines, MAX, WIDTH);
  for (size_t i = 0; i < n; i++)
    fprintf(l->out, "\r\x1b[2K%s\n", lines + i * WIDTH);
  l->lines_drawn = (unsigned)n;
}

void sp_stats_logger_update(sp_stats_logger *l, const sp_solve_stats *s) {
  if (l->out == NULL) return;
  l->last = *s;
  l->have_last = true;
  if (l->in_place) {
    erase_block(l);
    draw_block(l, s);
  } else {
    bool due = !l->have_line || s->block_number != l->line_block ||
               s->solutions != l->line_solutions ||
               s->time_spent_total - l->line_t >= l->line_every_s;
    if (!due) return;
    char line[600];
    sp_stats_format_line(s, l->verbose, line, sizeof line);
    fprintf(l->out, "%s\n", line);
    l->have_line = true;
    l->line_t = s->time_spent_total;
    l->line_block = s->block_number;
    l->line_solutions = s->solutions;
  }
  fflush(l->out);
}

void sp_stats_logger_note_to(sp_stats_logger *l, FILE *to, const char *line) {
  if (l->out == to || l->out == NULL) {
    if (l->out == NULL) {
      char shown[1024];
      fprintf(to, "%s\n", sp_sanitize(line, shown, sizeof shown));
      fflush(to);
      return;
    }
    sp_stats_logger_note(l, line);
    return;
  }
  if (l->in_place) {
    erase_block(l);
    fflush(l->out);
  }
  char shown[1024];
  fprintf(to, "%s\n", sp_sanitize(line, shown, sizeof shown));
  fflush(to);
  if (l->in_place && l->have_last) draw_block(l, &l->last);
  fflush(l->out);
}

void sp_stats_logger_note(sp_stats_logger *l, const char *line) {
  if (l->out == NULL) return;
  if (l->in_place) erase_block(l);
  /* Notes quote nodes and users (a spec name, an error message, a URL):
   * escaped here, the one place they reach the terminal (common/sanitize.h). */
  char shown[1024];
  fprintf(l->out, "%s\n", sp_sanitize(line, shown, sizeof shown));
  if (l->in_place && l->have_last) draw_block(l, &l->last);
  fflush(l->out);
}

void sp_stats_logger_finish(sp_stats_logger *l) {
  /* Every block and line ends with a newline already, so the next output
   * starts on a fresh line; forgetting the block keeps it on screen. */
  /* In place, the line below the block may hold a terminal's echo of ^C:
   * later output starts at its column 0 on a cleared line. */
  if (l->out != NULL && l->in_place && l->lines_drawn > 0)
    fputs("\r\x1b[2K", l->out);
  l->lines_drawn = 0;
  if (l->out != NULL) fflush(l->out);
}
