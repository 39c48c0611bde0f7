/* `bench` with --backend cpu: the --isa and --threads flags reach the
 * backend, a bad --isa is a usage error (exit 2, one line), hashrate's JSON
 * names the backend, device, threads and path, and solve gives the
 * reference's answer. */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <stdio.h>
#include <string.h>

#include "regress/support/run_command.h"

#ifndef SUBPOW_HAVE_CPU
Test(cpu_bench, not_built) {
  cr_skip_test("the cpu backend is not built (no hwloc)");
}
#else
#include "optimized/cpu_backend.h"
#include "optimized/seal_kernels.h"

Test(cpu_bench, an_unknown_isa_is_a_usage_error) {
  sp_run_result r;
  sp_run_bench(&r, "hashrate", "--backend", "cpu", "--isa", "avx1024",
               "--seconds", "0.1", NULL);
  cr_assert_eq(r.status, 2, "status %d, stderr %s", r.status, r.err);
  cr_assert_str_empty(r.out);
  cr_assert_eq(sp_count_lines(r.err), 1, "%s", r.err);
  cr_assert_not_null(strstr(r.err, "avx1024"), "%s", r.err);
  sp_run_result_free(&r);

  sp_run_bench(
      &r, "solve", "--backend", "cpu", "--isa", "sse9",
      "--block-and-hotkey-hash",
      "00000000000000000000000000000000000000000000000000000000000000aa",
      "--difficulty", "10", "--start", "0", "--count", "100", NULL);
  cr_assert_eq(r.status, 2, "status %d, stderr %s", r.status, r.err);
  cr_assert_eq(sp_count_lines(r.err), 1, "%s", r.err);
  cr_assert_not_null(strstr(r.err, "sse9"), "%s", r.err);
  sp_run_result_free(&r);
}

Test(cpu_bench, an_isa_this_cpu_lacks_is_a_usage_error) {
  static const char *all[] = {"avx512", "avx512+shani", "avx2+shani", "avx2",
                              "shani"};
  const char *missing = NULL;
  for (size_t i = 0; i < sizeof all / sizeof all[0] && missing == NULL; i++) {
    bool supported = false;
    if (sp_seal_path_find(all[i], &supported) != NULL && !supported)
      missing = all[i];
  }
  if (missing == NULL)
    cr_skip_test("this CPU runs every kernel path built: nothing to refuse");
  sp_run_result r;
  sp_run_bench(&r, "hashrate", "--backend", "cpu", "--isa", missing,
               "--seconds", "0.1", NULL);
  cr_assert_eq(r.status, 2, "status %d, stderr %s", r.status, r.err);
  cr_assert_not_null(strstr(r.err, "cannot run"), "%s", r.err);
  sp_run_result_free(&r);
}

Test(cpu_bench, hashrate_json_reports_the_settings_used) {
  const char *const *names;
  size_t n = sp_cpu_isa_list(&names);
  for (size_t i = 0; i < n; i++) {
    sp_run_result r;
    sp_run_bench(&r, "hashrate", "--backend", "cpu", "--isa", names[i],
                 "--threads", "1", "--seconds", "0.1", "--json", NULL);
    cr_assert_eq(r.status, 0, "%s: %s", names[i], r.err);
    char want[128];
    cr_assert_not_null(strstr(r.out, "\"backend\": \"cpu\""), "%s", r.out);
    cr_assert_not_null(strstr(r.out, "\"device\": \""), "%s", r.out);
    cr_assert_not_null(strstr(r.out, "\"threads\": 1,"), "%s", r.out);
    snprintf(want, sizeof want, "\"isa\": \"%s\"", names[i]);
    cr_assert_not_null(strstr(r.out, want), "%s", r.out);
    const char *rate = strstr(r.out, "\"hashes_per_second\": ");
    cr_assert_not_null(rate, "%s", r.out);
    double hps = 0;
    cr_assert_eq(sscanf(rate, "\"hashes_per_second\": %lf", &hps), 1);
    cr_assert_gt(hps, 0, "%s", r.out);
    sp_run_result_free(&r);
  }
  sp_run_result r;
  sp_run_bench(&r, "hashrate", "--backend", "cpu", "--threads", "2",
               "--seconds", "0.1", NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  cr_assert_not_null(strstr(r.out, "threads: 2"), "%s", r.out);
  cr_assert_not_null(strstr(r.out, sp_cpu_isa_best()), "%s", r.out);
  sp_run_result_free(&r);
}

Test(cpu_bench, solve_gives_the_reference_s_answer) {
  static const char *modes[][2] = {{"--all", "--json"}, {"--json", NULL}};
  static const char *rules[] = {"sdk", "chain-be", "chain-le"};
  for (int m = 0; m < 2; m++)
    for (int k = 0; k < 3; k++) {
      sp_run_result want, got;
      const char *bahh =
          "9f3c06aa1be9c7a1e1c5b48bcbab6b1f7c4aa25dc0bde0ae3e5c3d07a3c1b7e2";
      sp_run_bench(&want, "solve", "--backend", "reference",
                   "--block-and-hotkey-hash", bahh, "--difficulty", "300",
                   "--start", "4294960000", "--count", "20000", "--rule",
                   rules[k], modes[m][0], modes[m][1], NULL);
      sp_run_bench(&got, "solve", "--backend", "cpu", "--block-and-hotkey-hash",
                   bahh, "--difficulty", "300", "--start", "4294960000",
                   "--count", "20000", "--rule", rules[k], modes[m][0],
                   modes[m][1], NULL);
      cr_assert_eq(want.status, 0, "%s", want.err);
      cr_assert_eq(got.status, want.status, "%s", got.err);
      /* The JSON names the backend; everything after it must be equal. */
      const char *w = strstr(want.out, "\"scanned\""),
                 *g = strstr(got.out, "\"scanned\"");
      cr_assert(w != NULL && g != NULL, "%s\n%s", want.out, got.out);
      cr_assert_str_eq(g, w);
      sp_run_result_free(&want);
      sp_run_result_free(&got);
    }
}
#endif
