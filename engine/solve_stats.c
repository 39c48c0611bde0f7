/* Registration statistics and the hash-rate average; see
 * solve_stats.h. */
#include "engine/solve_stats.h"

#include <math.h>
#include <string.h>

void sp_rate_ewma_init(sp_rate_ewma *e, unsigned n_samples, double alpha,
                       bool sdk_literal) {
  memset(e, 0, sizeof *e);
  if (n_samples == 0 || n_samples > SP_EWMA_MAX_SAMPLES)
    n_samples = SP_EWMA_DEFAULT_SAMPLES;
  if (!(alpha > 0 && alpha <= 1)) alpha = SP_EWMA_DEFAULT_ALPHA;
  e->n_samples = n_samples;
  e->alpha = alpha;
  e->sdk_literal = sdk_literal;
}

void sp_rate_ewma_add(sp_rate_ewma *e, double rate) {
  e->ring[e->next] = rate;
  e->next = (e->next + 1) % e->n_samples;
  e->taken++;
}

/* The k-th newest sample (k = 0 the newest), k < min(taken, n_samples). */
static double newest(const sp_rate_ewma *e, unsigned k) {
  unsigned i = (e->next + e->n_samples - 1 - k) % e->n_samples;
  return e->ring[i];
}

double sp_rate_ewma_value(const sp_rate_ewma *e) {
  unsigned n = e->n_samples;
  unsigned m = e->taken < n ? (unsigned)e->taken : n;
  if (m == 0) return 0;
  double num = 0, den = 0;
  if (e->sdk_literal) {
    /* The SDK's window: index i = 0 the oldest of n slots (zeros where no
     * sample was taken yet), weight alpha^i, divided by all n weights. The
     * newest sample sits at i = n - 1. */
    for (unsigned i = 0; i < n; i++) {
      double w = pow(e->alpha, i);
      unsigned age = n - 1 - i; /* 0 = newest */
      double r = age < m ? newest(e, age) : 0.0;
      num += r * w;
      den += w;
    }
  } else {
    double w = 1;
    for (unsigned k = 0; k < m; k++) {
      num += newest(e, k) * w;
      den += w;
      w *= e->alpha;
    }
  }
  return num / den;
}

double sp_expected_hashes(uint64_t difficulty, sp_rule rule) {
  (void)rule; /* every rule's p is within 2^-256 of 1/d: see the header */
  return difficulty == 0 ? 1.0 : (double)difficulty;
}

void sp_stats_tracker_init(sp_stats_tracker *t, unsigned n_samples,
                           double alpha, bool sdk_literal, double t_start) {
  memset(t, 0, sizeof *t);
  sp_rate_ewma_init(&t->ewma, n_samples, alpha, sdk_literal);
  t->t_start = t_start;
  t->t_sample = t_start;
}

void sp_stats_tracker_update(sp_stats_tracker *t, double now,
                             uint64_t hashes_total, uint64_t rounds_total,
                             double round_seconds_sum,
                             double last_round_seconds, sp_solve_stats *s) {
  if (hashes_total != t->hashes_sample && now > t->t_sample) {
    double rate =
        (double)(hashes_total - t->hashes_sample) / (now - t->t_sample);
    sp_rate_ewma_add(&t->ewma, rate);
    t->t_sample = now;
    t->hashes_sample = hashes_total;
  }
  s->time_spent_total = now - t->t_start;
  s->time_spent = last_round_seconds;
  s->rounds_total = rounds_total;
  s->time_average = rounds_total ? round_seconds_sum / (double)rounds_total : 0;
  s->hashes_total = hashes_total;
  s->hash_rate = sp_rate_ewma_value(&t->ewma);
  s->hash_rate_perpetual =
      s->time_spent_total > 0 ? (double)hashes_total / s->time_spent_total : 0;
  s->expected_seconds =
      s->hash_rate > 0
          ? sp_expected_hashes(s->difficulty, s->rule) / s->hash_rate
          : INFINITY;
}
