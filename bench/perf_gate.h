/*
 * The performance gate: a measurement against a baseline with a noise
 * model. Each point is measured N times; the statistic is the best of the
 * N samples (a busy machine only ever makes a sample slower, so the best is
 * the least disturbed), and the noise of a set is how far its median lies
 * below its best ((best - median) / best). A point is slower (a regression)
 * only when its best is below the baseline's best by more than the
 * tolerance plus the larger of the two noises; faster symmetrically; same
 * otherwise.
 */
#ifndef SUBPOW_BENCH_PERF_GATE_H
#define SUBPOW_BENCH_PERF_GATE_H

#include <stdbool.h>
#include <stddef.h>

#include "bench/hashrate_result.h"

#define SP_PERF_TOLERANCE 0.03 /* default --tolerance: 3 % */

typedef enum sp_perf_verdict {
  SP_PERF_SAME = 0,
  SP_PERF_FASTER = 1,
  SP_PERF_SLOWER = 2,
} sp_perf_verdict;

typedef struct sp_perf_point {
  double change; /* current best / baseline best - 1 */
  double noise;  /* the larger noise of the two sample sets */
  double margin; /* tolerance + noise */
  sp_perf_verdict verdict;
} sp_perf_point;

/* The noise of n > 0 samples: (best - median) / best (0 when best <= 0). */
double sp_perf_noise(const double *samples, int n);

/* The verdict of current samples against baseline samples (each n > 0). */
sp_perf_point sp_perf_compare(const double *base, int nb, const double *cur,
                              int nc, double tolerance);

const char *sp_perf_verdict_name(sp_perf_verdict v); /* same/faster/slower */

/* Whether two results describe the same machine: the same CPU model, and
 * when either has a GPU the same GPU model and SM clock. A predicate, not a
 * fallible call: true, or false with the difference in why. */
bool sp_perf_same_machine(const sp_hashrate_machine *a,
                          const sp_hashrate_machine *b, char *why,
                          size_t whylen);

/* The row of `base` that measures the same point as `row` (backend, kernel
 * path, threads, threads per block, pinning), or NULL. */
const sp_hashrate_row *sp_perf_match(const sp_hashrate_result *base,
                                     const sp_hashrate_row *row);

#endif
