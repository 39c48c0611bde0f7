/* The registration statistics: the hash-rate average against hand
 * computations (ours and the SDK's literal weighting), the tracker on
 * hand-made times, the expected time to a solution, and the formatters. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "engine/solve_stats.h"
#include "engine/stats_logger.h"

static bool near(double a, double b) {
  return fabs(a - b) <= 1e-9 * fabs(b) + 1e-12;
}
#define NEAR(a, b) near((a), (b))

Test(ewma, newest_weighted_most_by_hand) {
  sp_rate_ewma e;
  sp_rate_ewma_init(&e, 10, 0.8, false);
  cr_assert_eq(sp_rate_ewma_value(&e), 0);
  sp_rate_ewma_add(&e, 100);
  cr_assert(NEAR(sp_rate_ewma_value(&e), 100));
  sp_rate_ewma_add(&e, 200);
  sp_rate_ewma_add(&e, 300);
  /* (300 * 1 + 200 * 0.8 + 100 * 0.64) / (1 + 0.8 + 0.64) = 524 / 2.44 */
  double v = sp_rate_ewma_value(&e);
  cr_assert(NEAR(v, 214.75409836065573), "got %.12f", v);
}

Test(ewma, sdk_literal_weighting_by_hand) {
  /* The SDK: hash_rates = [0] * 10, append + pop(0), weights 0.8 ** i. After
   * 100, 200, 300: [0 x 7, 100, 200, 300], so
   * (100 * 0.8^7 + 200 * 0.8^8 + 300 * 0.8^9) / sum(0.8^i, i < 10)
   * = (20.97152 + 33.554432 + 40.2653184) / 4.463129088. */
  sp_rate_ewma e;
  sp_rate_ewma_init(&e, 10, 0.8, true);
  sp_rate_ewma_add(&e, 100);
  sp_rate_ewma_add(&e, 200);
  sp_rate_ewma_add(&e, 300);
  double v = sp_rate_ewma_value(&e);
  cr_assert(NEAR(v, 94.7912704 / 4.463129088), "got %.12f", v);
}

Test(ewma, window_slides) {
  sp_rate_ewma e, s;
  sp_rate_ewma_init(&e, 3, 0.5, false);
  sp_rate_ewma_init(&s, 3, 0.5, true);
  for (int i = 1; i <= 5; i++) {
    sp_rate_ewma_add(&e, i);
    sp_rate_ewma_add(&s, i);
  }
  /* window 3, 4, 5. Ours: (5 + 4 * 0.5 + 3 * 0.25) / 1.75; the SDK's
   * weights the oldest most: (3 + 4 * 0.5 + 5 * 0.25) / 1.75. */
  cr_assert(NEAR(sp_rate_ewma_value(&e), 7.75 / 1.75));
  cr_assert(NEAR(sp_rate_ewma_value(&s), 6.25 / 1.75));
}

Test(ewma, defaults_for_zero_or_bad_parameters) {
  sp_rate_ewma e;
  sp_rate_ewma_init(&e, 0, 0, false);
  cr_assert_eq(e.n_samples, 10);
  cr_assert(NEAR(e.alpha, 0.8));
  sp_rate_ewma_init(&e, 100000, 1.5, false);
  cr_assert_eq(e.n_samples, 10);
  cr_assert(NEAR(e.alpha, 0.8));
}

Test(stats, tracker_on_hand_made_times) {
  sp_stats_tracker t;
  sp_stats_tracker_init(&t, 10, 0.8, false, 100.0);
  sp_solve_stats s = {.difficulty = 5000, .rule = SP_RULE_CHAIN_LE};
  sp_stats_tracker_update(&t, 101.0, 1000, 2, 0.9, 0.5, &s);
  cr_assert(NEAR(s.hash_rate, 1000));
  cr_assert(NEAR(s.hash_rate_perpetual, 1000));
  cr_assert(NEAR(s.time_spent_total, 1.0));
  cr_assert(NEAR(s.time_average, 0.45));
  cr_assert(NEAR(s.time_spent, 0.5));
  cr_assert_eq(s.rounds_total, 2);
  cr_assert(NEAR(s.expected_seconds, 5.0));
  sp_stats_tracker_update(&t, 101.5, 2000, 4, 1.9, 0.5, &s);
  /* sample (2000 - 1000) / 0.5 = 2000 H/s; EWMA (2000 + 0.8 * 1000) / 1.8 */
  cr_assert(NEAR(s.hash_rate, 2800.0 / 1.8), "got %f", s.hash_rate);
  cr_assert(NEAR(s.hash_rate_perpetual, 2000 / 1.5));
  /* No new hashes: no sample, the average holds, the run's rate falls. */
  sp_stats_tracker_update(&t, 102.0, 2000, 4, 1.9, 0.5, &s);
  cr_assert(NEAR(s.hash_rate, 2800.0 / 1.8));
  cr_assert(NEAR(s.hash_rate_perpetual, 1000));
}

Test(stats, expected_hashes_and_time) {
  cr_assert_eq(sp_expected_hashes(0, SP_RULE_CHAIN_LE), 1.0);
  cr_assert_eq(sp_expected_hashes(1, SP_RULE_SDK), 1.0);
  cr_assert_eq(sp_expected_hashes(10000000, SP_RULE_CHAIN_LE), 1e7);
  cr_assert_eq(sp_expected_hashes(UINT64_MAX, SP_RULE_CHAIN_BE), 0x1p64);
  sp_stats_tracker t;
  sp_stats_tracker_init(&t, 10, 0.8, false, 0);
  sp_solve_stats s = {.difficulty = 10000000};
  sp_stats_tracker_update(&t, 1.0, 0, 0, 0, 0, &s);
  cr_assert(isinf(s.expected_seconds), "no rate yet: infinite");
  sp_stats_tracker_update(&t, 2.0, 2000000, 1, 1, 1, &s);
  /* The sample spans the time since the previous sample (the start, as no
   * hash had been done at t = 1): 2 * 10^6 / 2 s = 1 MH/s, so 10^7 takes
   * 10 s. */
  cr_assert(NEAR(s.expected_seconds, 10.0), "got %f", s.expected_seconds);
}

Test(stats, formatters) {
  char b[64];
  sp_format_rate(1234567, b, sizeof b);
  cr_assert_str_eq(b, "1.235 MH/s");
  sp_format_rate(999, b, sizeof b);
  cr_assert_str_eq(b, "999 H/s");
  sp_format_rate(3.1e9, b, sizeof b);
  cr_assert_str_eq(b, "3.100 GH/s");
  sp_format_duration(3723.5, b, sizeof b);
  cr_assert_str_eq(b, "1:02:03.500");
  sp_format_duration(INFINITY, b, sizeof b);
  cr_assert_str_eq(b, "-");
  sp_format_duration(2 * 86400 + 5, b, sizeof b);
  cr_assert_str_eq(b, "2d 0:00:05");
  sp_format_duration(1e300, b, sizeof b);
  cr_assert(strstr(b, "years") != NULL);
  sp_format_count(10000000, b, sizeof b);
  cr_assert_str_eq(b, "10.00 M");
  sp_format_count(999, b, sizeof b);
  cr_assert_str_eq(b, "999");
  sp_format_count(UINT64_MAX, b, sizeof b);
  cr_assert_str_eq(b, "18.45 Qi");
}
