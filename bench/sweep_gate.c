/* The performance gate over a sweep; see sweep_gate.h. */
#include "bench/sweep_gate.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "bench/cli.h"
#include "bench/json_out.h"
#include "bench/perf_gate.h"
#include "common/user_file.h"

/* A sweep's points as the gate's rows: the series is the point's name. */
static int add_point(sp_hashrate_result *r, const char *series,
                     const double *samples, int n) {
  sp_hashrate_row w;
  memset(&w, 0, sizeof w);
  snprintf(w.backend, sizeof w.backend, "%.31s", series);
  w.rank = -1;
  w.n_samples = n > 16 ? 16 : n;
  memcpy(w.samples, samples, (size_t)w.n_samples * sizeof *samples);
  return sp_hashrate_add(r, &w);
}

static void machine_of_table(const sp_sweep_table *t, sp_hashrate_machine *m) {
  memset(m, 0, sizeof *m);
  snprintf(m->cpu_model, sizeof m->cpu_model, "%s", t->machine.cpu_model);
  for (size_t i = 0; i < t->n; i++)
    if (t->rows[i].gpu_name[0]) {
      snprintf(m->gpu_name, sizeof m->gpu_name, "%s", t->rows[i].gpu_name);
      m->sm_clock_mhz = t->rows[i].max_sm_clock_mhz;
      break;
    }
}

/* The baseline sweep.json into rows and a machine. Returns 0, or the open's
 * code (common/user_file.h: -SP_ENOT_FOUND, -SP_EACCESS, ...) or -SP_EINVAL
 * (not a sweep.json), filling err. */
static int load(const char *path, sp_hashrate_result *b, sp_error_record *err) {
  memset(b, 0, sizeof *b);
  sp_error_record oerr = {0};
  FILE *f = sp_user_file_fopen(path, 0, &oerr);
  if (f == NULL) { /* the open's code and errno, as common/user_file.h */
    if (err != NULL) *err = oerr;
    return -oerr.code;
  }
  json_error_t je;
  json_t *root = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
  fclose(f);
  const json_t *rows = json_object_get(root, "rows");
  const char *cpu = json_string_value(
      json_object_get(json_object_get(root, "machine"), "cpu_model"));
  if (!json_is_array(rows) || cpu == NULL || json_array_size(rows) > 65536) {
    int rc = sp_error_fail(err, SP_EINVAL, "%s: not a sweep.json (%s)", path,
                           root == NULL ? je.text : "no machine or rows");
    json_decref(root);
    return rc;
  }
  snprintf(b->machine.cpu_model, sizeof b->machine.cpu_model, "%s", cpu);
  size_t i;
  const json_t *o;
  json_array_foreach(rows, i, o) {
    const char *series = json_string_value(json_object_get(o, "series"));
    const char *gpu = json_string_value(json_object_get(o, "gpu_name"));
    const json_t *samples = json_object_get(o, "samples");
    double s[16];
    int n = 0;
    if (json_is_array(samples)) {
      for (size_t k = 0; k < json_array_size(samples) && n < 16; k++) {
        const json_t *v = json_array_get(samples, k);
        if (json_is_number(v) && json_number_value(v) >= 0)
          s[n++] = json_number_value(v);
      }
    }
    const json_t *rate = json_object_get(o, "hashes_per_second");
    if (n == 0 && json_is_number(rate) && json_number_value(rate) >= 0)
      s[n++] = json_number_value(rate);
    if (series == NULL || n == 0) {
      int rc = sp_error_fail(err, SP_EINVAL,
                             "%s: row %zu has no series or rate", path, i);
      json_decref(root);
      sp_hashrate_free(b);
      return rc;
    }
    if (gpu != NULL && gpu[0] && !b->machine.gpu_name[0]) {
      snprintf(b->machine.gpu_name, sizeof b->machine.gpu_name, "%s", gpu);
      b->machine.sm_clock_mhz =
          (int)json_integer_value(json_object_get(o, "max_sm_clock_mhz"));
    }
    add_point(b, series, s, n);
  }
  json_decref(root);
  return 0;
}

int sp_sweep_gate(const sp_sweep_table *t, const char *baseline,
                  double tolerance, const char *dir) {
  sp_hashrate_result base;
  sp_error_record rec = {0};
  if (load(baseline, &base, &rec) != 0) {
    fprintf(stderr, "bench sweep: --baseline: %s\n", rec.message);
    return SP_EXIT_USAGE;
  }
  char err[1400];
  sp_hashrate_machine here;
  machine_of_table(t, &here);
  if (!sp_perf_same_machine(&here, &base.machine, err, sizeof err)) {
    fprintf(stderr, "bench sweep: --baseline: cannot compare: %s\n", err);
    sp_hashrate_free(&base);
    return SP_EXIT_USAGE;
  }
  int st = SP_EXIT_OK;
  size_t matched = 0;
  json_t *points = json_array();
  printf("%-40s %-8s %14s %14s %9s %9s\n", "point", "verdict", "baseline MH/s",
         "now MH/s", "change %", "margin %");
  for (size_t i = 0; i < t->n; i++) {
    const sp_sweep_row *r = &t->rows[i];
    sp_hashrate_row key;
    memset(&key, 0, sizeof key);
    snprintf(key.backend, sizeof key.backend, "%.31s", r->series);
    const sp_hashrate_row *b = sp_perf_match(&base, &key);
    if (b == NULL) {
      printf("%-40s not in the baseline\n", r->series);
      continue;
    }
    matched++;
    int n = r->n_samples ? r->n_samples : 1;
    const double *cur = r->n_samples ? r->samples : &r->hashes_per_second;
    sp_perf_point p =
        sp_perf_compare(b->samples, b->n_samples, cur, n, tolerance);
    double best, median;
    sp_hashrate_stats(cur, n, &best, &median);
    if (p.verdict == SP_PERF_SLOWER) st = SP_EXIT_NO;
    printf("%-40s %-8s %14.3f %14.3f %+9.2f %9.2f\n", r->series,
           sp_perf_verdict_name(p.verdict), b->best / 1e6, best / 1e6,
           p.change * 100, p.margin * 100);
    json_array_append_new(
        points,
        json_pack("{s:o, s:s, s:o, s:o, s:o, s:o, s:o}", "series",
                  sp_json_str(r->series), "verdict",
                  sp_perf_verdict_name(p.verdict), "baseline_best",
                  sp_json_fixed(b->best, 0), "best", sp_json_fixed(best, 0),
                  "change_percent", sp_json_fixed(p.change * 100, 2),
                  "noise_percent", sp_json_fixed(p.noise * 100, 2),
                  "margin_percent", sp_json_fixed(p.margin * 100, 2)));
  }
  sp_hashrate_free(&base);
  /* Nothing compared is no pass: a baseline of other settings or series. */
  bool none = matched == 0 && t->n > 0;
  if (none) {
    fprintf(stderr, "bench sweep: --baseline: cannot compare: no point of "
                    "this sweep is in the baseline\n");
    st = SP_EXIT_USAGE;
  }
  char path[1200];
  snprintf(path, sizeof path, "%s/gate.json", dir);
  sp_error_record oerr = {0};
  FILE *f = sp_user_file_fopen(path, 1, &oerr);
  json_t *root =
      json_pack("{s:o, s:o, s:o, s:s}", "baseline", sp_json_str(baseline),
                "tolerance_percent", sp_json_fixed(tolerance * 100, 2),
                "points", points, "status",
                none ? "cannot compare"
                : st ? "slower"
                     : "pass");
  if (f == NULL) {
    json_decref(root);
    fprintf(stderr, "bench sweep: cannot write %s\n", oerr.message);
    if (st == SP_EXIT_OK) st = SP_EXIT_USAGE;
  } else if (sp_json_print(f, root) != 0 || fclose(f) != 0) {
    fprintf(stderr, "bench sweep: cannot write %s\n", path);
    if (st == SP_EXIT_OK) st = SP_EXIT_USAGE;
  }
  printf("gate: %s/gate.json\n", dir);
  return st;
}
