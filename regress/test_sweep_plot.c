/*
 * The sweep's plot and summary read at a glance: scripts/plot_sweep.gp gives
 * every series its own colour and pinned/unpinned different dashes, marks
 * the fastest point, plots a one-point sweep without a gnuplot warning; an
 * interrupted sweep reports the points it wrote, not the points it planned.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/sweep_table.h"
#include "regress/support/process.h"
#include "regress/support/run_command.h"

static const char script[] = SUBPOW_SOURCE_DIR "/scripts/plot_sweep.gp";
static char tmpdir[64];

static void make_tmpdir(void) {
  strcpy(tmpdir, "/tmp/subpow-plot-XXXXXX");
  cr_assert_not_null(mkdtemp(tmpdir));
}

static void remove_tmpdir(void) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  cr_assert_eq(system(cmd), 0);
}

TestSuite(sweep_plot, .init = make_tmpdir, .fini = remove_tmpdir,
          .timeout = 120);

static const char gnuplot[] = "/usr/bin/gnuplot";

static void need_gnuplot(void) {
  if (access(gnuplot, X_OK) != 0)
    cr_skip_test("gnuplot is not installed (scripts/install-deps.sh "
                 "installs gnuplot-nox)");
}

/* A sweep.csv in tmpdir: the header, then rows "backend,series,threads,tpb,
 * ui,rate" filled out to every column. */
static void write_csv(const char *rows[][6], size_t n) {
  char path[128];
  snprintf(path, sizeof path, "%s/sweep.csv", tmpdir);
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fprintf(f, "%s\n", sp_sweep_csv_header);
  for (size_t i = 0; i < n; i++)
    fprintf(f,
            "%s,%s,1,%s,1,isa,%s,%s,1,1,%s,dev,1,host,CPU model,2,2,%s,,,0,"
            "2026-01-01T00:00:00Z,cmd,0.1.0,abc\n",
            rows[i][0], rows[i][1], rows[i][2], rows[i][3], rows[i][4],
            rows[i][5], strcmp(rows[i][0], "cuda") == 0 ? "GPU model" : "");
  fclose(f);
}

static void run_gnuplot(sp_run_result *r, bool styles_only) {
  char expr[256];
  snprintf(expr, sizeof expr, "csv='%s/sweep.csv'; outdir='%s'%s", tmpdir,
           tmpdir, styles_only ? "; styles_only=1" : "");
  char *argv[] = {(char *)gnuplot, "-e", expr, (char *)script, NULL};
  cr_assert_eq(sp_run(argv, NULL, r), 0);
  cr_assert_eq(r->status, 0, "gnuplot: %s", r->err);
}

typedef struct style {
  char plot[16], series[96], colour[16];
  int dash, point;
} style;

/* Parses the "style" lines; the "best" line of `plot` into best_*. */
static size_t parse_styles(const char *out, style *s, size_t cap,
                           const char *plot, char *best_series,
                           double *best_rate) {
  size_t n = 0;
  for (const char *p = out; *p;) {
    const char *e = strchr(p, '\n');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    char line[256];
    snprintf(line, sizeof line, "%.*s", (int)len, p);
    if (strncmp(line, "style\t", 6) == 0) {
      cr_assert_lt(n, cap);
      cr_assert_eq(sscanf(line, "style\t%15[^\t]\t%95[^\t]\t%15[^\t]\t%d\t%d",
                          s[n].plot, s[n].series, s[n].colour, &s[n].dash,
                          &s[n].point),
                   5, "%s", line);
      n++;
    } else if (strncmp(line, "best\t", 5) == 0) {
      char pl[16], se[96];
      double x, rate;
      cr_assert_eq(
          sscanf(line, "best\t%15[^\t]\t%95[^\t]\t%lf\t%lf", pl, se, &x, &rate),
          4, "%s", line);
      if (strcmp(pl, plot) == 0) strcpy(best_series, se), *best_rate = rate;
    }
    p += len + (e != NULL);
  }
  return n;
}

static bool ends_with(const char *s, const char *t) {
  size_t a = strlen(s), b = strlen(t);
  return a >= b && strcmp(s + a - b, t) == 0;
}

/* Twelve CPU series (6 kernel paths, pinned and unpinned), the reference,
 * and three CUDA series: every series of a plot has its own colour and its
 * own (colour, dash) pair; each unpinned series differs from its pinned
 * sibling in colour and dash, and shares its dash with the other unpinned
 * ones; the fastest point named is the fastest row. */
Test(sweep_plot, every_series_has_its_own_colour_and_pinning_its_dash) {
  need_gnuplot();
  static const char *const isas[] = {"avx512", "avx512+shani", "avx2+shani",
                                     "avx2",   "shani",        "portable"};
  static char names[16][96], rates[16][32];
  const char *rows[40][6];
  size_t n = 0, k = 0;
  for (size_t i = 0; i < 6; i++)
    for (int u = 0; u < 2; u++) {
      snprintf(names[k], sizeof names[k], "cpu/%s/%s", isas[i],
               u ? "unpinned" : "pinned");
      for (int t = 1; t <= 2; t++) {
        const char *r = i == 2 && u == 1 && t == 2 ? "9000000" : "1000000";
        const char *row[6] = {"cpu", names[k], t == 1 ? "1" : "2", "0", "0", r};
        memcpy(rows[n++], row, sizeof row);
      }
      k++;
    }
  const char *ref[6] = {"reference", "reference", "1", "0", "0", "200000"};
  memcpy(rows[n++], ref, sizeof ref);
  for (int u = 0; u < 3; u++) {
    snprintf(names[k], sizeof names[k], "cuda/ui=%d", 256 << (4 * u));
    snprintf(rates[k], sizeof rates[k], "%d", 1000000 * (u + 1));
    for (int t = 0; t < 2; t++) {
      const char *row[6] = {"cuda", names[k], "0", t ? "512" : "256",
                            "256",  rates[k]};
      memcpy(rows[n++], row, sizeof row);
    }
    k++;
  }
  write_csv(rows, n);
  sp_run_result r;
  run_gnuplot(&r, true);
  style s[32];
  char best[96] = "";
  double best_rate = 0;
  size_t ns = parse_styles(r.out, s, 32, "cpu", best, &best_rate);
  cr_assert_eq(ns, 16, "%s", r.out);
  cr_assert_str_eq(best, "cpu/avx2+shani/unpinned");
  cr_assert_float_eq(best_rate, 9e6, 1);
  for (size_t i = 0; i < ns; i++) {
    for (size_t j = 0; j < i; j++) {
      cr_assert_str_neq(s[i].series, s[j].series, "a series listed twice");
      if (strcmp(s[i].plot, s[j].plot) != 0) continue;
      cr_assert_str_neq(s[i].colour, s[j].colour, "%s and %s share a colour",
                        s[i].series, s[j].series);
      bool pu = ends_with(s[i].series, "/unpinned");
      bool qu = ends_with(s[j].series, "/unpinned");
      if (pu != qu)
        cr_assert_neq(s[i].dash, s[j].dash,
                      "%s and %s: one dash for pinned "
                      "and unpinned",
                      s[i].series, s[j].series);
      else
        cr_assert_eq(s[i].dash, s[j].dash, "%s and %s: pinning shown two ways",
                     s[i].series, s[j].series);
      if (pu != qu) cr_assert_neq(s[i].point, s[j].point);
    }
    cr_assert_eq(s[i].colour[0], '#', "%s", s[i].colour);
  }
  char cuda_best[96] = "";
  parse_styles(r.out, s, 32, "cuda", cuda_best, &best_rate);
  cr_assert_str_eq(cuda_best, "cuda/ui=65536");
  sp_run_result_free(&r);
}

/* One point: a plot, and nothing from gnuplot on stderr (no empty-range
 * warning); the fastest point is that one. */
Test(sweep_plot, one_point_sweep_plots_without_a_warning) {
  need_gnuplot();
  const char *rows[1][6] = {{"cpu", "cpu/avx2/pinned", "1", "0", "0", "5e6"}};
  write_csv(rows, 1);
  sp_run_result r;
  run_gnuplot(&r, false);
  cr_assert_str_eq(r.err, "", "gnuplot said: %s", r.err);
  char path[128];
  snprintf(path, sizeof path, "%s/sweep_cpu.png", tmpdir);
  cr_assert_eq(access(path, R_OK), 0);
  sp_run_result_free(&r);
}

static size_t csv_rows(const char *path) {
  FILE *f = fopen(path, "r");
  cr_assert_not_null(f, "%s", path);
  size_t n = 0;
  int c;
  while ((c = fgetc(f)) != EOF)
    n += c == '\n';
  fclose(f);
  return n - 1; /* the header */
}

/* SIGINT once the second of six points is under way: exit 130, the rows
 * written are the points measured, and both the progress summary and the
 * results line say how many of the six and that it was interrupted. */
Test(sweep_plot, interrupted_sweep_reports_the_points_it_wrote) {
  char out[128];
  snprintf(out, sizeof out, "%s/res", tmpdir);
  char *argv[] = {(char *)SUBPOW_BENCH,
                  "sweep",
                  "--backend",
                  "reference",
                  "--threads-list",
                  "1,1,1,1,1,1",
                  "--seconds",
                  "1",
                  "--warmup",
                  "0",
                  "--no-plot",
                  "--out",
                  out,
                  NULL};
  sp_proc p;
  cr_assert_eq(sp_proc_start(&p, argv, NULL), 0);
  cr_assert(sp_proc_wait_for(&p, "[2/6]", 60000), "%s", p.out);
  sp_proc_signal(&p, SIGINT);
  int st = sp_proc_wait(&p, 60000);
  cr_assert_eq(st, 130, "status %d: %s", st, p.out);
  char path[160];
  snprintf(path, sizeof path, "%s/sweep.csv", out);
  size_t rows = csv_rows(path);
  cr_assert(rows >= 1 && rows < 6, "%zu rows", rows);
  char want[160];
  snprintf(want, sizeof want,
           "interrupted by signal 2: %zu of 6 points measured in ", rows);
  cr_assert(strstr(p.out, want), "want '%s' in:\n%s", want, p.out);
  snprintf(want, sizeof want, "(%zu of 6 points: interrupted by signal 2)",
           rows);
  cr_assert(strstr(p.out, want), "want '%s' in:\n%s", want, p.out);
  cr_assert_null(strstr(p.out, "done: 6 points"), "%s", p.out);
  sp_proc_free(&p);
}

/* A sweep measured while other processes want every core (two spinning
 * children per CPU, made here) says so, as `--backend auto` does: a warning
 * with the count of such points, and the best line marked. */
Test(sweep_plot, busy_machine_is_reported) {
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  if (cpus < 1) cpus = 1;
  if (cpus > 64) cpus = 64;
  pid_t spin[128];
  int n = 0;
  for (long i = 0; i < 2 * cpus; i++) {
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
      volatile unsigned long x = 0;
      for (;;)
        x++;
    }
    spin[n++] = pid;
  }
  char threads[16], out[128];
  snprintf(threads, sizeof threads, "%ld", cpus);
  snprintf(out, sizeof out, "%s/busy", tmpdir);
  sp_run_result r;
  int rc = sp_run_bench(&r, "sweep", "--backend", "reference", "--threads-list",
                        threads, "--seconds", "1", "--warmup", "0", "--no-plot",
                        "--no-progress", "--out", out, NULL);
  for (int i = 0; i < n; i++) {
    kill(spin[i], SIGKILL);
    waitpid(spin[i], NULL, 0);
  }
  cr_assert_eq(rc, 0);
  cr_assert_eq(r.status, 0, "%s", r.err);
  cr_assert(strstr(r.err, "bench sweep: warning: 1 of 1 points were measured "
                          "while the machine was busy"),
            "%s", r.err);
  cr_assert(strstr(r.out, "(machine busy while measured: may be low"), "%s",
            r.out);
  sp_run_result_free(&r);
}
