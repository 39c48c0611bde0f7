/* bench sweep: well-formed CSV and JSON (parsed back), the plot step (or its
 * message when gnuplot is absent), the machine description, bad flags. */
#include <criterion/criterion.h>
#ifdef SUBPOW_HAVE_HWLOC
#include <hwloc.h>
#endif
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench/machine_info.h"
#include "bench/sweep_table.h"
#include "regress/support/run_command.h"

/* RFC 4180 fields of one record starting at *p; advances *p past it.
 * Returns the field count, fields copied into out[i] (cap 256 each). */
static int csv_record(const char **p, char out[][256], int max) {
  int n = 0;
  const char *s = *p;
  for (;;) {
    char *f = n < max ? out[n] : NULL;
    size_t k = 0;
    if (*s == '"') {
      s++;
      for (;;) {
        cr_assert(*s != '\0', "unterminated quoted field");
        if (*s == '"' && s[1] == '"') {
          if (f && k < 255) f[k++] = '"';
          s += 2;
        } else if (*s == '"') {
          s++;
          break;
        } else {
          if (f && k < 255) f[k++] = *s;
          s++;
        }
      }
    } else {
      while (*s && *s != ',' && *s != '\n') {
        cr_assert(*s != '"', "a quote inside an unquoted field");
        if (f && k < 255) f[k++] = *s;
        s++;
      }
    }
    if (f) f[k] = '\0';
    n++;
    if (*s == ',') {
      s++;
      continue;
    }
    cr_assert(*s == '\n', "record not ended by a newline");
    *p = s + 1;
    return n;
  }
}

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "cannot open %s", path);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  rewind(f);
  char *buf = calloc((size_t)n + 1, 1);
  cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  return buf;
}

static int header_columns(void) {
  int n = 1;
  for (const char *p = sp_sweep_csv_header; *p; p++)
    n += *p == ',';
  return n;
}

static sp_sweep_table awkward_table(void) {
  sp_sweep_table t = {0};
  strcpy(t.machine.host, "host");
  strcpy(t.machine.cpu_model, "CPU \"Fast\", rev 2");
  t.machine.cpu_cores = 4;
  t.machine.cpu_threads = 8;
  strcpy(t.date, "2026-01-02T03:04:05Z");
  strcpy(t.command, "bench sweep --seconds 1");
  sp_sweep_row r = {0};
  strcpy(r.backend, "cpu");
  strcpy(r.series, "cpu/avx2/pinned");
  strcpy(r.device, "Device, with comma");
  strcpy(r.isa, "avx2");
  strcpy(r.command, "bench hashrate --backend cpu --threads 1");
  r.workers = 1, r.threads = 1, r.pinned = true, r.hashes = 1000;
  r.hashes_per_second = 1000, r.seconds = 1;
  sp_sweep_table_add(&t, &r);
  r.threads = 2, r.hashes_per_second = 3000;
  sp_sweep_table_add(&t, &r);
  strcpy(r.backend, "cuda");
  strcpy(r.series, "cuda/ui=256");
  strcpy(r.gpu_name, "NVIDIA H100");
  strcpy(r.gpu_driver, "580.159");
  strcpy(r.cuda_version, "13.0");
  r.sm_clock_mhz = 1980, r.tpb = 256, r.update_interval = 256, r.threads = 0;
  r.hashes_per_second = 2.9e9;
  sp_sweep_table_add(&t, &r);
  return t;
}

Test(sweep_output, csv_quotes_awkward_fields_and_parses_back) {
  sp_sweep_table t = awkward_table();
  FILE *f = tmpfile();
  cr_assert_eq(sp_sweep_write_csv(&t, f), 0);
  long n = ftell(f);
  rewind(f);
  char *buf = calloc((size_t)n + 1, 1);
  cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  static char fields[64][256];
  const char *p = buf;
  int cols = header_columns();
  cr_assert_eq(csv_record(&p, fields, 64), cols);
  cr_assert_str_eq(fields[0], "backend");
  for (int row = 0; row < 3; row++) {
    cr_assert_eq(csv_record(&p, fields, 64), cols, "row %d", row);
    cr_assert_str_eq(fields[14], "CPU \"Fast\", rev 2");
    cr_assert_str_eq(fields[11], "Device, with comma");
  }
  cr_assert_str_eq(fields[0], "cuda");
  cr_assert_str_eq(fields[18], "580.159");
  cr_assert_str_eq(fields[20], "1980");
  cr_assert_eq(*p, '\0');
  free(buf);
  sp_sweep_table_free(&t);
}

Test(sweep_output, json_parses_back_with_best_per_backend) {
  sp_sweep_table t = awkward_table();
  FILE *f = tmpfile();
  cr_assert_eq(sp_sweep_write_json(&t, f), 0);
  rewind(f);
  json_error_t je;
  json_t *root = json_loadf(f, 0, &je);
  fclose(f);
  cr_assert_not_null(root, "%s", je.text);
  json_t *rows = json_object_get(root, "rows");
  cr_assert_eq(json_array_size(rows), 3);
  json_t *r0 = json_array_get(rows, 0);
  cr_assert_str_eq(json_string_value(json_object_get(r0, "cpu_model")),
                   "CPU \"Fast\", rev 2");
  cr_assert(json_is_true(json_object_get(r0, "pinned")));
  cr_assert_eq(json_integer_value(json_object_get(r0, "cpu_threads")), 8);
  json_t *best = json_object_get(root, "best");
  cr_assert_eq(json_array_size(best), 2);
  cr_assert_eq(
      json_integer_value(json_object_get(json_array_get(best, 0), "threads")),
      2);
  cr_assert_str_eq(
      json_string_value(json_object_get(json_array_get(best, 1), "backend")),
      "cuda");
  cr_assert_str_eq(json_string_value(json_object_get(
                       json_object_get(root, "machine"), "host")),
                   "host");
  json_decref(root);
  sp_sweep_table_free(&t);
}

/* The machine is hwloc's view, the one the cpu backend pins by. */
Test(sweep_output, machine_info_from_hwloc) {
  sp_machine_info m;
  sp_machine_info_read(&m);
  cr_assert_str_neq(m.host, "");
#ifdef SUBPOW_HAVE_HWLOC
  hwloc_topology_t t;
  cr_assert_eq(hwloc_topology_init(&t), 0);
  cr_assert_eq(hwloc_topology_load(t), 0);
  hwloc_obj_t pkg = hwloc_get_obj_by_type(t, HWLOC_OBJ_PACKAGE, 0);
  const char *model = pkg ? hwloc_obj_get_info_by_name(pkg, "CPUModel") : NULL;
  cr_assert_str_eq(m.cpu_model, model && model[0] ? model : "unknown");
  cr_assert_eq(m.cpu_threads, hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_PU));
  cr_assert_geq(m.cpu_threads, m.cpu_cores);
  cr_assert_geq(m.cpu_cores, 1);
  hwloc_topology_destroy(t);
#else
  cr_assert_str_eq(m.cpu_model, "unknown");
  cr_assert_eq(m.cpu_threads, 0);
#endif
}

static char tmpdir[64];

static void make_tmpdir(void) {
  strcpy(tmpdir, "/tmp/subpow-sweep-XXXXXX");
  cr_assert_not_null(mkdtemp(tmpdir));
}

static void remove_tmpdir(void) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  cr_assert_eq(system(cmd), 0);
}

TestSuite(sweep_bench, .init = make_tmpdir, .fini = remove_tmpdir);

Test(sweep_bench, reference_sweep_writes_csv_json_and_plots) {
  char out[128];
  snprintf(out, sizeof out, "%s/res", tmpdir);
  sp_run_result r;
  cr_assert_eq(sp_run_bench(&r, "sweep", "--backend", "reference", "--seconds",
                            "0.1", "--warmup", "0", "--max-threads", "2",
                            "--out", out, NULL),
               0);
  cr_assert_eq(r.status, 0, "stdout: %s\nstderr: %s", r.out, r.err);
  cr_assert(strstr(r.out, "(2 points)"), "%s", r.out);
  cr_assert(strstr(r.out, "best reference: "), "%s", r.out);
  /* Not a terminal: one progress line per point. */
  cr_assert(strstr(r.err, "[1/2] reference workers=1\n"), "%s", r.err);
  cr_assert(strstr(r.err, "[2/2] reference workers=2\n"), "%s", r.err);

  char path[256];
  snprintf(path, sizeof path, "%s/sweep.csv", out);
  char *csv = slurp(path);
  static char fields[64][256];
  const char *p = csv;
  int cols = header_columns();
  cr_assert_eq(csv_record(&p, fields, 64), cols);
  sp_machine_info m;
  sp_machine_info_read(&m);
  for (int w = 1; w <= 2; w++) {
    cr_assert_eq(csv_record(&p, fields, 64), cols);
    cr_assert_str_eq(fields[0], "reference");
    cr_assert_eq(atoi(fields[2]), w);
    cr_assert_eq(atoi(fields[3]), w);
    cr_assert_gt(atof(fields[10]), 1000, "rate %s", fields[10]);
    cr_assert_str_eq(fields[14], m.cpu_model);
    cr_assert_eq(atoi(fields[16]), m.cpu_threads);
    cr_assert_str_eq(fields[17], "", "no GPU field for a CPU row");
  }
  cr_assert_eq(*p, '\0');
  free(csv);

  snprintf(path, sizeof path, "%s/sweep.json", out);
  json_error_t je;
  json_t *root = json_load_file(path, 0, &je);
  cr_assert_not_null(root, "%s", je.text);
  cr_assert_eq(json_array_size(json_object_get(root, "rows")), 2);
  cr_assert(strstr(json_string_value(json_object_get(root, "command")),
                   "bench sweep --backend reference"));
  json_t *row = json_array_get(json_object_get(root, "rows"), 1);
  cr_assert_gt(json_real_value(json_object_get(row, "hashes_per_second")),
               1000);
  cr_assert_str_eq(json_string_value(json_object_get(row, "command")),
                   "bench sweep --backend reference --threads 2");
  json_decref(root);

  snprintf(path, sizeof path, "%s/sweep_cpu.png", out);
  if (access("/usr/bin/gnuplot", X_OK) != 0) {
    cr_assert(strstr(r.out, "no plots: gnuplot not found"), "%s", r.out);
    sp_run_result_free(&r);
    cr_skip_test("gnuplot is not installed (scripts/install-deps.sh installs "
                 "gnuplot-nox): the plot itself was not checked");
  }
  cr_assert(strstr(r.out, "plots: "), "%s", r.out);
  char *png = slurp(path);
  cr_assert_eq(memcmp(png, "\x89PNG", 4), 0, "not a PNG");
  free(png);
  sp_run_result_free(&r);
}

Test(sweep_bench, plot_step_without_gnuplot_says_how_to_get_it) {
  setenv("SUBPOW_GNUPLOT", "/nonexistent/gnuplot", 1);
  sp_run_result r;
  cr_assert_eq(sp_run_bench(&r, "sweep", "--backend", "reference", "--seconds",
                            "0.05", "--warmup", "0", "--threads-list", "1",
                            "--out", tmpdir, "--no-progress", NULL),
               0);
  unsetenv("SUBPOW_GNUPLOT");
  cr_assert_eq(r.status, 0, "%s", r.err);
  cr_assert(strstr(r.out, "no plots: /nonexistent/gnuplot not found (install "
                          "gnuplot-nox"),
            "%s", r.out);
  cr_assert(strstr(r.out, "plot_sweep.gp"));
  /* --no-progress: no progress lines (a busy-machine warning may come). */
  cr_assert_null(strstr(r.err, "[1/"), "%s", r.err);
  cr_assert_null(strstr(r.err, "done:"), "%s", r.err);
  char path[128];
  snprintf(path, sizeof path, "%s/sweep.csv", tmpdir);
  cr_assert_eq(access(path, R_OK), 0);
  sp_run_result_free(&r);
}

Test(sweep_bench, dry_run_lists_points) {
  sp_run_result r;
  cr_assert_eq(sp_run_bench(&r, "sweep", "--backend", "reference",
                            "--threads-list", "1,3", "--dry-run", NULL),
               0);
  cr_assert_eq(r.status, 0);
  cr_assert(strstr(r.out,
                   "reference workers=3\tbench sweep --backend reference "
                   "--threads 3\n"),
            "%s", r.out);
  cr_assert(strstr(r.out, "2 points"));
  sp_run_result_free(&r);
}

Test(sweep_bench, bad_flags_exit_2_with_one_line) {
  static const char *const cases[][4] = {
      {"--seconds", "0", NULL},
      {"--seconds", "abc", NULL},
      {"--warmup", "-1", NULL},
      {"--backend", "nope", NULL},
      {"--backend", "auto", NULL},
      {"--tpb-list", "0", NULL},
      {"--tpb-list", "32,,64", NULL},
      {"--tpb-list", "2048", NULL},
      {"--threads-list", "", NULL},
      {"--update-interval-list", "1,x", NULL},
      {"--max-threads", "2", "--threads-list", "1"},
      {"--out", "/proc/no/such/dir"},
      {"--frobnicate", NULL},
      {"extra", NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *argv[16] = {SUBPOW_BENCH, "sweep",     "--backend",
                      "reference",  "--seconds", "0.05"};
    int n = 6;
    if (strcmp(cases[i][0], "--backend") == 0 ||
        strcmp(cases[i][0], "--seconds") == 0)
      n = 2;
    for (int k = 0; k < 4 && cases[i][k]; k++)
      argv[n++] = (char *)cases[i][k];
    argv[n] = NULL;
    sp_run_result r;
    cr_assert_eq(sp_run(argv, NULL, &r), 0);
    cr_assert_eq(r.status, 2, "case %zu (%s): status %d, stderr %s", i,
                 cases[i][0], r.status, r.err);
    cr_assert_eq(sp_count_lines(r.err), 1, "case %zu: %s", i, r.err);
    cr_assert(strncmp(r.err, "bench sweep: ", 13) == 0, "%s", r.err);
    sp_run_result_free(&r);
  }
}
