/* The performance gate's decision; see perf_gate.h. */
#include "bench/perf_gate.h"

#include <stdio.h>
#include <string.h>

double sp_perf_noise(const double *samples, int n) {
  double best, median;
  sp_hashrate_stats(samples, n, &best, &median);
  return best > 0 ? (best - median) / best : 0;
}

sp_perf_point sp_perf_compare(const double *base, int nb, const double *cur,
                              int nc, double tolerance) {
  sp_perf_point p = {0};
  double bb, bm, cb, cm;
  sp_hashrate_stats(base, nb, &bb, &bm);
  sp_hashrate_stats(cur, nc, &cb, &cm);
  double nbse = sp_perf_noise(base, nb), ncur = sp_perf_noise(cur, nc);
  p.noise = nbse > ncur ? nbse : ncur;
  p.margin = tolerance + p.noise;
  p.change = bb > 0 ? cb / bb - 1 : 0;
  p.verdict = p.change < -p.margin  ? SP_PERF_SLOWER
              : p.change > p.margin ? SP_PERF_FASTER
                                    : SP_PERF_SAME;
  return p;
}

const char *sp_perf_verdict_name(sp_perf_verdict v) {
  return v == SP_PERF_SLOWER   ? "slower"
         : v == SP_PERF_FASTER ? "faster"
                               : "same";
}

bool sp_perf_same_machine(const sp_hashrate_machine *a,
                          const sp_hashrate_machine *b, char *why,
                          size_t whylen) {
  if (strcmp(a->cpu_model, b->cpu_model) != 0) {
    snprintf(why, whylen, "CPU '%s' here, '%s' in the baseline", a->cpu_model,
             b->cpu_model);
    return false;
  }
  if ((a->gpu_name[0] || b->gpu_name[0]) &&
      (strcmp(a->gpu_name, b->gpu_name) != 0 ||
       a->sm_clock_mhz != b->sm_clock_mhz)) {
    snprintf(why, whylen,
             "GPU '%s' at %d MHz here, '%s' at %d MHz in the baseline",
             a->gpu_name, a->sm_clock_mhz, b->gpu_name, b->sm_clock_mhz);
    return false;
  }
  return true;
}

const sp_hashrate_row *sp_perf_match(const sp_hashrate_result *base,
                                     const sp_hashrate_row *row) {
  for (size_t i = 0; i < base->n; i++) {
    const sp_hashrate_row *b = &base->rows[i];
    if (strcmp(b->backend, row->backend) == 0 &&
        strcmp(b->isa, row->isa) == 0 && b->threads == row->threads &&
        b->tpb == row->tpb && b->pinned == row->pinned && b->n_samples > 0)
      return b;
  }
  return NULL;
}
