/* The typed result of bench hashrate; see hashrate_result.h. */
#include "bench/hashrate_result.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench/json_out.h"
#include "common/user_file.h"
#include "common/version.h"
#include "engine/stats_logger.h"

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

void sp_hashrate_stats(const double *samples, int n, double *best,
                       double *median) {
  double s[SP_HASHRATE_MAX_SAMPLES];
  if (n <= 0) {
    *best = *median = 0;
    return;
  }
  if (n > SP_HASHRATE_MAX_SAMPLES) n = SP_HASHRATE_MAX_SAMPLES;
  memcpy(s, samples, (size_t)n * sizeof *s);
  qsort(s, (size_t)n, sizeof *s, cmp_double);
  *best = s[n - 1];
  *median = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

int sp_hashrate_add(sp_hashrate_result *r, const sp_hashrate_row *row) {
  sp_hashrate_row *p = realloc(r->rows, (r->n + 1) * sizeof *p);
  if (p == NULL) return -SP_ENOMEM;
  r->rows = p;
  p[r->n] = *row;
  sp_hashrate_stats(row->samples, row->n_samples, &p[r->n].best,
                    &p[r->n].median);
  r->n++;
  return 0;
}

void sp_hashrate_free(sp_hashrate_result *r) {
  free(r->rows);
  r->rows = NULL;
  r->n = 0;
}

void sp_hashrate_print_text(FILE *f, const sp_hashrate_result *r, bool fleet) {
  if (r->n == 1 && !fleet) {
    const sp_hashrate_row *w = &r->rows[0];
    for (int i = 0; i < w->devices && i < 16; i++)
      fprintf(f, "device %d: %s (%s, %d units)\n", w->dev[i].id, w->dev[i].name,
              w->dev[i].isa, w->dev[i].units);
    /* only the settings this backend takes (0: it has no such setting) */
    fprintf(f, "backend: %s  threads: %d", w->backend, w->threads);
    if (w->tpb > 0) fprintf(f, "  tpb: %d", w->tpb);
    if (w->update_interval > 0)
      fprintf(f, "  update-interval: %" PRIu64, w->update_interval);
    fputc('\n', f);
    fprintf(f, "rate: %.3f MH/s (%" PRIu64 " hashes in %.3f s)\n",
            w->best / 1e6, w->hashes, w->seconds);
    if (w->n_samples > 1)
      fprintf(f, "samples: %d, best %.3f MH/s, median %.3f MH/s\n",
              w->n_samples, w->best / 1e6, w->median / 1e6);
    return;
  }
  double total = 0;
  int measured = 0;
  if (!fleet)
    fprintf(f, "%-10s %-14s %-8s %-7s %12s %12s  %s\n", "backend", "isa",
            "threads", "pinned", "best MH/s", "median MH/s", "device");
  for (size_t i = 0; i < r->n; i++) {
    const sp_hashrate_row *w = &r->rows[i];
    if (fleet && w->status != 0) {
      fprintf(f, "rank %-3d %-16s did not measure: %s\n", w->rank, w->host,
              w->why);
      continue;
    }
    if (fleet) {
      char rs[32];
      sp_format_rate(w->best, rs, sizeof rs);
      char tpb[24] = "";
      if (w->tpb > 0) snprintf(tpb, sizeof tpb, " tpb=%d", w->tpb);
      fprintf(f, "rank %-3d %-16s %-10s %s  isa=%s threads=%d%s  %s\n", w->rank,
              w->host, w->backend, w->device, w->isa, w->threads, tpb, rs);
    } else {
      fprintf(f, "%-10s %-14s %-8d %-7s %12.3f %12.3f  %s\n", w->backend,
              w->isa, w->threads, w->pinned ? "yes" : "no", w->best / 1e6,
              w->median / 1e6, w->device);
    }
    total += w->best;
    measured++;
  }
  if (!fleet) return;
  int hosts = 0;
  for (size_t i = 0; i < r->n; i++) {
    bool seen = r->rows[i].status != 0;
    for (size_t j = 0; j < i && !seen; j++)
      seen = r->rows[j].status == 0 &&
             strcmp(r->rows[j].host, r->rows[i].host) == 0;
    hosts += !seen;
  }
  char rs[32];
  sp_format_rate(total, rs, sizeof rs);
  fprintf(f, "fleet total: %d rank%s on %d host%s: %s", measured,
          measured == 1 ? "" : "s", hosts, hosts == 1 ? "" : "s", rs);
  if ((size_t)measured < r->n)
    fprintf(f, " (%zu rank%s did not measure)", r->n - (size_t)measured,
            r->n - (size_t)measured == 1 ? "" : "s");
  fputc('\n', f);
}

static json_t *machine_json(const sp_hashrate_machine *m) {
  return json_pack("{s:o, s:o, s:i}", "cpu_model", sp_json_str(m->cpu_model),
                   "gpu_name", sp_json_str(m->gpu_name), "sm_clock_mhz",
                   m->sm_clock_mhz);
}

static json_t *row_json(const sp_hashrate_row *w) {
  json_t *devs = json_array();
  for (int i = 0; i < w->devices && i < 16; i++)
    json_array_append_new(
        devs, json_pack("{s:i, s:o, s:o, s:i}", "id", w->dev[i].id, "name",
                        sp_json_str(w->dev[i].name), "isa",
                        sp_json_str(w->dev[i].isa), "units", w->dev[i].units));
  json_t *samples = json_array();
  for (int i = 0; i < w->n_samples; i++)
    json_array_append_new(samples, sp_json_fixed(w->samples[i], 0));
  json_t *o =
      json_pack("{s:o, s:o, s:o, s:i, s:o, s:b, s:o, s:o, s:o, s:o, s:o}",
                "backend", sp_json_str(w->backend), "device",
                sp_json_str(w->device), "devices", devs, "threads", w->threads,
                "isa", sp_json_str(w->isa), "pinned", w->pinned, "hashes",
                sp_json_u64(w->hashes), "seconds", sp_json_fixed(w->seconds, 3),
                "hashes_per_second", sp_json_fixed(w->best, 0), "median",
                sp_json_fixed(w->median, 0), "samples", samples);
  /* only the settings this backend takes, at their values as run */
  if (o != NULL && w->tpb > 0)
    json_object_set_new(o, "tpb", json_integer(w->tpb));
  if (o != NULL && w->update_interval > 0)
    json_object_set_new(o, "update_interval", sp_json_u64(w->update_interval));
  if (o != NULL && w->rank >= 0) {
    json_object_set_new(o, "rank", json_integer(w->rank));
    json_object_set_new(o, "host", sp_json_str(w->host));
  }
  return o;
}

int sp_hashrate_print_json(FILE *f, const sp_hashrate_result *r, bool fleet) {
  if (r->n == 1 && !fleet) {
    json_t *o = row_json(&r->rows[0]);
    if (o != NULL) {
      json_object_set_new(o, "machine", machine_json(&r->machine));
      json_object_set_new(o, "command", sp_json_str(r->command));
      json_object_set_new(o, "subpow_version", json_string(sp_version()));
      json_object_set_new(o, "subpow_commit", json_string(sp_git_commit()));
    }
    return sp_json_print(f, o);
  }
  json_t *rows = json_array(), *failed = json_array();
  double total = 0;
  json_int_t hashes = 0;
  int measured = 0;
  for (size_t i = 0; i < r->n; i++) {
    const sp_hashrate_row *w = &r->rows[i];
    if (fleet && w->status != 0) {
      json_array_append_new(failed,
                            json_pack("{s:i, s:o, s:i, s:o}", "rank", w->rank,
                                      "host", sp_json_str(w->host), "status",
                                      w->status, "why", sp_json_str(w->why)));
      continue;
    }
    json_array_append_new(rows, row_json(w));
    total += w->best;
    hashes += (json_int_t)w->hashes;
    measured++;
  }
  json_t *root = json_pack(
      "{s:o, s:o, s:o, s:s, s:s}", fleet ? "ranks" : "rows", rows, "machine",
      machine_json(&r->machine), "command", sp_json_str(r->command),
      "subpow_version", sp_version(), "subpow_commit", sp_git_commit());
  if (root != NULL && fleet) {
    json_object_set_new(root, "failed", failed);
    json_object_set_new(root, "total",
                        json_pack("{s:i, s:I, s:f}", "ranks", measured,
                                  "hashes", hashes, "hashes_per_second",
                                  total));
  } else {
    json_decref(failed);
  }
  return sp_json_print(f, root);
}

/* ------------------------------------------------------- serialized -- */

char *sp_hashrate_encode(const sp_hashrate_result *r) {
  json_t *rows = json_array();
  for (size_t i = 0; i < r->n; i++) {
    json_t *o = row_json(&r->rows[i]);
    json_object_set_new(o, "status", json_integer(r->rows[i].status));
    json_object_set_new(o, "why", json_string(r->rows[i].why));
    json_array_append_new(rows, o);
  }
  json_t *root = json_pack("{s:o, s:o, s:s}", "rows", rows, "machine",
                           machine_json(&r->machine), "command", r->command);
  char *s = root ? json_dumps(root, JSON_COMPACT) : NULL;
  json_decref(root);
  /* sp_json_u64's marker for values above 2^63 - 1 never occurs here:
   * hashes and update intervals of a measurement stay far below. */
  return s;
}

static int gstr(const json_t *o, const char *k, char *out, size_t cap,
                bool need, sp_error_record *err) {
  const json_t *v = json_object_get(o, k);
  if (v == NULL && !need) return 0;
  if (!json_is_string(v) || json_string_length(v) >= cap)
    return sp_error_fail(err, SP_EINVAL,
                         "%s: not a string of at most %zu bytes", k, cap - 1);
  memcpy(out, json_string_value(v), json_string_length(v) + 1);
  return 0;
}

static int gint(const json_t *o, const char *k, json_int_t lo, json_int_t hi,
                json_int_t *out, sp_error_record *err) {
  const json_t *v = json_object_get(o, k);
  if (v == NULL) return 0;
  if (!json_is_integer(v) || json_integer_value(v) < lo ||
      json_integer_value(v) > hi)
    return sp_error_fail(err, SP_EINVAL, "%s: not an integer in range", k);
  *out = json_integer_value(v);
  return 0;
}

/* A rate or a time: 0 and *out set, or -1 when `v` is none (the caller
 * names the field in its message). */
static int grate(const json_t *v, double *out) {
  double d = json_number_value(v);
  if (!json_is_number(v) || !isfinite(d) || d < 0 || d > 1e18) return -1;
  *out = d;
  return 0;
}

static int decode_row(const json_t *o, sp_hashrate_row *w,
                      sp_error_record *err) {
  memset(w, 0, sizeof *w);
  w->rank = -1;
  if (!json_is_object(o))
    return sp_error_fail(err, SP_EINVAL, "a row is not an object");
  json_int_t devices = 1, threads = 0, tpb = 0, ui = 0, hashes = 0, rank = -1,
             status = 0;
  if (gstr(o, "backend", w->backend, sizeof w->backend, true, err) ||
      gstr(o, "device", w->device, sizeof w->device, false, err) ||
      gstr(o, "isa", w->isa, sizeof w->isa, false, err) ||
      gstr(o, "host", w->host, sizeof w->host, false, err) ||
      gstr(o, "why", w->why, sizeof w->why, false, err) ||
      gint(o, "threads", 0, 1 << 24, &threads, err) ||
      gint(o, "tpb", 0, 1 << 20, &tpb, err) ||
      gint(o, "update_interval", 0, INT64_MAX, &ui, err) ||
      gint(o, "hashes", 0, INT64_MAX, &hashes, err) ||
      gint(o, "rank", -1, 1 << 24, &rank, err) ||
      gint(o, "status", 0, 255, &status, err))
    return -SP_EINVAL; /* the record names the field */
  const json_t *devs = json_object_get(o, "devices");
  if (devs != NULL) {
    if (!json_is_array(devs) || json_array_size(devs) > 16)
      return sp_error_fail(err, SP_EINVAL, "devices: not a list of at most 16");
    devices = (json_int_t)json_array_size(devs);
    size_t i;
    const json_t *d;
    json_array_foreach(devs, i, d) {
      json_int_t id = 0, units = 0;
      if (!json_is_object(d))
        return sp_error_fail(err, SP_EINVAL, "devices: not device objects");
      if (gstr(d, "name", w->dev[i].name, sizeof w->dev[i].name, true, err) ||
          gstr(d, "isa", w->dev[i].isa, sizeof w->dev[i].isa, true, err) ||
          gint(d, "id", 0, 1 << 16, &id, err) ||
          gint(d, "units", 0, 1 << 24, &units, err))
        return -SP_EINVAL;
      w->dev[i].id = (int)id, w->dev[i].units = (int)units;
    }
  }
  w->devices = (int)devices, w->threads = (int)threads, w->tpb = (int)tpb;
  w->update_interval = (uint64_t)ui, w->hashes = (uint64_t)hashes;
  w->rank = (int)rank, w->status = (int)status;
  w->pinned = json_is_true(json_object_get(o, "pinned"));
  const json_t *secs = json_object_get(o, "seconds");
  if (secs != NULL && grate(secs, &w->seconds) != 0)
    return sp_error_fail(err, SP_EINVAL, "seconds: not a time");
  const json_t *samples = json_object_get(o, "samples");
  if (json_is_array(samples) && json_array_size(samples) > 0) {
    if (json_array_size(samples) > SP_HASHRATE_MAX_SAMPLES)
      return sp_error_fail(err, SP_EINVAL, "samples: more than %d",
                           SP_HASHRATE_MAX_SAMPLES);
    size_t i;
    const json_t *v;
    json_array_foreach(samples, i, v) {
      if (grate(v, &w->samples[i]) != 0)
        return sp_error_fail(err, SP_EINVAL, "samples: not rates >= 0");
      w->n_samples = (int)i + 1;
    }
  } else if (w->status == 0) {
    /* A baseline written before samples existed: its one rate. */
    if (grate(json_object_get(o, "hashes_per_second"), &w->samples[0]) != 0)
      return sp_error_fail(err, SP_EINVAL,
                           "a row has neither samples nor a "
                           "hashes_per_second >= 0");
    w->n_samples = 1;
  }
  return 0;
}

static int decode_root(const json_t *root, sp_hashrate_result *r,
                       sp_error_record *err) {
  memset(r, 0, sizeof *r);
  const json_t *m = json_object_get(root, "machine");
  if (json_is_object(m)) {
    json_int_t clock = 0;
    if (gstr(m, "cpu_model", r->machine.cpu_model, sizeof r->machine.cpu_model,
             false, err) ||
        gstr(m, "gpu_name", r->machine.gpu_name, sizeof r->machine.gpu_name,
             false, err) ||
        gint(m, "sm_clock_mhz", 0, 1 << 20, &clock, err))
      return -SP_EINVAL;
    r->machine.sm_clock_mhz = (int)clock;
  }
  int rc = gstr(root, "command", r->command, sizeof r->command, false, err);
  if (rc != 0) return rc;
  const json_t *rows = json_object_get(root, "rows");
  if (rows == NULL) rows = json_object_get(root, "ranks");
  if (rows == NULL && json_object_get(root, "backend") != NULL) {
    sp_hashrate_row w;
    rc = decode_row(root, &w, err);
    if (rc == 0 && sp_hashrate_add(r, &w) != 0)
      rc = sp_error_fail(err, SP_ENOMEM, "out of memory");
    return rc;
  }
  if (!json_is_array(rows) || json_array_size(rows) > 4096)
    return sp_error_fail(err, SP_EINVAL, "no rows");
  size_t i;
  const json_t *o;
  json_array_foreach(rows, i, o) {
    sp_hashrate_row w;
    rc = decode_row(o, &w, err);
    if (rc != 0) return rc;
    if (sp_hashrate_add(r, &w) != 0)
      return sp_error_fail(err, SP_ENOMEM, "out of memory");
  }
  return 0;
}

int sp_hashrate_decode(const char *text, sp_hashrate_result *r,
                       sp_error_record *err) {
  sp_error_clear(err);
  json_error_t je;
  json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &je);
  if (!json_is_object(root)) {
    memset(r, 0, sizeof *r);
    int rc = sp_error_fail(err, SP_EINVAL, "not a hashrate result (%s)",
                           root ? "not an object" : je.text);
    json_decref(root);
    return rc;
  }
  int rc = decode_root(root, r, err);
  json_decref(root);
  if (rc != 0) sp_hashrate_free(r);
  return rc;
}

int sp_hashrate_load_baseline(const char *path, sp_hashrate_result *r,
                              sp_error_record *err) {
  memset(r, 0, sizeof *r);
  sp_error_record oerr = {0};
  FILE *f = sp_user_file_fopen(path, 0, &oerr);
  if (f == NULL) { /* the open's code and errno, as common/user_file.h */
    if (err != NULL) *err = oerr;
    return -oerr.code;
  }
  size_t cap = 16u << 20, n = 0;
  char *text = malloc(cap + 1);
  if (text == NULL) {
    fclose(f);
    return sp_error_fail(err, SP_ENOMEM, "out of memory");
  }
  n = fread(text, 1, cap + 1, f);
  fclose(f);
  if (n > cap) {
    free(text);
    return sp_error_fail(err, SP_ERANGE, "%s: over 16 MiB", path);
  }
  text[n] = '\0';
  int rc = sp_hashrate_decode(text, r, err);
  free(text);
  if (rc != 0) rc = sp_error_wrap(err, -rc, "%s", path);
  return rc;
}
