/* The status display; see stats_logger.h. */
#include "engine/stats_logger.h"
#include "common/sanitize.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

bool sp_stats_logger_default_in_place(FILE *out) {
  return out != NULL && isatty(fileno(out));
}

void sp_stats_logger_init(sp_stats_logger *l, FILE *out, bool in_place,
                          bool verbose) {
  l->out = out;
  l->in_place = in_place;
  l->verbose = verbose;
  l->lines_drawn = 0;
  l->have_last = false;
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

size_t sp_stats_format_block(const sp_solve_stats *s, bool verbose, char *lines,
                             size_t max, size_t width) {
  char a[64], b[64], hex[65];
  size_t n = 0;
#define LINE(...)                                                              \
  do {                                                                         \
    if (n < max) snprintf(lines + n * width, width, __VA_ARGS__);              \
    n++;                                                                       \
  } while (0)
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
  sp_format_duration(s->expected_seconds, a, sizeof a);
  LINE("Expected time to a solution: %s", a);
  LINE("Block number: %" PRIu64, s->block_number);
  sp_hex_encode(s->block_hash, 32, hex);
  LINE("Block hash: 0x%s", hex);
  if (s->bad_solutions || s->dropped_solutions)
    LINE("Solutions: %" PRIu64 " (%" PRIu64 " failed the check, %" PRIu64
         " dropped)",
         s->solutions, s->bad_solutions, s->dropped_solutions);
  else
    LINE("Solutions: %" PRIu64, s->solutions);
#undef LINE
  return n < max ? n : max;
}

void sp_stats_format_line(const sp_solve_stats *s, bool verbose, char *out,
                          size_t outlen) {
  char t[64], d[64], r[64], rp[64], e[64], rt[64], ra[64], hex[65];
  sp_format_duration(s->time_spent_total, t, sizeof t);
  sp_format_count(s->difficulty, d, sizeof d);
  sp_format_rate(s->hash_rate, r, sizeof r);
  sp_format_rate(s->hash_rate_perpetual, rp, sizeof rp);
  sp_format_duration(s->expected_seconds, e, sizeof e);
  sp_hex_encode(s->block_hash, 32, hex);
  int n = snprintf(out, outlen,
                   "solving: time %s  block %" PRIu64 " 0x%s  difficulty %s "
                   "(%s)  rate %s (whole run %s)  expected %s  solutions "
                   "%" PRIu64,
                   t, s->block_number, hex, d, sp_rule_name(s->rule), r, rp, e,
                   s->solutions);
  if (verbose && n > 0 && (size_t)n < outlen) {
    sp_format_duration(s->time_spent, rt, sizeof rt);
    sp_format_duration(s->time_average, ra, sizeof ra);
    snprintf(out + n, outlen - (size_t)n,
             "  round %s  average %s  rounds %" PRIu64, rt, ra,
             s->rounds_total);
  }
}

/* Moves to the first line of the block on screen and clears from there. */
static void erase_block(sp_stats_logger *l) {
  if (l->lines_drawn > 0) fprintf(l->out, "\x1b[%uA\x1b[J", l->lines_drawn);
  l->lines_drawn = 0;
}

static void draw_block(sp_stats_logger *l, const sp_solve_stats *s) {
  enum { MAX = 16, WIDTH = 192 };
  char lines[MAX * WIDTH];
  size_t n = sp_stats_format_block(s, l->verbose, lines, MAX, WIDTH);
  for (size_t i = 0; i < n; i++)
    fprintf(l->out, "\x1b[2K%s\n", lines + i * WIDTH);
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
    char line[512];
    sp_stats_format_line(s, l->verbose, line, sizeof line);
    fprintf(l->out, "%s\n", line);
  }
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
  l->lines_drawn = 0;
  if (l->out != NULL) fflush(l->out);
}
