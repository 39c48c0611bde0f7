/* The performance gate: its decision on injected samples (no machine speed
 * involved), and `bench hashrate --baseline` refusing another machine and
 * failing a regression against an edited baseline. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/perf_gate.h"
#include "regress/support/run_command.h"

/* A steady baseline of five samples about 100 MH/s (0.3 % apart). */
static const double base[] = {100.0e6, 99.8e6, 99.9e6, 100.1e6, 99.7e6};

static sp_perf_point vs(const double *cur) {
  return sp_perf_compare(base, 5, cur, 5, SP_PERF_TOLERANCE);
}

Test(perf_gate, a_ten_percent_regression_is_caught) {
  const double cur[] = {90.0e6, 89.8e6, 90.1e6, 89.9e6, 90.0e6};
  sp_perf_point p = vs(cur);
  cr_assert_eq(p.verdict, SP_PERF_SLOWER, "change %f margin %f", p.change,
               p.margin);
  cr_assert_float_eq(p.change, -0.1, 0.01);
}

Test(perf_gate, a_one_percent_change_passes) {
  const double cur[] = {99.0e6, 98.9e6, 99.1e6, 98.8e6, 99.0e6};
  cr_assert_eq(vs(cur).verdict, SP_PERF_SAME);
  const double up[] = {101.0e6, 100.9e6, 101.1e6, 100.8e6, 101.0e6};
  cr_assert_eq(vs(up).verdict, SP_PERF_SAME);
}

Test(perf_gate, noisy_samples_are_not_flagged) {
  /* A busy machine: other work took the cores during most samples. The
   * mean is 20 % down, the best 6 % down, and the noise (median 30 %
   * below the best) is far above that: not a regression. */
  const double cur[] = {94.0e6, 60.0e6, 66.0e6, 85.0e6, 70.0e6};
  sp_perf_point p = vs(cur);
  cr_assert_eq(p.verdict, SP_PERF_SAME, "change %f margin %f", p.change,
               p.margin);
  cr_assert_gt(p.noise, 0.2);
}

Test(perf_gate, a_clear_speedup_is_faster) {
  const double cur[] = {120.0e6, 119.0e6, 120.5e6, 119.8e6, 120.1e6};
  cr_assert_eq(vs(cur).verdict, SP_PERF_FASTER);
}

Test(perf_gate, machines_compare_by_cpu_and_gpu_model_and_clock) {
  sp_hashrate_machine a = {.cpu_model = "Intel Xeon"}, b = a;
  char why[400];
  cr_assert_eq(sp_perf_same_machine(&a, &b, why, sizeof why), 1);
  snprintf(b.cpu_model, sizeof b.cpu_model, "AMD EPYC");
  cr_assert_eq(sp_perf_same_machine(&a, &b, why, sizeof why), 0);
  cr_assert(strstr(why, "AMD EPYC"), "%s", why);
  b = a;
  snprintf(a.gpu_name, sizeof a.gpu_name, "NVIDIA H100");
  b = a;
  a.sm_clock_mhz = 1980, b.sm_clock_mhz = 1755;
  cr_assert_eq(sp_perf_same_machine(&a, &b, why, sizeof why), 0);
}

/* A baseline from `bench hashrate --json`, edited by `sed_expr`. */
static void baseline(const char *path, const char *sed_expr) {
  sp_run_result r;
  cr_assert_eq(sp_run_bench(&r, "hashrate", "--backend", "reference",
                            "--seconds", "0.1", "--samples", "2", "--json",
                            NULL),
               0);
  cr_assert_eq(r.status, 0, "%s", r.err);
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs(r.out, f);
  fclose(f);
  sp_run_result_free(&r);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "sed -i -E '%s' %s", sed_expr, path);
  cr_assert_eq(system(cmd), 0);
}

Test(perf_gate, bench_refuses_a_baseline_of_another_machine) {
  char path[] = "/tmp/subpow-base-XXXXXX";
  close(mkstemp(path));
  baseline(path, "s/\"cpu_model\": \"[^\"]*\"/\"cpu_model\": \"Other CPU\"/");
  sp_run_result r;
  cr_assert_eq(sp_run_bench(&r, "hashrate", "--backend", "reference",
                            "--seconds", "0.1", "--samples", "1", "--baseline",
                            path, NULL),
               0);
  unlink(path);
  cr_assert_eq(r.status, 2, "%s%s", r.out, r.err);
  cr_assert(strstr(r.err, "cannot compare") && strstr(r.err, "Other CPU"), "%s",
            r.err);
  sp_run_result_free(&r);
}

Test(perf_gate, bench_fails_a_regression_and_says_which_point) {
  /* The baseline's samples made a thousand times faster than any machine
   * hashes with the reference: the gate must call it slower and exit 1. */
  char path[] = "/tmp/subpow-base-XXXXXX";
  close(mkstemp(path));
  baseline(path, "s/\"samples\": \\[[^]]*\\]/\"samples\": [9e12, 9e12]/");
  sp_run_result r;
  cr_assert_eq(sp_run_bench(&r, "hashrate", "--backend", "reference",
                            "--seconds", "0.1", "--samples", "2", "--baseline",
                            path, "--json", NULL),
               0);
  unlink(path);
  cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
  cr_assert(strstr(r.out, "\"gate\": [{\"point\": \"reference/") &&
                strstr(r.out, "\"verdict\": \"slower\""),
            "%s", r.out);
  sp_run_result_free(&r);
}

/* A baseline of the same machine measured with other settings (here another
 * kernel path) holds no point of this run: nothing compared is no pass. */
Test(perf_gate, a_baseline_of_other_settings_cannot_compare) {
  char path[] = "/tmp/subpow-base-XXXXXX";
  close(mkstemp(path));
  baseline(path, "s/\"isa\": \"[^\"]*\"/\"isa\": \"other-path\"/g");
  sp_run_result r;
  cr_assert_eq(sp_run_bench(&r, "hashrate", "--backend", "reference",
                            "--seconds", "0.1", "--samples", "1", "--baseline",
                            path, "--json", NULL),
               0);
  unlink(path);
  cr_assert_eq(r.status, 2, "%s%s", r.out, r.err);
  cr_assert(strstr(r.out, "\"verdict\": \"not in baseline\""), "%s", r.out);
  cr_assert(strstr(r.err, "cannot compare: no point of this run"), "%s", r.err);
  sp_run_result_free(&r);
}

Test(perf_gate, garbage_baseline_is_refused) {
  char path[] = "/tmp/subpow-base-XXXXXX";
  int fd = mkstemp(path);
  cr_assert_eq(write(fd, "{\"rows\": [{\"backend\": 7}]}", 26), 26);
  close(fd);
  sp_run_result r;
  cr_assert_eq(sp_run_bench(&r, "hashrate", "--backend", "reference",
                            "--seconds", "0.1", "--baseline", path, NULL),
               0);
  unlink(path);
  cr_assert_eq(r.status, 2, "%s", r.err);
  cr_assert(strstr(r.err, "--baseline: ") != NULL, "%s", r.err);
  sp_run_result_free(&r);
}

/* One quick sweep point into dir (its sweep.json is a baseline). */
static int sweep(const char *dir, const char *baseline, sp_run_result *r) {
  return sp_run_bench(r, "sweep", "--backend", "cpu", "--threads", "1", "--isa",
                      "portable", "--no-pin", "--seconds", "0.1", "--warmup",
                      "0", "--no-plot", "--no-progress", "--out", dir,
                      baseline ? "--baseline" : NULL, baseline, NULL);
}

Test(perf_gate, sweep_gate_catches_a_regression_and_refuses_another_machine) {
  char dir[] = "/tmp/subpow-sweepgate-XXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  char a[200], b[200], base[220], cmd[700];
  snprintf(a, sizeof a, "%s/a", dir);
  snprintf(b, sizeof b, "%s/b", dir);
  snprintf(base, sizeof base, "%s/sweep.json", a);
  sp_run_result r;
  cr_assert_eq(sweep(a, NULL, &r), 0);
  cr_assert_eq(r.status, 0, "%s", r.err);
  sp_run_result_free(&r);
  /* The baseline's point made far faster than any machine: slower, exit 1,
   * the verdict in gate.json. */
  snprintf(cmd, sizeof cmd,
           "/usr/bin/python3 -c 'import json,sys; p=sys.argv[1]; "
           "d=json.load(open(p)); d[\"rows\"][0][\"samples\"]=[9e12]; "
           "json.dump(d, open(p, \"w\"))' %s",
           base);
  cr_assert_eq(system(cmd), 0);
  cr_assert_eq(sweep(b, base, &r), 0);
  cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
  cr_assert(strstr(r.out, "cpu/portable/unpinned") && strstr(r.out, " slower "),
            "%s", r.out);
  sp_run_result_free(&r);
  snprintf(cmd, sizeof cmd, "grep -q '\"verdict\": \"slower\"' %s/gate.json",
           b);
  cr_assert_eq(system(cmd), 0);
  /* A baseline whose series are all others: nothing compared, exit 2. */
  snprintf(cmd, sizeof cmd,
           "sed -i -E 's#cpu/portable/unpinned#cpu/other/unpinned#g' %s", base);
  cr_assert_eq(system(cmd), 0);
  cr_assert_eq(sweep(b, base, &r), 0);
  cr_assert_eq(r.status, 2, "%s%s", r.out, r.err);
  cr_assert(strstr(r.err, "no point of this sweep is in the baseline"), "%s",
            r.err);
  sp_run_result_free(&r);
  /* Another CPU model: cannot compare, exit 2. */
  snprintf(cmd, sizeof cmd,
           "sed -i -E 's/\"cpu_model\": \"[^\"]*\"/\"cpu_model\": \"Other "
           "CPU\"/g' %s",
           base);
  cr_assert_eq(system(cmd), 0);
  cr_assert_eq(sweep(b, base, &r), 0);
  cr_assert_eq(r.status, 2, "%s%s", r.out, r.err);
  cr_assert(strstr(r.err, "cannot compare"), "%s", r.err);
  sp_run_result_free(&r);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  cr_assert_eq(system(cmd), 0);
}
