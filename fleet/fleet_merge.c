/* Rank 0's merges of the ranks' results; see fleet_internal.h. Every rank's
 * text is parsed as untrusted input: a row that does not parse is refused
 * with a reason, never guessed at. */
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/stats_logger.h"
#include "fleet/fleet_internal.h"

/* ------------------------------------------------------ growable text -- */

typedef struct buf {
  char *s;
  size_t n, cap;
  bool oom;
} buf;

static void put(buf *b, const char *s, size_t k) {
  if (b->oom) return;
  if (b->n + k + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->n + k + 1) cap *= 2;
    char *p = realloc(b->s, cap);
    if (p == NULL) {
      b->oom = true;
      return;
    }
    b->s = p;
    b->cap = cap;
  }
  memcpy(b->s + b->n, s, k);
  b->n += k;
  b->s[b->n] = '\0';
}

static void puts_(buf *b, const char *s) { put(b, s, strlen(s)); }

static void printf_(buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void printf_(buf *b, const char *fmt, ...) {
  char line[4096];
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (k > 0) put(b, line, (size_t)k < sizeof line ? (size_t)k : sizeof line - 1);
}

static char *done(buf *b) {
  if (b->oom) {
    free(b->s);
    return NULL;
  }
  if (b->s == NULL) return strdup("");
  return b->s;
}

/* Calls fn for every line of text (without its newline). */
static void each_line(const char *text, void (*fn)(void *, const char *, size_t),
                      void *user) {
  const char *p = text;
  while (*p) {
    const char *nl = strchr(p, '\n');
    size_t k = nl ? (size_t)(nl - p) : strlen(p);
    fn(user, p, k);
    p += k + (nl ? 1 : 0);
  }
}

typedef struct prefix_ctx {
  buf *b;
  const sp_rank_report *r;
} prefix_ctx;

static void prefix_line(void *user, const char *line, size_t k) {
  prefix_ctx *c = user;
  printf_(c->b, "[%s r%d] ", c->r->host, c->r->rank);
  put(c->b, line, k);
  puts_(c->b, "\n");
}

char *sp_merge_stderr(const sp_rank_report *r, int n) {
  buf b = {0};
  for (int i = 0; i < n; i++) {
    if (r[i].kind != SP_REPORT_OUTPUT || r[i].text2 == NULL) continue;
    prefix_ctx c = {.b = &b, .r = &r[i]};
    each_line(r[i].text2, prefix_line, &c);
  }
  return done(&b);
}

static int count_hosts(const sp_rank_report *r, int n, const bool *use) {
  int hosts = 0;
  for (int i = 0; i < n; i++) {
    if (use != NULL && !use[i]) continue;
    bool seen = false;
    for (int j = 0; j < i && !seen; j++)
      seen = (use == NULL || use[j]) && strcmp(r[j].host, r[i].host) == 0;
    if (!seen) hosts++;
  }
  return hosts;
}

/* -------------------------------------------------------------- verify -- */

typedef struct verify_ctx {
  buf *b;
  const sp_rank_report *r;
  bool have_total;
  unsigned long passed, failed;
} verify_ctx;

static void verify_line(void *user, const char *line, size_t k) {
  verify_ctx *c = user;
  char copy[512];
  size_t m = k < sizeof copy - 1 ? k : sizeof copy - 1;
  memcpy(copy, line, m);
  copy[m] = '\0';
  unsigned long p = 0, f = 0;
  int used = 0;
  if (sscanf(copy, "%lu passed, %lu failed%n", &p, &f, &used) == 2 &&
      (size_t)used == m) {
    c->have_total = true;
    c->passed = p;
    c->failed = f;
  }
  /* FAIL lines already name host, rank and device (cmd_verify.c asks
   * sp_fleet_where); every other line gets the rank's label. */
  if (k >= 5 && memcmp(line, "FAIL ", 5) == 0) {
    put(c->b, line, k);
    puts_(c->b, "\n");
    return;
  }
  printf_(c->b, "[%s r%d] ", c->r->host, c->r->rank);
  put(c->b, line, k);
  puts_(c->b, "\n");
}

char *sp_merge_verify(const sp_rank_report *r, int n, int *status) {
  buf b = {0};
  unsigned long passed = 0, failed = 0;
  bool any_fail = false, any_error = false;
  buf failing = {0};
  for (int i = 0; i < n; i++) {
    verify_ctx c = {.b = &b, .r = &r[i]};
    each_line(r[i].text1 ? r[i].text1 : "", verify_line, &c);
    bool bad = false;
    if (!c.have_total) {
      printf_(&b,
              "FAIL host=%s rank=%d device=\"-\" bench verify ended with "
              "status %d without a result (see its messages)\n",
              r[i].host, r[i].rank, r[i].status);
      any_error = true;
      bad = true;
    } else {
      passed += c.passed;
      failed += c.failed;
      if (c.failed > 0 || r[i].status == 1) any_fail = bad = true;
      else if (r[i].status != 0) any_error = bad = true;
    }
    if (bad)
      printf_(&failing, "%s rank %d (%s)", failing.n ? "," : "", r[i].rank,
              r[i].host);
  }
  printf_(&b, "fleet: %lu passed, %lu failed on %d rank%s (%d host%s)", passed,
          failed, n, n == 1 ? "" : "s", count_hosts(r, n, NULL),
          count_hosts(r, n, NULL) == 1 ? "" : "s");
  if (failing.n) printf_(&b, "; failing:%s", failing.s);
  puts_(&b, "\n");
  free(failing.s);
  *status = any_fail ? 1 : any_error ? 2 : 0;
  return done(&b);
}

/* ------------------------------------------------------------ hashrate -- */

/* One rank's `bench hashrate --json` object, checked; NULL with err. */
static json_t *hashrate_row(const sp_rank_report *r, char *err, size_t errlen) {
  json_error_t je;
  json_t *o = json_loads(r->text1 ? r->text1 : "", JSON_REJECT_DUPLICATES, &je);
  if (o == NULL || !json_is_object(o)) {
    snprintf(err, errlen, "its output is not one JSON object (%s)",
             o == NULL ? je.text : "not an object");
    json_decref(o);
    return NULL;
  }
  const json_t *rate = json_object_get(o, "hashes_per_second");
  if (!json_is_number(rate) || json_number_value(rate) < 0 ||
      !json_is_string(json_object_get(o, "backend")) ||
      !json_is_string(json_object_get(o, "device"))) {
    snprintf(err, errlen,
             "its JSON lacks backend, device or a hashes_per_second >= 0");
    json_decref(o);
    return NULL;
  }
  json_t *row = json_pack("{s:i, s:s}", "rank", r->rank, "host", r->host);
  json_object_update_missing(row, o);
  json_decref(o);
  return row;
}

static bool hashrate_setting(const char *key) {
  static const char *const skip[] = {"rank",    "host",   "backend",
                                     "device",  "devices", "hashes",
                                     "seconds", "hashes_per_second"};
  for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
    if (strcmp(key, skip[i]) == 0) return false;
  return true;
}

char *sp_merge_hashrate(const sp_rank_report *r, int n, bool json,
                        int *status) {
  json_t *rows = json_array(), *failed = json_array();
  double total = 0;
  json_int_t hashes = 0;
  bool *ok = calloc((size_t)n, sizeof *ok);
  buf b = {0};
  *status = 0;
  if (ok == NULL || rows == NULL || failed == NULL) {
    free(ok);
    json_decref(rows);
    json_decref(failed);
    return NULL;
  }
  for (int i = 0; i < n; i++) {
    char err[300] = "";
    json_t *row = NULL;
    if (r[i].status == 0) row = hashrate_row(&r[i], err, sizeof err);
    else snprintf(err, sizeof err, "exit status %d", r[i].status);
    if (row == NULL) {
      json_array_append_new(failed, json_pack("{s:i, s:s, s:i, s:s}", "rank",
                                              r[i].rank, "host", r[i].host,
                                              "status", r[i].status, "why",
                                              err));
      *status = 2;
      if (!json)
        printf_(&b, "rank %-3d %-16s did not measure: %s\n", r[i].rank,
                r[i].host, err);
      continue;
    }
    ok[i] = true;
    double rate = json_number_value(json_object_get(row, "hashes_per_second"));
    total += rate;
    const json_t *h = json_object_get(row, "hashes");
    if (json_is_integer(h)) hashes += json_integer_value(h);
    if (!json) {
      char rs[32];
      sp_format_rate(rate, rs, sizeof rs);
      printf_(&b, "rank %-3d %-16s %-10s %s ", r[i].rank, r[i].host,
              json_string_value(json_object_get(row, "backend")),
              json_string_value(json_object_get(row, "device")));
      const char *key;
      json_t *v;
      json_object_foreach(row, key, v) {
        if (!hashrate_setting(key)) continue;
        if (json_is_string(v)) printf_(&b, " %s=%s", key, json_string_value(v));
        else if (json_is_integer(v))
          printf_(&b, " %s=%" JSON_INTEGER_FORMAT, key, json_integer_value(v));
        else if (json_is_boolean(v))
          printf_(&b, " %s=%s", key, json_is_true(v) ? "yes" : "no");
      }
      printf_(&b, "  %s\n", rs);
    }
    json_array_append(rows, row);
    json_decref(row);
  }
  int measured = 0;
  for (int i = 0; i < n; i++) measured += ok[i];
  int hosts = count_hosts(r, n, ok);
  if (json) {
    json_t *root = json_pack(
        "{s:o, s:o, s:{s:i, s:i, s:I, s:f}}", "ranks", rows, "failed", failed,
        "total", "ranks", measured, "hosts", hosts, "hashes", hashes,
        "hashes_per_second", total);
    char *s = root ? json_dumps(root, JSON_INDENT(2)) : NULL;
    json_decref(root);
    if (s != NULL) {
      puts_(&b, s);
      puts_(&b, "\n");
      free(s);
    } else {
      b.oom = true;
    }
  } else {
    char rs[32];
    sp_format_rate(total, rs, sizeof rs);
    printf_(&b, "fleet total: %d rank%s on %d host%s: %s", measured,
            measured == 1 ? "" : "s", hosts, hosts == 1 ? "" : "s", rs);
    if (measured < n) printf_(&b, " (%d rank%s did not measure)", n - measured,
                              n - measured == 1 ? "" : "s");
    puts_(&b, "\n");
    json_decref(rows);
    json_decref(failed);
  }
  free(ok);
  return done(&b);
}

/* --------------------------------------------------------------- sweep -- */

typedef struct csv_row {
  char **f;
  size_t n, cap;
} csv_row;

static void row_free(csv_row *r) {
  for (size_t i = 0; i < r->n; i++) free(r->f[i]);
  free(r->f);
  memset(r, 0, sizeof *r);
}

static int row_push(csv_row *r, const char *s, size_t k) {
  if (r->n == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 32;
    if (cap > 4096) return -1;
    char **f = realloc(r->f, cap * sizeof *f);
    if (f == NULL) return -1;
    r->f = f;
    r->cap = cap;
  }
  char *c = malloc(k + 1);
  if (c == NULL) return -1;
  memcpy(c, s, k);
  c[k] = '\0';
  r->f[r->n++] = c;
  return 0;
}

/* One RFC 4180 record from *p (advanced past it). Returns 1, 0 at the end
 * of the text, -1 on a malformed record. */
static int csv_record(const char **p, csv_row *row) {
  const char *s = *p;
  if (*s == '\0') return 0;
  buf field = {0};
  for (;;) {
    field.n = 0;
    if (field.s) field.s[0] = '\0';
    if (*s == '"') {
      s++;
      for (;;) {
        if (*s == '\0') goto bad;
        if (*s == '"') {
          if (s[1] == '"') {
            put(&field, "\"", 1);
            s += 2;
            continue;
          }
          s++;
          break;
        }
        put(&field, s, 1);
        s++;
      }
      if (*s != ',' && *s != '\n' && *s != '\r' && *s != '\0') goto bad;
    } else {
      const char *e = s + strcspn(s, ",\n\r\"");
      if (*e == '"') goto bad;
      put(&field, s, (size_t)(e - s));
      s = e;
    }
    if (field.oom || row_push(row, field.s ? field.s : "", field.n) != 0)
      goto bad;
    if (*s == ',') {
      s++;
      continue;
    }
    if (*s == '\r') s++;
    if (*s == '\n') s++;
    break;
  }
  free(field.s);
  *p = s;
  return 1;
bad:
  free(field.s);
  return -1;
}

static void csv_out(buf *b, const char *s) {
  if (strpbrk(s, ",\"\r\n") == NULL) {
    puts_(b, s);
    return;
  }
  puts_(b, "\"");
  for (; *s; s++) {
    if (*s == '"') puts_(b, "\"");
    put(b, s, 1);
  }
  puts_(b, "\"");
}

static int col(const csv_row *h, const char *name) {
  for (size_t i = 0; i < h->n; i++)
    if (strcmp(h->f[i], name) == 0) return (int)i;
  return -1;
}

static bool same_header(const csv_row *a, const csv_row *b) {
  if (a->n != b->n) return false;
  for (size_t i = 0; i < a->n; i++)
    if (strcmp(a->f[i], b->f[i]) != 0) return false;
  return true;
}

/* The series of rank `rank` on `host`: "host/rN/series" (no spaces or
 * commas, which the plot script splits on). */
static void fleet_series(const char *host, int rank, const char *series,
                         char *out, size_t outlen) {
  snprintf(out, outlen, "%s/r%d/%s", host, rank, series);
  for (char *c = out; *c; c++)
    if (*c == ' ' || *c == ',' || *c == '"') *c = '_';
}

static int merge_csv(const sp_rank_report *r, int n, char **out, double *best,
                     char *err, size_t errlen) {
  buf b = {0};
  csv_row header = {0};
  int rc = -1;
  int c_series = -1, c_rate = -1, c_backend = -1, c_host = -1, c_command = -1;
  bool have_header = false;
  for (int i = 0; i < n; i++) {
    best[i] = -1;
    if (r[i].kind != SP_REPORT_SWEEP) continue;
    const char *p = r[i].text1;
    csv_row h = {0};
    if (csv_record(&p, &h) != 1) {
      row_free(&h);
      snprintf(err, errlen, "rank %d's sweep.csv has no header", r[i].rank);
      goto out;
    }
    if (!have_header) {
      header = h;
      have_header = true;
      c_series = col(&header, "series");
      c_rate = col(&header, "hashes_per_second");
      c_backend = col(&header, "backend");
      c_host = col(&header, "host");
      c_command = col(&header, "command");
      if (c_series < 0 || c_rate < 0 || c_backend < 0) {
        snprintf(err, errlen, "sweep.csv lacks a backend, series or "
                              "hashes_per_second column");
        goto out;
      }
      for (size_t k = 0; k < header.n; k++) {
        if (k) puts_(&b, ",");
        csv_out(&b, header.f[k]);
      }
      puts_(&b, ",rank\n");
    } else {
      bool same = same_header(&header, &h);
      row_free(&h);
      if (!same) {
        snprintf(err, errlen, "rank %d's sweep.csv has other columns than rank "
                              "0's (another bench build?)", r[i].rank);
        goto out;
      }
    }
    for (size_t line = 2;; line++) {
      csv_row row = {0};
      int k = csv_record(&p, &row);
      if (k == 0) break;
      if (k < 0 || row.n != header.n) {
        row_free(&row);
        snprintf(err, errlen, "rank %d's sweep.csv line %zu does not parse "
                              "into %zu fields", r[i].rank, line, header.n);
        goto out;
      }
      char *end = NULL;
      double rate = strtod(row.f[c_rate], &end);
      if (end == row.f[c_rate] || *end != '\0' || !(rate >= 0)) {
        row_free(&row);
        snprintf(err, errlen, "rank %d's sweep.csv line %zu: rate '%.40s' is "
                              "not a number >= 0", r[i].rank, line,
                 row.f[c_rate]);
        goto out;
      }
      if (rate > best[i]) best[i] = rate;
      char series[512];
      fleet_series(r[i].host, r[i].rank, row.f[c_series], series,
                   sizeof series);
      for (size_t f = 0; f < row.n; f++) {
        if (f) puts_(&b, ",");
        csv_out(&b, (int)f == c_series ? series : row.f[f]);
      }
      printf_(&b, ",%d\n", r[i].rank);
      row_free(&row);
    }
  }
  if (!have_header) {
    snprintf(err, errlen, "no rank measured anything");
    goto out;
  }
  /* The fleet total: what the fleet hashes with each rank at its fastest
   * point (the points of different ranks ran at the same time only in
   * part, so this is a sum of best rates, not one measurement). */
  double total = 0;
  for (int i = 0; i < n; i++)
    if (best[i] > 0) total += best[i];
  for (size_t f = 0; f < header.n; f++) {
    if (f) puts_(&b, ",");
    if ((int)f == c_backend) puts_(&b, "fleet");
    else if ((int)f == c_series) puts_(&b, "fleet/total");
    else if ((int)f == c_rate) printf_(&b, "%.0f", total);
    else if ((int)f == c_host) puts_(&b, "all");
    else if ((int)f == c_command)
      puts_(&b, "sum of the fastest point of each rank");
  }
  puts_(&b, ",\n");
  rc = 0;
out:
  row_free(&header);
  if (rc == 0) {
    *out = done(&b);
    if (*out == NULL) {
      snprintf(err, errlen, "out of memory");
      rc = -1;
    }
  } else {
    free(b.s);
  }
  return rc;
}

/* Prefixes each row's series and adds its rank. */
static void mark_rows(json_t *rows, const sp_rank_report *r) {
  size_t i;
  json_t *row;
  json_array_foreach(rows, i, row) {
    if (!json_is_object(row)) continue;
    const char *s = json_string_value(json_object_get(row, "series"));
    char series[512];
    fleet_series(r->host, r->rank, s ? s : "", series, sizeof series);
    json_object_set_new(row, "series", json_string(series));
    json_object_set_new(row, "rank", json_integer(r->rank));
    json_object_set_new(row, "fleet_host", json_string(r->host));
  }
}

static int merge_json(const sp_rank_report *r, int n, const double *best,
                      char **out, char *err, size_t errlen) {
  json_t *rows = json_array(), *bests = json_array(), *ranks = json_array(),
         *hosts = json_array();
  const char *command = "", *date = "";
  json_t *first = NULL;
  double total = 0;
  int measured = 0;
  for (int i = 0; i < n; i++) {
    json_t *rank = json_pack("{s:i, s:s, s:i}", "rank", r[i].rank, "host",
                             r[i].host, "status", r[i].status);
    bool seen = false;
    for (int j = 0; j < i && !seen; j++) seen = !strcmp(r[j].host, r[i].host);
    if (!seen) json_array_append_new(hosts, json_string(r[i].host));
    if (r[i].kind == SP_REPORT_SWEEP) {
      json_error_t je;
      json_t *o = json_loads(r[i].text2, JSON_REJECT_DUPLICATES, &je);
      json_t *rr = o ? json_object_get(o, "rows") : NULL;
      json_t *rb = o ? json_object_get(o, "best") : NULL;
      if (!json_is_object(o) || !json_is_array(rr) || !json_is_array(rb)) {
        snprintf(err, errlen, "rank %d's sweep.json is not a sweep (%s)",
                 r[i].rank, o ? "no rows/best arrays" : je.text);
        json_decref(o);
        json_decref(rank);
        json_decref(rows);
        json_decref(bests);
        json_decref(ranks);
        json_decref(hosts);
        json_decref(first);
        return -1;
      }
      mark_rows(rr, &r[i]);
      mark_rows(rb, &r[i]);
      json_array_extend(rows, rr);
      json_array_extend(bests, rb);
      json_t *m = json_object_get(o, "machine");
      if (m) json_object_set(rank, "machine", m);
      json_object_set_new(rank, "points", json_integer((json_int_t)json_array_size(rr)));
      if (best[i] > 0) {
        total += best[i];
        measured++;
      }
      if (first == NULL) first = json_incref(o);
      json_decref(o);
    }
    json_array_append_new(ranks, rank);
  }
  if (first != NULL) {
    const char *c = json_string_value(json_object_get(first, "command"));
    const char *d = json_string_value(json_object_get(first, "date"));
    command = c ? c : "";
    date = d ? d : "";
  }
  json_t *root = json_pack(
      "{s:s, s:s, s:{s:i, s:o}, s:o, s:o, s:o, s:{s:f, s:i, s:s}}", "command",
      command, "date", date, "fleet", "ranks", n, "hosts", hosts, "ranks",
      ranks, "rows", rows, "best", bests, "total", "hashes_per_second", total,
      "ranks", measured, "what", "sum of the fastest point of each rank");
  char *s = root ? json_dumps(root, JSON_INDENT(2)) : NULL;
  json_decref(root);
  json_decref(first);
  if (s == NULL) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  size_t k = strlen(s);
  char *t = realloc(s, k + 2);
  if (t == NULL) {
    free(s);
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  t[k] = '\n';
  t[k + 1] = '\0';
  *out = t;
  return 0;
}

int sp_merge_sweep(const sp_rank_report *r, int n, char **csv, char **json,
                   char *err, size_t errlen) {
  *csv = *json = NULL;
  double *best = calloc((size_t)n, sizeof *best);
  if (best == NULL) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  int rc = merge_csv(r, n, csv, best, err, errlen);
  if (rc == 0) rc = merge_json(r, n, best, json, err, errlen);
  free(best);
  if (rc != 0) {
    free(*csv);
    *csv = NULL;
  }
  return rc;
}
