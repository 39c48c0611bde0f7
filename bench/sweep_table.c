/* Sweep rows and their CSV/JSON files; see sweep_table.h. */
#include "bench/sweep_table.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "common/version.h"

int sp_sweep_table_add(sp_sweep_table *t, const sp_sweep_row *r) {
  if (t->n == t->cap) {
    size_t cap = t->cap ? 2 * t->cap : 64;
    sp_sweep_row *p = realloc(t->rows, cap * sizeof *p);
    if (p == NULL) return -1;
    t->rows = p;
    t->cap = cap;
  }
  t->rows[t->n++] = *r;
  return 0;
}

void sp_sweep_table_free(sp_sweep_table *t) {
  free(t->rows);
  t->rows = NULL;
  t->n = t->cap = 0;
}

const sp_sweep_row *sp_sweep_table_best(const sp_sweep_table *t,
                                        const char *backend) {
  const sp_sweep_row *best = NULL;
  for (size_t i = 0; i < t->n; i++)
    if (strcmp(t->rows[i].backend, backend) == 0 &&
        (best == NULL ||
         t->rows[i].hashes_per_second > best->hashes_per_second))
      best = &t->rows[i];
  return best;
}

const char sp_sweep_csv_header[] =
    "backend,series,workers,threads,pinned,isa,tpb,update_interval,seconds,"
    "hashes,hashes_per_second,device,units,host,cpu_model,cpu_cores,"
    "cpu_threads,gpu_name,gpu_driver,cuda_version,sm_clock_mhz,date,command,"
    "subpow_version,subpow_commit";

void sp_csv_field(FILE *f, const char *s) {
  if (strpbrk(s, ",\"\r\n") == NULL) {
    fputs(s, f);
    return;
  }
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"') fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

int sp_sweep_write_csv(const sp_sweep_table *t, FILE *f) {
  fprintf(f, "%s\n", sp_sweep_csv_header);
  const sp_machine_info *m = &t->machine;
  for (size_t i = 0; i < t->n; i++) {
    const sp_sweep_row *r = &t->rows[i];
    sp_csv_field(f, r->backend);
    fputc(',', f);
    sp_csv_field(f, r->series);
    fprintf(f, ",%d,%d,%d,", r->workers, r->threads, r->pinned ? 1 : 0);
    sp_csv_field(f, r->isa);
    fprintf(f, ",%d,%" PRIu64 ",%.3f,%" PRIu64 ",%.0f,", r->tpb,
            r->update_interval, r->seconds, r->hashes, r->hashes_per_second);
    sp_csv_field(f, r->device);
    fprintf(f, ",%d,", r->units);
    sp_csv_field(f, m->host);
    fputc(',', f);
    sp_csv_field(f, m->cpu_model);
    fprintf(f, ",%d,%d,", m->cpu_cores, m->cpu_threads);
    sp_csv_field(f, r->gpu_name);
    fputc(',', f);
    sp_csv_field(f, r->gpu_driver);
    fputc(',', f);
    sp_csv_field(f, r->cuda_version);
    fprintf(f, ",%d,", r->sm_clock_mhz);
    sp_csv_field(f, t->date);
    fputc(',', f);
    sp_csv_field(f, r->command);
    fputc(',', f);
    sp_csv_field(f, sp_version());
    fputc(',', f);
    sp_csv_field(f, sp_git_commit());
    fputc('\n', f);
  }
  return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}

static json_t *machine_json(const sp_machine_info *m) {
  return json_pack("{s:s, s:s, s:i, s:i}", "host", m->host, "cpu_model",
                   m->cpu_model, "cpu_cores", m->cpu_cores, "cpu_threads",
                   m->cpu_threads);
}

static json_t *row_json(const sp_sweep_table *t, const sp_sweep_row *r) {
  json_t *o = json_pack(
      "{s:s, s:s, s:i, s:i, s:b, s:s, s:i, s:I, s:f, s:I, s:f, s:s, s:i, s:s, "
      "s:s, s:s, s:i, s:s}",
      "backend", r->backend, "series", r->series, "workers", r->workers,
      "threads", r->threads, "pinned", r->pinned, "isa", r->isa, "tpb", r->tpb,
      "update_interval", (json_int_t)r->update_interval, "seconds", r->seconds,
      "hashes", (json_int_t)r->hashes, "hashes_per_second",
      r->hashes_per_second, "device", r->device, "units", r->units, "gpu_name",
      r->gpu_name, "gpu_driver", r->gpu_driver, "cuda_version", r->cuda_version,
      "sm_clock_mhz", r->sm_clock_mhz, "command", r->command);
  if (o != NULL) {
    json_object_set_new(o, "date", json_string(t->date));
    json_object_set_new(o, "subpow_version", json_string(sp_version()));
    json_object_set_new(o, "subpow_commit", json_string(sp_git_commit()));
    json_t *m = machine_json(&t->machine);
    json_object_update(o, m);
    json_decref(m);
  }
  return o;
}

int sp_sweep_write_json(const sp_sweep_table *t, FILE *f) {
  json_t *rows = json_array(), *best = json_array();
  for (size_t i = 0; i < t->n; i++)
    json_array_append_new(rows, row_json(t, &t->rows[i]));
  /* The best row of each backend, in order of first appearance. */
  for (size_t i = 0; i < t->n; i++) {
    bool first = true;
    for (size_t j = 0; j < i && first; j++)
      first = strcmp(t->rows[j].backend, t->rows[i].backend) != 0;
    if (first)
      json_array_append_new(
          best, row_json(t, sp_sweep_table_best(t, t->rows[i].backend)));
  }
  json_t *root = json_pack(
      "{s:s, s:s, s:o, s:o, s:o, s:{s:s, s:s, s:s, s:s}}", "command",
      t->command, "date", t->date, "machine", machine_json(&t->machine),
      "rows", rows, "best", best, "subpow", "version", sp_version(), "commit",
      sp_git_commit(), "build_type", sp_build_type(), "compiler",
      sp_compiler());
  int rc = root != NULL && json_dumpf(root, f, JSON_INDENT(2)) == 0 ? 0 : -1;
  json_decref(root);
  fputc('\n', f);
  return rc == 0 && fflush(f) == 0 && !ferror(f) ? 0 : -1;
}
