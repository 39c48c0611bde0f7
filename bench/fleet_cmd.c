/* The bench side of a fleet job; see fleet_cmd.h. */
#include "bench/fleet_cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/sweep_plot.h"
#include "fleet/fleet.h"
#include "common/user_file.h"

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

/* A table's CSV or JSON as text (malloc'd), or NULL. */
static char *table_text(const sp_sweep_table *t,
                        int (*fn)(const sp_sweep_table *, FILE *)) {
  char *s = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&s, &n);
  if (f == NULL) return NULL;
  int rc = fn(t, f);
  if (fclose(f) != 0 || rc != 0) {
    free(s);
    return NULL;
  }
  return s;
}

static int write_text(const char *dir, const char *name, const char *text) {
  char path[1200];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  char oerr[1400];
  FILE *f = sp_user_file_fopen(path, 1, oerr, sizeof oerr); /* no FIFO */
  if (f == NULL) return sp_cli_fail("sweep", "cannot write %s", oerr);
  if (fputs(text, f) < 0) {
    fclose(f);
    return sp_cli_fail("sweep", "cannot write %s: %s", path, strerror(errno));
  }
  if (fclose(f) != 0)
    return sp_cli_fail("sweep", "cannot write %s: %s", path, strerror(errno));
  return 0;
}

int sp_bench_fleet_sweep(const sp_sweep_table *t, const char *dir,
                         const char *plot_script, int signo) {
  int status = signo ? 128 + signo : t->n == 0 ? SP_EXIT_USAGE : SP_EXIT_OK;
  if (t->n == 0 && !signo)
    fprintf(stderr, "%s sweep: rank %d (%s): no point could be measured\n", sp_cli_prog(),
            sp_fleet_rank(), sp_fleet_host());
  char *csv = table_text(t, sp_sweep_write_csv);
  char *json = table_text(t, sp_sweep_write_json);
  if (csv == NULL || json == NULL) {
    free(csv);
    free(json);
    csv = strdup("");
    json = strdup("");
    status = SP_EXIT_USAGE;
  }
  char *mcsv = NULL, *mjson = NULL;
  int job = status;
  int rc = sp_fleet_sweep_gather(csv ? csv : "", json ? json : "", status,
                                 &mcsv, &mjson, &job);
  free(csv);
  free(json);
  if (rc <= 0) return rc < 0 ? SP_EXIT_USAGE : status;
  int wrc = write_text(dir, "sweep.csv", mcsv) ||
            write_text(dir, "sweep.json", mjson);
  size_t rows = 0;
  for (const char *p = mcsv; *p; p++) rows += *p == '\n';
  free(mcsv);
  free(mjson);
  if (wrc) return SP_EXIT_USAGE;
  /* header and total row are not points */
  printf("results: %s/sweep.csv %s/sweep.json (%zu points from %d ranks, "
         "and the fleet total)\n",
         dir, dir, rows >= 2 ? rows - 2 : 0, sp_fleet_size());
  if (plot_script != NULL) {
    char msg[3000];
    int prc = sp_sweep_plot(plot_script, dir, msg, sizeof msg);
    printf("%s\n", msg);
    if (prc < 0) fprintf(stderr, "%s sweep: %s\n", sp_cli_prog(), msg);
  }
  fflush(stdout);
  return job;
}
