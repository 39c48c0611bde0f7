/* The typed results' serialized forms, as a fleet rank sends them: a round
 * trip keeps every field, and garbage, wrong types, out-of-range values and
 * oversized strings are refused with a reason (a rank's message is input). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "bench/hashrate_result.h"
#include "bench/sweep_table.h"
#include "verify/verify_report.h"

Test(typed_results, verify_report_round_trips) {
  sp_verify_report r = {0};
  sp_verify_suite *s = sp_verify_report_add(&r, "cpu", "Xeon \"quoted\"");
  sp_verify_case *c = sp_verify_suite_add_case(s, "seals.json");
  sp_verify_case_check(c, true, NULL);
  sp_verify_case_check(c, false, "cpu: seals.json case 3: <bad> & \"wrong\"");
  c->seconds = 0.25;
  s = sp_verify_report_add(&r, "cuda", "");
  s->state = SP_VERIFY_SKIPPED;
  snprintf(s->reason, sizeof s->reason, "no CUDA device");
  char *text = sp_verify_report_encode(&r);
  cr_assert_not_null(text);
  sp_verify_report d;
  sp_error_record err = {0};
  cr_assert_eq(sp_verify_report_decode(text, &d, &err), 0, "%s", err.message);
  free(text);
  cr_assert_eq(d.n_suites, 2);
  cr_assert_str_eq(d.suites[0].device, "Xeon \"quoted\"");
  cr_assert_eq(d.suites[0].cases[0].passed, 1);
  cr_assert_eq(d.suites[0].cases[0].failed, 1);
  cr_assert_str_eq(d.suites[0].cases[0].failures[0],
                   "cpu: seals.json case 3: <bad> & \"wrong\"");
  cr_assert_eq(d.suites[1].state, SP_VERIFY_SKIPPED);
  cr_assert_eq(sp_verify_report_status(&d), 1);
  sp_verify_report_free(&d);
  sp_verify_report_free(&r);
}

Test(typed_results, verify_report_refuses_garbage) {
  static const char *const bad[] = {
      "",
      "[]",
      "{\"suites\": 3}",
      "{\"suites\": [{\"backend\": 1}]}",
      "{\"suites\": [{\"backend\": \"x\", \"device\": \"\", \"host\": \"\", "
      "\"reason\": \"\", \"seconds\": 0, \"rank\": -2, \"state\": 0, "
      "\"cases\": []}]}",
      "{\"suites\": [{\"backend\": \"x\", \"device\": \"\", \"host\": \"\", "
      "\"reason\": \"\", \"seconds\": 0, \"rank\": 0, \"state\": 9, "
      "\"cases\": []}]}",
      /* more failure lines than failed checks */
      "{\"suites\": [{\"backend\": \"x\", \"device\": \"\", \"host\": \"\", "
      "\"reason\": \"\", \"seconds\": 0, \"rank\": 0, \"state\": 0, "
      "\"cases\": [{\"name\": \"a\", \"passed\": 1, \"failed\": 0, "
      "\"seconds\": 0, \"failures\": [\"x\"]}]}]}",
      "{\"suites\": [{\"backend\": "
      "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}]}",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    sp_verify_report d;
    sp_error_record err = {0};
    cr_expect_eq(sp_verify_report_decode(bad[i], &d, &err), -SP_EINVAL,
                 "accepted %s", bad[i]);
    cr_expect_neq(err.message[0], '\0', "no reason for %s", bad[i]);
    cr_expect_eq(d.n_suites, 0);
  }
}

Test(typed_results, hashrate_rows_round_trip_and_refuse_garbage) {
  sp_hashrate_result r = {0};
  sp_hashrate_row w = {.threads = 2, .rank = -1, .n_samples = 3};
  snprintf(w.backend, sizeof w.backend, "cpu");
  snprintf(w.isa, sizeof w.isa, "avx512");
  w.samples[0] = 5e6, w.samples[1] = 7e6, w.samples[2] = 6e6;
  cr_assert_eq(sp_hashrate_add(&r, &w), 0);
  cr_assert_float_eq(r.rows[0].best, 7e6, 1);
  cr_assert_float_eq(r.rows[0].median, 6e6, 1);
  char *text = sp_hashrate_encode(&r);
  sp_hashrate_result d;
  sp_error_record err = {0};
  cr_assert_eq(sp_hashrate_decode(text, &d, &err), 0, "%s", err.message);
  free(text);
  cr_assert_eq(d.n, 1);
  cr_assert_eq(d.rows[0].n_samples, 3);
  cr_assert_float_eq(d.rows[0].best, 7e6, 1);
  sp_hashrate_free(&d);
  sp_hashrate_free(&r);
  static const char *const bad[] = {
      "nope",
      "{\"rows\": 1}",
      "{\"rows\": [{\"backend\": 7}]}",
      "{\"rows\": [{\"backend\": \"x\", \"samples\": [-1]}]}",
      "{\"rows\": [{\"backend\": \"x\", \"threads\": -3, \"samples\": [1]}]}",
      "{\"rows\": [{\"backend\": \"x\"}]}"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    cr_expect_eq(sp_hashrate_decode(bad[i], &d, &err), -SP_EINVAL,
                 "accepted %s", bad[i]);
}

Test(typed_results, sweep_table_round_trips_and_refuses_garbage) {
  sp_sweep_table t = {0};
  snprintf(t.machine.cpu_model, sizeof t.machine.cpu_model, "Xeon");
  sp_sweep_row row = {.threads = 1,
                      .hashes = UINT64_MAX - 1,
                      .hashes_per_second = 12345,
                      .n_samples = 2};
  snprintf(row.backend, sizeof row.backend, "cpu");
  snprintf(row.series, sizeof row.series, "cpu/portable/unpinned");
  row.samples[0] = 12000, row.samples[1] = 12345;
  cr_assert_eq(sp_sweep_table_add(&t, &row), 0);
  char *text = sp_sweep_table_encode(&t);
  sp_sweep_table d;
  sp_error_record err = {0};
  cr_assert_eq(sp_sweep_table_decode(text, &d, &err), 0, "%s", err.message);
  free(text);
  cr_assert_eq(d.n, 1);
  cr_assert_eq(d.rows[0].hashes, UINT64_MAX - 1);
  cr_assert_eq(d.rows[0].n_samples, 2);
  cr_assert_str_eq(d.rows[0].series, "cpu/portable/unpinned");
  sp_sweep_table_free(&d);
  sp_sweep_table_free(&t);
  cr_assert_eq(
      sp_sweep_table_decode("{\"machine\": {}, \"rows\": []}", &d, &err),
      -SP_EINVAL);
  cr_assert_eq(sp_sweep_table_decode("[1,2]", &d, &err), -SP_EINVAL);
}
