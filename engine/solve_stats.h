/*
 * Solve statistics (the engine's general statistics): the numbers the SDK's
 * RegistrationStatistics shows while it solves (bittensor/utils/registration
 * pow.py), computed the same way where the SDK is right, and the expected time
 * to a solution.
 *
 * Hash rate "now": an exponentially weighted moving average over the last
 * n_samples rate samples (defaults 10 and 0.80, the SDK's n_samples and
 * alpha_). A sample is (hashes since the previous sample) / (seconds since
 * it), taken whenever the hash count has moved, as the SDK does when a
 * worker reports a finished round.
 *
 * The SDK's own code (`_solve_for_difficulty_fast`, read at opentensor/
 * bittensor bittensor/utils/registration/pow.py) keeps `hash_rates`, a list
 * of n_samples that starts as zeros, appends each new sample at the END and
 * pops index 0, then weights index i by alpha**i. So its heaviest weight (1)
 * goes to the OLDEST sample and the newest gets alpha**(n-1) (0.13 at the
 * defaults), and for the first n samples the zeros drag the average down.
 * That contradicts its own comment ("weights decay by alpha"). By default we
 * compute what the comment means: newest sample weight 1, each older one
 * alpha times the next newer, normalised over the samples present:
 *
 *     rate = sum_{k=0}^{m-1} alpha^k r_k / sum_{k=0}^{m-1} alpha^k,
 *     r_0 the newest sample, m = min(samples taken, n_samples).
 *
 * `sdk_literal` reproduces the SDK's numbers exactly instead, for comparison.
 */
#ifndef SUBPOW_ENGINE_SOLVE_STATS_H
#define SUBPOW_ENGINE_SOLVE_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reference/reference.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SP_EWMA_MAX_SAMPLES 256
#define SP_EWMA_DEFAULT_SAMPLES 10
#define SP_EWMA_DEFAULT_ALPHA 0.80

typedef struct sp_rate_ewma {
  unsigned n_samples; /* 1 .. SP_EWMA_MAX_SAMPLES */
  double alpha;       /* 0 < alpha <= 1 */
  bool sdk_literal;
  double ring[SP_EWMA_MAX_SAMPLES];
  unsigned next;  /* ring index of the next sample */
  uint64_t taken; /* samples added so far */
} sp_rate_ewma;

/* n_samples 0 and alpha 0 (or out of range) select the defaults. */
void sp_rate_ewma_init(sp_rate_ewma *e, unsigned n_samples, double alpha,
                       bool sdk_literal);
void sp_rate_ewma_add(sp_rate_ewma *e, double rate);
/* The average defined above; 0 before the first sample. */
double sp_rate_ewma_value(const sp_rate_ewma *e);

/*
 * Expected number of hashes to a solution at `difficulty` under `rule`.
 * Every nonce gives an independent, uniformly distributed 256-bit seal; it
 * passes when its value is at most T = floor((2^256 - 1) / d) for the chain
 * rules (floor((2^256 - 2) / d) for the SDK's), so each nonce succeeds with
 * p = (T + 1) / 2^256, which lies within 2^-256 of 1/d, and the number of
 * nonces to the first success is geometric with mean 1/p: d, to every digit
 * a double holds. d = 0 accepts every seal: 1. The process is memoryless, so
 * this is also the expected number still to go at any moment, however long
 * the solve has run, and a block change does not reset it.
 */
double sp_expected_hashes(uint64_t difficulty, sp_rule rule);

/* What the status line shows; a snapshot. */
typedef struct sp_solve_stats {
  double time_spent_total;    /* seconds since the solve started */
  double time_spent;          /* seconds the last finished round took */
  double time_average;        /* mean seconds of a round */
  uint64_t rounds_total;      /* rounds (one worker scanning one chunk) done */
  double hash_rate;           /* H/s, the moving average above */
  double hash_rate_perpetual; /* H/s, hashes_total / time_spent_total */
  uint64_t hashes_total;
  uint64_t difficulty;
  sp_rule rule;
  uint64_t block_number;
  uint8_t block_hash[32];
  uint64_t blocks_seen;    /* pieces of work published so far */
  double expected_seconds; /* sp_expected_hashes / hash_rate; INFINITY at 0 */
  uint64_t solutions;      /* verified solutions queued */
  uint64_t bad_solutions;  /* reported by a backend but failing the check */
  uint64_t dropped_solutions; /* verified but the queue was full */
  int workers;
} sp_solve_stats;

/*
 * Turns raw counters into sp_solve_stats. The engine owns one; it is separate
 * so that tests can feed it hand-made times.
 */
typedef struct sp_stats_tracker {
  sp_rate_ewma ewma;
  double t_start;
  double t_sample;        /* time of the last rate sample */
  uint64_t hashes_sample; /* hash count at that time */
} sp_stats_tracker;

void sp_stats_tracker_init(sp_stats_tracker *t, unsigned n_samples,
                           double alpha, bool sdk_literal, double t_start);

/*
 * At time `now` (same clock as t_start) with `hashes_total` hashes and
 * `rounds_total` rounds done, `round_seconds_sum` their summed durations and
 * `last_round_seconds` the latest one: takes a rate sample when the hash
 * count moved since the previous sample, and fills the time, round and rate
 * fields of *s plus expected_seconds (from s->difficulty and s->rule, which
 * the caller sets first). Other fields are left alone.
 */
void sp_stats_tracker_update(sp_stats_tracker *t, double now,
                             uint64_t hashes_total, uint64_t rounds_total,
                             double round_seconds_sum,
                             double last_round_seconds, sp_solve_stats *s);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_ENGINE_SOLVE_STATS_H */
