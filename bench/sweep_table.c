/* Sweep rows and their CSV/JSON files; see sweep_table.h. */
#include "bench/sweep_table.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/version.h"

int sp_sweep_table_add(sp_sweep_table *t, const sp_sweep_row *r) {
  if (t->n == t->cap) {
    size_t cap = t->cap ? 2 * t->cap : 64;
    sp_sweep_row *p = realloc(t->rows, cap * sizeof *p);
    if (p == NULL) return -SP_ENOMEM;
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

/* One row's fields, without the line's end. */
static void write_row(const sp_sweep_table *t, const sp_sweep_row *r, FILE *f) {
  const sp_machine_info *m = &t->machine;
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
}

int sp_sweep_write_csv(const sp_sweep_table *t, FILE *f) {
  fprintf(f, "%s\n", sp_sweep_csv_header);
  for (size_t i = 0; i < t->n; i++) {
    write_row(t, &t->rows[i], f);
    fputc('\n', f);
  }
  return fflush(f) == 0 && !ferror(f) ? 0 : -SP_EIO;
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
    json_t *samples = json_array();
    for (int i = 0; i < r->n_samples && i < 16; i++)
      json_array_append_new(samples, json_real(round(r->samples[i])));
    json_object_set_new(o, "samples", samples);
    json_object_set_new(o, "max_sm_clock_mhz",
                        json_integer(r->max_sm_clock_mhz));
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
  json_t *root =
      json_pack("{s:s, s:s, s:o, s:o, s:o, s:{s:s, s:s, s:s, s:s}}", "command",
                t->command, "date", t->date, "machine",
                machine_json(&t->machine), "rows", rows, "best", best, "subpow",
                "version", sp_version(), "commit", sp_git_commit(),
                "build_type", sp_build_type(), "compiler", sp_compiler());
  int rc = root == NULL                               ? -SP_ENOMEM
           : json_dumpf(root, f, JSON_INDENT(2)) == 0 ? 0
                                                      : -SP_EIO;
  json_decref(root);
  fputc('\n', f);
  if (rc != 0) return rc;
  return fflush(f) == 0 && !ferror(f) ? 0 : -SP_EIO;
}

/* ------------------------------------------------------- serialized -- */

/* A u64 as its decimal digits (jansson's integers are signed). */
static json_t *u64_text(uint64_t v) {
  char s[24];
  snprintf(s, sizeof s, "%" PRIu64, v);
  return json_string(s);
}

char *sp_sweep_table_encode(const sp_sweep_table *t) {
  json_t *rows = json_array();
  for (size_t i = 0; i < t->n; i++) {
    const sp_sweep_row *r = &t->rows[i];
    json_array_append_new(
        rows,
        json_pack("{s:s, s:s, s:i, s:i, s:b, s:s, s:i, s:o, s:f, s:o, s:f, "
                  "s:s, s:i, s:s, s:s, s:s, s:i, s:s}",
                  "backend", r->backend, "series", r->series, "workers",
                  r->workers, "threads", r->threads, "pinned", r->pinned, "isa",
                  r->isa, "tpb", r->tpb, "update_interval",
                  u64_text(r->update_interval), "seconds", r->seconds, "hashes",
                  u64_text(r->hashes), "hashes_per_second",
                  r->hashes_per_second, "device", r->device, "units", r->units,
                  "gpu_name", r->gpu_name, "gpu_driver", r->gpu_driver,
                  "cuda_version", r->cuda_version, "sm_clock_mhz",
                  r->sm_clock_mhz, "command", r->command));
    json_t *o = json_array_get(rows, json_array_size(rows) - 1);
    json_t *samples = json_array();
    for (int k = 0; k < r->n_samples && k < 16; k++)
      json_array_append_new(samples, json_real(r->samples[k]));
    json_object_set_new(o, "samples", samples);
    json_object_set_new(o, "max_sm_clock_mhz",
                        json_integer(r->max_sm_clock_mhz));
  }
  json_t *root =
      json_pack("{s:o, s:o, s:s, s:s}", "machine", machine_json(&t->machine),
                "rows", rows, "date", t->date, "command", t->command);
  char *s = root ? json_dumps(root, JSON_COMPACT) : NULL;
  json_decref(root);
  return s;
}

static int dstr(const json_t *o, const char *k, char *out, size_t cap,
                sp_error_record *err) {
  const json_t *v = json_object_get(o, k);
  if (!json_is_string(v) || json_string_length(v) >= cap)
    return sp_error_fail(err, SP_EINVAL,
                         "%s: not a string of at most %zu bytes", k, cap - 1);
  memcpy(out, json_string_value(v), json_string_length(v) + 1);
  return 0;
}

static int dint(const json_t *o, const char *k, int lo, int hi, int *out,
                sp_error_record *err) {
  const json_t *v = json_object_get(o, k);
  if (!json_is_integer(v) || json_integer_value(v) < lo ||
      json_integer_value(v) > hi)
    return sp_error_fail(err, SP_EINVAL, "%s: not an integer in %d..%d", k, lo,
                         hi);
  *out = (int)json_integer_value(v);
  return 0;
}

static int du64(const json_t *o, const char *k, uint64_t *out,
                sp_error_record *err) {
  const char *s = json_string_value(json_object_get(o, k));
  char *end = NULL;
  if (s == NULL || s[0] < '0' || s[0] > '9' ||
      (errno = 0, *out = strtoull(s, &end, 10), errno != 0) || *end != '\0')
    return sp_error_fail(err, SP_EINVAL, "%s: not a u64 in decimal", k);
  return 0;
}

static int dnum(const json_t *o, const char *k, double *out,
                sp_error_record *err) {
  const json_t *v = json_object_get(o, k);
  *out = json_number_value(v);
  if (!json_is_number(v) || !(*out >= 0) || *out > 1e18)
    return sp_error_fail(err, SP_EINVAL, "%s: not a number >= 0", k);
  return 0;
}

static int decode_row(const json_t *o, sp_sweep_row *r, sp_error_record *err) {
  memset(r, 0, sizeof *r);
  const json_t *pinned = json_object_get(o, "pinned");
  if (!json_is_object(o) || !json_is_boolean(pinned))
    return sp_error_fail(err, SP_EINVAL,
                         "a row is not an object with a pinned flag");
  r->pinned = json_is_true(pinned);
  const json_t *samples = json_object_get(o, "samples");
  if (samples != NULL) {
    if (!json_is_array(samples) || json_array_size(samples) > 16)
      return sp_error_fail(err, SP_EINVAL, "samples: not a list of at most 16");
    size_t k;
    const json_t *v;
    json_array_foreach(samples, k, v) {
      double d = json_number_value(v);
      if (!json_is_number(v) || !(d >= 0) || d > 1e18)
        return sp_error_fail(err, SP_EINVAL, "samples: not rates >= 0");
      r->samples[k] = d;
      r->n_samples = (int)k + 1;
    }
  }
  if (json_object_get(o, "max_sm_clock_mhz") != NULL &&
      dint(o, "max_sm_clock_mhz", 0, 1 << 20, &r->max_sm_clock_mhz, err))
    return -SP_EINVAL;
  return dstr(o, "backend", r->backend, sizeof r->backend, err) ||
                 dstr(o, "series", r->series, sizeof r->series, err) ||
                 dint(o, "workers", 0, 1 << 20, &r->workers, err) ||
                 dint(o, "threads", 0, 1 << 20, &r->threads, err) ||
                 dstr(o, "isa", r->isa, sizeof r->isa, err) ||
                 dint(o, "tpb", 0, 1 << 20, &r->tpb, err) ||
                 du64(o, "update_interval", &r->update_interval, err) ||
                 dnum(o, "seconds", &r->seconds, err) ||
                 du64(o, "hashes", &r->hashes, err) ||
                 dnum(o, "hashes_per_second", &r->hashes_per_second, err) ||
                 dstr(o, "device", r->device, sizeof r->device, err) ||
                 dint(o, "units", 0, 1 << 24, &r->units, err) ||
                 dstr(o, "gpu_name", r->gpu_name, sizeof r->gpu_name, err) ||
                 dstr(o, "gpu_driver", r->gpu_driver, sizeof r->gpu_driver,
                      err) ||
                 dstr(o, "cuda_version", r->cuda_version,
                      sizeof r->cuda_version, err) ||
                 dint(o, "sm_clock_mhz", 0, 1 << 20, &r->sm_clock_mhz, err) ||
                 dstr(o, "command", r->command, sizeof r->command, err)
             ? -SP_EINVAL /* the record names the field */
             : 0;
}

int sp_sweep_table_decode(const char *text, sp_sweep_table *t,
                          sp_error_record *err) {
  memset(t, 0, sizeof *t);
  json_error_t je;
  json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &je);
  const json_t *m = json_object_get(root, "machine");
  const json_t *rows = json_object_get(root, "rows");
  int rc = -SP_EINVAL; /* until the end: the record names the field */
  if (!json_is_object(m) || !json_is_array(rows) ||
      json_array_size(rows) > 65536) {
    sp_error_fail(err, SP_EINVAL, "not a sweep table (%s)",
                  root == NULL ? je.text : "no machine or rows");
    goto out;
  }
  if (dstr(m, "host", t->machine.host, sizeof t->machine.host, err) ||
      dstr(m, "cpu_model", t->machine.cpu_model, sizeof t->machine.cpu_model,
           err) ||
      dint(m, "cpu_cores", 0, 1 << 20, &t->machine.cpu_cores, err) ||
      dint(m, "cpu_threads", 0, 1 << 20, &t->machine.cpu_threads, err) ||
      dstr(root, "date", t->date, sizeof t->date, err) ||
      dstr(root, "command", t->command, sizeof t->command, err))
    goto out;
  size_t i;
  const json_t *o;
  json_array_foreach(rows, i, o) {
    sp_sweep_row r;
    if (decode_row(o, &r, err)) goto out;
    if (sp_sweep_table_add(t, &r) != 0) {
      rc = sp_error_fail(err, SP_ENOMEM, "out of memory");
      goto out;
    }
  }
  rc = 0;
out:
  json_decref(root);
  if (rc != 0) sp_sweep_table_free(t);
  return rc;
}

json_t *sp_sweep_row_json(const sp_sweep_table *t, const sp_sweep_row *r) {
  return row_json(t, r);
}

int sp_sweep_write_csv_rows(const sp_sweep_table *t, FILE *f, int rank) {
  for (size_t i = 0; i < t->n; i++) {
    write_row(t, &t->rows[i], f);
    fprintf(f, ",%d\n", rank);
  }
  return ferror(f) ? -SP_EIO : 0;
}
