/* The progress bar; see progress_bar.h. */
#include "bench/progress_bar.h"

#include <time.h>
#include <unistd.h>

#include "common/clock.h"

bool sp_progress_is_tty(FILE *out) {
  return out != NULL && isatty(fileno(out));
}

void sp_progress_init(sp_progress *p, FILE *out, size_t total, bool tty) {
  p->out = out;
  p->tty = tty;
  p->total = total ? total : 1;
  p->step = (size_t)-1;
  p->t0 = sp_monotonic_seconds();
  p->drawn = false;
}

static void clear_line(sp_progress *p) {
  if (p->tty && p->drawn) fputs("\r\x1b[2K", p->out);
  p->drawn = false;
}

void sp_progress_update(sp_progress *p, size_t step, double frac,
                        const char *label) {
  if (p->out == NULL) return;
  if (frac < 0) frac = 0;
  if (frac > 1) frac = 1;
  double done = ((double)step + frac) / (double)p->total;
  if (!p->tty) {
    if (step != p->step)
      fprintf(p->out, "[%zu/%zu] %s\n", step + 1, p->total, label);
    p->step = step;
    fflush(p->out);
    return;
  }
  p->step = step;
  enum { WIDTH = 30 };
  char bar[WIDTH + 1];
  int full = (int)(done * WIDTH + 0.5);
  for (int i = 0; i < WIDTH; i++)
    bar[i] = i < full ? '#' : '.';
  bar[WIDTH] = '\0';
  double elapsed = sp_monotonic_seconds() - p->t0;
  clear_line(p);
  fprintf(p->out, "[%s] %3.0f%% %zu/%zu %s", bar, done * 100, step + 1,
          p->total, label);
  if (done > 0.02) {
    double left = elapsed / done - elapsed;
    fprintf(p->out, "  ~%.0f s left", left);
  }
  p->drawn = true;
  fflush(p->out);
}

void sp_progress_note(sp_progress *p, const char *line) {
  if (p->out == NULL) return;
  clear_line(p);
  fprintf(p->out, "%s\n", line);
  fflush(p->out);
}

void sp_progress_finish(sp_progress *p, size_t done, int signo) {
  if (p->out == NULL) return;
  clear_line(p);
  double t = sp_monotonic_seconds() - p->t0;
  if (signo != 0)
    fprintf(p->out,
            "interrupted by signal %d: %zu of %zu points measured in "
            "%.1f s\n",
            signo, done, p->total, t);
  else if (done < p->total)
    fprintf(p->out, "done: %zu of %zu points (%zu skipped) in %.1f s\n", done,
            p->total, p->total - done, t);
  else
    fprintf(p->out, "done: %zu points in %.1f s\n", done, t);
  fflush(p->out);
}
