/* The bench side of a fleet job; see fleet_cmd.h. */
#include "bench/fleet_cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/sweep_plot.h"
#include "common/user_file.h"
#include "fleet/fleet.h"

int sp_bench_fleet_worker(const char *cmd, const sp_backend_args *ba) {
  const sp_backend_vtable *vt = NULL;
  sp_backend *b = NULL;
  /* A backend that cannot start here is reported to rank 0, which goes on
   * without this rank (fleet.h); its reason is on this rank's stderr. */
  if (sp_cli_open_backend(cmd, ba->backend ? ba->backend : "auto", &ba->opts,
                          &vt, &b) != 0) {
    vt = NULL;
    b = NULL;
  }
  int st = sp_fleet_serve(vt, b);
  if (b != NULL) vt->close(b);
  return st;
}

static int write_text(const char *dir, const char *name, const char *text) {
  char path[1200];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  sp_error_record oerr = {0};
  FILE *f = sp_user_file_fopen(path, 1, &oerr); /* no FIFO */
  if (f == NULL) return sp_cli_fail("sweep", "cannot write %s", oerr.message);
  if (fputs(text, f) < 0) {
    fclose(f);
    return sp_cli_fail("sweep", "cannot write %s: %s", path, strerror(errno));
  }
  if (fclose(f) != 0)
    return sp_cli_fail("sweep", "cannot write %s: %s", path, strerror(errno));
  return 0;
}

/* "host/rN/series" (no spaces, commas or quotes, which the plot script
 * splits on). */
static void fleet_series(const char *host, int rank, char *series, size_t cap) {
  char s[512];
  snprintf(s, sizeof s, "%s/r%d/%s", host, rank, series);
  for (char *c = s; *c; c++)
    if (*c == ' ' || *c == ',' || *c == '"') *c = '_';
  snprintf(series, cap, "%s", s);
}

/* The merged sweep.csv and sweep.json of every rank's table (tabs[i] of
 * parts[i]; n_rows 0 for a rank without one). */
static int write_merged(const char *dir, const sp_fleet_part *parts,
                        sp_sweep_table *tabs, int n) {
  char *csv = NULL, *json = NULL;
  size_t lc = 0;
  FILE *f = open_memstream(&csv, &lc);
  if (f == NULL) return sp_cli_fail("sweep", "out of memory");
  fprintf(f, "%s,rank\n", sp_sweep_csv_header);
  json_t *rows = json_array(), *bests = json_array(), *ranks = json_array(),
         *hosts = json_array();
  double total = 0;
  int measured = 0;
  const sp_sweep_table *first = NULL;
  for (int i = 0; i < n; i++) {
    sp_sweep_table *t = &tabs[i];
    bool seen = false;
    for (int j = 0; j < i && !seen; j++)
      seen = strcmp(parts[j].host, parts[i].host) == 0;
    if (!seen) json_array_append_new(hosts, json_string(parts[i].host));
    json_t *rank = json_pack("{s:i, s:s, s:i}", "rank", parts[i].rank, "host",
                             parts[i].host, "status", parts[i].status);
    if (parts[i].data != NULL) {
      json_object_set_new(rank, "machine",
                          json_pack("{s:s, s:s, s:i, s:i}", "host",
                                    t->machine.host, "cpu_model",
                                    t->machine.cpu_model, "cpu_cores",
                                    t->machine.cpu_cores, "cpu_threads",
                                    t->machine.cpu_threads));
      json_object_set_new(rank, "points", json_integer((json_int_t)t->n));
      if (first == NULL) first = t;
    }
    json_array_append_new(ranks, rank);
    double best = -1;
    for (size_t k = 0; k < t->n; k++) {
      sp_sweep_row *r = &t->rows[k];
      fleet_series(parts[i].host, parts[i].rank, r->series, sizeof r->series);
      if (r->hashes_per_second > best) best = r->hashes_per_second;
      json_t *o = sp_sweep_row_json(t, r);
      json_object_set_new(o, "rank", json_integer(parts[i].rank));
      json_object_set_new(o, "fleet_host", json_string(parts[i].host));
      json_array_append_new(rows, o);
    }
    for (size_t k = 0; k < t->n; k++) {
      bool firstb = true;
      for (size_t j = 0; j < k && firstb; j++)
        firstb = strcmp(t->rows[j].backend, t->rows[k].backend) != 0;
      if (!firstb) continue;
      json_t *o =
          sp_sweep_row_json(t, sp_sweep_table_best(t, t->rows[k].backend));
      json_object_set_new(o, "rank", json_integer(parts[i].rank));
      json_object_set_new(o, "fleet_host", json_string(parts[i].host));
      json_array_append_new(bests, o);
    }
    if (best > 0) total += best, measured++;
    sp_sweep_write_csv_rows(t, f, parts[i].rank);
  }
  /* The fleet total: what the fleet hashes with each rank at its fastest
   * point (the points of different ranks ran at the same time only in
   * part, so this is a sum of best rates, not one measurement). */
  static const char what[] = "sum of the fastest point of each rank";
  sp_sweep_table tot = {0};
  snprintf(tot.machine.host, sizeof tot.machine.host, "all");
  sp_sweep_row row = {0};
  snprintf(row.backend, sizeof row.backend, "fleet");
  snprintf(row.series, sizeof row.series, "fleet/total");
  snprintf(row.command, sizeof row.command, "%s", what);
  row.hashes_per_second = total;
  if (sp_sweep_table_add(&tot, &row) == 0) sp_sweep_write_csv_rows(&tot, f, -1);
  sp_sweep_table_free(&tot);
  int bad = fclose(f) != 0;
  json_t *root = json_pack(
      "{s:s, s:s, s:{s:i, s:o}, s:o, s:o, s:o, s:{s:f, s:i, s:s}}", "command",
      first ? first->command : "", "date", first ? first->date : "", "fleet",
      "ranks", n, "hosts", hosts, "ranks", ranks, "rows", rows, "best", bests,
      "total", "hashes_per_second", total, "ranks", measured, "what", what);
  json = root ? json_dumps(root, JSON_INDENT(2)) : NULL;
  json_decref(root);
  int rc = SP_EXIT_USAGE;
  if (bad || csv == NULL || json == NULL) {
    sp_cli_fail("sweep", "out of memory");
  } else if (write_text(dir, "sweep.csv", csv) == 0) {
    size_t k = strlen(json);
    char *j2 = realloc(json, k + 2);
    if (j2 != NULL) {
      json = j2;
      memcpy(json + k, "\n", 2);
      rc = write_text(dir, "sweep.json", json) ? SP_EXIT_USAGE : SP_EXIT_OK;
    }
  }
  free(csv);
  free(json);
  return rc;
}

int sp_bench_fleet_sweep(const sp_sweep_table *t, const char *dir,
                         const char *plot_script, int signo) {
  int status = signo ? 128 + signo : t->n == 0 ? SP_EXIT_USAGE : SP_EXIT_OK;
  if (t->n == 0 && !signo)
    fprintf(stderr, "%s sweep: rank %d (%s): no point could be measured\n",
            sp_cli_prog(), sp_fleet_rank(), sp_fleet_host());
  char *data = sp_sweep_table_encode(t);
  sp_fleet_part *parts = NULL;
  int n = 0;
  int rc = sp_fleet_gather("sweep", data ? data : "",
                           data ? status : SP_EXIT_USAGE, &parts, &n);
  free(data);
  if (rc <= 0) return rc < 0 ? SP_EXIT_USAGE : status;
  sp_sweep_table *tabs = calloc((size_t)n, sizeof *tabs);
  if (tabs == NULL) {
    sp_fleet_parts_free(parts, n);
    return sp_cli_fail("sweep", "out of memory");
  }
  int job = status;
  size_t points = 0;
  for (int i = 0; i < n; i++) {
    sp_error_record err = {0};
    if (parts[i].data != NULL &&
        sp_sweep_table_decode(parts[i].data, &tabs[i], &err) != 0) {
      fprintf(stderr,
              "bench sweep: rank %d (%s): its table does not decode: "
              "%s\n",
              parts[i].rank, parts[i].host, err.message);
      free(parts[i].data);
      parts[i].data = NULL;
    }
    if (parts[i].data == NULL)
      /* It ended before measuring (bad usage, nothing could run): its
       * messages are on its own stderr. */
      fprintf(stderr, "bench sweep: rank %d (%s) measured nothing (exit %d)\n",
              parts[i].rank, parts[i].host, parts[i].status);
    if (job == 0 && parts[i].status != 0) job = parts[i].status;
    if (job == 0 && parts[i].data == NULL) job = SP_EXIT_USAGE;
    points += tabs[i].n;
  }
  int wrc = points ? write_merged(dir, parts, tabs, n)
                   : sp_cli_fail("sweep", "no rank measured anything");
  for (int i = 0; i < n; i++)
    sp_sweep_table_free(&tabs[i]);
  free(tabs);
  sp_fleet_parts_free(parts, n);
  if (wrc) return SP_EXIT_USAGE;
  printf("results: %s/sweep.csv %s/sweep.json (%zu points from %d ranks, "
         "and the fleet total)\n",
         dir, dir, points, n);
  if (plot_script != NULL) {
    char msg[3000];
    int prc = sp_sweep_plot(plot_script, dir, msg, sizeof msg);
    printf("%s\n", msg);
    if (prc < 0) fprintf(stderr, "%s sweep: %s\n", sp_cli_prog(), msg);
  }
  fflush(stdout);
  return job;
}
